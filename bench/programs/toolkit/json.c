/* JSON (RFC 8259): a recursive-descent parser into a tree that keeps object members in
   document order and numbers' source text (so printing never reformats a number), a compact
   and an indented writer, structural comparison, and path queries such as
   `.items[3].name` or `["odd key"][0]`. Errors give the line and column. Strings must be
   valid UTF-8; \u escapes, surrogate pairs included, are decoded to UTF-8. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "toolkit.h"

#define MAX_DEPTH 200

typedef struct {
    const char *s;
    size_t len, pos;
    char *err;
    size_t errlen;
    int failed;
} jparser_t;

static void fail_at(jparser_t *p, const char *fmt, ...) {
    if (p->failed) return;
    p->failed = 1;
    if (!p->err || !p->errlen) return;
    int line = 1, col = 1;
    for (size_t i = 0; i < p->pos && i < p->len; i++) {
        if (p->s[i] == '\n') { line++; col = 1; } else col++;
    }
    int n = snprintf(p->err, p->errlen, "line %d, column %d: ", line, col);
    if (n < 0 || (size_t)n >= p->errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

static json_t *new_value(json_type_t type) {
    json_t *v = calloc(1, sizeof *v);
    if (!v) abort();
    v->type = type;
    return v;
}

void json_free(json_t *v) {
    if (!v) return;
    for (int i = 0; i < v->count; i++) {
        json_free(v->items[i]);
        if (v->keys) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    free(v);
}

static void add_item(json_t *v, char *key, json_t *item) {
    if (v->count == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 4;
        v->items = realloc(v->items, sizeof(json_t *) * (size_t)v->cap);
        if (v->type == J_OBJ) v->keys = realloc(v->keys, sizeof(char *) * (size_t)v->cap);
        if (!v->items || (v->type == J_OBJ && !v->keys)) abort();
    }
    if (v->type == J_OBJ) v->keys[v->count] = key;
    v->items[v->count++] = item;
}

static int peek(jparser_t *p) { return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1; }

static void skip_ws(jparser_t *p) {
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
        p->pos++;
}

static int literal(jparser_t *p, const char *word) {
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0) return 0;
    p->pos += n;
    return 1;
}

static int hex4(jparser_t *p, uint32_t *out) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int c = peek(p), d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else { fail_at(p, "bad \\u escape"); return -1; }
        v = v << 4 | (uint32_t)d;
        p->pos++;
    }
    *out = v;
    return 0;
}

static void put_utf8(buffer_t *b, uint32_t cp) {
    if (cp < 0x80) { buffer_push(b, (uint8_t)cp); return; }
    if (cp < 0x800) { buffer_push(b, (uint8_t)(0xC0 | cp >> 6)); }
    else if (cp < 0x10000) { buffer_push(b, (uint8_t)(0xE0 | cp >> 12)); buffer_push(b, (uint8_t)(0x80 | (cp >> 6 & 0x3F))); }
    else {
        buffer_push(b, (uint8_t)(0xF0 | cp >> 18));
        buffer_push(b, (uint8_t)(0x80 | (cp >> 12 & 0x3F)));
        buffer_push(b, (uint8_t)(0x80 | (cp >> 6 & 0x3F)));
    }
    buffer_push(b, (uint8_t)(0x80 | (cp & 0x3F)));
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. Rejects overlong forms,
   surrogates and code points above U+10FFFF. */
static size_t utf8_length(const uint8_t *s, size_t n) {
    uint32_t c = s[0], cp, min;
    size_t len;
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

/* A string at p->pos (which is at the opening quote) into `out`. */
static int parse_string(jparser_t *p, buffer_t *out) {
    p->pos++;
    for (;;) {
        int c = peek(p);
        if (c < 0) { fail_at(p, "unterminated string"); return -1; }
        if (c == '"') { p->pos++; return 0; }
        if (c < 0x20) { fail_at(p, "control character in string"); return -1; }
        if (c != '\\') {
            size_t n = utf8_length((const uint8_t *)p->s + p->pos, p->len - p->pos);
            if (!n) { fail_at(p, "invalid UTF-8"); return -1; }
            buffer_append(out, (const uint8_t *)p->s + p->pos, n);
            p->pos += n;
            continue;
        }
        p->pos++;
        c = peek(p);
        p->pos++;
        switch (c) {
        case '"': case '\\': case '/': buffer_push(out, (uint8_t)c); break;
        case 'b': buffer_push(out, '\b'); break;
        case 'f': buffer_push(out, '\f'); break;
        case 'n': buffer_push(out, '\n'); break;
        case 'r': buffer_push(out, '\r'); break;
        case 't': buffer_push(out, '\t'); break;
        case 'u': {
            uint32_t cp, lo;
            if (hex4(p, &cp)) return -1;
            if (cp >= 0xDC00 && cp <= 0xDFFF) { fail_at(p, "lone low surrogate"); return -1; }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (!literal(p, "\\u") || hex4(p, &lo) || lo < 0xDC00 || lo > 0xDFFF) { fail_at(p, "unpaired high surrogate"); return -1; }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            put_utf8(out, cp);
            break;
        }
        default: p->pos--; fail_at(p, "bad escape"); return -1;
        }
    }
}

static int digits(jparser_t *p) {
    size_t start = p->pos;
    while (peek(p) >= '0' && peek(p) <= '9') p->pos++;
    return p->pos > start;
}

static json_t *parse_number(jparser_t *p) {
    size_t start = p->pos;
    if (peek(p) == '-') p->pos++;
    if (peek(p) == '0') p->pos++;
    else if (!digits(p)) { fail_at(p, "bad number"); return NULL; }
    if (peek(p) == '.') { p->pos++; if (!digits(p)) { fail_at(p, "digits expected after '.'"); return NULL; } }
    if (peek(p) == 'e' || peek(p) == 'E') {
        p->pos++;
        if (peek(p) == '+' || peek(p) == '-') p->pos++;
        if (!digits(p)) { fail_at(p, "digits expected in exponent"); return NULL; }
    }
    json_t *v = new_value(J_NUM);
    v->len = p->pos - start;
    v->str = malloc(v->len + 1);
    if (!v->str) abort();
    memcpy(v->str, p->s + start, v->len);
    v->str[v->len] = 0;
    v->num = strtod(v->str, NULL);
    return v;
}

static json_t *parse_value(jparser_t *p, int depth) {
    skip_ws(p);
    int c = peek(p);
    if (c == '{' || c == '[') {
        if (depth >= MAX_DEPTH) { fail_at(p, "nested too deeply"); return NULL; }
        int obj = c == '{';
        json_t *v = new_value(obj ? J_OBJ : J_ARR);
        p->pos++;
        skip_ws(p);
        if (peek(p) == (obj ? '}' : ']')) { p->pos++; return v; }
        for (;;) {
            char *key = NULL;
            if (obj) {
                skip_ws(p);
                if (peek(p) != '"') { fail_at(p, "object key expected"); json_free(v); return NULL; }
                buffer_t k;
                buffer_init(&k);
                if (parse_string(p, &k)) { buffer_free(&k); json_free(v); return NULL; }
                key = buffer_cstr(&k);
                skip_ws(p);
                if (peek(p) != ':') { free(key); fail_at(p, "':' expected"); json_free(v); return NULL; }
                p->pos++;
            }
            json_t *item = parse_value(p, depth + 1);
            if (!item) { free(key); json_free(v); return NULL; }
            add_item(v, key, item);
            skip_ws(p);
            c = peek(p);
            p->pos++;
            if (c == ',') continue;
            if (c == (obj ? '}' : ']')) return v;
            p->pos--;
            fail_at(p, obj ? "',' or '}' expected" : "',' or ']' expected");
            json_free(v);
            return NULL;
        }
    }
    if (c == '"') {
        buffer_t s;
        buffer_init(&s);
        if (parse_string(p, &s)) { buffer_free(&s); return NULL; }
        json_t *v = new_value(J_STR);
        v->len = s.len;
        v->str = buffer_cstr(&s);
        return v;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return parse_number(p);
    if (literal(p, "true")) { json_t *v = new_value(J_BOOL); v->boolean = 1; return v; }
    if (literal(p, "false")) return new_value(J_BOOL);
    if (literal(p, "null")) return new_value(J_NULL);
    fail_at(p, c < 0 ? "unexpected end of input" : "unexpected character '%c'", c);
    return NULL;
}

json_t *json_parse(const char *text, size_t len, char *err, size_t errlen) {
    jparser_t p = {text, len, 0, err, errlen, 0};
    json_t *v = parse_value(&p, 0);
    if (!v) return NULL;
    skip_ws(&p);
    if (p.pos != len) { fail_at(&p, "trailing characters after the value"); json_free(v); return NULL; }
    return v;
}

/* ---- writer ---- */
static void write_string(buffer_t *out, const char *s, size_t len) {
    buffer_push(out, '"');
    for (size_t i = 0; i < len; i++) {
        uint8_t c = (uint8_t)s[i];
        switch (c) {
        case '"': buffer_puts(out, "\\\""); break;
        case '\\': buffer_puts(out, "\\\\"); break;
        case '\n': buffer_puts(out, "\\n"); break;
        case '\r': buffer_puts(out, "\\r"); break;
        case '\t': buffer_puts(out, "\\t"); break;
        case '\b': buffer_puts(out, "\\b"); break;
        case '\f': buffer_puts(out, "\\f"); break;
        default:
            if (c < 0x20) buffer_printf(out, "\\u%04x", c);
            else buffer_push(out, c);
        }
    }
    buffer_push(out, '"');
}

static void newline(buffer_t *out, int indent, int level) {
    buffer_push(out, '\n');
    for (int i = 0; i < indent * level; i++) buffer_push(out, ' ');
}

static void write_value(const json_t *v, buffer_t *out, int indent, int level) {
    switch (v->type) {
    case J_NULL: buffer_puts(out, "null"); break;
    case J_BOOL: buffer_puts(out, v->boolean ? "true" : "false"); break;
    case J_NUM: buffer_append(out, (const uint8_t *)v->str, v->len); break;
    case J_STR: write_string(out, v->str, v->len); break;
    case J_ARR:
    case J_OBJ: {
        int obj = v->type == J_OBJ;
        buffer_push(out, obj ? '{' : '[');
        for (int i = 0; i < v->count; i++) {
            if (i) buffer_push(out, ',');
            if (indent) newline(out, indent, level + 1);
            if (obj) {
                write_string(out, v->keys[i], strlen(v->keys[i]));
                buffer_puts(out, indent ? ": " : ":");
            }
            write_value(v->items[i], out, indent, level + 1);
        }
        if (indent && v->count) newline(out, indent, level);
        buffer_push(out, obj ? '}' : ']');
        break;
    }
    }
}

void json_write(const json_t *v, buffer_t *out, int indent) { write_value(v, out, indent, 0); }

int json_equal(const json_t *a, const json_t *b) {
    if (a->type != b->type) return 0;
    switch (a->type) {
    case J_NULL: return 1;
    case J_BOOL: return a->boolean == b->boolean;
    case J_NUM: return a->num == b->num;
    case J_STR: return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
    case J_ARR:
    case J_OBJ:
        if (a->count != b->count) return 0;
        for (int i = 0; i < a->count; i++) {
            if (a->type == J_OBJ && strcmp(a->keys[i], b->keys[i])) return 0;
            if (!json_equal(a->items[i], b->items[i])) return 0;
        }
        return 1;
    }
    return 0;
}

const json_t *json_get(const json_t *obj, const char *key) {
    if (obj->type != J_OBJ) return NULL;
    for (int i = 0; i < obj->count; i++) if (!strcmp(obj->keys[i], key)) return obj->items[i];
    return NULL;
}

/* Path steps: .name, [index] (negative counts from the end), ["any key"]. */
const json_t *json_query(const json_t *v, const char *path, char *err, size_t errlen) {
    const char *s = path;
    char key[256];
    while (*s) {
        if (*s == '.') {
            s++;
            size_t n = strcspn(s, ".[");
            if (n == 0 || n >= sizeof key) { snprintf(err, errlen, "bad key at '%s'", s); return NULL; }
            memcpy(key, s, n);
            key[n] = 0;
            s += n;
        } else if (s[0] == '[' && s[1] == '"') {
            const char *end = strchr(s + 2, '"');
            if (!end || end[1] != ']' || (size_t)(end - s - 2) >= sizeof key) { snprintf(err, errlen, "bad [\"key\"] at '%s'", s); return NULL; }
            memcpy(key, s + 2, (size_t)(end - s - 2));
            key[end - s - 2] = 0;
            s = end + 2;
        } else if (*s == '[') {
            char *end;
            long long index = strtoll(s + 1, &end, 10);
            if (end == s + 1 || *end != ']') { snprintf(err, errlen, "bad index at '%s'", s); return NULL; }
            s = end + 1;
            if (v->type != J_ARR) { snprintf(err, errlen, "indexing a non-array"); return NULL; }
            if (index < 0) index += v->count;
            if (index < 0 || index >= v->count) { snprintf(err, errlen, "index %lld out of range (%d items)", index, v->count); return NULL; }
            v = v->items[index];
            continue;
        } else {
            snprintf(err, errlen, "unexpected '%c' in path", *s);
            return NULL;
        }
        if (v->type != J_OBJ) { snprintf(err, errlen, "key '%s' of a non-object", key); return NULL; }
        const json_t *next = json_get(v, key);
        if (!next) { snprintf(err, errlen, "no key '%s'", key); return NULL; }
        v = next;
    }
    return v;
}
