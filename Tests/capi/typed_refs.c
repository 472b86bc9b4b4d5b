/* Typed function references through the C API: every function reference is SWVM_FUNCREF to C,
   and what C hands to Wasm is checked against the declared type (a function of another type
   behind a (ref $t) would be called by call_ref with the wrong signature); call_ref of null
   traps with its own code.

   usage: typed_refs typed_refs.wasm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <swvm.h>
#include "capi_test.h"

static swvm_val_t funcref(void *ref) { swvm_val_t x; x.kind = SWVM_FUNCREF; x.of.ref = ref; return x; }

/* Calls a no-argument export returning one function reference. */
static swvm_val_t make(swvm_instance_t *instance, const char *name) {
    swvm_func_t *f;
    ok(swvm_instance_func(instance, name, &f), name);
    swvm_val_t r;
    ok(swvm_func_call(f, NULL, 0, &r, 1), name);
    swvm_func_free(f);
    return r;
}

/* The error of calling export `name` with one argument; *result gets an i32 result. */
static swvm_error_t *call1(swvm_instance_t *instance, const char *name, swvm_val_t arg, int32_t *result) {
    swvm_func_t *f;
    ok(swvm_instance_func(instance, name, &f), name);
    swvm_val_t r;
    swvm_error_t *err = swvm_func_call(f, &arg, 1, &r, 1);
    if (!err) *result = r.of.i32;
    swvm_func_free(f);
    return err;
}

static void expect_error(swvm_error_t *err, swvm_error_kind_t kind, const char *what) {
    check(err && swvm_error_kind(err) == kind, what);
    if (err) printf("%s: %s\n", what, swvm_error_message(err));
    swvm_error_free(err);
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: typed_refs typed_refs.wasm\n"); return 2; }
    swvm_engine_t *engine = swvm_engine_new();
    swvm_module_t *module = load_module(engine, argv[1]);
    swvm_instance_t *instance;
    ok(swvm_instance_new(engine, module, &instance), "instantiate");

    swvm_val_t answer = make(instance, "make"), other = make(instance, "make_other");
    check(answer.kind == SWVM_FUNCREF && answer.of.ref != NULL, "make returns a function reference");
    check(other.kind == SWVM_FUNCREF && other.of.ref != NULL, "make_other returns a function reference");

    int32_t r = 0;
    ok(call1(instance, "apply", answer, &r), "apply(answer)");
    check(r == 42, "call_ref of the reference");
    expect_error(call1(instance, "apply", other, &r), SWVM_ERROR_USAGE, "a function of another type");
    expect_error(call1(instance, "apply", funcref(NULL), &r), SWVM_ERROR_USAGE, "null for a non-nullable reference");

    swvm_error_t *err = call1(instance, "apply_nullable", funcref(NULL), &r);
    check(err && swvm_error_trap_code(err) == SWVM_TRAP_NULL_FUNCTION_REFERENCE, "call_ref of null traps");
    expect_error(err, SWVM_ERROR_TRAP, "call_ref of null");

    swvm_global_t *g;
    ok(swvm_instance_global(instance, "g", &g), "global g");
    expect_error(swvm_global_set(g, &other), SWVM_ERROR_USAGE, "a global of (ref null $t) refuses another type");
    ok(swvm_global_set(g, &answer), "set g");
    swvm_val_t v;
    ok(swvm_global_get(g, &v), "get g");
    check(v.kind == SWVM_FUNCREF && v.of.ref == answer.of.ref, "g holds the function");
    swvm_global_free(g);

    swvm_instance_free(instance);
    swvm_module_free(module);
    swvm_engine_free(engine);
    if (failures) { printf("%d failure(s)\n", failures); return 1; }
    printf("ok\n");
    return 0;
}
