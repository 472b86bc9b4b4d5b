/* The standard C API (include/wasm.h) end to end: types, modules (imports, exports,
   validation, serialization, sharing across threads), instances with imports of every kind,
   host functions with and without an environment (finalizers run), globals, tables, memories,
   externs, traps with message, origin and trace, foreign objects and host info, and bad input
   answered with NULL / false rather than a crash.

   usage: wasm_api wasm_api.wasm */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasm.h>

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL line %d: %s\n", __LINE__, #cond); failures++; } } while (0)

static int add_calls, env_finalized, foreign_finalized, instance_finalized;

static wasm_trap_t *add(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
    add_calls++;
    results->data[0].kind = WASM_I32;
    results->data[0].of.i32 = args->data[0].of.i32 + args->data[1].of.i32;
    return NULL;
}

/* (i64, f64) -> (f64, i64), with the store as environment to make traps in. */
static wasm_trap_t *swap(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
    (void)env;
    results->data[0].kind = WASM_F64;
    results->data[0].of.f64 = args->data[1].of.f64;
    results->data[1].kind = WASM_I64;
    results->data[1].of.i64 = args->data[0].of.i64;
    return NULL;
}

static wasm_trap_t *fail(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
    (void)args, (void)results;
    wasm_message_t message;
    wasm_name_new_from_string_nt(&message, "host says no");
    wasm_trap_t *trap = wasm_trap_new((wasm_store_t *)env, &message);
    wasm_name_delete(&message);
    return trap;
}

static void count_env(void *env) { (void)env; env_finalized++; }
static void count_foreign(void *info) { CHECK(info == (void *)42); foreign_finalized++; }
static void count_instance(void *info) { (void)info; instance_finalized++; }

static wasm_byte_vec_t read_file(const char *path) {
    wasm_byte_vec_t binary;
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "cannot read %s\n", path); exit(1); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    wasm_byte_vec_new_uninitialized(&binary, (size_t)n);
    if (fread(binary.data, 1, (size_t)n, f) != (size_t)n) exit(1);
    fclose(f);
    return binary;
}

/* The message of a trap (and deletes the trap), into a static buffer. */
static const char *message_of(wasm_trap_t *trap) {
    static char text[256];
    wasm_message_t m;
    wasm_trap_message(trap, &m);
    snprintf(text, sizeof text, "%s", m.size ? m.data : "");
    CHECK(m.size > 0 && m.data[m.size - 1] == '\0');
    wasm_byte_vec_delete(&m);
    wasm_trap_delete(trap);
    return text;
}

static wasm_func_t *export_func(const wasm_extern_vec_t *exports, size_t i) {
    wasm_func_t *f = i < exports->size ? wasm_extern_as_func(exports->data[i]) : NULL;
    if (!f) { printf("FAIL export %zu is not a function\n", i); exit(1); }
    return f;
}

static void test_types(void) {
    wasm_valtype_t *i32 = wasm_valtype_new_i32();
    CHECK(wasm_valtype_kind(i32) == WASM_I32 && wasm_valtype_is_num(i32));
    wasm_valtype_t *copy = wasm_valtype_copy(i32);
    CHECK(wasm_valtype_kind(copy) == WASM_I32);
    wasm_valtype_delete(copy);
    CHECK(wasm_valtype_new(7) == NULL);

    wasm_functype_t *ft = wasm_functype_new_2_1(i32, wasm_valtype_new_f64(), wasm_valtype_new_funcref());
    CHECK(wasm_functype_params(ft)->size == 2 && wasm_functype_results(ft)->size == 1);
    CHECK(wasm_valtype_kind(wasm_functype_params(ft)->data[1]) == WASM_F64);
    CHECK(wasm_valtype_kind(wasm_functype_results(ft)->data[0]) == WASM_FUNCREF);
    wasm_externtype_t *et = wasm_functype_as_externtype(ft);
    CHECK(wasm_externtype_kind(et) == WASM_EXTERN_FUNC && wasm_externtype_as_functype(et) == ft);
    CHECK(wasm_externtype_as_globaltype(et) == NULL && wasm_externtype_as_memorytype_const(et) == NULL);
    wasm_functype_t *ft2 = wasm_functype_copy(ft);
    wasm_functype_delete(ft);
    CHECK(wasm_functype_params(ft2)->size == 2);
    wasm_functype_delete(ft2);

    wasm_globaltype_t *gt = wasm_globaltype_new(wasm_valtype_new_i64(), WASM_VAR);
    CHECK(wasm_valtype_kind(wasm_globaltype_content(gt)) == WASM_I64 && wasm_globaltype_mutability(gt) == WASM_VAR);
    CHECK(wasm_externtype_kind(wasm_globaltype_as_externtype_const(gt)) == WASM_EXTERN_GLOBAL);
    wasm_globaltype_delete(gt);

    wasm_limits_t limits = {1, wasm_limits_max_default};
    wasm_tabletype_t *tt = wasm_tabletype_new(wasm_valtype_new_externref(), &limits);
    CHECK(wasm_tabletype_limits(tt)->min == 1 && wasm_tabletype_limits(tt)->max == wasm_limits_max_default);
    CHECK(wasm_valtype_kind(wasm_tabletype_element(tt)) == WASM_EXTERNREF);
    wasm_tabletype_delete(tt);

    wasm_limits_t pages = {2, 5};
    wasm_memorytype_t *mt = wasm_memorytype_new(&pages);
    CHECK(wasm_memorytype_limits(mt)->min == 2 && wasm_memorytype_limits(mt)->max == 5);
    wasm_externtype_t *mext = wasm_memorytype_as_externtype(mt);
    CHECK(wasm_externtype_kind(mext) == WASM_EXTERN_MEMORY && wasm_externtype_as_memorytype(mext) == mt);

    wasm_name_t module_name, name, name2;
    wasm_name_new_from_string(&module_name, "env");
    wasm_name_new_from_string(&name, "mem");
    wasm_importtype_t *it = wasm_importtype_new(&module_name, &name, mext);
    CHECK(wasm_importtype_module(it)->size == 3 && !memcmp(wasm_importtype_module(it)->data, "env", 3));
    CHECK(wasm_externtype_kind(wasm_importtype_type(it)) == WASM_EXTERN_MEMORY);
    wasm_importtype_vec_t its;
    wasm_importtype_vec_new(&its, 1, &it);
    wasm_importtype_vec_t its2;
    wasm_importtype_vec_copy(&its2, &its);
    CHECK(its2.size == 1 && wasm_importtype_name(its2.data[0])->size == 3);
    wasm_importtype_vec_delete(&its);
    wasm_importtype_vec_delete(&its2);

    wasm_name_new_from_string(&name2, "f");
    wasm_exporttype_t *xt = wasm_exporttype_new(&name2, wasm_functype_as_externtype(wasm_functype_new_0_0()));
    CHECK(wasm_exporttype_name(xt)->size == 1 && wasm_externtype_kind(wasm_exporttype_type(xt)) == WASM_EXTERN_FUNC);
    wasm_exporttype_delete(xt);

    wasm_valtype_vec_t empty;
    wasm_valtype_vec_new_empty(&empty);
    CHECK(empty.size == 0);
    wasm_valtype_vec_delete(&empty);
}

struct shared_run { wasm_engine_t *engine; wasm_shared_module_t *shared; int result; };

/* Another thread: its own store, the module obtained from the shared handle. */
static void *run_shared(void *arg) {
    struct shared_run *run = arg;
    wasm_store_t *store = wasm_store_new(run->engine);
    wasm_module_t *module = wasm_module_obtain(store, run->shared);
    wasm_exporttype_vec_t exports;
    wasm_module_exports(module, &exports);
    run->result = (int)exports.size;
    wasm_exporttype_vec_delete(&exports);
    wasm_module_delete(module);
    wasm_store_delete(store);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s wasm_api.wasm\n", argv[0]); return 2; }
    test_types();

    wasm_engine_t *engine = wasm_engine_new_with_config(wasm_config_new());
    wasm_store_t *store = wasm_store_new(engine);
    wasm_byte_vec_t binary = read_file(argv[1]);

    /* Modules. */
    CHECK(wasm_module_validate(store, &binary));
    wasm_byte_vec_t junk;
    wasm_byte_vec_new(&junk, 4, "\0asX");
    CHECK(!wasm_module_validate(store, &junk) && wasm_module_new(store, &junk) == NULL);
    CHECK(wasm_module_new(NULL, &binary) == NULL && wasm_module_new(store, NULL) == NULL);
    wasm_module_t *module = wasm_module_new(store, &binary);
    CHECK(module != NULL);
    wasm_importtype_vec_t imports;
    wasm_module_imports(module, &imports);
    CHECK(imports.size == 5);
    const wasm_name_t *n = wasm_importtype_name(imports.data[1]);
    CHECK(n->size == 4 && !memcmp(n->data, "swap", 4));
    const wasm_functype_t *swap_type = wasm_externtype_as_functype_const(wasm_importtype_type(imports.data[1]));
    CHECK(swap_type && wasm_functype_params(swap_type)->size == 2 && wasm_functype_results(swap_type)->size == 2);
    CHECK(wasm_externtype_kind(wasm_importtype_type(imports.data[3])) == WASM_EXTERN_GLOBAL);
    CHECK(wasm_externtype_kind(wasm_importtype_type(imports.data[4])) == WASM_EXTERN_TABLE);
    wasm_exporttype_vec_t exports_types;
    wasm_module_exports(module, &exports_types);
    CHECK(exports_types.size == 13);
    wasm_exporttype_vec_delete(&exports_types);

    /* Serialization: round trip, a header of another version and garbage are refused. */
    wasm_byte_vec_t serialized;
    wasm_module_serialize(module, &serialized);
    wasm_module_t *deserialized = wasm_module_deserialize(store, &serialized);
    CHECK(deserialized != NULL);
    wasm_module_delete(deserialized);
    serialized.data[12] ^= 0x7f; /* the version follows the 12-byte magic */
    CHECK(wasm_module_deserialize(store, &serialized) == NULL);
    CHECK(wasm_module_deserialize(store, &binary) == NULL);
    wasm_byte_vec_delete(&serialized);
    wasm_byte_vec_delete(&binary);
    wasm_byte_vec_delete(&junk);

    /* Sharing with another thread. */
    struct shared_run run = {engine, wasm_module_share(module), -1};
    pthread_t thread;
    pthread_create(&thread, NULL, run_shared, &run);
    pthread_join(thread, NULL);
    CHECK(run.result == 13);
    wasm_shared_module_delete(run.shared);

    /* Imports: host functions (one with an environment and finalizer), a global, a table. */
    wasm_functype_t *add_type = wasm_functype_new_2_1(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i32());
    wasm_func_t *add_func = wasm_func_new(store, add_type, add);
    CHECK(wasm_func_param_arity(add_func) == 2 && wasm_func_result_arity(add_func) == 1);
    wasm_functype_delete(add_type);
    wasm_func_t *swap_func = wasm_func_new_with_env(store, swap_type, swap, NULL, count_env);
    wasm_functype_t *void_type = wasm_functype_new_0_0();
    wasm_func_t *fail_func = wasm_func_new_with_env(store, void_type, fail, store, NULL);
    wasm_functype_delete(void_type);
    wasm_globaltype_t *counter_type = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_VAR);
    wasm_val_t zero = WASM_I32_VAL(0), wrong = WASM_F64_VAL(1.0);
    CHECK(wasm_global_new(store, counter_type, &wrong) == NULL);
    wasm_global_t *counter = wasm_global_new(store, counter_type, &zero);
    wasm_globaltype_delete(counter_type);
    wasm_limits_t two = {2, 2};
    wasm_tabletype_t *refs_type = wasm_tabletype_new(wasm_valtype_new_externref(), &two);
    wasm_table_t *refs = wasm_table_new(store, refs_type, NULL);
    wasm_tabletype_delete(refs_type);
    wasm_importtype_vec_delete(&imports);

    /* A wrong import list is a trap, not a crash. */
    wasm_trap_t *trap = NULL;
    wasm_extern_t *too_few[] = {wasm_func_as_extern(add_func)};
    wasm_extern_vec_t few = WASM_ARRAY_VEC(too_few);
    CHECK(wasm_instance_new(store, module, &few, &trap) == NULL && trap != NULL);
    printf("too few imports: %s\n", message_of(trap));
    wasm_extern_t *mismatched[] = {wasm_func_as_extern(swap_func), wasm_func_as_extern(add_func), wasm_func_as_extern(fail_func),
                                   wasm_global_as_extern(counter), wasm_table_as_extern(refs)};
    wasm_extern_vec_t bad = WASM_ARRAY_VEC(mismatched);
    CHECK(wasm_instance_new(store, module, &bad, &trap) == NULL);
    printf("mismatched imports: %s\n", message_of(trap));

    wasm_extern_t *externs[] = {wasm_func_as_extern(add_func), wasm_func_as_extern(swap_func), wasm_func_as_extern(fail_func),
                                wasm_global_as_extern(counter), wasm_table_as_extern(refs)};
    wasm_extern_vec_t import_vec = WASM_ARRAY_VEC(externs);
    wasm_instance_t *instance = wasm_instance_new(store, module, &import_vec, &trap);
    CHECK(instance != NULL && trap == NULL);
    wasm_instance_set_host_info_with_finalizer(instance, (void *)7, count_instance);
    CHECK(wasm_instance_get_host_info(instance) == (void *)7);
    wasm_func_delete(add_func);
    wasm_func_delete(swap_func);
    wasm_func_delete(fail_func);
    CHECK(env_finalized == 0); /* the instance still imports swap */

    wasm_extern_vec_t exports;
    wasm_instance_exports(instance, &exports);
    CHECK(exports.size == 13);
    CHECK(wasm_extern_kind(exports.data[0]) == WASM_EXTERN_MEMORY && wasm_extern_kind(exports.data[1]) == WASM_EXTERN_GLOBAL);
    CHECK(wasm_extern_kind(exports.data[2]) == WASM_EXTERN_TABLE && wasm_extern_kind(exports.data[3]) == WASM_EXTERN_FUNC);
    CHECK(wasm_extern_as_func(exports.data[0]) == NULL && wasm_extern_as_memory(exports.data[0]) != NULL);
    wasm_externtype_t *mt = wasm_extern_type(exports.data[0]);
    CHECK(wasm_memorytype_limits(wasm_externtype_as_memorytype(mt))->max == 3);
    wasm_externtype_delete(mt);

    /* Calls with wasm_val_vec_t: host function through Wasm, multi-value. */
    wasm_val_t args2[2] = {WASM_I32_VAL(40), WASM_I32_VAL(2)}, out1[1] = {WASM_INIT_VAL}, out2[2] = {WASM_INIT_VAL, WASM_INIT_VAL};
    wasm_val_vec_t args = WASM_ARRAY_VEC(args2), results = WASM_ARRAY_VEC(out1);
    CHECK(wasm_func_call(export_func(&exports, 5), &args, &results) == NULL);
    CHECK(out1[0].kind == WASM_I32 && out1[0].of.i32 == 42 && add_calls == 1);
    wasm_val_t counter_value;
    wasm_global_get(counter, &counter_value);
    CHECK(counter_value.of.i32 == 1);
    wasm_val_t swap_args[2] = {WASM_I64_VAL(-5), WASM_F64_VAL(2.5)};
    wasm_val_vec_t sargs = WASM_ARRAY_VEC(swap_args), sresults = WASM_ARRAY_VEC(out2);
    CHECK(wasm_func_call(export_func(&exports, 6), &sargs, &sresults) == NULL);
    CHECK(out2[0].kind == WASM_F64 && out2[0].of.f64 == 2.5 && out2[1].kind == WASM_I64 && out2[1].of.i64 == -5);

    /* Wrong calls trap with a message instead of crashing. */
    wasm_val_vec_t none = WASM_EMPTY_VEC;
    printf("wrong count: %s\n", message_of(wasm_func_call(export_func(&exports, 5), &none, &results)));
    wasm_val_t bad_args[2] = {WASM_F32_VAL(1), WASM_I32_VAL(2)};
    wasm_val_vec_t bargs = WASM_ARRAY_VEC(bad_args);
    printf("wrong kind: %s\n", message_of(wasm_func_call(export_func(&exports, 5), &bargs, &results)));
    printf("NULL func: %s\n", message_of(wasm_func_call(NULL, &none, &none)));

    /* Traps: from Wasm (with frames), from a host function (its message). */
    wasm_val_t zero_arg[1] = {WASM_I32_VAL(0)};
    wasm_val_vec_t zargs = WASM_ARRAY_VEC(zero_arg);
    trap = wasm_func_call(export_func(&exports, 8), &zargs, &results);
    CHECK(trap != NULL);
    wasm_frame_t *origin = wasm_trap_origin(trap);
    CHECK(origin && wasm_frame_func_index(origin) == 9 && wasm_frame_instance(origin) != NULL);
    wasm_frame_t *origin_copy = wasm_frame_copy(origin);
    CHECK(wasm_frame_func_offset(origin_copy) == 0 && wasm_frame_module_offset(origin_copy) == 0);
    wasm_frame_delete(origin_copy);
    wasm_frame_delete(origin);
    wasm_frame_vec_t trace;
    wasm_trap_trace(trap, &trace);
    CHECK(trace.size >= 1 && wasm_frame_func_index(trace.data[0]) == 9);
    wasm_frame_vec_delete(&trace);
    printf("divide by zero: %s\n", message_of(trap));
    trap = wasm_func_call(export_func(&exports, 7), &none, &none);
    CHECK(trap != NULL);
    CHECK(!strcmp(message_of(trap), "host says no"));

    /* Tables: funcrefs from Wasm and back, bounds. */
    wasm_table_t *funcs = wasm_extern_as_table(exports.data[2]);
    CHECK(wasm_table_size(funcs) == 2);
    wasm_ref_t *doubler = wasm_table_get(funcs, 0);
    CHECK(doubler && wasm_ref_as_func(doubler) && wasm_func_same(wasm_ref_as_func(doubler), export_func(&exports, 3)));
    CHECK(wasm_table_get(funcs, 9) == NULL && !wasm_table_set(funcs, 9, doubler));
    CHECK(wasm_table_set(funcs, 1, doubler));
    wasm_val_t ci_args[2] = {WASM_I32_VAL(21), WASM_I32_VAL(1)};
    wasm_val_vec_t ciargs = WASM_ARRAY_VEC(ci_args);
    CHECK(wasm_func_call(export_func(&exports, 9), &ciargs, &results) == NULL && out1[0].of.i32 == 42);
    CHECK(wasm_table_grow(funcs, 3, NULL) && wasm_table_size(funcs) == 5);
    wasm_ref_delete(doubler);
    wasm_tabletype_t *ftt = wasm_table_type(funcs);
    CHECK(wasm_tabletype_limits(ftt)->min == 5 && wasm_valtype_kind(wasm_tabletype_element(ftt)) == WASM_FUNCREF);
    wasm_tabletype_delete(ftt);

    /* Foreign objects and host references: identity and host info survive a trip through Wasm. */
    wasm_foreign_t *foreign = wasm_foreign_new(store);
    wasm_ref_t *host = wasm_foreign_as_ref(foreign);
    wasm_ref_set_host_info_with_finalizer(host, (void *)42, count_foreign);
    wasm_val_t ref_arg[1] = {WASM_REF_VAL(host)}, ref_out[1] = {WASM_INIT_VAL};
    wasm_val_vec_t rargs = WASM_ARRAY_VEC(ref_arg), rresults = WASM_ARRAY_VEC(ref_out);
    CHECK(wasm_func_call(export_func(&exports, 10), &rargs, &rresults) == NULL);
    CHECK(ref_out[0].of.ref && wasm_ref_same(ref_out[0].of.ref, host) && wasm_ref_get_host_info(ref_out[0].of.ref) == (void *)42);
    CHECK(wasm_ref_as_foreign(ref_out[0].of.ref) != NULL && wasm_ref_as_func(ref_out[0].of.ref) == NULL);
    wasm_val_delete(&ref_out[0]);
    wasm_val_t store_args[2] = {WASM_I32_VAL(1), WASM_REF_VAL(host)};
    wasm_val_vec_t stargs = WASM_ARRAY_VEC(store_args);
    CHECK(wasm_func_call(export_func(&exports, 11), &stargs, &none) == NULL);
    wasm_ref_t *stored = wasm_table_get(refs, 1);
    CHECK(stored && wasm_ref_same(stored, host));
    wasm_ref_delete(stored);
    CHECK(wasm_table_get(refs, 0) == NULL);
    wasm_val_t copied;
    wasm_val_copy(&copied, &ref_arg[0]);
    CHECK(wasm_ref_same(copied.of.ref, host));
    wasm_val_delete(&copied);
    wasm_foreign_delete(foreign);
    CHECK(foreign_finalized == 0); /* Wasm's table still holds it: the store keeps it */

    /* Globals and memories. */
    wasm_global_t *g = wasm_extern_as_global(exports.data[1]);
    wasm_val_t gv, f32v = WASM_F32_VAL(4.25f);
    wasm_global_get(g, &gv);
    CHECK(gv.kind == WASM_F32 && gv.of.f32 == 1.5f);
    wasm_global_set(g, &f32v);
    wasm_global_set(g, &zero); /* wrong kind: ignored */
    wasm_global_get(g, &gv);
    CHECK(gv.of.f32 == 4.25f);
    wasm_globaltype_t *ggt = wasm_global_type(g);
    CHECK(wasm_globaltype_mutability(ggt) == WASM_VAR);
    wasm_globaltype_delete(ggt);
    wasm_memory_t *memory = wasm_extern_as_memory(exports.data[0]);
    CHECK(wasm_memory_size(memory) == 1 && wasm_memory_data_size(memory) == MEMORY_PAGE_SIZE);
    byte_t *data = wasm_memory_data(memory);
    data[100] = 77;
    wasm_val_t load_arg[1] = {WASM_I32_VAL(100)};
    wasm_val_vec_t largs = WASM_ARRAY_VEC(load_arg);
    CHECK(wasm_func_call(export_func(&exports, 12), &largs, &results) == NULL && out1[0].of.i32 == 77);
    CHECK(wasm_memory_grow(memory, 2) && !wasm_memory_grow(memory, 1) && wasm_memory_size(memory) == 3);
    CHECK(wasm_memory_data(memory) == data);
    wasm_limits_t bad_limits = {3, 2};
    wasm_memorytype_t *bad_mt = wasm_memorytype_new(&bad_limits);
    CHECK(wasm_memory_new(store, bad_mt) == NULL);
    wasm_memorytype_delete(bad_mt);

    /* NULL everywhere: no crash. */
    CHECK(wasm_instance_new(store, NULL, NULL, NULL) == NULL);
    CHECK(wasm_extern_kind(NULL) == 0 && wasm_extern_as_func(NULL) == NULL && wasm_table_size(NULL) == 0);
    CHECK(wasm_memory_data(NULL) == NULL && !wasm_memory_grow(NULL, 1) && !wasm_table_set(NULL, 0, NULL));
    wasm_global_get(NULL, &gv);
    wasm_ref_delete(NULL);

    wasm_extern_vec_delete(&exports);
    wasm_global_delete(counter);
    wasm_table_delete(refs);
    CHECK(instance_finalized == 0);
    wasm_instance_delete(instance);
    CHECK(instance_finalized == 1);
    wasm_module_delete(module);
    wasm_store_delete(store);
    CHECK(env_finalized == 1 && foreign_finalized == 1);
    wasm_engine_delete(engine);
    printf("%s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
