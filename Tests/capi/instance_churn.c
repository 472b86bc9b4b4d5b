/* Instance lifetime: instantiating, calling and freeing a module many times in one engine must
   not grow the process, and an instance that is still reachable (here: through another
   instance's table) must stay alive after its last handle is freed.

   usage: instance_churn churn.wasm [cycles]
   With 20,000 cycles or more it compares the resident set size after 10% of the cycles and at
   the end and fails if it grew by more than 4 MiB (leaking one instance per cycle grew it by
   about 6 KB per cycle). Under valgrind it runs with few cycles: memcheck then checks that the
   freed instances leave nothing behind and that the kept one is still valid memory. */
#include <stdio.h>
#include <stdlib.h>
#include <swvm.h>
#include "capi_test.h"


/* Resident set size in KiB, from /proc/self/statm. */
static long rss_kib(void) {
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return 0;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    fclose(f);
    return resident * 4;
}

static int32_t host_add(int32_t a, int32_t b) { return a + b; }

static int32_t run(swvm_instance_t *instance, int32_t x) {
    swvm_func_t *f;
    swvm_val_t arg = {.kind = SWVM_I32, .of.i32 = x}, result;
    ok(swvm_instance_func(instance, "run", &f), "lookup run");
    ok(swvm_func_call(f, &arg, 1, &result, 1), "call run");
    swvm_func_free(f);
    return result.of.i32;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s churn.wasm [cycles]\n", argv[0]); return 2; }
    long cycles = argc > 2 ? atol(argv[2]) : 100000;
    swvm_engine_t *engine = swvm_engine_new();
    swvm_module_t *module = load_module(engine, argv[1]);
    swvm_linker_t *linker = swvm_linker_new(engine);
    ok(swvm_linker_define_func(linker, "env", "host_add", "i(ii)", (void (*)(void))host_add, NULL, 0), "define");

    /* The churn: one instance per cycle, freed at its end. */
    long early = 0, checkpoint = cycles / 10;
    for (long i = 1; i <= cycles; i++) {
        swvm_instance_t *instance;
        ok(swvm_linker_instantiate(linker, module, &instance), "instantiate");
        if (run(instance, (int32_t)i) != 3 * (int32_t)i + 99) { check(0, "run result"); break; }
        swvm_instance_free(instance);
        if (i == checkpoint) early = rss_kib();
    }
    long late = rss_kib();
    printf("%ld cycles: RSS %ld KiB after %ld, %ld KiB after %ld (%+ld KiB)\n",
           cycles, early, checkpoint, late, cycles, late - early);
    if (cycles >= 20000) check(late - early < 4096, "RSS stays flat over the cycles");

    /* The same with a linker per cycle, as a host serving one request per instance might:
       the linker's host-function definitions go with it. */
    long linker_cycles = cycles / 5;
    early = 0;
    for (long i = 1; i <= linker_cycles; i++) {
        swvm_linker_t *l = swvm_linker_new(engine);
        swvm_instance_t *instance;
        ok(swvm_linker_define_func(l, "env", "host_add", "i(ii)", (void (*)(void))host_add, NULL, 0), "define");
        ok(swvm_linker_instantiate(l, module, &instance), "instantiate");
        swvm_linker_free(l);
        if (run(instance, (int32_t)i) != 3 * (int32_t)i + 99) { check(0, "run result"); break; }
        swvm_instance_free(instance);
        if (i == linker_cycles / 10) early = rss_kib();
    }
    late = rss_kib();
    printf("%ld cycles with a linker each: RSS %ld KiB after %ld, %ld KiB after %ld (%+ld KiB)\n",
           linker_cycles, early, linker_cycles / 10, late, linker_cycles, late - early);
    if (linker_cycles >= 20000) check(late - early < 4096, "RSS stays flat with a linker per cycle");

    /* Kept alive through a table: b's function in a's table outlives b's handles. */
    swvm_instance_t *a, *b;
    swvm_table_t *table_a, *table_b;
    swvm_val_t doubled;
    ok(swvm_linker_instantiate(linker, module, &a), "instantiate a");
    ok(swvm_linker_instantiate(linker, module, &b), "instantiate b");
    ok(swvm_instance_table(a, "table", &table_a), "table a");
    ok(swvm_instance_table(b, "table", &table_b), "table b");
    ok(swvm_table_get(table_b, 0, &doubled), "b's $double");
    ok(swvm_table_set(table_a, 0, &doubled), "into a's table");
    swvm_table_free(table_b);
    swvm_instance_free(b); /* b is still reachable: a's table holds its function */
    /* Churn a little so a collection runs while b has no handle. */
    for (int i = 0; i < 10; i++) {
        swvm_instance_t *c;
        ok(swvm_linker_instantiate(linker, module, &c), "instantiate c");
        swvm_instance_free(c);
    }
    check(run(a, 7) == 3 * 7 + 99, "a calls b's function through its table");
    swvm_val_t null_ref = {.kind = SWVM_FUNCREF, .of.ref = NULL};
    ok(swvm_table_set(table_a, 0, &null_ref), "clear the slot");
    swvm_table_free(table_a); /* now b is unreachable and goes with the next collection */
    swvm_instance_free(a);

    swvm_global_t *count;
    swvm_val_t value;

    /* Handles outlive their instance handle: a global and a function still work. */
    ok(swvm_linker_instantiate(linker, module, &a), "instantiate a again");
    ok(swvm_instance_global(a, "count", &count), "global");
    swvm_func_t *f;
    ok(swvm_instance_func(a, "run", &f), "lookup");
    swvm_instance_free(a);
    swvm_val_t arg = {.kind = SWVM_I32, .of.i32 = 1}, result;
    ok(swvm_func_call(f, &arg, 1, &result, 1), "call after freeing the instance handle");
    ok(swvm_global_get(count, &value), "read global");
    check(result.of.i32 == 102 && value.of.i32 == 1, "function and global outlive the instance handle");
    swvm_func_free(f);
    swvm_global_free(count);

    swvm_linker_free(linker);
    swvm_module_free(module);
    swvm_engine_free(engine);
    printf("%s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
