/* Memory kernel: multiplies two 192x192 matrices of 32-bit integers (wrapping arithmetic,
   i-k-j order so the inner loop streams rows), n times, perturbing the input each round.
   Returns a checksum of the products. */
#include "kernel.h"

#define N 192
static uint32_t a[N][N], b[N][N], c[N][N];

int64_t run(int32_t n) {
    uint32_t seed = 88172645u;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = next_random(&seed) & 0xFFFF;
            b[i][j] = next_random(&seed) & 0xFFFF;
        }
    uint64_t checksum = 0;
    for (int32_t round = 0; round < n; round++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) c[i][j] = 0;
        for (int i = 0; i < N; i++)
            for (int k = 0; k < N; k++) {
                uint32_t aik = a[i][k];
                for (int j = 0; j < N; j++) c[i][j] += aik * b[k][j];
            }
        for (int i = 0; i < N; i++) checksum = checksum * 1000003u + c[i][(i + round) % N];
        a[round % N][(round * 7) % N] += 1;
    }
    return (int64_t)checksum;
}
