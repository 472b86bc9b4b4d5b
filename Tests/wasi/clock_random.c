/* Clocks move forward and agree with a sleep; random bytes are not constant. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long ns(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void) {
    long long wall = ns(CLOCK_REALTIME) / 1000000000LL;
    printf("realtime after 2024: %d\n", wall > 1704067200LL);
    long long t0 = ns(CLOCK_MONOTONIC);
    struct timespec sleep = {0, 20 * 1000 * 1000};
    nanosleep(&sleep, NULL);
    long long slept = ns(CLOCK_MONOTONIC) - t0;
    printf("slept at least 20ms: %d\n", slept >= 20000000LL);
    printf("slept less than 2s: %d\n", slept < 2000000000LL);
    unsigned char a[32], b[32];
    arc4random_buf(a, sizeof a);
    arc4random_buf(b, sizeof b);
    int zero = 1;
    for (int i = 0; i < 32; i++) zero &= a[i] == 0;
    printf("random differs: %d, not all zero: %d\n", memcmp(a, b, sizeof a) != 0, !zero);
    return 0;
}
