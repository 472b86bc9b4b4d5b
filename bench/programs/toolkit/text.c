/* Line-oriented text tools in the manner of wc, sort, uniq and grep, plus word frequencies.
   Sorting is our own stable merge sort: C libraries' qsort differ in how they order equal
   elements, and the outputs must be identical everywhere. */
#include <stdlib.h>
#include <string.h>
#include "toolkit.h"

/* ---- stable merge sort: insertion-sorted runs of 16, then bottom-up merges ---- */
static void insertion_sort(uint8_t *a, size_t n, size_t size, tk_cmp_t cmp, void *ctx, uint8_t *tmp) {
    for (size_t i = 1; i < n; i++) {
        size_t j = i;
        memcpy(tmp, a + i * size, size);
        while (j > 0 && cmp(a + (j - 1) * size, tmp, ctx) > 0) {
            memcpy(a + j * size, a + (j - 1) * size, size);
            j--;
        }
        memcpy(a + j * size, tmp, size);
    }
}

void tk_sort(void *base, size_t n, size_t size, tk_cmp_t cmp, void *ctx) {
    enum { RUN = 16 };
    uint8_t *a = base, *b = malloc(n * size + size);
    if (!b) abort();
    for (size_t i = 0; i < n; i += RUN) insertion_sort(a + i * size, n - i < RUN ? n - i : RUN, size, cmp, ctx, b);
    uint8_t *src = a, *dst = b;
    for (size_t width = RUN; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                /* take from the right run only when strictly smaller: keeps the sort stable */
                if (cmp(src + j * size, src + i * size, ctx) < 0) memcpy(dst + k++ * size, src + j++ * size, size);
                else memcpy(dst + k++ * size, src + i++ * size, size);
            }
            memcpy(dst + k * size, src + i * size, (mid - i) * size);
            k += mid - i;
            memcpy(dst + k * size, src + j * size, (hi - j) * size);
        }
        uint8_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, n * size);
    free(b);
}

/* ---- lines ---- */
typedef struct { const uint8_t *s; size_t len; double key; } line_t;

static line_t *split_lines(const uint8_t *data, size_t len, size_t *count) {
    size_t n = 0, cap = 64;
    line_t *lines = malloc(sizeof(line_t) * cap);
    if (!lines) abort();
    for (size_t pos = 0; pos < len;) {
        const uint8_t *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        if (n == cap) {
            cap *= 2;
            lines = realloc(lines, sizeof(line_t) * cap);
            if (!lines) abort();
        }
        lines[n++] = (line_t){data + pos, end - pos, 0};
        pos = end + 1;
    }
    *count = n;
    return lines;
}

static int is_space(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
static uint8_t lower(uint8_t c) { return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c; }

wc_t text_wc(const uint8_t *data, size_t len) {
    wc_t w = {0, 0, len};
    int in_word = 0;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '\n') w.lines++;
        if (is_space(data[i])) in_word = 0;
        else if (!in_word) { in_word = 1; w.words++; }
    }
    return w;
}

/* A line's leading number, for sort -n: optional blanks and sign, digits, a fraction. Lines
   without one sort as zero. Computed exactly the same way on every platform (no strtod). */
static double numeric_key(const uint8_t *s, size_t len) {
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
    int neg = i < len && s[i] == '-';
    if (i < len && (s[i] == '-' || s[i] == '+')) i++;
    double v = 0, scale = 1;
    while (i < len && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0');
    if (i < len && s[i] == '.')
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) { scale /= 10; v += (s[i] - '0') * scale; }
    return neg ? -v : v;
}

static int compare_bytes(const line_t *a, const line_t *b, int fold) {
    size_t n = a->len < b->len ? a->len : b->len;
    for (size_t i = 0; i < n; i++) {
        uint8_t x = fold ? lower(a->s[i]) : a->s[i], y = fold ? lower(b->s[i]) : b->s[i];
        if (x != y) return x < y ? -1 : 1;
    }
    return a->len < b->len ? -1 : a->len > b->len;
}

/* The comparison the flags ask for, before reversal; numeric ties fall back to the bytes. */
static int compare_key(const line_t *a, const line_t *b, int flags) {
    if (flags & SORT_NUMERIC) {
        if (a->key != b->key) return a->key < b->key ? -1 : 1;
        return compare_bytes(a, b, 0);
    }
    return compare_bytes(a, b, flags & SORT_FOLD);
}

static int compare_lines(const void *x, const void *y, void *ctx) {
    int flags = *(const int *)ctx, c = compare_key(x, y, flags);
    return flags & SORT_REVERSE ? -c : c;
}

static void put_line(buffer_t *out, const line_t *l) {
    buffer_append(out, l->s, l->len);
    buffer_push(out, '\n');
}

void text_sort(const uint8_t *data, size_t len, int flags, buffer_t *out) {
    size_t n;
    line_t *lines = split_lines(data, len, &n);
    if (flags & SORT_NUMERIC) for (size_t i = 0; i < n; i++) lines[i].key = numeric_key(lines[i].s, lines[i].len);
    tk_sort(lines, n, sizeof(line_t), compare_lines, &flags);
    for (size_t i = 0; i < n; i++) {
        if ((flags & SORT_UNIQUE) && i > 0 && compare_key(&lines[i - 1], &lines[i], flags & ~SORT_NUMERIC) == 0) continue;
        put_line(out, &lines[i]);
    }
    free(lines);
}

void text_uniq(const uint8_t *data, size_t len, int count, buffer_t *out) {
    size_t n;
    line_t *lines = split_lines(data, len, &n);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && compare_bytes(&lines[i], &lines[j], 0) == 0) j++;
        if (count) buffer_printf(out, "%7u ", (unsigned)(j - i));
        put_line(out, &lines[i]);
        i = j;
    }
    free(lines);
}

/* ---- word frequencies: an open-addressing table keyed by FNV-1a ---- */
typedef struct { char *word; uint32_t hash, count; } entry_t;

static int is_word_byte(uint8_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '\'';
}

static int by_count(const void *x, const void *y, void *ctx) {
    (void)ctx;
    const entry_t *a = x, *b = y;
    if (a->count != b->count) return a->count > b->count ? -1 : 1;
    return strcmp(a->word, b->word);
}

void text_freq(const uint8_t *data, size_t len, int top, buffer_t *out) {
    uint32_t cap = 1024, used = 0;
    entry_t *table = calloc(cap, sizeof(entry_t));
    uint64_t total = 0;
    char word[64];
    if (!table) abort();
    for (size_t i = 0; i < len;) {
        if (!is_word_byte(data[i])) { i++; continue; }
        size_t n = 0;
        uint32_t h = 2166136261u;
        for (; i < len && is_word_byte(data[i]); i++) {
            if (n < sizeof word - 1) { word[n] = (char)lower(data[i]); h = (h ^ (uint8_t)word[n]) * 16777619u; n++; }
        }
        word[n] = 0;
        total++;
        uint32_t k = h & (cap - 1);
        while (table[k].word && (table[k].hash != h || strcmp(table[k].word, word))) k = (k + 1) & (cap - 1);
        if (table[k].word) { table[k].count++; continue; }
        char *copy = malloc(n + 1);
        if (!copy) abort();
        table[k] = (entry_t){strcpy(copy, word), h, 1};
        if (++used * 4 > cap * 3) {
            /* grow: rehash into a table twice the size */
            entry_t *bigger = calloc(cap * 2, sizeof(entry_t));
            if (!bigger) abort();
            for (uint32_t e = 0; e < cap; e++) {
                if (!table[e].word) continue;
                uint32_t j = table[e].hash & (2 * cap - 1);
                while (bigger[j].word) j = (j + 1) & (2 * cap - 1);
                bigger[j] = table[e];
            }
            free(table);
            table = bigger;
            cap *= 2;
        }
    }
    entry_t *all = malloc(sizeof(entry_t) * (used + 1));
    if (!all) abort();
    uint32_t n = 0;
    for (uint32_t e = 0; e < cap; e++) if (table[e].word) all[n++] = table[e];
    tk_sort(all, n, sizeof(entry_t), by_count, NULL);
    buffer_printf(out, "%llu words, %u distinct\n", (unsigned long long)total, (unsigned)n);
    for (uint32_t i = 0; i < n && (int)i < top; i++) buffer_printf(out, "%7u %s\n", (unsigned)all[i].count, all[i].word);
    for (uint32_t i = 0; i < n; i++) free(all[i].word);
    free(all);
    free(table);
}

int text_grep(const tk_regex_t *re, const uint8_t *data, size_t len, int flags, const char *label, buffer_t *out) {
    size_t n;
    line_t *lines = split_lines(data, len, &n);
    int matches = 0;
    for (size_t i = 0; i < n; i++) {
        size_t start, end;
        const char *s = (const char *)lines[i].s;
        int hit = regex_search(re, s, lines[i].len, 0, &start, &end);
        if (hit == !(flags & GREP_INVERT)) {
            matches++;
            if (flags & GREP_COUNT) continue;
            if (flags & GREP_ONLY && !(flags & GREP_INVERT)) {
                /* every non-overlapping match on the line, one per output line */
                size_t from = 0;
                while (from <= lines[i].len && regex_search(re, s, lines[i].len, from, &start, &end)) {
                    if (end > start) {
                        if (label) buffer_printf(out, "%s:", label);
                        if (flags & GREP_NUMBER) buffer_printf(out, "%u:", (unsigned)(i + 1));
                        buffer_append(out, lines[i].s + start, end - start);
                        buffer_push(out, '\n');
                    }
                    from = end > start ? end : end + 1;
                }
                continue;
            }
            if (label) buffer_printf(out, "%s:", label);
            if (flags & GREP_NUMBER) buffer_printf(out, "%u:", (unsigned)(i + 1));
            put_line(out, &lines[i]);
        }
    }
    if (flags & GREP_COUNT) {
        if (label) buffer_printf(out, "%s:", label);
        buffer_printf(out, "%d\n", matches);
    }
    free(lines);
    return matches;
}
