#define _GNU_SOURCE
#include "swvm_support.h"
#include <pthread.h>
#include <sys/mman.h>

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

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

/* Where openat2 is missing (kernels before 5.6, valgrind, some seccomp policies): resolve one
   component at a time with O_NOFOLLOW, refusing every ".." and every symlink. Stricter than
   RESOLVE_BENEATH (which allows both while they stay inside), never looser. */
static int open_beneath_by_components(int dirfd, const char *path, int flags, unsigned mode, int follow_last) {
    if (path[0] == '/') { errno = EXDEV; return -1; }
    size_t len = strlen(path);
    if (len >= PATH_MAX) { errno = ENAMETOOLONG; return -1; }
    char buf[PATH_MAX];
    memcpy(buf, path, len + 1);
    /* Collect the components, dropping empty ones and ".". */
    char *parts[PATH_MAX / 2 + 1];
    int n = 0;
    for (char *save = NULL, *tok = strtok_r(buf, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (strcmp(tok, ".") == 0) continue;
        if (strcmp(tok, "..") == 0) { errno = EXDEV; return -1; }
        parts[n++] = tok;
    }
    if (n == 0) return openat(dirfd, ".", flags | O_CLOEXEC, mode);
    int cur = dirfd;
    for (int i = 0; i < n - 1; i++) {
        int next = openat(cur, parts[i], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int saved = errno;
        if (cur != dirfd) close(cur);
        if (next < 0) { errno = saved == ENOTDIR ? ELOOP : saved; return -1; }
        cur = next;
    }
    int fd = openat(cur, parts[n - 1], flags | O_CLOEXEC | O_NOFOLLOW, mode);
    int saved = errno;
    if (cur != dirfd) close(cur);
    /* O_PATH | O_NOFOLLOW opens a symlink itself: right for lstat-like uses, but a caller
       that follows the last component must not get it. */
    struct stat st;
    if (fd >= 0 && follow_last && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
        close(fd);
        fd = -1;
        saved = ELOOP;
    }
    errno = saved;
    return fd;
}

int swvm_open_beneath(int dirfd, const char *path, int flags, unsigned mode, int follow_last) {
    static int use_components = -1;
    if (use_components < 0) use_components = getenv("SWVM_NO_OPENAT2") != NULL;
    if (use_components) return open_beneath_by_components(dirfd, path, flags, mode, follow_last);
    struct swvm_open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (unsigned long long)(flags | O_CLOEXEC | (follow_last ? 0 : O_NOFOLLOW));
    how.mode = (flags & O_CREAT) ? mode : 0;
    how.resolve = SWVM_RESOLVE_BENEATH | SWVM_RESOLVE_NO_MAGICLINKS;
    long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
    if (fd < 0 && errno == ENOSYS) {
        use_components = 1;
        return open_beneath_by_components(dirfd, path, flags, mode, follow_last);
    }
    return (int)fd;
}

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

void *swvm_reserve_more(void *base, size_t used, size_t reserved, size_t target) {
    const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    char *end = (char *)base + reserved;
    /* In place: the pages after the reservation, if nothing is mapped there. */
    void *p = mmap(end, target - reserved, PROT_NONE, flags | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == end) return base;
    if (p != MAP_FAILED) munmap(p, target - reserved); /* a kernel that ignored the hint */
    void *fresh = mmap(NULL, target, PROT_NONE, flags, -1, 0);
    if (fresh == MAP_FAILED) return NULL;
    if (used > 0 &&
        mremap(base, used, used, MREMAP_MAYMOVE | MREMAP_FIXED, fresh) == MAP_FAILED) {
        /* The used pages are not one mapping: copy them. */
        if (mprotect(fresh, used, PROT_READ | PROT_WRITE) != 0) {
            munmap(fresh, target);
            return NULL;
        }
        memcpy(fresh, base, used);
    }
    munmap(base, reserved);
    return fresh;
}
