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
