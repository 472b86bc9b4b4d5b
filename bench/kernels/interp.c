/* Integer kernel: a small stack-based bytecode interpreter (a switch in a loop) running a
   program that sums the Collatz step counts of 1..n. */
#include "kernel.h"

enum {
    OP_PUSH,   /* push the next word */
    OP_LOAD,   /* push register[next word] */
    OP_STORE,  /* register[next word] = pop */
    OP_ADD, OP_SUB, OP_MUL, OP_AND, OP_SHR1,
    OP_LT,     /* b = pop, a = pop, push a < b */
    OP_EQ,     /* b = pop, a = pop, push a == b */
    OP_JZ,     /* if pop == 0 jump to the next word */
    OP_JMP,    /* jump to the next word */
    OP_HALT,   /* return register 0 */
};

/* registers: r0 total steps, r1 i, r2 x, r3 n */
static const int32_t program[] = {
    /*  0 */ OP_PUSH, 1, OP_STORE, 1,                              /* i = 1 */
    /*  4 */ OP_LOAD, 1, OP_LOAD, 3, OP_LT, OP_JZ, 58,             /* while i < n */
    /* 11 */ OP_LOAD, 1, OP_STORE, 2,                              /*   x = i */
    /* 15 */ OP_LOAD, 2, OP_PUSH, 1, OP_EQ, OP_JZ, 24, OP_JMP, 49,  /*   while x != 1 */
    /* 24 */ OP_LOAD, 2, OP_PUSH, 1, OP_AND, OP_JZ, 41,            /*     if x & 1 */
    /* 31 */ OP_LOAD, 2, OP_PUSH, 3, OP_MUL, OP_PUSH, 1, OP_ADD,   /*       x = 3x + 1 */
    /* 39 */ OP_JMP, 44,
    /* 41 */ OP_LOAD, 2, OP_SHR1,                                  /*     else x = x >> 1 */
    /* 44 */ OP_STORE, 2,
    /* 46 */ OP_JMP, 60,                                           /*     (count the step) */
    /* 48 */ OP_HALT,
    /* 49 */ OP_LOAD, 1, OP_PUSH, 1, OP_ADD, OP_STORE, 1,          /*   i = i + 1 */
    /* 56 */ OP_JMP, 4,
    /* 58 */ OP_JMP, 48,
    /* 60 */ OP_LOAD, 0, OP_PUSH, 1, OP_ADD, OP_STORE, 0, OP_JMP, 15, /* steps++; loop */
};

static int64_t execute(const int32_t *code, int64_t n) {
    int64_t stack[64];
    int64_t reg[4] = {0, 0, 0, n};
    int sp = 0;
    int pc = 0;
    for (;;) {
        int32_t op = code[pc++];
        switch (op) {
        case OP_PUSH: stack[sp++] = code[pc++]; break;
        case OP_LOAD: stack[sp++] = reg[code[pc++]]; break;
        case OP_STORE: reg[code[pc++]] = stack[--sp]; break;
        case OP_ADD: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] + (uint64_t)stack[sp]); break;
        case OP_SUB: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] - (uint64_t)stack[sp]); break;
        case OP_MUL: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] * (uint64_t)stack[sp]); break;
        case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case OP_SHR1: stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] >> 1); break;
        case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case OP_JZ: { int32_t target = code[pc++]; if (stack[--sp] == 0) pc = target; break; }
        case OP_JMP: pc = code[pc]; break;
        case OP_HALT: return reg[0];
        default: return -1;
        }
    }
}

int64_t run(int32_t n) {
    return execute(program, n);
}
