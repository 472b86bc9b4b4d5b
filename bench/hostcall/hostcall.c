/* Measures call overheads of the C API (a measurement, not a test):
   host -> Wasm through swvm_func_call and through a native function pointer, and the
   Wasm -> C -> Wasm round trip of a libffi host function, minus the same loop calling a Wasm
   function. usage: hostcall hostcall.wasm [iterations] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <swvm.h>

static int32_t inc(int32_t x) { return x + 1; }

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void ok(swvm_error_t *e) {
    if (e) { fprintf(stderr, "%s\n", swvm_error_message(e)); exit(1); }
}

int main(int argc, char **argv) {
    int n = argc > 2 ? atoi(argv[2]) : 5000000;
    FILE *f = fopen(argc > 1 ? argv[1] : "hostcall.wasm", "rb");
    if (!f) return 1;
    unsigned char buf[4096];
    size_t size = fread(buf, 1, sizeof buf, f);
    fclose(f);
    swvm_engine_t *engine = swvm_engine_new();
    swvm_module_t *module;
    swvm_instance_t *instance;
    swvm_linker_t *linker = swvm_linker_new(engine);
    ok(swvm_module_new(engine, buf, size, &module));
    ok(swvm_linker_define_func(linker, "env", "inc", "i(i)", (void (*)(void))inc, NULL, 0));
    ok(swvm_linker_instantiate(linker, module, &instance));
    swvm_func_t *id, *loop_host, *loop_wasm;
    ok(swvm_instance_func(instance, "id", &id));
    ok(swvm_instance_func(instance, "loop_host", &loop_host));
    ok(swvm_instance_func(instance, "loop_wasm", &loop_wasm));

    swvm_val_t arg = {.kind = SWVM_I32}, res;
    double t0 = now();
    for (int i = 0; i < n; i++) { arg.of.i32 = i; ok(swvm_func_call(id, &arg, 1, &res, 1)); }
    double api = (now() - t0) / n * 1e9;

    int32_t (*idp)(int32_t);
    ok(swvm_func_native(id, (void (**)(void))&idp));
    t0 = now();
    int32_t sum = 0;
    for (int i = 0; i < n; i++) sum += idp(i);
    double native = (now() - t0) / n * 1e9;

    arg.of.i32 = n;
    t0 = now();
    ok(swvm_func_call(loop_host, &arg, 1, &res, 1));
    double host = (now() - t0) / n * 1e9;
    if (res.of.i32 != n) return 1;
    t0 = now();
    ok(swvm_func_call(loop_wasm, &arg, 1, &res, 1));
    double wasm = (now() - t0) / n * 1e9;

    printf("host -> Wasm, swvm_func_call:        %6.1f ns/call\n", api);
    printf("host -> Wasm, native pointer:        %6.1f ns/call (checksum %d)\n", native, sum);
    printf("Wasm -> C host function (libffi):    %6.1f ns/call (loop with a Wasm callee: %.1f ns)\n", host, wasm);
    printf("Wasm -> C round trip over a Wasm call: %5.1f ns\n", host - wasm);
    return 0;
}
