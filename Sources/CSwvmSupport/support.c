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
