/* native_pointer: Wasm exports as real C function pointers (libffi closures). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <swvm.h>

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

static void ok(swvm_error_t *err, const char *what) {
    if (err) { printf("FAIL %s: %s\n", what, swvm_error_message(err)); swvm_error_free(err); exit(1); }
}

int main(int argc, char **argv) {
    size_t size;
    unsigned char *bytes = read_file(argc > 1 ? argv[1] : "demo.wasm", &size);
    swvm_engine_t *engine = swvm_engine_new();
    swvm_module_t *module;
    swvm_instance_t *instance;
    ok(swvm_module_new(engine, bytes, size, &module), "load");
    free(bytes);
    ok(swvm_instance_new(engine, module, &instance), "instantiate");

    swvm_func_t *fib_func, *div_func, *mix_func;
    ok(swvm_instance_func(instance, "fib", &fib_func), "lookup fib");
    ok(swvm_instance_func(instance, "div", &div_func), "lookup div");
    ok(swvm_instance_func(instance, "mix", &mix_func), "lookup mix");

    int64_t (*fib)(int64_t);
    int32_t (*div)(int32_t, int32_t);
    double (*mix)(double, float);
    ok(swvm_func_native(fib_func, (void (**)(void))&fib), "native fib");
    ok(swvm_func_native(div_func, (void (**)(void))&div), "native div");
    ok(swvm_func_native(mix_func, (void (**)(void))&mix), "native mix");

    int failures = 0;
    int64_t f = fib(50);
    printf("fib(50) through a C function pointer = %lld\n", (long long)f);
    failures += f != 12586269025LL || swvm_last_trap() != NULL;
    int32_t q = div(-7, 2);
    printf("div(-7, 2) = %d\n", q);
    failures += q != -3;
    double m = mix(2.5, 4.0f);
    printf("mix(2.5, 4) = %g\n", m);
    failures += m != 10.0;

    /* A trap cannot unwind through C frames: the pointer returns 0 and reports it. */
    int32_t z = div(1, 0);
    const char *trap = swvm_last_trap();
    printf("div(1, 0) = %d, trap: %s\n", z, trap ? trap : "(none)");
    failures += z != 0 || !trap || strcmp(trap, "integer divide by zero") != 0;
    q = div(9, 3);
    failures += q != 3 || swvm_last_trap() != NULL;

    swvm_func_free(fib_func);
    swvm_func_free(div_func);
    swvm_func_free(mix_func);
    swvm_instance_free(instance);
    swvm_module_free(module);
    swvm_engine_free(engine);
    printf("%d passed, %d failed\n", failures ? 0 : 1, failures);
    return failures;
}
