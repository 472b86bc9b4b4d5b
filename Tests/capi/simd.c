/* v128 values through the C API: swvm_func_call with SWVM_V128 arguments and results, v128
   globals (exported, and made by the host), host functions with 'V' in their signature (a
   v128 result by value, and one of several results through a pointer), and a native function
   pointer taking and returning swvm_v128_t.

   usage: simd simd.wasm */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <swvm.h>
#include "capi_test.h"


static swvm_v128_t i32x4(int32_t a, int32_t b, int32_t c, int32_t d) {
    swvm_v128_t v;
    int32_t lanes[4] = {a, b, c, d};
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 4; k++) v.bytes[4 * i + k] = (uint8_t)((uint32_t)lanes[i] >> (8 * k));
    return v;
}

static int32_t lane(swvm_v128_t v, int i) {
    uint32_t x = 0;
    for (int k = 0; k < 4; k++) x |= (uint32_t)v.bytes[4 * i + k] << (8 * k);
    return (int32_t)x;
}

static int is(swvm_v128_t v, int32_t a, int32_t b, int32_t c, int32_t d) {
    return lane(v, 0) == a && lane(v, 1) == b && lane(v, 2) == c && lane(v, 3) == d;
}

/* "V(Vi)": every lane times k. */
static swvm_v128_t scale(swvm_v128_t v, int32_t k) {
    return i32x4(lane(v, 0) * k, lane(v, 1) * k, lane(v, 2) * k, lane(v, 3) * k);
}

/* "iVI(iV)": (k, v) -> (k + 1, v with lane 0 += 100, 1000) through result pointers. */
static void split(int32_t k, swvm_v128_t v, int32_t *r0, swvm_v128_t *r1, int64_t *r2) {
    *r0 = k + 1;
    *r1 = i32x4(lane(v, 0) + 100, lane(v, 1), lane(v, 2), lane(v, 3));
    *r2 = 1000;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: simd simd.wasm\n"); return 2; }
    swvm_engine_t *engine = swvm_engine_new();
    swvm_module_t *module = load_module(engine, argv[1]);
    swvm_linker_t *linker = swvm_linker_new(engine);
    ok(swvm_linker_define_func(linker, "env", "scale", "V(Vi)", (void (*)(void))scale, NULL, 0), "define scale");
    ok(swvm_linker_define_func(linker, "env", "split", "iVI(iV)", (void (*)(void))split, NULL, 0), "define split");
    swvm_instance_t *instance;
    ok(swvm_linker_instantiate(linker, module, &instance), "instantiate");

    /* A call with v128 arguments and a v128 result. */
    swvm_func_t *add4;
    ok(swvm_instance_func(instance, "add4", &add4), "add4");
    swvm_val_t args[2] = {{.kind = SWVM_V128}, {.kind = SWVM_V128}};
    args[0].of.v128 = i32x4(1, 2, 3, -4);
    args[1].of.v128 = i32x4(10, 20, 30, 40);
    swvm_val_t result;
    ok(swvm_func_call(add4, args, 2, &result, 1), "call add4");
    check(result.kind == SWVM_V128 && is(result.of.v128, 11, 22, 33, 36), "add4 result");

    /* A wrong kind is a usage error, not a misread. */
    args[1].kind = SWVM_I64;
    swvm_error_t *err = swvm_func_call(add4, args, 2, &result, 1);
    check(err && swvm_error_kind(err) == SWVM_ERROR_USAGE, "add4 with an i64 argument");
    swvm_error_free(err);

    /* The same export as a native function pointer. */
    void (*native)(void);
    ok(swvm_func_native(add4, &native), "native add4");
    swvm_v128_t (*add4_native)(swvm_v128_t, swvm_v128_t) = (swvm_v128_t (*)(swvm_v128_t, swvm_v128_t))native;
    check(is(add4_native(i32x4(1, 1, 1, 1), i32x4(-1, 5, 6, 7)), 0, 6, 7, 8), "native add4 result");

    /* Host functions with v128 in their signatures. */
    swvm_func_t *use_host, *use_split, *double_g;
    ok(swvm_instance_func(instance, "use_host", &use_host), "use_host");
    swvm_val_t v = {.kind = SWVM_V128};
    v.of.v128 = i32x4(1, -2, 3, 100);
    ok(swvm_func_call(use_host, &v, 1, &result, 1), "call use_host");
    check(is(result.of.v128, 4, -4, 12, 304), "use_host result (scale by 3, plus g)");
    ok(swvm_instance_func(instance, "use_split", &use_split), "use_split");
    ok(swvm_func_call(use_split, &v, 1, &result, 1), "call use_split");
    check(result.kind == SWVM_I32 && result.of.i32 == 101 + 8 + 1000, "use_split result");

    /* An exported v128 global: read, set, and seen by the guest. */
    swvm_global_t *g;
    ok(swvm_instance_global(instance, "g", &g), "global g");
    swvm_val_t gv;
    ok(swvm_global_get(g, &gv), "get g");
    check(gv.kind == SWVM_V128 && is(gv.of.v128, 1, 2, 3, 4), "g initial value");
    gv.of.v128 = i32x4(5, 6, 7, 8);
    ok(swvm_global_set(g, &gv), "set g");
    ok(swvm_instance_func(instance, "double_g", &double_g), "double_g");
    swvm_val_t two[2];
    ok(swvm_func_call(double_g, NULL, 0, two, 2), "call double_g");
    check(two[0].kind == SWVM_V128 && is(two[0].of.v128, 10, 12, 14, 16) && two[1].of.i32 == 16, "double_g results");
    ok(swvm_global_get(g, &gv), "get g again");
    check(is(gv.of.v128, 10, 12, 14, 16), "g after double_g");

    /* A host-made v128 global. */
    swvm_global_t *made;
    swvm_val_t init = {.kind = SWVM_V128};
    init.of.v128 = i32x4(-1, 0, 1, 2);
    ok(swvm_global_new(engine, &init, 1, &made), "global_new v128");
    ok(swvm_global_get(made, &gv), "get made");
    check(is(gv.of.v128, -1, 0, 1, 2), "made global value");

    swvm_global_free(made);
    swvm_global_free(g);
    swvm_func_free(double_g);
    swvm_func_free(use_split);
    swvm_func_free(use_host);
    swvm_func_free(add4);
    swvm_instance_free(instance);
    swvm_linker_free(linker);
    swvm_module_free(module);
    swvm_engine_free(engine);
    if (failures) { printf("%d failure(s)\n", failures); return 1; }
    printf("simd: all checks passed\n");
    return 0;
}
