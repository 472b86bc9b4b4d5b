/* toolkit: a compressor, hashing, big integers, regular expressions, JSON, text tools and a
   small scripting language, written for swvm's tests and benchmarks. The same sources build
   natively and for wasm32-wasi, so their outputs can be compared byte for byte: nothing here
   depends on pointer values, on the width of long or size_t, or on the C library's sort. */
#ifndef TOOLKIT_H
#define TOOLKIT_H
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define TK_NORETURN __attribute__((noreturn))
#define TK_NOINLINE __attribute__((noinline))
#else
#define TK_NORETURN
#define TK_NOINLINE
#endif

/* crc32.c */
uint32_t crc32(uint32_t crc, const uint8_t *data, size_t len);

/* buffer.c: a growable byte buffer */
typedef struct { uint8_t *data; size_t len, cap; } buffer_t;
void buffer_init(buffer_t *b);
void buffer_push(buffer_t *b, uint8_t byte);
void buffer_append(buffer_t *b, const uint8_t *data, size_t len);
void buffer_puts(buffer_t *b, const char *s);
void buffer_printf(buffer_t *b, const char *fmt, ...);
char *buffer_cstr(buffer_t *b); /* appends a NUL (not counted in len) and returns the data */
void buffer_free(buffer_t *b);

/* io.c: whole files in and out; path NULL or "-" is stdin / stdout */
int tk_read_file(const char *path, buffer_t *b);
int tk_write_file(const char *path, const buffer_t *b);
void tk_write_stdout(const buffer_t *b);

/* lz.c: LZ77 + canonical Huffman, in a self-describing format ("TKZ1", length, CRC, blocks) */
int tk_compress(const uint8_t *in, size_t len, buffer_t *out);
int tk_decompress(const uint8_t *in, size_t len, buffer_t *out); /* 0 ok, < 0 corrupt */

/* sha256.c: FIPS 180-4 SHA-256 */
typedef struct { uint32_t h[8]; uint64_t total; uint8_t block[64]; uint32_t used; } sha256_t;
void sha256_init(sha256_t *s);
void sha256_update(sha256_t *s, const void *data, size_t len);
void sha256_final(sha256_t *s, uint8_t digest[32]);
void sha256_hex(const void *data, size_t len, char hex[65]); /* one-shot, lowercase hex */
int sha256_selftest(buffer_t *report); /* known-answer tests; returns the number failed */

/* bigint.c: signed arbitrary-precision integers, base 10^9 limbs */
typedef struct { int neg, len, cap; uint32_t *limb; } bigint_t;
void big_init(bigint_t *a);
void big_free(bigint_t *a);
void big_copy(bigint_t *dst, const bigint_t *src);
void big_set_i64(bigint_t *a, int64_t v);
int big_set_str(bigint_t *a, const char *s); /* decimal, optional sign; 0 ok, -1 malformed */
char *big_to_str(const bigint_t *a);         /* malloc'd decimal */
int big_is_zero(const bigint_t *a);
int big_cmp(const bigint_t *a, const bigint_t *b);
double big_to_double(const bigint_t *a);
void big_add(bigint_t *r, const bigint_t *a, const bigint_t *b);
void big_sub(bigint_t *r, const bigint_t *a, const bigint_t *b);
void big_mul(bigint_t *r, const bigint_t *a, const bigint_t *b);
int big_divmod(bigint_t *q, bigint_t *rem, const bigint_t *a, const bigint_t *b); /* truncating, like C; -1 on b == 0 */
void big_pow(bigint_t *r, const bigint_t *a, uint32_t e);
void big_factorial(bigint_t *r, uint32_t n);
void big_fibonacci(bigint_t *r, uint32_t n);

/* regex.c: a Pike VM over a compiled NFA: literals, ., [classes], \d \w \s (and negations),
   ^ $, groups, |, * + ? {m,n} (greedy, and lazy with a trailing ?). Leftmost-first matches. */
typedef struct tk_regex tk_regex_t;
tk_regex_t *regex_compile(const char *pattern, int icase, char *err, size_t errlen);
int regex_search(const tk_regex_t *re, const char *text, size_t len, size_t from, size_t *start, size_t *end);
void regex_free(tk_regex_t *re);

/* json.c: a JSON parser (RFC 8259, with line/column errors), writer, comparison and queries */
typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } json_type_t;
typedef struct json json_t;
struct json {
    json_type_t type;
    int boolean;
    double num;
    char *str;        /* a string's UTF-8 bytes, or a number's source text */
    size_t len;       /* of str */
    char **keys;      /* objects: keys[i] names items[i], in document order */
    json_t **items;
    int count, cap;
};
json_t *json_parse(const char *text, size_t len, char *err, size_t errlen);
void json_write(const json_t *v, buffer_t *out, int indent); /* indent 0: compact */
int json_equal(const json_t *a, const json_t *b);
const json_t *json_get(const json_t *obj, const char *key);
const json_t *json_query(const json_t *v, const char *path, char *err, size_t errlen); /* .a.b[2] */
void json_free(json_t *v);

/* text.c: line tools (sort, uniq, wc, word frequencies) and a stable merge sort */
typedef int (*tk_cmp_t)(const void *a, const void *b, void *ctx);
void tk_sort(void *base, size_t n, size_t size, tk_cmp_t cmp, void *ctx);
typedef struct { uint64_t lines, words, bytes; } wc_t;
wc_t text_wc(const uint8_t *data, size_t len);
enum { SORT_REVERSE = 1, SORT_NUMERIC = 2, SORT_UNIQUE = 4, SORT_FOLD = 8 };
void text_sort(const uint8_t *data, size_t len, int flags, buffer_t *out);
void text_uniq(const uint8_t *data, size_t len, int count, buffer_t *out);
void text_freq(const uint8_t *data, size_t len, int top, buffer_t *out);
int text_grep(const tk_regex_t *re, const uint8_t *data, size_t len, int flags, const char *label, buffer_t *out);
enum { GREP_INVERT = 1, GREP_COUNT = 2, GREP_NUMBER = 4, GREP_ONLY = 8 };

/* script.c: a small dynamically typed language (numbers, big integers, strings, lists, maps,
   functions). Output goes to `output`; a script error is reported on stderr and ends the
   program (status 2). */
int script_run(const char *source, buffer_t *output);

/* selftest.c */
int selftest(int scale, const char *only); /* only: run the sections whose names start so */

#endif
