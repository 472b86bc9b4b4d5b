#define _GNU_SOURCE
#include "swvm_support.h"
#include <pthread.h>

/* pthread_getattr_np parses /proc/self/maps for the main thread (tens of microseconds), and
   every call from the host into Wasm needs the bounds: cache them per thread. */
static _Thread_local uintptr_t cached_low;
static _Thread_local size_t cached_size;

int swvm_thread_stack_bounds(uintptr_t *low, size_t *size) {
    if (cached_size == 0) {
        pthread_attr_t attr;
        void *addr = NULL;
        size_t sz = 0;
        if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
        int ok = pthread_attr_getstack(&attr, &addr, &sz) == 0;
        pthread_attr_destroy(&attr);
        if (!ok) return 0;
        cached_low = (uintptr_t)addr;
        cached_size = sz;
    }
    *low = cached_low;
    *size = cached_size;
    return 1;
}

#include <stdlib.h>

static _Thread_local char *last_trap;

const char *swvm_tls_last_trap(void) { return last_trap; }

void swvm_tls_set_last_trap(char *message) {
    free(last_trap);
    last_trap = message;
}

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* struct open_how and the RESOLVE_* flags from linux/openat2.h (not in every libc's headers). */
struct swvm_open_how { unsigned long long flags, mode, resolve; };
#define SWVM_RESOLVE_NO_MAGICLINKS 0x02
#define SWVM_RESOLVE_BENEATH 0x08

int swvm_open_beneath(int dirfd, const char *path, int flags, unsigned mode, int follow_last) {
    struct swvm_open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (unsigned long long)(flags | O_CLOEXEC | (follow_last ? 0 : O_NOFOLLOW));
    how.mode = (flags & O_CREAT) ? mode : 0;
    how.resolve = SWVM_RESOLVE_BENEATH | SWVM_RESOLVE_NO_MAGICLINKS;
    long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
    return (int)fd;
}
