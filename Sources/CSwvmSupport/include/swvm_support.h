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

#endif
