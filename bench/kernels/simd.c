/* SIMD kernel: image-style byte and 16/32-bit integer loops of the kind clang vectorises:
   a byte blend with rounding, a sum of absolute differences, an i32 multiply-add, an i16 dot
   product and a clamp. bench/run.py builds it twice, with -msimd128 (workload simd128: the
   loops become v128 instructions) and without (simd_scalar: the same C as scalar Wasm), so
   the two rows compare one runtime's SIMD against its scalar code on the same work. Returns a
   checksum that must match natively and on every runtime that runs it. */
#include "kernel.h"

#define N 16384
static uint8_t img[N], ref[N], out[N];
static int32_t xs[N], ys[N], zs[N];
static int16_t p[N], q[N];

int64_t run(int32_t n) {
    uint32_t seed = 2463534242u;
    for (int i = 0; i < N; i++) {
        img[i] = (uint8_t)next_random(&seed);
        ref[i] = (uint8_t)next_random(&seed);
        xs[i] = (int32_t)(next_random(&seed) & 0xFFFFF) - 0x80000;
        ys[i] = (int32_t)(next_random(&seed) & 0xFFFFF) - 0x80000;
        p[i] = (int16_t)next_random(&seed);
        q[i] = (int16_t)next_random(&seed);
    }
    uint64_t checksum = 0;
    for (int32_t round = 0; round < n; round++) {
        uint32_t alpha = 37u + (uint32_t)round % 180u;
        /* blend: 16-bit lanes, rounded */
        for (int i = 0; i < N; i++)
            out[i] = (uint8_t)((img[i] * alpha + ref[i] * (256u - alpha) + 128u) >> 8);
        /* sum of absolute differences */
        uint32_t sad = 0;
        for (int i = 0; i < N; i++) {
            int d = out[i] - ref[i];
            sad += (uint32_t)(d < 0 ? -d : d);
        }
        /* i32 multiply-add and its sum */
        int32_t k = round * 3 + 1;
        uint32_t sum = 0;
        for (int i = 0; i < N; i++) {
            zs[i] = xs[i] * k + ys[i];
            sum += (uint32_t)zs[i];
        }
        /* i16 dot product in 32 bits */
        int32_t dot = 0;
        for (int i = 0; i < N; i++) dot += (int32_t)p[i] * q[i];
        /* clamp to a range, in place */
        int32_t lo = -200000 - round, hi = 200000 + round;
        for (int i = 0; i < N; i++) {
            int32_t v = zs[i];
            xs[i] = v < lo ? lo : v > hi ? hi : v;
        }
        checksum = checksum * 1000003u + sad;
        checksum = checksum * 1000003u + sum;
        checksum = checksum * 1000003u + (uint32_t)dot;
        img[round % N] ^= (uint8_t)round;
        p[(round * 7) % N] += 1;
    }
    return (int64_t)checksum;
}
