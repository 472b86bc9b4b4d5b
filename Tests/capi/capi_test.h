/* What every C test of the embedding API (Tests/capi) shares: a failure count, a check that
   records a failed expectation and goes on, one that stops at an unexpected error, and reading
   and loading the test's .wasm file. */
#ifndef SWVM_CAPI_TEST_H
#define SWVM_CAPI_TEST_H
#include <stdio.h>
#include <stdlib.h>
#include <swvm.h>

static int failures;

static void ok(swvm_error_t *err, const char *what) {
    if (err) {
        printf("FAIL %s: %s\n", what, swvm_error_message(err));
        swvm_error_free(err);
        exit(1);
    }
}

static void check(int condition, const char *what) {
    if (!condition) { printf("FAIL %s\n", what); failures++; }
}

static unsigned char *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "cannot read %s\n", path); exit(1); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)n);
    *size = fread(buf, 1, (size_t)n, f);
    fclose(f);
    return buf;
}

/* Reads the module file at `path` and loads it into `engine`; exits on failure. */
static swvm_module_t *load_module(swvm_engine_t *engine, const char *path) {
    size_t size;
    unsigned char *bytes = read_file(path, &size);
    swvm_module_t *module;
    ok(swvm_module_new(engine, bytes, size, &module), "load");
    free(bytes);
    return module;
}

#endif
