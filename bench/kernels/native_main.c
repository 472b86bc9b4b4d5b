/* The native driver: times one call of a kernel compiled natively with -O2 and prints the same
   JSON line as the other runners. Built once per workload with
     -DENTRY=run -DPARAM_T=int32_t -DRESULT_T=int64_t
   and linked with the kernel's object file (a separate translation unit, so the call is a
   real call and nothing is folded at compile time).
   usage: native-WORKLOAD N */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

RESULT_T ENTRY(PARAM_T n);

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s N\n", argv[0]);
        return 2;
    }
    PARAM_T n = (PARAM_T)strtoll(argv[1], NULL, 10);
    double t0 = now_ms();
    RESULT_T result = ENTRY(n);
    double exec_ms = now_ms() - t0;
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    printf("{\"load_ms\": 0, \"exec_ms\": %.4f, \"result\": \"%" PRId64 "\", \"maxrss_kb\": %ld}\n",
           exec_ms, (int64_t)result, usage.ru_maxrss);
    return 0;
}
