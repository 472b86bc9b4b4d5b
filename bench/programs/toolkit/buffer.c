/* A growable byte buffer: output is built in memory and written once. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "toolkit.h"

void buffer_init(buffer_t *b) { b->data = NULL; b->len = b->cap = 0; }

static void reserve(buffer_t *b, size_t extra) {
    if (b->len + extra <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra) cap *= 2;
    uint8_t *p = realloc(b->data, cap);
    if (!p) abort();
    b->data = p;
    b->cap = cap;
}

void buffer_push(buffer_t *b, uint8_t byte) {
    reserve(b, 1);
    b->data[b->len++] = byte;
}

void buffer_append(buffer_t *b, const uint8_t *data, size_t len) {
    if (len == 0) return;
    reserve(b, len);
    memcpy(b->data + b->len, data, len);
    b->len += len;
}

void buffer_free(buffer_t *b) {
    free(b->data);
    buffer_init(b);
}

void buffer_puts(buffer_t *b, const char *s) { buffer_append(b, (const uint8_t *)s, strlen(s)); }

void buffer_printf(buffer_t *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *buffer_cstr(buffer_t *b) {
    reserve(b, 1);
    b->data[b->len] = 0;
    return (char *)b->data;
}
