/* hello: a C host that loads a bundled Wasm module with swvm and calls its exports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <swvm.h>

static unsigned char *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    *size = fread(buf, 1, (size_t)n, f);
    fclose(f);
    return buf;
}

static int check(swvm_error_t *err, const char *what) {
    if (!err) return 0;
    fprintf(stderr, "%s: %s\n", what, swvm_error_message(err));
    swvm_error_free(err);
    return 1;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "demo.wasm";
    size_t size = 0;
    unsigned char *bytes = read_file(path, &size);
    if (!bytes) { fprintf(stderr, "cannot read %s\n", path); return 1; }

    printf("swvm %s\n", swvm_version());
    swvm_engine_t *engine = swvm_engine_new();
    swvm_module_t *module = NULL;
    swvm_instance_t *instance = NULL;
    if (check(swvm_module_new(engine, bytes, size, &module), "load")) return 1;
    free(bytes);
    if (check(swvm_instance_new(engine, module, &instance), "instantiate")) return 1;

    int failures = 0;
    swvm_func_t *add = NULL, *fib = NULL, *div = NULL;
    if (check(swvm_instance_func(instance, "add", &add), "lookup add")) return 1;
    if (check(swvm_instance_func(instance, "fib", &fib), "lookup fib")) return 1;
    if (check(swvm_instance_func(instance, "div", &div), "lookup div")) return 1;

    swvm_val_t args[2] = {{.kind = SWVM_I32, .of.i32 = 40}, {.kind = SWVM_I32, .of.i32 = 2}};
    swvm_val_t result;
    if (check(swvm_func_call(add, args, 2, &result, 1), "call add")) return 1;
    printf("add(40, 2) = %d\n", result.of.i32);
    failures += result.of.i32 != 42;

    swvm_val_t n = {.kind = SWVM_I64, .of.i64 = 90};
    if (check(swvm_func_call(fib, &n, 1, &result, 1), "call fib")) return 1;
    printf("fib(90) = %lld\n", (long long)result.of.i64);
    failures += result.of.i64 != 2880067194370816120LL;

    /* A trap comes back as an error; the engine stays usable. */
    swvm_val_t zero[2] = {{.kind = SWVM_I32, .of.i32 = 1}, {.kind = SWVM_I32, .of.i32 = 0}};
    swvm_error_t *err = swvm_func_call(div, zero, 2, &result, 1);
    if (!err || swvm_error_kind(err) != SWVM_ERROR_TRAP) { fprintf(stderr, "div(1, 0) did not trap\n"); failures++; }
    else printf("div(1, 0) trapped: %s\n", swvm_error_message(err));
    swvm_error_free(err);
    if (check(swvm_func_call(add, args, 2, &result, 1), "call add after a trap")) return 1;
    failures += result.of.i32 != 42;

    swvm_func_free(add);
    swvm_func_free(fib);
    swvm_func_free(div);
    swvm_instance_free(instance);
    swvm_module_free(module);
    swvm_engine_free(engine);
    if (failures) { fprintf(stderr, "%d wrong result(s)\n", failures); return 1; }
    printf("ok\n");
    return 0;
}
