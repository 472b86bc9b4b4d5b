/* api_errors: bad input to every function of the C API must come back as an error with a
   message, never a crash. */
#include <stdio.h>
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

    printf("%d passed, %d failed\n", failures ? 0 : 1, failures);
    return failures ? 1 : 0;
}
