/* Exceptions through the C API: a host-made tag imported by a module, a host function that
   throws it (swvm_caller_throw) into Wasm code that catches it, exceptions that leave the
   call as SWVM_ERROR_EXCEPTION errors with their tag and payload, and a bad throw.

   usage: exceptions exceptions.wasm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <swvm.h>
#include "capi_test.h"

static swvm_tag_t *host_tag;

/* throw_it(x) throws the host tag with payload (3x, x). */
static void throw_it(swvm_caller_t *caller, int32_t x) {
    swvm_val_t payload[2];
    payload[0].kind = SWVM_I32;
    payload[0].of.i32 = 3 * x;
    payload[1].kind = SWVM_I64;
    payload[1].of.i64 = x;
    swvm_caller_throw(caller, host_tag, payload, 2);
}

/* A payload of the wrong length: the call traps instead. */
static void throw_bad(swvm_caller_t *caller) {
    swvm_caller_throw(caller, host_tag, NULL, 0);
}

static swvm_val_t i32(int32_t v) { swvm_val_t x; x.kind = SWVM_I32; x.of.i32 = v; return x; }

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: exceptions exceptions.wasm\n"); return 2; }
    swvm_engine_t *engine = swvm_engine_new();
    swvm_module_t *module = load_module(engine, argv[1]);

    swvm_valkind_t params[2] = {SWVM_I32, SWVM_I64};
    ok(swvm_tag_new(engine, params, 2, &host_tag), "tag_new");
    swvm_valkind_t got[2];
    check(swvm_tag_params(host_tag, got, 2) == 2 && got[0] == SWVM_I32 && got[1] == SWVM_I64, "tag params");
    swvm_linker_t *linker = swvm_linker_new(engine);
    ok(swvm_linker_define_tag(linker, "host", "tag", host_tag), "define tag");
    ok(swvm_linker_define_func(linker, "host", "throw_it", "(i)", (void (*)(void))throw_it, NULL, SWVM_FUNC_WITH_CALLER), "define throw_it");
    ok(swvm_linker_define_func(linker, "host", "throw_bad", "()", (void (*)(void))throw_bad, NULL, SWVM_FUNC_WITH_CALLER), "define throw_bad");
    swvm_instance_t *instance;
    ok(swvm_linker_instantiate(linker, module, &instance), "instantiate");

    /* Thrown by the host, caught by Wasm. */
    swvm_func_t *f;
    ok(swvm_instance_func(instance, "catch_host", &f), "catch_host");
    swvm_val_t arg = i32(5), result;
    ok(swvm_func_call(f, &arg, 1, &result, 1), "call catch_host");
    check(result.kind == SWVM_I32 && result.of.i32 == 15, "caught the host's payload");
    swvm_func_free(f);

    /* Thrown by the host, not caught: the error carries the tag and payload. */
    ok(swvm_instance_func(instance, "pass_through", &f), "pass_through");
    arg = i32(4);
    swvm_error_t *err = swvm_func_call(f, &arg, 1, NULL, 0);
    check(err && swvm_error_kind(err) == SWVM_ERROR_EXCEPTION, "uncaught host exception is SWVM_ERROR_EXCEPTION");
    check(swvm_error_trap_code(err) == SWVM_TRAP_UNCAUGHT_EXCEPTION, "its trap code");
    swvm_tag_t *tag = swvm_error_exception_tag(err);
    check(swvm_tag_same(tag, host_tag), "its tag is the host's");
    swvm_val_t payload[2];
    check(swvm_error_exception_payload(err, payload, 2) == 2, "payload length");
    check(payload[0].kind == SWVM_I32 && payload[0].of.i32 == 12 && payload[1].kind == SWVM_I64 && payload[1].of.i64 == 4,
          "payload values");
    printf("uncaught: %s\n", swvm_error_message(err));
    swvm_tag_free(tag);
    swvm_error_free(err);
    swvm_func_free(f);

    /* Thrown by Wasm with a tag of its own. */
    ok(swvm_instance_func(instance, "throw_own", &f), "throw_own");
    swvm_val_t d;
    d.kind = SWVM_F64;
    d.of.f64 = 2.5;
    err = swvm_func_call(f, &d, 1, NULL, 0);
    swvm_tag_t *own;
    ok(swvm_instance_tag(instance, "own", &own), "export own");
    tag = swvm_error_exception_tag(err);
    check(swvm_error_kind(err) == SWVM_ERROR_EXCEPTION && swvm_tag_same(tag, own) && !swvm_tag_same(tag, host_tag),
          "the module's own tag");
    check(swvm_error_exception_payload(err, payload, 2) == 1 && payload[0].kind == SWVM_F64 && payload[0].of.f64 == 2.5,
          "f64 payload");
    check(swvm_error_exception_tag(NULL) == NULL && swvm_error_exception_payload(NULL, NULL, 0) == 0, "NULL error");
    swvm_tag_free(tag);
    swvm_tag_free(own);
    swvm_error_free(err);
    swvm_func_free(f);

    /* A throw with a wrong payload traps with a message. */
    ok(swvm_instance_func(instance, "bad", &f), "bad");
    err = swvm_func_call(f, NULL, 0, NULL, 0);
    check(err && swvm_error_kind(err) == SWVM_ERROR_TRAP && strstr(swvm_error_message(err), "payload"), "bad throw traps");
    if (err) printf("bad throw: %s\n", swvm_error_message(err));
    check(swvm_error_exception_tag(err) == NULL, "a trap has no exception");
    swvm_error_free(err);
    swvm_func_free(f);

    swvm_tag_free(host_tag);
    swvm_instance_free(instance);
    swvm_linker_free(linker);
    swvm_module_free(module);
    swvm_engine_free(engine);
    if (failures) { printf("%d failure(s)\n", failures); return 1; }
    printf("ok\n");
    return 0;
}
