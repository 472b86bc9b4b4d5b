/* The native counterparts of bench/wasm/tailcall.wat: the same mutual recursion and state
   machine, whose tail calls clang -O2 turns into jumps. */
#include "kernel.h"

static int64_t odd(int64_t n);

__attribute__((noinline)) static int64_t even(int64_t n) { return n == 0 ? 1 : odd(n - 1); }
__attribute__((noinline)) static int64_t odd(int64_t n) { return n == 0 ? 0 : even(n - 1); }

int64_t tail_mutual(int64_t n) { return even(n); }

/* Unsigned accumulator arithmetic: it wraps, as the Wasm i64 operations do. */
typedef int64_t (*state_fn)(int64_t n, uint32_t x, uint64_t acc);
static const state_fn states[4];

#define STEP(update)                                                   \
    if (n == 0) return (int64_t)acc;                                   \
    x = x * 1103515245u + 12345u;                                      \
    return states[(x >> 16) & 3](n - 1, x, update)

static int64_t s0(int64_t n, uint32_t x, uint64_t acc) { STEP(acc + 1); }
static int64_t s1(int64_t n, uint32_t x, uint64_t acc) { STEP(acc ^ x); }
static int64_t s2(int64_t n, uint32_t x, uint64_t acc) { STEP(acc * 3); }
static int64_t s3(int64_t n, uint32_t x, uint64_t acc) { STEP(acc - 7); }
static const state_fn states[4] = {s0, s1, s2, s3};

int64_t tail_state(int64_t n) { return s0(n, 1, 0); }
