/* The self-test: deterministic work for every component, printing results, checksums and
   hashes rather than bulk output. Its whole output must be identical natively and under any
   WebAssembly runtime; the WASI test and the benchmarks compare it byte for byte. SCALE grows
   the compression rounds and the sizes of the other inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "toolkit.h"

/* xorshift32: deterministic pseudo-random numbers */
static uint32_t rng_state;
static uint32_t rng(void) { rng_state ^= rng_state << 13; rng_state ^= rng_state >> 17; rng_state ^= rng_state << 5; return rng_state; }

static const char *words[] = {"the", "wasm", "runtime", "closure", "compiler", "node", "slot", "frame",
                              "trap", "memory", "table", "global", "import", "export", "swift", "value",
                              "stack", "branch", "loop", "block", "call", "return", "module", "instance"};
#define NWORDS 24

/* Pseudo-text: words from a small vocabulary with a skewed distribution, so the compressor has
   both repeats and entropy to work on, with the odd number. */
static void make_text(buffer_t *b, size_t size, uint32_t seed) {
    rng_state = seed;
    while (b->len < size) {
        uint32_t r = rng();
        const char *w = words[(r % NWORDS) * (r % NWORDS) / NWORDS];
        buffer_puts(b, w);
        buffer_push(b, (r >> 8) % 11 == 0 ? '\n' : ' ');
        if ((r >> 12) % 97 == 0) buffer_printf(b, "%u ", (unsigned)(r % 100000));
    }
    b->len = size;
}

static void print_report(buffer_t *report) {
    tk_write_stdout(report);
    report->len = 0;
}

static const char *short_hash(const void *data, size_t len) {
    static char hex[65];
    sha256_hex(data, len, hex);
    hex[16] = 0;
    return hex;
}

/* ---- compression ---- */
static int test_compression(int scale) {
    int failures = 0;
    for (int round = 0; round < scale; round++) {
        buffer_t text, packed, unpacked, junk;
        buffer_init(&text); buffer_init(&packed); buffer_init(&unpacked); buffer_init(&junk);
        make_text(&text, 150000 + 50000 * (size_t)round, 12345 + (uint32_t)round);
        tk_compress(text.data, text.len, &packed);
        int r = tk_decompress(packed.data, packed.len, &unpacked);
        int same = r == 0 && unpacked.len == text.len && memcmp(unpacked.data, text.data, text.len) == 0;
        printf("round %d: %zu -> %zu bytes (%.1f%%), crc %08x, round trip %s\n", round, text.len, packed.len,
               100.0 * (double)packed.len / (double)text.len, crc32(0, packed.data, packed.len), same ? "ok" : "FAILED");
        failures += !same;
        /* A corrupted stream must be rejected, not crash. */
        packed.data[packed.len / 2] ^= 0x5A;
        printf("corrupted stream rejected: %s\n", tk_decompress(packed.data, packed.len, &junk) != 0 ? "yes" : "NO");
        buffer_free(&junk); buffer_free(&text); buffer_free(&packed); buffer_free(&unpacked);
    }
    return failures;
}

/* ---- SHA-256 ---- */
static int test_sha256(int scale) {
    buffer_t report, text;
    buffer_init(&report);
    buffer_init(&text);
    int failures = sha256_selftest(&report);
    make_text(&text, 50000 * (size_t)scale, 777);
    char hex[65];
    sha256_hex(text.data, text.len, hex);
    buffer_printf(&report, "sha256 of %zu bytes of text: %s\n", text.len, hex);
    print_report(&report);
    buffer_free(&report);
    buffer_free(&text);
    return failures;
}

/* ---- big integers ---- */
static void random_big(bigint_t *a, int limbs) {
    buffer_t digits;
    buffer_init(&digits);
    if (rng() % 3 == 0) buffer_push(&digits, '-');
    buffer_printf(&digits, "%u", (unsigned)(rng() % 999999999 + 1));
    for (int i = 1; i < limbs; i++) buffer_printf(&digits, "%09u", (unsigned)(rng() % 1000000000));
    big_set_str(a, buffer_cstr(&digits));
    buffer_free(&digits);
}

static int test_bigint(int scale) {
    int failures = 0;
    bigint_t a, b, q, r, t;
    big_init(&a); big_init(&b); big_init(&q); big_init(&r); big_init(&t);
    uint32_t fact_n = 200 + 100 * (uint32_t)scale, fib_n = 1000 * (uint32_t)scale;
    big_factorial(&a, fact_n);
    char *s = big_to_str(&a);
    printf("%u! has %zu digits, starts %.12s, sha256 %s\n", (unsigned)fact_n, strlen(s), s, short_hash(s, strlen(s)));
    /* n! / (n-1)! == n */
    big_factorial(&b, fact_n - 1);
    big_divmod(&q, &r, &a, &b);
    big_set_i64(&t, fact_n);
    if (big_cmp(&q, &t) || !big_is_zero(&r)) { failures++; printf("factorial quotient FAILED\n"); }
    free(s);
    big_fibonacci(&a, fib_n);
    s = big_to_str(&a);
    printf("fib(%u) has %zu digits, starts %.12s, sha256 %s\n", (unsigned)fib_n, strlen(s), s, short_hash(s, strlen(s)));
    free(s);
    /* 2^521 - 1 is a Mersenne prime: 3^(p-1) mod p must be 1 (Fermat), by square-and-multiply. */
    bigint_t p, base, result;
    big_init(&p); big_init(&base); big_init(&result);
    big_set_i64(&t, 2);
    big_pow(&p, &t, 521);
    big_set_i64(&t, 1);
    big_sub(&p, &p, &t);
    big_sub(&b, &p, &t); /* exponent p - 1, consumed bit by bit by halving */
    big_set_i64(&base, 3);
    big_set_i64(&result, 1);
    big_set_i64(&t, 2);
    while (!big_is_zero(&b)) {
        big_divmod(&b, &r, &b, &t);
        if (!big_is_zero(&r)) { big_mul(&result, &result, &base); big_divmod(NULL, &result, &result, &p); }
        big_mul(&base, &base, &base);
        big_divmod(NULL, &base, &base, &p);
    }
    s = big_to_str(&result);
    printf("3^(M521-1) mod M521 = %s\n", s);
    failures += strcmp(s, "1") != 0;
    free(s);
    big_free(&p); big_free(&base); big_free(&result);
    /* Division identities on random operands: a == q*b + r, |r| < |b|, r has a's sign. */
    rng_state = 4242;
    int checks = 150 * scale, bad = 0;
    sha256_t h;
    sha256_init(&h);
    for (int i = 0; i < checks; i++) {
        random_big(&a, 1 + (int)(rng() % 40));
        random_big(&b, 1 + (int)(rng() % 20));
        big_divmod(&q, &r, &a, &b);
        big_mul(&t, &q, &b);
        big_add(&t, &t, &r);
        bigint_t absr = r, absb = b;
        absr.neg = absb.neg = 0;
        if (big_cmp(&t, &a) || big_cmp(&absr, &absb) >= 0 || (!big_is_zero(&r) && r.neg != a.neg)) bad++;
        /* (a * b) / b == a */
        big_mul(&t, &a, &b);
        big_divmod(&t, NULL, &t, &b);
        if (big_cmp(&t, &a)) bad++;
        s = big_to_str(&q);
        sha256_update(&h, s, strlen(s));
        free(s);
    }
    uint8_t digest[32];
    sha256_final(&h, digest);
    printf("divmod identities: %d operand pairs, %d failed, quotients hash %02x%02x%02x%02x%02x%02x%02x%02x\n", checks, bad,
           digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7]);
    failures += bad;
    big_free(&a); big_free(&b); big_free(&q); big_free(&r); big_free(&t);
    return failures;
}

/* ---- regular expressions ---- */
static const struct { const char *pattern, *text; int start, end; } regex_cases[] = {
    {"abc", "xxabcxx", 2, 5}, {"a.c", "abc", 0, 3}, {"a.c", "a\nc", -1, -1}, {"^abc", "abcabc", 0, 3},
    {"abc$", "abcabc", 3, 6}, {"a*", "bbb", 0, 0}, {"a+", "baaab", 1, 4}, {"ba?c", "bcbac", 0, 2},
    {"colou?r", "my colour", 3, 9}, {"(ab)+", "xababab", 1, 7}, {"a|b|c", "zzc", 2, 3},
    {"(cat|dog)s?", "hotdogs", 3, 7}, {"[0-9]+", "abc123def", 3, 6}, {"[^a-z]+", "abcDEF12ghi", 3, 8},
    {"\\d{3}-\\d{4}", "call 555-1234 now", 5, 13}, {"\\w+@\\w+\\.com", "mail bob@example.com!", 5, 20},
    {"\\s+", "a \t b", 1, 4}, {"a{2,3}", "aaaa", 0, 3}, {"a{2,}", "caaaaa", 1, 6}, {"a{3}", "aa", -1, -1},
    {"x*?y", "xxxy", 0, 4}, {"<.+>", "<a><b>", 0, 6}, {"<.+?>", "<a><b>", 0, 3},
    {"(a|ab)(c|bcd)(d*)", "abcd", 0, 4}, {"[a-c-]+", "x-ab-c-y", 1, 7}, {"[\\]]", "a]b", 1, 2},
    {"\\.", "a.b", 1, 2}, {"(x+x+)+y", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxy", 0, 31},
    {"(x+x+)+y", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", -1, -1}, {"^$", "", 0, 0}, {"^", "abc", 0, 0},
    {"$", "abc", 3, 3}, {"b*", "abbb", 0, 0}, {"[[:]", "a:b", 1, 2}, {"(a*)*b", "aaab", 0, 4},
    {"(a*)+$", "aaa", 0, 3}, {"\\W+", "ab, cd", 2, 4}, {"\\D+", "12ab34", 2, 4}, {"\\S+", "  xyz  ", 2, 5},
    {"h.*o", "hello world foo", 0, 15}, {"^b", "a\nb", 2, 3}, {"a$", "a\nb", 0, 1},
};

static const char *bad_patterns[] = {"(ab", "ab)", "[ab", "*a", "a{3,2}", "a\\", "a**{", "^*", "[z-a]"};

static int test_regex(int scale) {
    int failures = 0, ok = 0, n = (int)(sizeof regex_cases / sizeof regex_cases[0]);
    char err[128];
    for (int i = 0; i < n; i++) {
        tk_regex_t *re = regex_compile(regex_cases[i].pattern, 0, err, sizeof err);
        size_t s = 0, e = 0;
        int hit = re && regex_search(re, regex_cases[i].text, strlen(regex_cases[i].text), 0, &s, &e);
        int good = re && (hit ? (int)s == regex_cases[i].start && (int)e == regex_cases[i].end : regex_cases[i].start < 0);
        if (!good) printf("regex /%s/ on \"%s\": FAILED (got %d %d..%d)\n", regex_cases[i].pattern, regex_cases[i].text, hit, (int)s, (int)e);
        ok += good;
        failures += !good;
        regex_free(re);
    }
    printf("regex cases: %d of %d ok\n", ok, n);
    for (size_t i = 0; i < sizeof bad_patterns / sizeof bad_patterns[0]; i++) {
        tk_regex_t *re = regex_compile(bad_patterns[i], 0, err, sizeof err);
        printf("bad pattern /%s/: %s\n", bad_patterns[i], re ? "ACCEPTED" : err);
        failures += re != NULL;
        regex_free(re);
    }
    /* grep over generated text */
    static const char *greps[] = {"^the ", "wasm|swift", "[0-9]{3,}", "(loop|block) (call|return)", "e$",
                                  "nope", "m[aeiou]+d?ule", "^(\\w+ ){3}\\w+$"};
    buffer_t text, out;
    buffer_init(&text);
    buffer_init(&out);
    make_text(&text, 40000 * (size_t)scale, 99);
    for (size_t i = 0; i < sizeof greps / sizeof greps[0]; i++) {
        tk_regex_t *re = regex_compile(greps[i], 0, err, sizeof err);
        if (!re) { printf("grep /%s/: %s\n", greps[i], err); failures++; continue; }
        out.len = 0;
        int lines = text_grep(re, text.data, text.len, 0, NULL, &out);
        printf("grep /%s/: %d lines, %zu bytes, sha256 %s\n", greps[i], lines, out.len, short_hash(out.data, out.len));
        regex_free(re);
    }
    tk_regex_t *re = regex_compile("RUNTIME|Stack", 1, err, sizeof err);
    out.len = 0;
    text_grep(re, text.data, text.len, GREP_ONLY, NULL, &out);
    printf("grep -io /RUNTIME|Stack/: %zu bytes, sha256 %s\n", out.len, short_hash(out.data, out.len));
    regex_free(re);
    buffer_free(&text);
    buffer_free(&out);
    return failures;
}

/* ---- JSON ---- */
static void make_json(buffer_t *b, int records) {
    rng_state = 2024;
    buffer_printf(b, "{\"title\": \"toolkit self-test\", \"records\": %d, \"items\": [\n", records);
    for (int i = 0; i < records; i++) {
        uint32_t r = rng();
        buffer_printf(b, "  {\"id\": %d, \"name\": \"%s-%s\", \"score\": %d.%02u, \"ratio\": %.3e, \"active\": %s,\n",
                      i, words[r % NWORDS], words[(r >> 8) % NWORDS], (int)(r % 1000) - 500, (unsigned)(r >> 16) % 100,
                      (double)(r % 77777) / 9.0, (r >> 5) & 1 ? "true" : "false");
        buffer_puts(b, "   \"tags\": [");
        for (uint32_t t = 0; t < (r >> 20) % 5; t++) buffer_printf(b, "%s\"%s\"", t ? ", " : "", words[(r >> t) % NWORDS]);
        buffer_printf(b, "], \"parent\": %s, \"note\": \"line\\nbreak \\\"quoted\\\" caf\\u00e9 \\ud83d\\ude00 \\\\ %u\",\n",
                      i ? "{\"id\": 0}" : "null", (unsigned)r % 10);
        buffer_printf(b, "   \"matrix\": [[%d, %d], [%d], []], \"empty\": {}}%s\n", i, -i, i * i, i + 1 < records ? "," : "");
    }
    buffer_puts(b, "]}\n");
}

static const char *bad_json[] = {
    "", "{", "[1, 2", "[1,]", "{\"a\" 1}", "{\"a\": 1,}", "{1: 2}", "tru", "nul", "01", "1.", "-", "1e+",
    "\"abc", "\"a\\x\"", "\"\\ud800\"", "\"\\udc00x\"", "\"tab\there\"", "[1] 2", "\"\xff\"", "\"\xc0\xaf\"",
    "{\"a\": [1, {\"b\": }]}", "\n\n  [true, false, nil]",
};

static int test_json(int scale) {
    int failures = 0;
    buffer_t doc, pretty, compact, again;
    buffer_init(&doc); buffer_init(&pretty); buffer_init(&compact); buffer_init(&again);
    make_json(&doc, 250 * scale);
    char err[160];
    json_t *v = json_parse((const char *)doc.data, doc.len, err, sizeof err);
    if (!v) { printf("json parse FAILED: %s\n", err); return 1; }
    json_write(v, &pretty, 2);
    json_write(v, &compact, 0);
    printf("json: %zu bytes in, pretty %zu bytes (sha256 %s), compact %zu bytes", doc.len, pretty.len,
           short_hash(pretty.data, pretty.len), compact.len);
    printf(" (sha256 %s)\n", short_hash(compact.data, compact.len));
    json_t *w = json_parse((const char *)pretty.data, pretty.len, err, sizeof err);
    json_t *x = json_parse((const char *)compact.data, compact.len, err, sizeof err);
    int same = w && x && json_equal(v, w) && json_equal(v, x);
    if (x) json_write(x, &again, 2);
    same = same && again.len == pretty.len && memcmp(again.data, pretty.data, pretty.len) == 0;
    printf("json round trips (pretty, compact, re-printed): %s\n", same ? "equal" : "DIFFERENT");
    failures += !same;
    static const char *queries[] = {".title", ".items[17].name", ".items[-1].matrix[0][1]", ".items[3].note",
                                    ".items[5][\"tags\"]", ".items[2].parent.id", ".items[0].parent", ".items[1].ratio",
                                    ".items[99999]", ".nope", ".items[1].name.first"};
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        const json_t *r = json_query(v, queries[i], err, sizeof err);
        buffer_t out;
        buffer_init(&out);
        if (r) json_write(r, &out, 0);
        printf("query %s = %s\n", queries[i], r ? buffer_cstr(&out) : err);
        buffer_free(&out);
    }
    /* Sum the scores, to exercise the parsed numbers. */
    const json_t *items = json_get(v, "items");
    double total = 0;
    int active = 0;
    for (int i = 0; items && i < items->count; i++) {
        total += json_get(items->items[i], "score")->num;
        active += json_get(items->items[i], "active")->boolean;
    }
    printf("score total %.2f, %d active\n", total, active);
    for (size_t i = 0; i < sizeof bad_json / sizeof bad_json[0]; i++) {
        json_t *bad = json_parse(bad_json[i], strlen(bad_json[i]), err, sizeof err);
        printf("bad json %zu: %s\n", i, bad ? "ACCEPTED" : err);
        failures += bad != NULL;
        json_free(bad);
    }
    json_free(v); json_free(w); json_free(x);
    buffer_free(&doc); buffer_free(&pretty); buffer_free(&compact); buffer_free(&again);
    return failures;
}

/* ---- text tools ---- */
static int test_text(int scale) {
    buffer_t text, out;
    buffer_init(&text);
    buffer_init(&out);
    make_text(&text, 50000 * (size_t)scale, 31337);
    wc_t w = text_wc(text.data, text.len);
    printf("wc: %llu lines, %llu words, %llu bytes\n", (unsigned long long)w.lines, (unsigned long long)w.words,
           (unsigned long long)w.bytes);
    static const struct { int flags; const char *name; } sorts[] = {
        {0, "sort"}, {SORT_REVERSE, "sort -r"}, {SORT_UNIQUE, "sort -u"}, {SORT_NUMERIC, "sort -n"},
        {SORT_NUMERIC | SORT_REVERSE, "sort -nr"}, {SORT_FOLD | SORT_UNIQUE, "sort -fu"}};
    for (size_t i = 0; i < sizeof sorts / sizeof sorts[0]; i++) {
        out.len = 0;
        text_sort(text.data, text.len, sorts[i].flags, &out);
        size_t first = (size_t)((const uint8_t *)memchr(out.data, '\n', out.len) - out.data);
        printf("%s: %llu lines out, sha256 %s, first \"%.*s\"\n", sorts[i].name,
               (unsigned long long)text_wc(out.data, out.len).lines, short_hash(out.data, out.len),
               (int)(first < 30 ? first : 30), (const char *)out.data);
    }
    /* One word per line, sorted, counted: uniq -c | sort -nr, the classic pipeline. */
    buffer_t per_line, sorted, counted, ranked;
    buffer_init(&per_line); buffer_init(&sorted); buffer_init(&counted); buffer_init(&ranked);
    for (size_t i = 0; i < text.len; i++) buffer_push(&per_line, text.data[i] == ' ' ? '\n' : text.data[i]);
    text_sort(per_line.data, per_line.len, 0, &sorted);
    text_uniq(sorted.data, sorted.len, 1, &counted);
    text_sort(counted.data, counted.len, SORT_NUMERIC | SORT_REVERSE, &ranked);
    printf("uniq -c | sort -nr: %llu distinct, top:", (unsigned long long)text_wc(ranked.data, ranked.len).lines);
    const char *line = (const char *)buffer_cstr(&ranked);
    for (int i = 0; i < 3 && *line; i++) {
        size_t len = strcspn(line, "\n");
        while (*line == ' ') { line++; len--; }
        printf(" [%.*s]", (int)len, line);
        line += len + (line[len] == '\n');
    }
    printf("\n");
    out.len = 0;
    text_freq(text.data, text.len, 5, &out);
    tk_write_stdout(&out);
    buffer_free(&per_line); buffer_free(&sorted); buffer_free(&counted); buffer_free(&ranked);
    buffer_free(&text);
    buffer_free(&out);
    return 0;
}

/* ---- the scripting language ---- */
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
    "fn factorial(n) { let f = big(1); for (i in n) { f = f * (i + 1); } return f; }\n"
    "fn collatz(n) { let steps = 0; while (n != 1) { if (n % 2 == 0) { n = n / 2; } else { n = 3 * n + 1; } steps = steps + 1; } return steps; }\n"
    "let scale = SCALE;\n"
    "print(\"fib\", 18 + scale, \"=\", fib(18 + scale));\n"
    "print(\"primes below\", 2000 * scale, \"=\", primes(2000 * scale));\n"
    "let xs = []; let seed = 7;\n"
    "for (k in 100 * scale) { seed = (seed * 1103515245 + 12345) % 2147483648; push(xs, seed % 1000); }\n"
    "let sorted = insertion_sort(xs);\n"
    "print(\"sorted\", len(sorted), \"first\", sorted[0], \"last\", sorted[-1], \"sum\", sum(sorted), \"same as sort():\", str(sort(xs)) == str(sorted));\n"
    "let words = \"\"; for (c in 26) { words = words + chr(97 + c); }\n"
    "print(\"alphabet\", upper(words), len(words), find(words, \"xyz\"), substr(words, 20, 3));\n"
    "let counts = {}; let text = \"the wasm runtime runs the wasm module and the module runs\";\n"
    "for (w in split(text, \" \")) { if (has(counts, w)) { counts[w] = counts[w] + 1; } else { counts[w] = 1; } }\n"
    "print(\"counts\", counts, \"keys\", join(sort(keys(counts)), \",\"));\n"
    "let best = nil; for (w in counts) { if (best == nil or counts[w] > counts[best]) { best = w; } }\n"
    "print(\"most frequent\", best, counts[best]);\n"
    "let f = factorial(25 * scale); print(\"factorial\", 25 * scale, \"=\", f, \"digits\", len(str(f)));\n"
    "print(\"2^100 =\", pow(big(2), 100), \"mod 1e9+7 =\", pow(big(2), 100) % 1000000007);\n"
    "print(\"big division\", big(\"123456789012345678901234567890\") / big(\"987654321\"), big(-17) % 5, -big(3) * 7);\n"
    "let longest = 0; let at = 0;\n"
    "for (n in 100 * scale) { if (n > 0) { let s = collatz(n); if (s > longest) { longest = s; at = n; } } }\n"
    "print(\"longest collatz below\", 100 * scale, \"starts at\", at, \"with\", longest, \"steps\");\n"
    "let found = 0; for (n in 1000) { if (n % 7 == 3) { continue; } if (n > 500) { break; } found = found + 1; }\n"
    "print(\"loop control\", found, type(counts), type(f), type(nil), match(\"[0-9]+\", \"abc 2024 x\"));\n"
    "let grid = [[1, 2], [3, 4]]; grid[1][0] = 30; print(\"grid\", grid, \"sha256\", substr(sha256(grid), 0, 16));\n";

static int test_script(int scale) {
    char source[8192];
    const char *mark = strstr(script, "SCALE");
    snprintf(source, sizeof source, "%.*s%d%s", (int)(mark - script), script, scale, mark + 5);
    buffer_t out;
    buffer_init(&out);
    script_run(source, &out);
    tk_write_stdout(&out);
    printf("script output crc %08x\n", crc32(0, out.data, out.len));
    buffer_free(&out);
    return 0;
}

int selftest(int scale, const char *only) {
    static const struct { const char *name; int (*run)(int); } sections[] = {
        {"compression", test_compression}, {"sha256", test_sha256}, {"big integers", test_bigint},
        {"regular expressions", test_regex}, {"json", test_json}, {"text tools", test_text}, {"script", test_script}};
    int failures = 0;
    if (scale < 1) scale = 1;
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        if (only && strncmp(sections[i].name, only, strlen(only))) continue;
        printf("== %s\n", sections[i].name);
        int f = sections[i].run(scale);
        if (f) printf("%d FAILED in %s\n", f, sections[i].name);
        failures += f;
    }
    printf("== %s\n", failures ? "FAILED" : "all ok");
    return failures ? 1 : 0;
}
