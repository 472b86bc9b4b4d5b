/* Shared by the benchmark kernels (bench/kernels). Each kernel is freestanding C: no libc,
   no imports. It exports `run(n)` and returns a checksum that must be the same on every
   runtime and natively. The same file compiles to Wasm (clang-14 --target=wasm32-wasi -O2
   -nostdlib) and natively (clang-14 or gcc -O2, with native_main.c as the driver). */
#ifndef BENCH_KERNEL_H
#define BENCH_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __wasm__
/* Without libc, clang may still turn loops and struct copies into calls to these; a
   freestanding module must define them itself (natively libc has them). */
void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    while (n--) *d++ = (unsigned char)c;
    return dst;
}
void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--) *d++ = *s++;
    return dst;
}
void *memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) while (n--) *d++ = *s++;
    else while (n--) d[n] = s[n];
    return dst;
}
#endif

/* A small deterministic generator (xorshift32) for the kernels' input data. */
static inline uint32_t next_random(uint32_t *state) {
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

#endif
