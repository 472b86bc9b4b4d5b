/* Traps three calls deep, so the backtrace has names to show. */
#include <stdio.h>

__attribute__((noinline)) static int divide(int a, int b) { return a / b; }
__attribute__((noinline)) int compute(int x) { return divide(100, x - 3) + 1; }
__attribute__((noinline)) int run_all(int n) {
    int s = 0;
    for (int i = 0; i < n; i++) s += compute(i);
    return s;
}

int main(void) {
    printf("before the trap\n");
    fflush(stdout);
    return run_all(5);
}
