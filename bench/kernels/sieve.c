/* Integer kernel: the sieve of Eratosthenes over a byte array, n times with a slightly
   different limit each time. Returns the weighted sum of prime counts. */
#include "kernel.h"

#define LIMIT (1 << 20)
static uint8_t composite[LIMIT + 1];

int32_t run(int32_t n) {
    uint32_t total = 0;
    for (int32_t round = 0; round < n; round++) {
        uint32_t limit = LIMIT - (uint32_t)(round & 1023);
        for (uint32_t i = 0; i <= limit; i++) composite[i] = 0;
        uint32_t count = 0;
        for (uint32_t i = 2; i <= limit; i++) {
            if (composite[i]) continue;
            count++;
            for (uint32_t j = i * 2; j <= limit; j += i) composite[j] = 1;
        }
        total += count * (uint32_t)(round + 1);
    }
    return (int32_t)total;
}
