#include <zlib.h>

// deflateInit2 is a macro over deflateInit2_ (it passes the header version and stream size),
// which Swift cannot import.
static inline int rdv_deflate_init_raw(z_stream *stream, int level) {
    // windowBits -15: a raw deflate stream, as ZIP entries hold (APPNOTE 4.4.5, method 8).
    return deflateInit2(stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
}

// inflateInit2 likewise; 16 + 15: a gzip stream (RFC 1952) with the largest window.
static inline int rdv_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 16 + MAX_WBITS);
}

// inflateInit2 for a raw deflate stream (-15), as ZIP entries hold (APPNOTE 4.4.5, method 8).
static inline int rdv_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -15);
}
