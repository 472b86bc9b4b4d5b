#ifndef SWVM_SUPPORT_H
#define SWVM_SUPPORT_H
#include <stdint.h>
#include <stddef.h>

/* The engine bounds native recursion by comparing the current frame address with a limit
   computed from the calling thread's real stack; Swift has no direct way to read it. */
static inline uintptr_t swvm_frame_address(void) {
    return (uintptr_t)__builtin_frame_address(0);
}

/* Lowest usable address and size of the calling thread's stack (0 on failure). */
int swvm_thread_stack_bounds(uintptr_t *low, size_t *size);


/* Thread-local message of the last trap in a call through a native function pointer
   (swvm_func_native); NULL when that call did not trap. The setter takes ownership. */
const char *swvm_tls_last_trap(void);
void swvm_tls_set_last_trap(char *message);

#endif
