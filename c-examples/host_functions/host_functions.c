/* host_functions: plain C functions as Wasm imports (through libffi), with user data, access
   to the caller's memory, multi-value results and traps raised by the host. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <swvm.h>

static int failures = 0;
#define CHECK(cond, ...) do { if (!(cond)) { printf("FAIL: " __VA_ARGS__); printf("\n"); failures++; } } while (0)

static int32_t add(int32_t a, int32_t b) { return a + b; }

static char logged[64];
static void log_string(swvm_caller_t *caller, int32_t ptr, int32_t len) {
    size_t size = 0;
    uint8_t *memory = swvm_caller_memory(caller, &size);
    if (!memory || ptr < 0 || len < 0 || (size_t)ptr + (size_t)len > size || len >= (int32_t)sizeof logged) {
        swvm_caller_trap(caller, "log: string out of bounds");
        return;
    }
    memcpy(logged, memory + ptr, (size_t)len);
    logged[len] = 0;
}

static int64_t count(swvm_caller_t *caller) {
    int64_t *counter = swvm_caller_user_data(caller);
    return ++*counter;
}

static void divmod(int32_t a, int32_t b, int32_t *q, int32_t *r) { *q = a / b; *r = a % b; }

static void check(swvm_caller_t *caller, int32_t v) {
    if (v < 0) swvm_caller_trap(caller, "check: negative input");
}

static double scale(double x, float f) { return x * f; }

static unsigned char *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
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

static swvm_val_t i32(int32_t v) { swvm_val_t x = {.kind = SWVM_I32}; x.of.i32 = v; return x; }

int main(int argc, char **argv) {
    size_t size;
    unsigned char *bytes = read_file(argc > 1 ? argv[1] : "host.wasm", &size);
    if (!bytes) { printf("cannot read module\n"); return 1; }
    swvm_engine_t *engine = swvm_engine_new();
    swvm_module_t *module;
    ok(swvm_module_new(engine, bytes, size, &module), "load");
    free(bytes);

    int64_t counter = 100;
    swvm_linker_t *linker = swvm_linker_new(engine);
    ok(swvm_linker_define_func(linker, "env", "add", "i(ii)", (void (*)(void))add, NULL, 0), "define add");
    ok(swvm_linker_define_func(linker, "env", "log", "(ii)", (void (*)(void))log_string, NULL, SWVM_FUNC_WITH_CALLER), "define log");
    ok(swvm_linker_define_func(linker, "env", "count", "I()", (void (*)(void))count, &counter, SWVM_FUNC_WITH_CALLER), "define count");
    ok(swvm_linker_define_func(linker, "env", "divmod", "ii(ii)", (void (*)(void))divmod, NULL, 0), "define divmod");
    ok(swvm_linker_define_func(linker, "env", "check", "(i)", (void (*)(void))check, NULL, SWVM_FUNC_WITH_CALLER), "define check");
    swvm_valkind_t scale_params[] = {SWVM_F64, SWVM_F32}, scale_results[] = {SWVM_F64};
    ok(swvm_linker_define_func_typed(linker, "env", "scale", scale_params, 2, scale_results, 1, (void (*)(void))scale, NULL, 0), "define scale");

    /* A bad signature is caught at definition; a mismatched one at instantiation. */
    swvm_error_t *err = swvm_linker_define_func(linker, "env", "bad", "i(ix)", (void (*)(void))add, NULL, 0);
    CHECK(err && swvm_error_kind(err) == SWVM_ERROR_USAGE, "malformed signature accepted");
    swvm_error_free(err);

    swvm_val_t limit = i32(7);
    swvm_global_t *limit_global;
    ok(swvm_global_new(engine, &limit, 0, &limit_global), "global_new");
    ok(swvm_linker_define_global(linker, "env", "limit", limit_global), "define limit");
    swvm_memory_t *mem_in;
    ok(swvm_memory_new(engine, 1, 4, &mem_in), "memory_new");
    ok(swvm_linker_define_memory(linker, "env", "memory", mem_in), "define memory");

    swvm_instance_t *instance;
    ok(swvm_linker_instantiate(linker, module, &instance), "instantiate");

    swvm_func_t *f;
    swvm_val_t args[2], res[1];
    ok(swvm_instance_func(instance, "add_twice", &f), "lookup");
    args[0] = i32(40); args[1] = i32(1);
    ok(swvm_func_call(f, args, 2, res, 1), "add_twice");
    CHECK(res[0].of.i32 == 42, "add_twice(40, 1) = %d", res[0].of.i32);
    swvm_func_free(f);

    ok(swvm_instance_func(instance, "greet", &f), "lookup");
    ok(swvm_func_call(f, NULL, 0, NULL, 0), "greet");
    CHECK(strcmp(logged, "hello from wasm") == 0, "logged \"%s\"", logged);
    printf("wasm said: %s\n", logged);
    swvm_func_free(f);

    ok(swvm_instance_func(instance, "count3", &f), "lookup");
    ok(swvm_func_call(f, NULL, 0, res, 1), "count3");
    CHECK(res[0].of.i64 == 103 && counter == 103, "count3 = %lld, counter %lld", (long long)res[0].of.i64, (long long)counter);
    swvm_func_free(f);

    ok(swvm_instance_func(instance, "divmod_sum", &f), "lookup");
    args[0] = i32(17); args[1] = i32(5);
    ok(swvm_func_call(f, args, 2, res, 1), "divmod_sum");
    CHECK(res[0].of.i32 == 3 + 2, "divmod_sum(17, 5) = %d", res[0].of.i32);
    swvm_func_free(f);

    ok(swvm_instance_func(instance, "checked", &f), "lookup");
    args[0] = i32(-1);
    err = swvm_func_call(f, args, 1, res, 1);
    CHECK(err && swvm_error_kind(err) == SWVM_ERROR_TRAP && strcmp(swvm_error_message(err), "check: negative input") == 0,
          "host trap: %s", err ? swvm_error_message(err) : "none");
    if (err) printf("host trap came back as: %s\n", swvm_error_message(err));
    swvm_error_free(err);
    args[0] = i32(21);
    ok(swvm_func_call(f, args, 1, res, 1), "checked after a trap");
    CHECK(res[0].of.i32 == 42, "checked(21) = %d", res[0].of.i32);
    swvm_func_free(f);

    ok(swvm_instance_func(instance, "scaled", &f), "lookup");
    swvm_val_t x = {.kind = SWVM_F64, .of.f64 = 3.0};
    ok(swvm_func_call(f, &x, 1, res, 1), "scaled");
    CHECK(res[0].of.f64 == 1.5, "scaled(3) = %f", res[0].of.f64);
    swvm_func_free(f);

    ok(swvm_instance_func(instance, "limit", &f), "lookup");
    ok(swvm_func_call(f, NULL, 0, res, 1), "limit");
    CHECK(res[0].of.i32 == 7, "limit = %d", res[0].of.i32);
    swvm_func_free(f);

    /* Exports: enumeration, memory and globals. */
    size_t n = swvm_instance_export_count(instance);
    printf("%zu exports:", n);
    for (size_t i = 0; i < n; i++) printf(" %s(%d)", swvm_instance_export_name(instance, i), swvm_instance_export_kind(instance, i));
    printf("\n");
    CHECK(n == 9 && swvm_instance_export_kind(instance, 0) == SWVM_EXTERN_MEMORY && strcmp(swvm_instance_export_name(instance, 2), "add_twice") == 0, "export enumeration");
    CHECK(swvm_instance_export_name(instance, n) == NULL && swvm_instance_export_kind(instance, n) == -1, "export out of range");

    swvm_memory_t *memory;
    ok(swvm_instance_memory(instance, "memory", &memory), "memory lookup");
    uint8_t *data = swvm_memory_data(memory);
    CHECK(swvm_memory_size(memory) == 65536 && memcmp(data + 16, "hello", 5) == 0, "memory contents");
    CHECK(data == swvm_memory_data(mem_in), "the exported memory is the host's memory");
    uint64_t old = 0;
    ok(swvm_memory_grow(memory, 2, &old), "grow");
    CHECK(old == 1 && swvm_memory_size(memory) == 3 * 65536 && swvm_memory_data(memory) == data, "grow keeps the address");
    err = swvm_memory_grow(memory, 2, &old);
    CHECK(err && swvm_error_kind(err) == SWVM_ERROR_LIMIT, "growing past the maximum");
    swvm_error_free(err);
    swvm_memory_free(memory);

    swvm_global_t *calls;
    ok(swvm_instance_global(instance, "calls", &calls), "global lookup");
    swvm_val_t v;
    ok(swvm_global_get(calls, &v), "global get");
    CHECK(v.kind == SWVM_I32 && v.of.i32 == 1, "calls = %d", v.of.i32);
    swvm_val_t nine = i32(9);
    ok(swvm_global_set(calls, &nine), "global set");
    ok(swvm_global_get(calls, &v), "global get");
    CHECK(v.of.i32 == 9, "calls after set = %d", v.of.i32);
    err = swvm_global_set(limit_global, &nine);
    CHECK(err && swvm_error_kind(err) == SWVM_ERROR_USAGE, "setting an immutable global");
    swvm_error_free(err);
    swvm_global_free(calls);

    /* A missing import is a link error naming it. */
    swvm_linker_t *empty = swvm_linker_new(engine);
    swvm_instance_t *none = NULL;
    err = swvm_linker_instantiate(empty, module, &none);
    CHECK(err && swvm_error_kind(err) == SWVM_ERROR_LINK && strstr(swvm_error_message(err), "env.add"), "missing import");
    if (err) printf("missing import: %s\n", swvm_error_message(err));
    swvm_error_free(err);
    /* A mismatched import names both types. */
    ok(swvm_linker_define_func(empty, "env", "add", "I(II)", (void (*)(void))add, NULL, 0), "define wrong add");
    err = swvm_linker_instantiate(empty, module, &none);
    CHECK(err && swvm_error_kind(err) == SWVM_ERROR_LINK && strstr(swvm_error_message(err), "(i32 i32) -> (i32)"), "mismatched import");
    if (err) printf("mismatched import: %s\n", swvm_error_message(err));
    swvm_error_free(err);
    swvm_linker_free(empty);

    swvm_instance_free(instance);
    swvm_global_free(limit_global);
    swvm_memory_free(mem_in);
    swvm_linker_free(linker);
    swvm_module_free(module);
    swvm_engine_free(engine);
    printf("%d passed, %d failed\n", failures ? 0 : 1, failures);
    return failures ? 1 : 0;
}
