#ifndef CPOSIX_H
#define CPOSIX_H
// Linux APIs that Swift's Glibc module does not import; see docs/decisions/2026-11-25-http-server-design.md.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>

int cposix_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
void cposix_stdout_line_buffered(void);
/// Raises the soft RLIMIT_NOFILE to the hard limit; returns the new soft limit or -1.
long cposix_raise_fd_limit(void);
/// Blocks SIGTERM, SIGINT in the calling thread (threads created afterwards inherit the mask).
int cposix_block_termination_signals(void);
/// Waits for SIGTERM or SIGINT (blocked beforehand) and returns its number.
int cposix_wait_termination_signal(void);
#endif
