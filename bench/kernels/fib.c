/* The native counterparts of bench/wasm/fib.wat (whose .wasm the Wasm runtimes run): the
   same three functions, for the native column. */
#include "kernel.h"

int64_t fib_recursive(int64_t n) {
    if (n < 2) return n;
    return fib_recursive(n - 1) + fib_recursive(n - 2);
}

int64_t fib_iterative(int64_t n) {
    uint64_t a = 0, b = 1;
    while (n != 0) {
        uint64_t t = a + b;
        a = b;
        b = t;
        n--;
    }
    return (int64_t)a;
}

int32_t count_loop(int32_t n) {
    uint32_t i = 0;
    do {
        i++;
#ifndef __wasm__
        /* keeps the compiler from replacing the loop by its closed form: the point is the loop */
        __asm__ volatile("" : "+r"(i));
#endif
    } while (i < (uint32_t)n);
    return (int32_t)i;
}
