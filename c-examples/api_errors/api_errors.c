/* api_errors: bad input to every function of the C API must come back as an error with a
   message, never a crash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <swvm.h>

static int failures = 0;

/* Expects an error of `kind` with a non-empty message; frees it. */
static void expect(swvm_error_t *err, swvm_error_kind_t kind, const char *what) {
    if (!err) { printf("FAIL %s: no error\n", what); failures++; return; }
    const char *msg = swvm_error_message(err);
    if (swvm_error_kind(err) != kind || !msg || !*msg) {
        printf("FAIL %s: kind %d, message \"%s\"\n", what, swvm_error_kind(err), msg ? msg : "(null)");
        failures++;
    } else {
        printf("ok   %s: %s\n", what, msg);
    }
    swvm_error_free(err);
}

/* (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
           (func (export "id64") (param i64) (result i64) local.get 0)) */
static const unsigned char module_bytes[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0c, 0x02, 0x60, 0x02, 0x7f, 0x7f, 0x01,
    0x7f, 0x60, 0x01, 0x7e, 0x01, 0x7e, 0x03, 0x03, 0x02, 0x00, 0x01, 0x07, 0x0e, 0x02, 0x03, 0x61,
    0x64, 0x64, 0x00, 0x00, 0x04, 0x69, 0x64, 0x36, 0x34, 0x00, 0x01, 0x0a, 0x0e, 0x02, 0x07, 0x00,
    0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b, 0x04, 0x00, 0x20, 0x00, 0x0b};

static const unsigned char full_bytes[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x15, 0x04, 0x60, 0x01, 0x7f, 0x00, 0x60,
    0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7e, 0x01, 0x7e, 0x60, 0x00, 0x02, 0x7f, 0x7f, 0x02,
    0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00, 0x03, 0x04, 0x03, 0x01, 0x02, 0x03,
    0x04, 0x05, 0x01, 0x70, 0x01, 0x02, 0x03, 0x05, 0x04, 0x01, 0x01, 0x01, 0x01, 0x06, 0x06, 0x01,
    0x7f, 0x00, 0x41, 0x03, 0x0b, 0x07, 0x23, 0x06, 0x03, 0x61, 0x64, 0x64, 0x00, 0x01, 0x04, 0x69,
    0x64, 0x36, 0x34, 0x00, 0x02, 0x04, 0x70, 0x61, 0x69, 0x72, 0x00, 0x03, 0x01, 0x67, 0x03, 0x00,
    0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x01, 0x74, 0x01, 0x00, 0x09, 0x07, 0x01, 0x00, 0x41, 0x00,
    0x0b, 0x01, 0x01, 0x0a, 0x15, 0x03, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b, 0x04, 0x00,
    0x20, 0x00, 0x0b, 0x06, 0x00, 0x41, 0x01, 0x41, 0x02, 0x0b};

/* (module (import "env" "f" (func (param i32))) add, id64, pair (two results), global g,
   memory mem (1 page, max 1), table t (funcref, 2, max 3, [add, null])) — for the linker,
   export, memory, global, table and native-pointer error paths. */
static void host_f(int32_t x) { (void)x; }

static void full_api_errors(void) {
    swvm_engine_t *engine = swvm_engine_new(), *other = swvm_engine_new();
    swvm_module_t *module = NULL;
    swvm_instance_t *instance = NULL;
    swvm_linker_t *linker = NULL;
    swvm_memory_t *memory = NULL, *foreign = NULL;
    swvm_global_t *global = NULL;
    swvm_func_t *pair = NULL, *add = NULL;
    swvm_val_t v = {.kind = SWVM_I32, .of.i32 = 1}, bad = {.kind = 77};
    void (*fp)(void) = NULL;
    if (swvm_module_new(engine, full_bytes, sizeof full_bytes, &module)) { printf("FAIL load full module\n"); failures++; return; }

    /* Linker */
    if (swvm_linker_new(NULL) != NULL) { printf("FAIL linker_new(NULL)\n"); failures++; }
    linker = swvm_linker_new(engine);
    expect(swvm_linker_instantiate(linker, module, &instance), SWVM_ERROR_LINK, "linker_instantiate missing import");
    expect(swvm_linker_define_func(NULL, "env", "f", "(i)", (void (*)(void))host_f, NULL, 0), SWVM_ERROR_USAGE, "define_func NULL linker");
    expect(swvm_linker_define_func(linker, NULL, "f", "(i)", (void (*)(void))host_f, NULL, 0), SWVM_ERROR_USAGE, "define_func NULL module");
    expect(swvm_linker_define_func(linker, "env", "f", NULL, (void (*)(void))host_f, NULL, 0), SWVM_ERROR_USAGE, "define_func NULL signature");
    expect(swvm_linker_define_func(linker, "env", "f", "(i)", NULL, NULL, 0), SWVM_ERROR_USAGE, "define_func NULL function");
    expect(swvm_linker_define_func(linker, "env", "f", "(q)", (void (*)(void))host_f, NULL, 0), SWVM_ERROR_USAGE, "define_func unknown letter");
    expect(swvm_linker_define_func(linker, "env", "f", "i(i", (void (*)(void))host_f, NULL, 0), SWVM_ERROR_USAGE, "define_func unbalanced");
    expect(swvm_linker_define_func(linker, "env", "f", "(i)", (void (*)(void))host_f, NULL, 8), SWVM_ERROR_USAGE, "define_func unknown flag");
    swvm_valkind_t kinds[] = {SWVM_I32, (swvm_valkind_t)42};
    expect(swvm_linker_define_func_typed(linker, "env", "f", NULL, 1, NULL, 0, (void (*)(void))host_f, NULL, 0), SWVM_ERROR_USAGE, "define_func_typed NULL params");
    expect(swvm_linker_define_func_typed(linker, "env", "f", kinds, 2, NULL, 0, (void (*)(void))host_f, NULL, 0), SWVM_ERROR_USAGE, "define_func_typed unknown kind");
    /* Mismatched signature: caught at instantiation, naming both types. */
    if (swvm_linker_define_func(linker, "env", "f", "(I)", (void (*)(void))host_f, NULL, 0)) { printf("FAIL define\n"); failures++; }
    expect(swvm_linker_instantiate(linker, module, &instance), SWVM_ERROR_LINK, "linker_instantiate mismatched signature");
    if (swvm_linker_define_func_typed(linker, "env", "f", kinds, 1, NULL, 0, (void (*)(void))host_f, NULL, 0)) { printf("FAIL define\n"); failures++; }
    expect(swvm_linker_instantiate(NULL, module, &instance), SWVM_ERROR_USAGE, "linker_instantiate NULL linker");
    expect(swvm_linker_instantiate(linker, NULL, &instance), SWVM_ERROR_USAGE, "linker_instantiate NULL module");
    expect(swvm_linker_instantiate(linker, module, NULL), SWVM_ERROR_USAGE, "linker_instantiate NULL out");
    if (swvm_linker_instantiate(linker, module, &instance)) { printf("FAIL instantiate full module\n"); failures++; return; }
    expect(swvm_linker_define_instance(NULL, "m", instance), SWVM_ERROR_USAGE, "define_instance NULL linker");
    expect(swvm_linker_define_instance(linker, NULL, instance), SWVM_ERROR_USAGE, "define_instance NULL name");
    expect(swvm_linker_define_instance(linker, "m", NULL), SWVM_ERROR_USAGE, "define_instance NULL instance");

    /* Exports */
    if (swvm_instance_export_count(NULL) != 0 || swvm_instance_export_name(NULL, 0) || swvm_instance_export_kind(NULL, 0) != -1
        || swvm_instance_export_count(instance) != 6 || swvm_instance_export_kind(instance, 6) != -1) {
        printf("FAIL export enumeration of bad input\n");
        failures++;
    }

    /* Memories */
    expect(swvm_instance_memory(NULL, "mem", &memory), SWVM_ERROR_USAGE, "instance_memory NULL instance");
    expect(swvm_instance_memory(instance, NULL, &memory), SWVM_ERROR_USAGE, "instance_memory NULL name");
    expect(swvm_instance_memory(instance, "mem", NULL), SWVM_ERROR_USAGE, "instance_memory NULL out");
    expect(swvm_instance_memory(instance, "g", &memory), SWVM_ERROR_USAGE, "instance_memory of a global");
    expect(swvm_memory_new(NULL, 1, 1, &memory), SWVM_ERROR_USAGE, "memory_new NULL engine");
    expect(swvm_memory_new(engine, 2, 1, &memory), SWVM_ERROR_INVALID, "memory_new min > max");
    expect(swvm_memory_new(engine, 70000, 0xFFFFFFFF, &memory), SWVM_ERROR_INVALID, "memory_new too large");
    expect(swvm_memory_grow(NULL, 1, NULL), SWVM_ERROR_USAGE, "memory_grow NULL");
    if (swvm_memory_data(NULL) || swvm_memory_size(NULL)) { printf("FAIL memory accessors of NULL\n"); failures++; }
    if (!swvm_instance_memory(instance, "mem", &memory)) {
        expect(swvm_memory_grow(memory, 1, NULL), SWVM_ERROR_LIMIT, "memory_grow past maximum");
        if (swvm_memory_size(memory) != 65536) { printf("FAIL failed grow changed the size\n"); failures++; }
    }
    /* 64-bit memories: sizes beyond 4 GiB, a maximum of 2^48 pages that is not reserved */
    expect(swvm_memory64_new(NULL, 1, 1, &memory), SWVM_ERROR_USAGE, "memory64_new NULL engine");
    expect(swvm_memory64_new(engine, 2, 1, &memory), SWVM_ERROR_INVALID, "memory64_new min > max");
    expect(swvm_memory64_new(engine, 1, (1ull << 48) + 1, &memory), SWVM_ERROR_INVALID, "memory64_new too large");
    swvm_memory_t *wide = NULL;
    if (!swvm_memory64_new(engine, 1, 1ull << 48, &wide)) {
        uint64_t old = 0;
        /* Past 4 GiB natively; under memcheck (ctest's memcheck_ run sets the variable) a few
           pages, since memcheck tracks every accessible byte and 4 GiB take it minutes. */
        const uint64_t grow = getenv("SWVM_UNDER_MEMCHECK") ? 16 : 70000;
        if (!swvm_memory_is64(wide) || swvm_memory_is64(NULL) || swvm_memory_max_pages(wide) != 1ull << 48) {
            printf("FAIL memory64 accessors\n");
            failures++;
        }
        swvm_memory_data(wide)[100] = 42;
        if (swvm_memory_grow(wide, grow, &old) != NULL || old != 1 || swvm_memory_pages(wide) != grow + 1 ||
            swvm_memory_size(wide) != (size_t)(grow + 1) * 65536 || swvm_memory_data(wide)[100] != 42) {
            printf("FAIL memory64 grows beyond 4 GiB\n");
            failures++;
        }
        swvm_memory_data(wide)[(size_t)(grow + 1) * 65536 - 1] = 7;  /* the last byte is accessible */
        expect(swvm_memory_grow(wide, UINT64_MAX, NULL), SWVM_ERROR_LIMIT, "memory64_grow past 2^48 pages");
        swvm_memory_free(wide);
    } else {
        printf("FAIL memory64_new\n");
        failures++;
    }
    expect(swvm_linker_define_memory(linker, "m", "mem", NULL), SWVM_ERROR_USAGE, "define_memory NULL memory");
    expect(swvm_linker_define_memory(NULL, "m", "mem", memory), SWVM_ERROR_USAGE, "define_memory NULL linker");
    if (!swvm_memory_new(other, 1, 1, &foreign)) {
        expect(swvm_linker_define_memory(linker, "m", "mem", foreign), SWVM_ERROR_USAGE, "define_memory of another engine");
    }

    /* Globals */
    expect(swvm_instance_global(instance, "mem", &global), SWVM_ERROR_USAGE, "instance_global of a memory");
    expect(swvm_global_new(NULL, &v, 0, &global), SWVM_ERROR_USAGE, "global_new NULL engine");
    expect(swvm_global_new(engine, NULL, 0, &global), SWVM_ERROR_USAGE, "global_new NULL value");
    expect(swvm_global_new(engine, &bad, 0, &global), SWVM_ERROR_USAGE, "global_new unknown kind");
    expect(swvm_global_get(NULL, &v), SWVM_ERROR_USAGE, "global_get NULL");
    expect(swvm_global_set(NULL, &v), SWVM_ERROR_USAGE, "global_set NULL");
    if (!swvm_instance_global(instance, "g", &global)) {
        expect(swvm_global_get(global, NULL), SWVM_ERROR_USAGE, "global_get NULL out");
        expect(swvm_global_set(global, &v), SWVM_ERROR_USAGE, "global_set immutable");
        swvm_global_free(global);
    }
    if (!swvm_global_new(engine, &v, 1, &global)) {
        swvm_val_t wide = {.kind = SWVM_I64, .of.i64 = 5};
        expect(swvm_global_set(global, &wide), SWVM_ERROR_USAGE, "global_set wrong kind");
        expect(swvm_linker_define_global(linker, NULL, "g", global), SWVM_ERROR_USAGE, "define_global NULL module");
        expect(swvm_linker_define_global(linker, "m", "g", NULL), SWVM_ERROR_USAGE, "define_global NULL global");
        swvm_global_free(global);
    }

    /* Tables */
    swvm_table_t *table = NULL;
    expect(swvm_instance_table(instance, "mem", &table), SWVM_ERROR_USAGE, "instance_table of a memory");
    expect(swvm_instance_table(NULL, "t", &table), SWVM_ERROR_USAGE, "instance_table NULL instance");
    expect(swvm_table_get(NULL, 0, &v), SWVM_ERROR_USAGE, "table_get NULL");
    expect(swvm_table_set(NULL, 0, &v), SWVM_ERROR_USAGE, "table_set NULL");
    expect(swvm_table_grow(NULL, 1, NULL, NULL), SWVM_ERROR_USAGE, "table_grow NULL");
    if (swvm_table_kind(NULL) != -1 || swvm_table_size(NULL) != 0) { printf("FAIL table accessors of NULL\n"); failures++; }
    if (!swvm_instance_table(instance, "t", &table)) {
        swvm_val_t e0, e1;
        uint32_t old = 0;
        if (swvm_table_kind(table) != SWVM_FUNCREF || swvm_table_size(table) != 2) { printf("FAIL table type\n"); failures++; }
        if (swvm_table_get(table, 0, &e0) || swvm_table_get(table, 1, &e1) || !e0.of.ref || e1.of.ref || e0.kind != SWVM_FUNCREF) {
            printf("FAIL table contents\n");
            failures++;
        }
        expect(swvm_table_get(table, 5, &e1), SWVM_ERROR_USAGE, "table_get out of bounds");
        expect(swvm_table_get(table, 0, NULL), SWVM_ERROR_USAGE, "table_get NULL out");
        expect(swvm_table_set(table, 1, &v), SWVM_ERROR_USAGE, "table_set wrong kind");
        expect(swvm_table_set(table, 7, &e0), SWVM_ERROR_USAGE, "table_set out of bounds");
        if (swvm_table_set(table, 1, &e0) || swvm_table_get(table, 1, &e1) || e1.of.ref != e0.of.ref) { printf("FAIL table_set\n"); failures++; }
        if (swvm_table_grow(table, 1, NULL, &old) || old != 2 || swvm_table_size(table) != 3) { printf("FAIL table_grow\n"); failures++; }
        expect(swvm_table_grow(table, 1, NULL, &old), SWVM_ERROR_LIMIT, "table_grow past maximum");
        swvm_table_free(table);
    }
    swvm_memory_t *exported = NULL;
    if (!swvm_instance_memory(instance, "mem", &exported)) {
        if (swvm_memory_max_pages(exported) != 1 || swvm_memory_max_pages(NULL) != 0) { printf("FAIL memory_max_pages\n"); failures++; }
        swvm_memory_free(exported);
    }
    if (!swvm_instance_global(instance, "g", &global)) {
        if (swvm_global_mutable(global) != 0 || swvm_global_mutable(NULL) != 0) { printf("FAIL global_mutable\n"); failures++; }
        swvm_global_free(global);
    }

    /* Callers (outside a host function) */
    size_t size = 7;
    if (swvm_caller_user_data(NULL) || swvm_caller_memory(NULL, &size) || size != 0) { printf("FAIL caller accessors of NULL\n"); failures++; }
    swvm_caller_trap(NULL, "ignored");

    /* Native pointers */
    expect(swvm_func_native(NULL, &fp), SWVM_ERROR_USAGE, "func_native NULL func");
    if (!swvm_instance_func(instance, "pair", &pair)) {
        expect(swvm_func_native(pair, &fp), SWVM_ERROR_USAGE, "func_native with two results");
        swvm_func_free(pair);
    }
    if (!swvm_instance_func(instance, "add", &add)) {
        expect(swvm_func_native(add, NULL), SWVM_ERROR_USAGE, "func_native NULL out");
        swvm_func_free(add);
    }
    if (swvm_last_trap() != NULL) { printf("FAIL last_trap before any native call\n"); failures++; }

    swvm_memory_free(foreign);
    swvm_memory_free(memory);
    swvm_instance_free(instance);
    swvm_linker_free(linker);
    swvm_module_free(module);
    swvm_engine_free(other);
    swvm_engine_free(engine);
}

int main(void) {
    swvm_engine_t *engine = swvm_engine_new();
    swvm_module_t *module = NULL;
    swvm_instance_t *instance = NULL;
    swvm_func_t *add = NULL;
    swvm_val_t args[2] = {{.kind = SWVM_I32, .of.i32 = 1}, {.kind = SWVM_I32, .of.i32 = 2}};
    swvm_val_t result;

    /* Modules */
    expect(swvm_module_new(NULL, module_bytes, sizeof module_bytes, &module), SWVM_ERROR_USAGE, "module_new NULL engine");
    expect(swvm_module_new(engine, NULL, 10, &module), SWVM_ERROR_USAGE, "module_new NULL bytes");
    expect(swvm_module_new(engine, module_bytes, sizeof module_bytes, NULL), SWVM_ERROR_USAGE, "module_new NULL out");
    const unsigned char garbage[] = "this is not wasm";
    expect(swvm_module_new(engine, garbage, sizeof garbage, &module), SWVM_ERROR_MALFORMED, "module_new garbage");
    expect(swvm_module_new(engine, module_bytes, 20, &module), SWVM_ERROR_MALFORMED, "module_new truncated");
    unsigned char invalid[sizeof module_bytes];
    memcpy(invalid, module_bytes, sizeof module_bytes);
    invalid[52] = 0x7c; /* i32.add -> i64.add: type mismatch */
    expect(swvm_module_new(engine, invalid, sizeof invalid, &module), SWVM_ERROR_INVALID, "module_new invalid");
    if (module) { printf("FAIL out written on error\n"); failures++; }
    swvm_error_t *err = swvm_module_new(engine, module_bytes, sizeof module_bytes, &module);
    if (err) { printf("FAIL valid module: %s\n", swvm_error_message(err)); return 1; }

    /* Instances */
    expect(swvm_instance_new(NULL, module, &instance), SWVM_ERROR_USAGE, "instance_new NULL engine");
    expect(swvm_instance_new(engine, NULL, &instance), SWVM_ERROR_USAGE, "instance_new NULL module");
    expect(swvm_instance_new(engine, module, NULL), SWVM_ERROR_USAGE, "instance_new NULL out");
    expect(swvm_instance_new((swvm_engine_t *)module, module, &instance), SWVM_ERROR_USAGE, "instance_new wrong handle kind");
    err = swvm_instance_new(engine, module, &instance);
    if (err) { printf("FAIL instantiate: %s\n", swvm_error_message(err)); return 1; }

    /* Lookups */
    expect(swvm_instance_func(NULL, "add", &add), SWVM_ERROR_USAGE, "instance_func NULL instance");
    expect(swvm_instance_func(instance, NULL, &add), SWVM_ERROR_USAGE, "instance_func NULL name");
    expect(swvm_instance_func(instance, "add", NULL), SWVM_ERROR_USAGE, "instance_func NULL out");
    expect(swvm_instance_func(instance, "nope", &add), SWVM_ERROR_USAGE, "instance_func unknown export");
    err = swvm_instance_func(instance, "add", &add);
    if (err) { printf("FAIL lookup: %s\n", swvm_error_message(err)); return 1; }

    /* Calls */
    expect(swvm_func_call(NULL, args, 2, &result, 1), SWVM_ERROR_USAGE, "func_call NULL func");
    expect(swvm_func_call(add, args, 1, &result, 1), SWVM_ERROR_USAGE, "func_call too few args");
    expect(swvm_func_call(add, args, 3, &result, 1), SWVM_ERROR_USAGE, "func_call too many args");
    expect(swvm_func_call(add, NULL, 2, &result, 1), SWVM_ERROR_USAGE, "func_call NULL args");
    expect(swvm_func_call(add, args, 2, NULL, 1), SWVM_ERROR_USAGE, "func_call NULL results");
    expect(swvm_func_call(add, args, 2, &result, 0), SWVM_ERROR_USAGE, "func_call wrong result count");
    swvm_val_t wrong[2] = {{.kind = SWVM_I64, .of.i64 = 1}, {.kind = SWVM_I32, .of.i32 = 2}};
    expect(swvm_func_call(add, wrong, 2, &result, 1), SWVM_ERROR_USAGE, "func_call wrong arg kind");
    swvm_val_t bogus[2] = {{.kind = 99, .of.i32 = 1}, {.kind = SWVM_I32, .of.i32 = 2}};
    expect(swvm_func_call(add, bogus, 2, &result, 1), SWVM_ERROR_USAGE, "func_call unknown kind");

    /* Introspection of NULL and out-of-range */
    if (swvm_func_param_count(NULL) != 0 || swvm_func_param_kind(add, 5) != -1 || swvm_func_result_kind(NULL, 0) != -1) {
        printf("FAIL introspection of bad input\n");
        failures++;
    }
    if (swvm_func_param_count(add) != 2 || swvm_func_param_kind(add, 1) != SWVM_I32 || swvm_func_result_count(add) != 1) {
        printf("FAIL introspection\n");
        failures++;
    }
    /* Error accessors on NULL */
    if (swvm_error_kind(NULL) != SWVM_ERROR_USAGE || !swvm_error_message(NULL)) { printf("FAIL error accessors on NULL\n"); failures++; }

    /* Freeing in "wrong" order is allowed: the engine first, then the rest still works. */
    swvm_engine_free(engine);
    swvm_module_free(module);
    swvm_instance_free(instance);
    err = swvm_func_call(add, args, 2, &result, 1);
    if (err || result.of.i32 != 3) { printf("FAIL call after freeing engine and instance\n"); failures++; }
    swvm_error_free(err);
    swvm_func_free(add);
    /* NULL frees are ignored. */
    swvm_func_free(NULL); swvm_instance_free(NULL); swvm_module_free(NULL); swvm_engine_free(NULL); swvm_error_free(NULL);

    full_api_errors();
    printf("%d passed, %d failed\n", failures ? 0 : 1, failures);
    return failures ? 1 : 0;
}
