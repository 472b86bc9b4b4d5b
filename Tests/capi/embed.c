/* Embedding a guest generically: module introspection before instantiation (imports with
   their module, name, kind and type; exports with their name, kind and type) and a host
   function that reaches its caller's exports through swvm_caller_export (calls the guest's
   allocator, reads its global, sees its table) rather than its memory only.

   usage: embed embed.wasm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <swvm.h>
#include "capi_test.h"


/* Expects a SWVM_ERROR_USAGE error whose message contains `needle`. */
static void usage_error(swvm_error_t *err, const char *needle, const char *what) {
    check(err && swvm_error_kind(err) == SWVM_ERROR_USAGE && strstr(swvm_error_message(err), needle), what);
    if (err) printf("  %s: %s\n", what, swvm_error_message(err));
    swvm_error_free(err);
}

static const char *kind_name(int kind) {
    static const char *names[] = {"func", "table", "memory", "global"};
    return kind >= 0 && kind < 4 ? names[kind] : "?";
}

static void print_type(const swvm_externtype_t *t) {
    static const char *vals[] = {"i32", "i64", "f32", "f64", "funcref", "externref", "v128"};
    switch (t->kind) {
    case SWVM_EXTERN_FUNC:
        printf("(");
        for (size_t i = 0; i < t->nparams; i++) printf("%s%s", i ? " " : "", vals[t->params[i]]);
        printf(") -> (");
        for (size_t i = 0; i < t->nresults; i++) printf("%s%s", i ? " " : "", vals[t->results[i]]);
        printf(")");
        break;
    case SWVM_EXTERN_GLOBAL: printf("%s%s", t->mutable_ ? "mut " : "", vals[t->valkind]); break;
    case SWVM_EXTERN_TABLE: printf("%s ", vals[t->valkind]); /* fall through */
    case SWVM_EXTERN_MEMORY:
        if (t->is64) printf("i64 ");
        if (t->max == UINT64_MAX) printf("%llu..", (unsigned long long)t->min);
        else printf("%llu..%llu", (unsigned long long)t->min, (unsigned long long)t->max);
        break;
    }
}

/* env.make_greeting(len): allocates len bytes with the guest's own `alloc`, fills them, returns
   the address. Reaches the guest through its caller handle only. */
static int32_t make_greeting(swvm_caller_t *caller, int32_t len) {
    int *calls = swvm_caller_user_data(caller);
    ++*calls;
    swvm_extern_t alloc, heap, table, nothing;
    swvm_error_t *err = swvm_caller_export(caller, "alloc", &alloc);
    if (err) { swvm_caller_trap(caller, swvm_error_message(err)); swvm_error_free(err); return 0; }
    check(alloc.kind == SWVM_EXTERN_FUNC, "alloc is a function");
    swvm_val_t arg = {.kind = SWVM_I32, .of.i32 = len}, ptr;
    ok(swvm_func_call(alloc.of.func, &arg, 1, &ptr, 1), "call the guest's allocator from the host");
    swvm_func_free(alloc.of.func);

    ok(swvm_caller_export(caller, "heap", &heap), "caller export heap");
    swvm_val_t top;
    ok(swvm_global_get(heap.of.global, &top), "read heap");
    check(heap.kind == SWVM_EXTERN_GLOBAL && top.of.i32 == ptr.of.i32 + len, "heap moved by the allocation");
    swvm_global_free(heap.of.global);

    ok(swvm_caller_export(caller, "callbacks", &table), "caller export table");
    check(table.kind == SWVM_EXTERN_TABLE && swvm_table_size(table.of.table) == 2, "table export");
    swvm_table_free(table.of.table);

    usage_error(swvm_caller_export(caller, "nope", &nothing), "no export \"nope\"", "unknown caller export");
    usage_error(swvm_caller_export(caller, NULL, &nothing), "name is NULL", "NULL name");
    usage_error(swvm_caller_export(NULL, "alloc", &nothing), "caller is NULL", "NULL caller");

    size_t size;
    uint8_t *memory = swvm_caller_memory(caller, &size);
    if ((size_t)ptr.of.i32 + (size_t)len > size) { swvm_caller_trap(caller, "out of memory"); return 0; }
    for (int32_t i = 0; i < len; i++) memory[ptr.of.i32 + i] = (uint8_t)"hello, "[i % 7];
    return ptr.of.i32;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s embed.wasm\n", argv[0]); return 2; }
    swvm_engine_t *engine = swvm_engine_new();
    swvm_module_t *module = load_module(engine, argv[1]);

    /* Introspection, before instantiating. */
    const char *mod_name, *name;
    swvm_externtype_t t;
    size_t nimports = swvm_module_import_count(module), nexports = swvm_module_export_count(module);
    check(nimports == 3 && nexports == 6, "import and export counts");
    for (size_t i = 0; i < nimports; i++) {
        ok(swvm_module_import(module, i, &mod_name, &name, &t), "import");
        printf("import %s.%s: %s ", mod_name, name, kind_name(t.kind));
        print_type(&t);
        printf("\n");
    }
    for (size_t i = 0; i < nexports; i++) {
        ok(swvm_module_export(module, i, &name, &t), "export");
        printf("export %s: %s ", name, kind_name(t.kind));
        print_type(&t);
        printf("\n");
    }
    ok(swvm_module_import(module, 0, &mod_name, &name, &t), "import 0");
    check(!strcmp(mod_name, "env") && !strcmp(name, "make_greeting") && t.kind == SWVM_EXTERN_FUNC &&
          t.nparams == 1 && t.params[0] == SWVM_I32 && t.nresults == 1 && t.results[0] == SWVM_I32, "import 0 type");
    ok(swvm_module_import(module, 1, NULL, &name, &t), "import 1");
    check(!strcmp(name, "scale") && t.kind == SWVM_EXTERN_GLOBAL && t.valkind == SWVM_I32 && !t.mutable_, "import 1 type");
    ok(swvm_module_import(module, 2, NULL, NULL, &t), "import 2");
    check(t.kind == SWVM_EXTERN_MEMORY && t.min == 1 && t.max == 2, "import 2 type");
    ok(swvm_module_export(module, 1, &name, &t), "export 1");
    check(!strcmp(name, "heap") && t.kind == SWVM_EXTERN_GLOBAL && t.valkind == SWVM_I32 && t.mutable_, "export heap");
    ok(swvm_module_export(module, 2, &name, &t), "export 2");
    check(!strcmp(name, "callbacks") && t.kind == SWVM_EXTERN_TABLE && t.valkind == SWVM_EXTERNREF &&
          t.min == 2 && t.max == UINT64_MAX && !t.is64, "export callbacks");
    ok(swvm_module_export(module, 5, &name, &t), "export 5");
    check(!strcmp(name, "kinds") && t.nparams == 5 && t.params[0] == SWVM_I64 && t.params[1] == SWVM_F32 &&
          t.params[2] == SWVM_F64 && t.params[3] == SWVM_EXTERNREF && t.params[4] == SWVM_FUNCREF &&
          t.nresults == 2 && t.results[0] == SWVM_F64 && t.results[1] == SWVM_I32, "export kinds");
    usage_error(swvm_module_import(module, 3, NULL, NULL, &t), "out of range", "import index out of range");
    usage_error(swvm_module_export(NULL, 0, NULL, &t), "module is NULL", "NULL module");
    check(swvm_module_import_count(NULL) == 0 && swvm_module_export_count(NULL) == 0, "counts of NULL");

    /* Satisfy the imports from what introspection said, then call into the guest. */
    int calls = 0;
    swvm_linker_t *linker = swvm_linker_new(engine);
    for (size_t i = 0; i < nimports; i++) {
        ok(swvm_module_import(module, i, &mod_name, &name, &t), "import");
        if (t.kind == SWVM_EXTERN_FUNC) {
            ok(swvm_linker_define_func_typed(linker, mod_name, name, t.params, t.nparams, t.results, t.nresults,
                                             (void (*)(void))make_greeting, &calls, SWVM_FUNC_WITH_CALLER), "define func");
        } else if (t.kind == SWVM_EXTERN_GLOBAL) {
            swvm_global_t *g;
            swvm_val_t v = {.kind = t.valkind, .of.i32 = 2};
            ok(swvm_global_new(engine, &v, t.mutable_, &g), "global");
            ok(swvm_linker_define_global(linker, mod_name, name, g), "define global");
            swvm_global_free(g);
        } else if (t.kind == SWVM_EXTERN_MEMORY) {
            swvm_memory_t *m;
            if (t.is64) ok(swvm_memory64_new(engine, t.min, t.max, &m), "memory64");
            else ok(swvm_memory_new(engine, (uint32_t)t.min, t.max == UINT64_MAX ? 0xFFFFFFFFu : (uint32_t)t.max, &m), "memory");
            ok(swvm_linker_define_memory(linker, mod_name, name, m), "define memory");
            swvm_memory_free(m);
        }
    }
    swvm_instance_t *instance;
    swvm_func_t *greet;
    swvm_memory_t *memory;
    ok(swvm_linker_instantiate(linker, module, &instance), "instantiate");
    ok(swvm_instance_func(instance, "greet", &greet), "greet");
    ok(swvm_instance_memory(instance, "memory", &memory), "memory export");
    swvm_val_t arg = {.kind = SWVM_I32, .of.i32 = 7}, ptr;
    ok(swvm_func_call(greet, &arg, 1, &ptr, 1), "greet");
    const char *text = (const char *)swvm_memory_data(memory) + ptr.of.i32;
    printf("greeting at %d: \"%.14s\"\n", ptr.of.i32, text);
    check(calls == 1 && ptr.of.i32 == 1024 && !memcmp(text, "hello, hello, ", 14), "host wrote through the guest's allocator");
    ok(swvm_func_call(greet, &arg, 1, &ptr, 1), "greet again");
    check(ptr.of.i32 == 1024 + 14, "second allocation follows the first");

    swvm_memory_free(memory);
    swvm_func_free(greet);
    swvm_instance_free(instance);
    swvm_linker_free(linker);
    swvm_module_free(module);
    swvm_engine_free(engine);
    printf("%s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
