/* toolkit: a compressor and a small scripting language, written for swvm's tests and
   benchmarks. The same sources build natively and for wasm32-wasi, so their outputs can be
   compared byte for byte. */
#ifndef TOOLKIT_H
#define TOOLKIT_H
#include <stddef.h>
#include <stdint.h>

/* crc32.c */
uint32_t crc32(uint32_t crc, const uint8_t *data, size_t len);

/* buffer.c: a growable byte buffer */
typedef struct { uint8_t *data; size_t len, cap; } buffer_t;
void buffer_init(buffer_t *b);
void buffer_push(buffer_t *b, uint8_t byte);
void buffer_append(buffer_t *b, const uint8_t *data, size_t len);
void buffer_free(buffer_t *b);

/* lz.c: LZ77 + canonical Huffman, in a self-describing format ("TKZ1", length, CRC, blocks) */
int tk_compress(const uint8_t *in, size_t len, buffer_t *out);
int tk_decompress(const uint8_t *in, size_t len, buffer_t *out); /* 0 ok, < 0 corrupt */

/* script.c: a small dynamically typed language (numbers, strings, lists, functions). Output
   goes to `output`; a script error is reported on stderr and ends the program (status 2). */
int script_run(const char *source, buffer_t *output);

#endif
