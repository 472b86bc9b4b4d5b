/* toolkit: compress/decompress files, run scripts, or run a deterministic self-test that
   exercises both and prints checksums (the benchmark and the WASI test compare its output with
   the native build's).

   usage: toolkit compress IN OUT | decompress IN OUT | run SCRIPT | selftest [SCALE] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "toolkit.h"

static int read_file(const char *path, buffer_t *b) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    static uint8_t chunk[65536]; /* not on the stack: wasm-ld gives programs a 64 KiB stack */
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buffer_append(b, chunk, n);
    fclose(f);
    return 0;
}

static int write_file(const char *path, const buffer_t *b) {
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t n = fwrite(b->data, 1, b->len, f);
    fclose(f);
    return n == b->len ? 0 : -1;
}

/* Deterministic pseudo-text: words from a small vocabulary with a skewed distribution, so the
   compressor has both repeats and entropy to work on. */
static uint32_t rng_state = 12345;
static uint32_t rng(void) { rng_state ^= rng_state << 13; rng_state ^= rng_state >> 17; rng_state ^= rng_state << 5; return rng_state; }

static void make_text(buffer_t *b, size_t size) {
    static const char *words[] = {"the", "wasm", "runtime", "closure", "compiler", "node", "slot", "frame",
                                  "trap", "memory", "table", "global", "import", "export", "swift", "value",
                                  "stack", "branch", "loop", "block", "call", "return", "module", "instance"};
    while (b->len < size) {
        uint32_t r = rng();
        const char *w = words[(r % 24) * (r % 24) / 24];
        buffer_append(b, (const uint8_t *)w, strlen(w));
        buffer_push(b, (r >> 8) % 11 == 0 ? '\n' : ' ');
        if ((r >> 12) % 97 == 0) { char num[16]; int n = snprintf(num, sizeof num, "%u ", r % 100000); buffer_append(b, (const uint8_t *)num, (size_t)n); }
    }
    b->len = size;
}

static const char *script =
    "fn fib(n) { if (n < 2) { return n; } return fib(n - 1) + fib(n - 2); }\n"
    "fn primes(limit) {\n"
    "  let sieve = []; let i = 0;\n"
    "  while (i <= limit) { push(sieve, 1); i = i + 1; }\n"
    "  let count = 0; let p = 2;\n"
    "  while (p <= limit) {\n"
    "    if (sieve[p]) { count = count + 1; let m = p * p; while (m <= limit) { sieve[m] = 0; m = m + p; } }\n"
    "    p = p + 1;\n"
    "  }\n"
    "  return count;\n"
    "}\n"
    "fn insertion_sort(xs) {\n"
    "  let n = len(xs); let i = 1;\n"
    "  while (i < n) { let v = xs[i]; let j = i - 1;\n"
    "    while (j >= 0 and xs[j] > v) { xs[j + 1] = xs[j]; j = j - 1; }\n"
    "    xs[j + 1] = v; i = i + 1; }\n"
    "  return xs;\n"
    "}\n"
    "let scale = SCALE;\n"
    "print(\"fib\", 18 + scale, \"=\", fib(18 + scale));\n"
    "print(\"primes below\", 20000 * scale, \"=\", primes(20000 * scale));\n"
    "let xs = []; let k = 0; let seed = 7;\n"
    "while (k < 300 * scale) { seed = (seed * 1103515245 + 12345) % 2147483648; push(xs, seed % 1000); k = k + 1; }\n"
    "let sorted = insertion_sort(xs);\n"
    "print(\"sorted\", len(sorted), \"first\", sorted[0], \"last\", sorted[len(sorted) - 1], \"sum\", sum(sorted));\n"
    "let words = \"\"; let c = 0;\n"
    "while (c < 26) { words = words + chr(97 + c); c = c + 1; }\n"
    "print(\"alphabet\", words, len(words));\n";

static int selftest(int scale) {
    int failures = 0;
    for (int round = 0; round < scale; round++) {
        buffer_t text, packed, unpacked;
        buffer_init(&text); buffer_init(&packed); buffer_init(&unpacked);
        make_text(&text, 300000 + 50000 * (size_t)round);
        tk_compress(text.data, text.len, &packed);
        int r = tk_decompress(packed.data, packed.len, &unpacked);
        int same = r == 0 && unpacked.len == text.len && memcmp(unpacked.data, text.data, text.len) == 0;
        printf("round %d: %zu -> %zu bytes (%.1f%%), crc %08x, round trip %s\n", round, text.len, packed.len,
               100.0 * (double)packed.len / (double)text.len, crc32(0, packed.data, packed.len), same ? "ok" : "FAILED");
        failures += !same;
        /* A corrupted stream must be rejected, not crash. */
        packed.data[packed.len / 2] ^= 0x5A;
        buffer_t junk;
        buffer_init(&junk);
        printf("corrupted stream rejected: %s\n", tk_decompress(packed.data, packed.len, &junk) != 0 ? "yes" : "NO");
        buffer_free(&junk); buffer_free(&text); buffer_free(&packed); buffer_free(&unpacked);
    }
    char source[4096];
    const char *mark = strstr(script, "SCALE");
    snprintf(source, sizeof source, "%.*s%d%s", (int)(mark - script), script, scale, mark + 5);
    buffer_t out;
    buffer_init(&out);
    script_run(source, &out);
    fwrite(out.data, 1, out.len, stdout);
    printf("script output crc %08x\n", crc32(0, out.data, out.len));
    buffer_free(&out);
    return failures ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "selftest")) return selftest(argc > 2 ? atoi(argv[2]) : 1);
    if (argc == 4 && (!strcmp(argv[1], "compress") || !strcmp(argv[1], "decompress"))) {
        buffer_t in, out;
        buffer_init(&in);
        buffer_init(&out);
        if (read_file(argv[2], &in)) { fprintf(stderr, "cannot read %s\n", argv[2]); return 1; }
        int r = argv[1][0] == 'c' ? tk_compress(in.data, in.len, &out) : tk_decompress(in.data, in.len, &out);
        if (r) { fprintf(stderr, "%s failed (%d)\n", argv[1], r); return 1; }
        if (write_file(argv[3], &out)) { fprintf(stderr, "cannot write %s\n", argv[3]); return 1; }
        printf("%s: %zu -> %zu bytes\n", argv[1], in.len, out.len);
        return 0;
    }
    if (argc == 3 && !strcmp(argv[1], "run")) {
        buffer_t src, out;
        buffer_init(&src);
        buffer_init(&out);
        if (read_file(argv[2], &src)) { fprintf(stderr, "cannot read %s\n", argv[2]); return 1; }
        buffer_push(&src, 0);
        script_run((const char *)src.data, &out);
        fwrite(out.data, 1, out.len, stdout);
        return 0;
    }
    fprintf(stderr, "usage: toolkit compress IN OUT | decompress IN OUT | run SCRIPT | selftest [SCALE]\n");
    return 2;
}
