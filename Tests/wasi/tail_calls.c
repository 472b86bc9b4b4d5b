/* Tail calls from C: clang 19 with -mtail-call compiles __attribute__((musttail)) returns to Wasm
   return_call / return_call_indirect. A mutual recursion ten million deep and a threaded
   bytecode interpreter whose handlers tail-call each other through a table (millions of
   steps): both need the runtime to run tail calls in constant stack. Compiled by
   Tests/wasi/run.py with clang-19 when it is installed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int odd(long n);
__attribute__((noinline)) static int even(long n) {
    if (n == 0) return 1;
    __attribute__((musttail)) return odd(n - 1);
}
__attribute__((noinline)) static int odd(long n) {
    if (n == 0) return 0;
    __attribute__((musttail)) return even(n - 1);
}

/* A stack machine: each handler does its work and tail-calls the next one. */
enum { PUSH, ADD, MUL, DUP, SWAP, JNZ, DEC, HALT };
typedef uint64_t (*handler)(const int32_t *pc, uint64_t *sp, long steps);
static handler table[8];

#define NEXT(pc, sp, steps) __attribute__((musttail)) return table[*(pc)](pc, sp, (steps) + 1)

static uint64_t op_push(const int32_t *pc, uint64_t *sp, long steps) { *++sp = (uint64_t)pc[1]; NEXT(pc + 2, sp, steps); }
static uint64_t op_add(const int32_t *pc, uint64_t *sp, long steps) { sp[-1] += sp[0]; sp--; NEXT(pc + 1, sp, steps); }
static uint64_t op_mul(const int32_t *pc, uint64_t *sp, long steps) { sp[-1] *= sp[0]; sp--; NEXT(pc + 1, sp, steps); }
static uint64_t op_dup(const int32_t *pc, uint64_t *sp, long steps) { sp[1] = sp[0]; sp++; NEXT(pc + 1, sp, steps); }
static uint64_t op_swap(const int32_t *pc, uint64_t *sp, long steps) {
    uint64_t t = sp[0];
    sp[0] = sp[-1];
    sp[-1] = t;
    NEXT(pc + 1, sp, steps);
}
/* Pops the top; jumps by the offset after the opcode when it was not zero. */
static uint64_t op_jnz(const int32_t *pc, uint64_t *sp, long steps) {
    uint64_t v = *sp--;
    NEXT(v ? pc + pc[1] : pc + 2, sp, steps);
}
static uint64_t op_dec(const int32_t *pc, uint64_t *sp, long steps) { sp[0]--; NEXT(pc + 1, sp, steps); }
static uint64_t op_halt(const int32_t *pc, uint64_t *sp, long steps) {
    (void)pc;
    printf("steps: %ld\n", steps);
    return *sp;
}

/* acc = 1; repeat i = 1000000 times: acc = acc * 3 + 1 (mod 2^64). */
static const int32_t program[] = {
    PUSH, 1000000, PUSH, 1,       /*  0: i acc */
    PUSH, 3, MUL, PUSH, 1, ADD,   /*  4: i acc*3+1 */
    SWAP, DEC, DUP,               /* 10: acc i-1 i-1 */
    JNZ, 4,                       /* 13: acc i-1; not zero: on at 17 */
    SWAP, HALT,                   /* 15: 0 acc: halt with acc */
    SWAP, PUSH, 1, JNZ, -16,      /* 17: i-1 acc, back to 4 */
};

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 10000000;
    printf("even(%ld) = %d\n", n, even(n));
    table[PUSH] = op_push;
    table[ADD] = op_add;
    table[MUL] = op_mul;
    table[DUP] = op_dup;
    table[SWAP] = op_swap;
    table[JNZ] = op_jnz;
    table[DEC] = op_dec;
    table[HALT] = op_halt;
    uint64_t stack[16];
    uint64_t acc = table[program[0]](program, stack, 0);
    printf("acc: %llu\n", (unsigned long long)acc);
    return 0;
}
