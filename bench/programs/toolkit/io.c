/* Whole-file I/O through stdio: under WASI these become path_open in a pre-opened directory,
   fd_read, fd_write and fd_close. */
#include <stdio.h>
#include <string.h>
#include "toolkit.h"

static int is_std(const char *path) { return !path || !strcmp(path, "-"); }

int tk_read_file(const char *path, buffer_t *b) {
    FILE *f = is_std(path) ? stdin : fopen(path, "rb");
    if (!f) return -1;
    static uint8_t chunk[65536]; /* not on the stack: wasm-ld gives programs a 64 KiB stack */
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buffer_append(b, chunk, n);
    int bad = ferror(f);
    if (f != stdin) fclose(f);
    return bad ? -1 : 0;
}

int tk_write_file(const char *path, const buffer_t *b) {
    if (is_std(path)) { tk_write_stdout(b); return 0; }
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t n = b->len ? fwrite(b->data, 1, b->len, f) : 0;
    int bad = fclose(f) != 0;
    return n == b->len && !bad ? 0 : -1;
}

void tk_write_stdout(const buffer_t *b) {
    if (b->len) fwrite(b->data, 1, b->len, stdout);
}
