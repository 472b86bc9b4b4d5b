/* Memory kernel: a byte-wise LZ77 compressor (hash chains over a 64 KiB window) on generated
   text-like data, the matching decompressor (the round trip is checked), and an order-0
   entropy pass over the compressed bytes (an ideal code length per byte value). n rounds, new
   data each round; returns a checksum of sizes, code lengths and the compressed bytes. */
#include "kernel.h"

#define INPUT_SIZE (128 * 1024)
#define WINDOW 65535
#define HASH_BITS 14
#define MAX_CHAIN 24
#define MIN_MATCH 3
#define MAX_MATCH 130

static uint8_t input[INPUT_SIZE];
static uint8_t packed[INPUT_SIZE + INPUT_SIZE / 64 + 16];
static uint8_t unpacked[INPUT_SIZE];
static int32_t head[1 << HASH_BITS];
static int32_t chain[INPUT_SIZE];

static const char *const words[16] = {
    "the ", "swift ", "wasm ", "module ", "of ", "and ", "function ", "memory ",
    "to ", "a ", "table ", "global ", "call ", "stack ", "value ", "interpreter ",
};

static void generate(uint32_t seed) {
    uint32_t pos = 0;
    while (pos < INPUT_SIZE) {
        uint32_t r = next_random(&seed);
        /* skewed choice: low indices are far more frequent */
        const char *w = words[(r & 15) & ((r >> 4) & 15)];
        if ((r >> 8) % 23 == 0) w = (r >> 16) & 1 ? ".\n" : ", ";
        while (*w && pos < INPUT_SIZE) input[pos++] = (uint8_t)*w++;
        if ((r >> 12) % 97 == 0 && pos < INPUT_SIZE) input[pos++] = (uint8_t)('0' + (r >> 20) % 10);
    }
}

static inline uint32_t hash3(const uint8_t *p) {
    uint32_t v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

/* Tokens: a byte 0..127 is a run of (byte + 1) literals that follow; 128..255 is a match of
   (byte - 128 + MIN_MATCH) bytes at the distance in the next two bytes (little endian). */
static uint32_t compress(const uint8_t *src, uint32_t size, uint8_t *dst) {
    for (int i = 0; i < (1 << HASH_BITS); i++) head[i] = -1;
    uint32_t out = 0, pos = 0, literal_start = 0;
    while (pos < size) {
        uint32_t best_len = 0, best_dist = 0;
        if (pos + MIN_MATCH <= size) {
            uint32_t h = hash3(src + pos);
            int32_t candidate = head[h];
            uint32_t limit = size - pos < MAX_MATCH ? size - pos : MAX_MATCH;
            for (int steps = 0; candidate >= 0 && steps < MAX_CHAIN; steps++) {
                uint32_t dist = pos - (uint32_t)candidate;
                if (dist > WINDOW) break;
                uint32_t len = 0;
                while (len < limit && src[candidate + len] == src[pos + len]) len++;
                if (len > best_len) { best_len = len; best_dist = dist; if (len == limit) break; }
                candidate = chain[candidate];
            }
            chain[pos] = head[h];
            head[h] = (int32_t)pos;
        }
        if (best_len >= MIN_MATCH) {
            while (literal_start < pos) {
                uint32_t run = pos - literal_start > 128 ? 128 : pos - literal_start;
                dst[out++] = (uint8_t)(run - 1);
                for (uint32_t i = 0; i < run; i++) dst[out++] = src[literal_start + i];
                literal_start += run;
            }
            dst[out++] = (uint8_t)(128 + best_len - MIN_MATCH);
            dst[out++] = (uint8_t)best_dist;
            dst[out++] = (uint8_t)(best_dist >> 8);
            /* index the positions inside the match too */
            for (uint32_t i = 1; i < best_len && pos + i + MIN_MATCH <= size; i++) {
                uint32_t h = hash3(src + pos + i);
                chain[pos + i] = head[h];
                head[h] = (int32_t)(pos + i);
            }
            pos += best_len;
            literal_start = pos;
        } else {
            pos++;
        }
    }
    while (literal_start < size) {
        uint32_t run = size - literal_start > 128 ? 128 : size - literal_start;
        dst[out++] = (uint8_t)(run - 1);
        for (uint32_t i = 0; i < run; i++) dst[out++] = src[literal_start + i];
        literal_start += run;
    }
    return out;
}

static uint32_t decompress(const uint8_t *src, uint32_t size, uint8_t *dst, uint32_t capacity) {
    uint32_t in = 0, out = 0;
    while (in < size) {
        uint32_t token = src[in++];
        if (token < 128) {
            uint32_t run = token + 1;
            if (out + run > capacity || in + run > size) return 0;
            for (uint32_t i = 0; i < run; i++) dst[out++] = src[in++];
        } else {
            if (in + 2 > size) return 0;
            uint32_t len = token - 128 + MIN_MATCH;
            uint32_t dist = src[in] | (uint32_t)src[in + 1] << 8;
            in += 2;
            if (dist == 0 || dist > out || out + len > capacity) return 0;
            for (uint32_t i = 0; i < len; i++, out++) dst[out] = dst[out - dist];
        }
    }
    return out;
}

/* Sum over bytes of ceil(log2(total / count of that byte value)): the size in bits an ideal
   order-0 prefix code would give, rounded up per symbol. */
static uint64_t entropy_bits(const uint8_t *data, uint32_t size) {
    uint32_t counts[256] = {0};
    for (uint32_t i = 0; i < size; i++) counts[data[i]]++;
    uint64_t bits = 0;
    for (int s = 0; s < 256; s++) {
        if (!counts[s]) continue;
        uint32_t k = 0;
        while (((uint64_t)counts[s] << k) < size) k++;
        bits += (uint64_t)counts[s] * (k ? k : 1);
    }
    return bits;
}

int64_t run(int32_t n) {
    uint64_t checksum = 0;
    for (int32_t round = 0; round < n; round++) {
        generate(0x9E3779B9u + (uint32_t)round * 7919u);
        uint32_t size = compress(input, INPUT_SIZE, packed);
        if (decompress(packed, size, unpacked, INPUT_SIZE) != INPUT_SIZE) return -1;
        for (uint32_t i = 0; i < INPUT_SIZE; i++)
            if (unpacked[i] != input[i]) return -2;
        uint64_t bits = entropy_bits(packed, size);
        uint32_t fnv = 2166136261u;
        for (uint32_t i = 0; i < size; i++) fnv = (fnv ^ packed[i]) * 16777619u;
        checksum = checksum * 1099511628211u + ((uint64_t)size << 40) + (bits << 8) + fnv;
    }
    return (int64_t)checksum;
}
