#define _GNU_SOURCE
#include "cposix.h"
#include <pthread.h>
#include <stdio.h>

int cposix_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
    return accept4(fd, addr, len, flags);
}

void cposix_stdout_line_buffered(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

long cposix_raise_fd_limit(void) {
    struct rlimit lim;
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return -1;
    lim.rlim_cur = lim.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &lim) != 0) return -1;
    return (long)lim.rlim_cur;
}

static void termination_set(sigset_t *set) {
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
}

int cposix_block_termination_signals(void) {
    sigset_t set;
    termination_set(&set);
    return pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int cposix_wait_termination_signal(void) {
    sigset_t set;
    termination_set(&set);
    int sig = 0;
    if (sigwait(&set, &sig) != 0) return -1;
    return sig;
}
