/* LZ77 with a hash-chain match finder, then canonical Huffman coding of literals/lengths and
   of distances, per block of up to 64 KiB of input. Format:
     "TKZ1" | u32 original length | u32 CRC-32 | blocks...
   block: u8 last | u16 literal/length code lengths (286 x 4 bits, packed) | 30 x 4-bit
   distance code lengths | bit stream of symbols, ending with symbol 256. Lengths 3..258 and
   distances 1..32768 use deflate's base/extra-bits tables. */
#include <stdlib.h>
#include <string.h>
#include "toolkit.h"

#define WINDOW 32768
#define MIN_MATCH 3
#define MAX_MATCH 258
#define HASH_BITS 15
#define CHAIN_LIMIT 64
#define BLOCK 65536
#define NLIT 286
#define NDIST 30
#define MAX_BITS 15

static const uint16_t len_base[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                      35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                      3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
                                       257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
                                       7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

/* ---- bit I/O ---- */
typedef struct { buffer_t *out; uint32_t acc; int bits; } bitwriter_t;

static void put_bits(bitwriter_t *w, uint32_t value, int n) {
    w->acc |= value << w->bits;
    w->bits += n;
    while (w->bits >= 8) {
        buffer_push(w->out, (uint8_t)w->acc);
        w->acc >>= 8;
        w->bits -= 8;
    }
}

static void flush_bits(bitwriter_t *w) {
    if (w->bits > 0) buffer_push(w->out, (uint8_t)w->acc);
    w->acc = 0;
    w->bits = 0;
}

typedef struct { const uint8_t *in; size_t len, pos; uint32_t acc; int bits; } bitreader_t;

static int get_bits(bitreader_t *r, int n, uint32_t *value) {
    while (r->bits < n) {
        if (r->pos >= r->len) return -1;
        r->acc |= (uint32_t)r->in[r->pos++] << r->bits;
        r->bits += 8;
    }
    *value = r->acc & ((1u << n) - 1);
    r->acc >>= n;
    r->bits -= n;
    return 0;
}

/* ---- Huffman code construction ---- */
typedef struct { uint32_t freq; int symbol, left, right; } node_t;

/* Code lengths for `n` symbols from their frequencies, limited to MAX_BITS. */
static void build_lengths(const uint32_t *freq, int n, uint8_t *lengths) {
    node_t nodes[2 * NLIT];
    int heap[2 * NLIT], size = 0, count = 0;
    memset(lengths, 0, (size_t)n);
    for (int i = 0; i < n; i++) {
        if (freq[i]) { nodes[count] = (node_t){freq[i], i, -1, -1}; heap[size++] = count++; }
    }
    if (count == 0) return;
    if (count == 1) { lengths[nodes[0].symbol] = 1; return; }
    /* A simple O(n^2) merge: n is at most 286. */
    while (size > 1) {
        int a = 0, b = 1;
        if (nodes[heap[b]].freq < nodes[heap[a]].freq) { a = 1; b = 0; }
        for (int i = 2; i < size; i++) {
            if (nodes[heap[i]].freq < nodes[heap[a]].freq) { b = a; a = i; }
            else if (nodes[heap[i]].freq < nodes[heap[b]].freq) b = i;
        }
        nodes[count] = (node_t){nodes[heap[a]].freq + nodes[heap[b]].freq, -1, heap[a], heap[b]};
        int hi = a > b ? a : b, lo = a > b ? b : a;
        heap[hi] = heap[--size];
        heap[lo] = count++;
    }
    /* Depths by walking the tree. */
    int stack[2 * NLIT], depth[2 * NLIT], sp = 0;
    stack[sp] = heap[0]; depth[sp++] = 0;
    while (sp) {
        sp--;
        int node = stack[sp], d = depth[sp];
        if (nodes[node].symbol >= 0) { lengths[nodes[node].symbol] = (uint8_t)(d > MAX_BITS ? MAX_BITS : d); continue; }
        stack[sp] = nodes[node].left; depth[sp++] = d + 1;
        stack[sp] = nodes[node].right; depth[sp++] = d + 1;
    }
    /* Clamping may oversubscribe the code: lengthen the shortest codes until Kraft holds. */
    for (;;) {
        uint32_t kraft = 0;
        for (int i = 0; i < n; i++) if (lengths[i]) kraft += 1u << (MAX_BITS - lengths[i]);
        if (kraft <= (1u << MAX_BITS)) break;
        int best = -1;
        for (int i = 0; i < n; i++)
            if (lengths[i] && lengths[i] < MAX_BITS && (best < 0 || lengths[i] > lengths[best])) best = i;
        lengths[best]++;
    }
}

/* Canonical codes from lengths (bit-reversed for LSB-first output). */
static void build_codes(const uint8_t *lengths, int n, uint16_t *codes) {
    uint16_t count[MAX_BITS + 1] = {0}, next[MAX_BITS + 1];
    for (int i = 0; i < n; i++) count[lengths[i]]++;
    count[0] = 0;
    uint16_t code = 0;
    for (int b = 1; b <= MAX_BITS; b++) { code = (uint16_t)((code + count[b - 1]) << 1); next[b] = code; }
    for (int i = 0; i < n; i++) {
        int len = lengths[i];
        if (!len) { codes[i] = 0; continue; }
        uint16_t c = next[len]++, r = 0;
        for (int k = 0; k < len; k++) { r = (uint16_t)((r << 1) | (c & 1)); c >>= 1; }
        codes[i] = r;
    }
}

/* Decoding table: for each length, the first code and the symbols in canonical order. */
typedef struct { uint16_t count[MAX_BITS + 1]; uint16_t symbols[NLIT]; } decoder_t;

static int build_decoder(const uint8_t *lengths, int n, decoder_t *d) {
    uint16_t offs[MAX_BITS + 2];
    memset(d->count, 0, sizeof d->count);
    for (int i = 0; i < n; i++) d->count[lengths[i]]++;
    d->count[0] = 0;
    offs[1] = 0;
    for (int b = 1; b <= MAX_BITS; b++) offs[b + 1] = (uint16_t)(offs[b] + d->count[b]);
    for (int i = 0; i < n; i++) if (lengths[i]) d->symbols[offs[lengths[i]]++] = (uint16_t)i;
    return 0;
}

static int decode_symbol(bitreader_t *r, const decoder_t *d) {
    int code = 0, first = 0, index = 0;
    for (int len = 1; len <= MAX_BITS; len++) {
        uint32_t bit;
        if (get_bits(r, 1, &bit)) return -1;
        code |= (int)bit;
        int count = d->count[len];
        if (code - count < first) return d->symbols[index + (code - first)];
        index += count;
        first = (first + count) << 1;
        code <<= 1;
    }
    return -1;
}

/* ---- LZ77 ---- */
typedef struct { uint16_t litlen; uint16_t dist; } token_t; /* dist 0: literal */

static size_t find_tokens(const uint8_t *in, size_t start, size_t end, int32_t *head, int32_t *prev, token_t *tokens) {
    size_t n = 0, i = start;
    while (i < end) {
        int best_len = 0, best_dist = 0;
        if (i + MIN_MATCH <= end) {
            uint32_t h = ((uint32_t)in[i] << 10 ^ (uint32_t)in[i + 1] << 5 ^ in[i + 2]) & ((1u << HASH_BITS) - 1);
            int32_t cand = head[h];
            int chain = CHAIN_LIMIT;
            size_t max = end - i < MAX_MATCH ? end - i : MAX_MATCH;
            while (cand >= 0 && i - (size_t)cand <= WINDOW && chain--) {
                if (in[cand + best_len] == in[i + best_len]) {
                    size_t l = 0;
                    while (l < max && in[cand + l] == in[i + l]) l++;
                    if ((int)l > best_len) { best_len = (int)l; best_dist = (int)(i - (size_t)cand); if (l == max) break; }
                }
                cand = prev[cand & (WINDOW - 1)];
            }
            prev[i & (WINDOW - 1)] = head[h];
            head[h] = (int32_t)i;
        }
        if (best_len >= MIN_MATCH) {
            tokens[n++] = (token_t){(uint16_t)best_len, (uint16_t)best_dist};
            /* Insert the skipped positions into the hash chains too. */
            for (size_t k = i + 1; k < i + (size_t)best_len && k + MIN_MATCH <= end; k++) {
                uint32_t h = ((uint32_t)in[k] << 10 ^ (uint32_t)in[k + 1] << 5 ^ in[k + 2]) & ((1u << HASH_BITS) - 1);
                prev[k & (WINDOW - 1)] = head[h];
                head[h] = (int32_t)k;
            }
            i += (size_t)best_len;
        } else {
            tokens[n++] = (token_t){in[i], 0};
            i++;
        }
    }
    return n;
}

static int len_symbol(int len) { int s = 0; while (s < 28 && len_base[s + 1] <= len) s++; return s; }
static int dist_symbol(int dist) { int s = 0; while (s < 29 && dist_base[s + 1] <= dist) s++; return s; }

static void put_u32(buffer_t *b, uint32_t v) { for (int i = 0; i < 4; i++) buffer_push(b, (uint8_t)(v >> (8 * i))); }
static uint32_t get_u32(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

int tk_compress(const uint8_t *in, size_t len, buffer_t *out) {
    int32_t *head = malloc(sizeof(int32_t) << HASH_BITS), *prev = malloc(sizeof(int32_t) * WINDOW);
    token_t *tokens = malloc(sizeof(token_t) * BLOCK);
    if (!head || !prev || !tokens) return -1;
    for (int i = 0; i < (1 << HASH_BITS); i++) head[i] = -1;
    for (int i = 0; i < WINDOW; i++) prev[i] = -1;
    buffer_append(out, (const uint8_t *)"TKZ1", 4);
    put_u32(out, (uint32_t)len);
    put_u32(out, crc32(0, in, len));
    size_t pos = 0;
    do {
        size_t end = len - pos > BLOCK ? pos + BLOCK : len;
        size_t n = find_tokens(in, pos, end, head, prev, tokens);
        uint32_t lit_freq[NLIT] = {0}, dist_freq[NDIST] = {0};
        for (size_t t = 0; t < n; t++) {
            if (tokens[t].dist == 0) lit_freq[tokens[t].litlen]++;
            else { lit_freq[257 + len_symbol(tokens[t].litlen)]++; dist_freq[dist_symbol(tokens[t].dist)]++; }
        }
        lit_freq[256] = 1;
        uint8_t lit_len[NLIT], dist_len[NDIST];
        uint16_t lit_code[NLIT], dist_code[NDIST];
        build_lengths(lit_freq, NLIT, lit_len);
        build_lengths(dist_freq, NDIST, dist_len);
        build_codes(lit_len, NLIT, lit_code);
        build_codes(dist_len, NDIST, dist_code);
        bitwriter_t w = {out, 0, 0};
        put_bits(&w, end == len, 8);
        for (int i = 0; i < NLIT; i++) put_bits(&w, lit_len[i], 4);
        for (int i = 0; i < NDIST; i++) put_bits(&w, dist_len[i], 4);
        for (size_t t = 0; t < n; t++) {
            if (tokens[t].dist == 0) { put_bits(&w, lit_code[tokens[t].litlen], lit_len[tokens[t].litlen]); continue; }
            int ls = len_symbol(tokens[t].litlen), ds = dist_symbol(tokens[t].dist);
            put_bits(&w, lit_code[257 + ls], lit_len[257 + ls]);
            put_bits(&w, (uint32_t)(tokens[t].litlen - len_base[ls]), len_extra[ls]);
            put_bits(&w, dist_code[ds], dist_len[ds]);
            put_bits(&w, (uint32_t)(tokens[t].dist - dist_base[ds]), dist_extra[ds]);
        }
        put_bits(&w, lit_code[256], lit_len[256]);
        flush_bits(&w);
        pos = end;
    } while (pos < len);
    free(head);
    free(prev);
    free(tokens);
    return 0;
}

int tk_decompress(const uint8_t *in, size_t len, buffer_t *out) {
    if (len < 12 || memcmp(in, "TKZ1", 4) != 0) return -1;
    uint32_t total = get_u32(in + 4), crc = get_u32(in + 8);
    bitreader_t r = {in, len, 12, 0, 0};
    size_t start = out->len;
    for (;;) {
        uint32_t last, v;
        uint8_t lit_len[NLIT], dist_len[NDIST];
        if (get_bits(&r, 8, &last)) return -2;
        for (int i = 0; i < NLIT; i++) { if (get_bits(&r, 4, &v)) return -2; lit_len[i] = (uint8_t)v; }
        for (int i = 0; i < NDIST; i++) { if (get_bits(&r, 4, &v)) return -2; dist_len[i] = (uint8_t)v; }
        decoder_t lit, dist;
        build_decoder(lit_len, NLIT, &lit);
        build_decoder(dist_len, NDIST, &dist);
        for (;;) {
            int s = decode_symbol(&r, &lit);
            if (s < 0) return -3;
            if (s < 256) { buffer_push(out, (uint8_t)s); continue; }
            if (s == 256) break;
            s -= 257;
            if (s >= 29) return -4;
            uint32_t extra;
            if (get_bits(&r, len_extra[s], &extra)) return -2;
            int length = len_base[s] + (int)extra;
            int ds = decode_symbol(&r, &dist);
            if (ds < 0 || ds >= 30) return -5;
            if (get_bits(&r, dist_extra[ds], &extra)) return -2;
            size_t d = dist_base[ds] + extra;
            if (d > out->len - start) return -6;
            for (int k = 0; k < length; k++) buffer_push(out, out->data[out->len - d]);
        }
        r.acc = 0;
        r.bits = 0; /* blocks start on a byte boundary */
        if (last) break;
    }
    if (out->len - start != total || crc32(0, out->data + start, total) != crc) return -7;
    return 0;
}
