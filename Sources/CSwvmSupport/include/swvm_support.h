#ifndef SWVM_SUPPORT_H
#define SWVM_SUPPORT_H
#include <stdint.h>
#include <stddef.h>

/* The engine bounds native recursion by comparing the current frame address with a limit
   computed from the calling thread's real stack; Swift has no direct way to read it. */
static inline uintptr_t swvm_frame_address(void) {
#if defined(__x86_64__) || defined(__aarch64__)
    /* The stack pointer itself: __builtin_frame_address(0) would make every function entry
       node set up a frame pointer (a push, a move and a pop on each call). */
    uintptr_t sp;
#if defined(__x86_64__)
    __asm__ volatile("mov %%rsp, %0" : "=r"(sp));
#else
    __asm__ volatile("mov %0, sp" : "=r"(sp));
#endif
    return sp;
#else
    return (uintptr_t)__builtin_frame_address(0);
#endif
}

/* Square roots as one instruction (llvm.sqrt): Swift's squareRoot() calls libm's sqrt for a
   negative operand (to set errno), which makes every node using it save registers. The
   result is the same: the hardware's default NaN for a negative operand. */
#if defined(__clang__)
static inline double swvm_sqrt(double x) { return __builtin_elementwise_sqrt(x); }
static inline float swvm_sqrtf(float x) { return __builtin_elementwise_sqrt(x); }
#else
/* Another C compiler (support.c under CMake's C compiler) never calls these. */
static inline double swvm_sqrt(double x) { return __builtin_sqrt(x); }
static inline float swvm_sqrtf(float x) { return __builtin_sqrtf(x); }
#endif

/* Lowest usable address and size of the calling thread's stack (0 on failure). */
int swvm_thread_stack_bounds(uintptr_t *low, size_t *size);


/* The interrupt flag another thread sets while a call runs (see Runtime/Budget.swift): a C11
   atomic, since Swift's own atomics need the Synchronization module's availability checks. */
static inline int swvm_atomic_load(const int *flag) {
    return __atomic_load_n(flag, __ATOMIC_ACQUIRE);
}
static inline void swvm_atomic_store(int *flag, int value) {
    __atomic_store_n(flag, value, __ATOMIC_RELEASE);
}

/* Thread-local message of the last trap in a call through a native function pointer
   (swvm_func_native); NULL when that call did not trap. The setter takes ownership. */
const char *swvm_tls_last_trap(void);
void swvm_tls_set_last_trap(char *message);

/* Opens `path` relative to the directory `dirfd` without ever resolving outside it: absolute
   paths, ".." above `dirfd` and symlinks pointing outside fail (openat2 RESOLVE_BENEATH).
   `follow_last` = 0 also refuses a symlink as the last component. Returns the fd, or -1 with
   errno set. Where openat2 is unavailable (or SWVM_NO_OPENAT2 is set) it resolves one
   component at a time with O_NOFOLLOW and refuses every ".." and symlink instead. */
int swvm_open_beneath(int dirfd, const char *path, int flags, unsigned mode, int follow_last);
/* Enlarges the inaccessible reservation [base, base + reserved), whose first `used` bytes are
   accessible memory, to `target` bytes: in place if the address space after it is free,
   else at a new address, moving the used pages there (mremap, which Swift cannot call: it is
   variadic; a copy if that fails). Returns the reservation's address, or NULL with the old one
   unchanged. A 64-bit memory reserves its address space lazily with it (Runtime/Memory.swift). */
void *swvm_reserve_more(void *base, size_t used, size_t reserved, size_t target);
/* Linux constants Swift's Glibc module does not expose (GNU extensions). */
#define SWVM_O_PATH 2097152          /* O_PATH */
#define SWVM_UTIME_NOW 1073741823    /* UTIME_NOW */
#define SWVM_UTIME_OMIT 1073741822   /* UTIME_OMIT */
#endif
