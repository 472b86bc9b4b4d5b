/* limits: a host that runs untrusted Wasm and stays in control. Each limit fires with its
   own trap code and the engine keeps working afterwards: fuel, interruption from a watchdog
   thread, runaway recursion on a 256 KiB thread, a memory cap, and separate engines on
   separate threads at once. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <swvm.h>

static int failures;

static void check(int ok, const char *what) {
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok) failures++;
}

static void must(swvm_error_t *err, const char *what) {
    if (err) { printf("FAIL %s: %s\n", what, swvm_error_message(err)); exit(1); }
}

static unsigned char *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "cannot read %s\n", path); exit(1); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)n);
    *size = fread(buf, 1, (size_t)n, f);
    fclose(f);
    return buf;
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static swvm_module_t *module;

typedef struct {
    swvm_engine_t *engine;
    swvm_instance_t *instance;
} guest_t;

static guest_t guest_new(const swvm_config_t *config) {
    guest_t g;
    if (config) must(swvm_engine_new_with_config(config, &g.engine), "engine with config");
    else g.engine = swvm_engine_new();
    must(swvm_instance_new(g.engine, module, &g.instance), "instantiate");
    return g;
}

static void guest_free(guest_t g) {
    swvm_instance_free(g.instance);
    swvm_engine_free(g.engine);
}

/* Calls export `name` with one i32 or i64 argument (or none); returns the error, if any. */
static swvm_error_t *call(guest_t g, const char *name, const swvm_val_t *arg, swvm_val_t *result) {
    swvm_func_t *f;
    must(swvm_instance_func(g.instance, name, &f), name);
    swvm_error_t *err = swvm_func_call(f, arg, arg ? 1 : 0, result, result ? 1 : 0);
    swvm_func_free(f);
    return err;
}

/* True if `err` is a trap with `code`; frees it. */
static int trapped(swvm_error_t *err, int code) {
    int ok = err && swvm_error_kind(err) == SWVM_ERROR_TRAP && swvm_error_trap_code(err) == code;
    if (err) printf("     trap: %s\n", swvm_error_message(err));
    swvm_error_free(err);
    return ok;
}

static int32_t fib_of(guest_t g, int32_t n) {
    swvm_val_t arg = {.kind = SWVM_I32, .of.i32 = n}, r;
    swvm_error_t *err = call(g, "fib", &arg, &r);
    if (err) { swvm_error_free(err); return -1; }
    return r.of.i32;
}

static void fuel(void) {
    swvm_config_t *config = swvm_config_new();
    must(swvm_config_set_consume_fuel(config, 1), "consume fuel");
    guest_t g = guest_new(config);
    swvm_config_free(config);

    uint64_t left = 1;
    must(swvm_engine_fuel(g.engine, &left), "read fuel");
    check(left == 0, "fuel: the tank starts empty");
    must(swvm_engine_set_fuel(g.engine, 1000000), "set fuel");
    check(trapped(call(g, "spin", NULL, NULL), SWVM_TRAP_FUEL_EXHAUSTED), "fuel: an infinite loop stops");
    must(swvm_engine_fuel(g.engine, &left), "read fuel");
    check(left == 0, "fuel: the tank is empty after it");
    must(swvm_engine_set_fuel(g.engine, 1000000), "set fuel");
    check(trapped(call(g, "spin_calling", NULL, NULL), SWVM_TRAP_FUEL_EXHAUSTED),
          "fuel: an infinite loop of calls stops");

    must(swvm_engine_set_fuel(g.engine, 10000000), "set fuel");
    swvm_val_t n = {.kind = SWVM_I32, .of.i32 = 10000}, r;
    must(call(g, "sum", &n, &r), "sum");
    must(swvm_engine_fuel(g.engine, &left), "read fuel");
    uint64_t used = 10000000 - left;
    printf("     sum(10000) = %lld used %llu units of fuel\n", (long long)r.of.i64, (unsigned long long)used);
    check(r.of.i64 == 49995000 && used > 10000 * 5 && used < 10000 * 20, "fuel: a bounded loop is charged per iteration");
    must(swvm_engine_add_fuel(g.engine, 5), "add fuel");
    uint64_t after = 0;
    must(swvm_engine_fuel(g.engine, &after), "read fuel");
    check(after == left + 5, "fuel: add_fuel adds");

    swvm_engine_t *plain = swvm_engine_new();
    swvm_error_t *err = swvm_engine_set_fuel(plain, 10);
    check(err && swvm_error_kind(err) == SWVM_ERROR_USAGE, "fuel: needs consume_fuel");
    swvm_error_free(err);
    swvm_engine_free(plain);
    guest_free(g);
}

typedef struct {
    swvm_interrupt_handle_t *handle;
    double requested;
} watchdog_t;

static void *watchdog(void *p) {
    watchdog_t *w = p;
    usleep(50 * 1000);
    w->requested = now_ms();
    swvm_interrupt(w->handle);
    return NULL;
}

static void interruption(void) {
    guest_t g = guest_new(NULL);
    swvm_interrupt_handle_t *handle = swvm_engine_interrupt_handle(g.engine);
    const char *loops[] = {"spin", "spin_calling"};
    for (int i = 0; i < 2; i++) {
        watchdog_t w = {handle, 0};
        pthread_t t;
        pthread_create(&t, NULL, watchdog, &w);
        swvm_error_t *err = call(g, loops[i], NULL, NULL);
        double stopped = now_ms();
        pthread_join(t, NULL);
        printf("     %s stopped %.3f ms after the request\n", loops[i], stopped - w.requested);
        char what[80];
        snprintf(what, sizeof what, "interrupt: %s stopped by another thread", loops[i]);
        check(trapped(err, SWVM_TRAP_INTERRUPTED) && stopped - w.requested < 500, what);
        check(fib_of(g, 20) == 6765, "interrupt: the engine runs again");
    }
    /* The handle outlives the engine: interrupting then does nothing. */
    guest_free(g);
    swvm_interrupt(handle);
    swvm_interrupt_handle_free(handle);
    check(1, "interrupt: a handle outliving its engine is harmless");
}

static void *recurse_on_small_stack(void *p) {
    guest_t *g = p;
    swvm_val_t arg = {.kind = SWVM_I64, .of.i64 = 0}, r;
    check(trapped(call(*g, "recurse", &arg, &r), SWVM_TRAP_CALL_STACK_EXHAUSTED),
          "stack: runaway recursion on a 256 KiB thread traps");
    check(fib_of(*g, 15) == 610, "stack: the same thread calls again");
    return NULL;
}

static void recursion(void) {
    guest_t g = guest_new(NULL);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    pthread_t t;
    pthread_create(&t, &attr, recurse_on_small_stack, &g);
    pthread_join(t, NULL);
    pthread_attr_destroy(&attr);
    check(fib_of(g, 20) == 6765, "stack: the main thread calls the engine afterwards");

    swvm_config_t *config = swvm_config_new();
    must(swvm_config_set_max_call_depth(config, 1000), "max depth");
    guest_t shallow = guest_new(config);
    swvm_config_free(config);
    swvm_val_t arg = {.kind = SWVM_I64, .of.i64 = 0}, r;
    check(trapped(call(shallow, "recurse", &arg, &r), SWVM_TRAP_CALL_STACK_EXHAUSTED),
          "stack: a configured call depth stops recursion");
    guest_free(shallow);
    guest_free(g);
}

static int32_t grow(guest_t g, int32_t pages) {
    swvm_val_t arg = {.kind = SWVM_I32, .of.i32 = pages}, r;
    must(call(g, "grow", &arg, &r), "grow");
    return r.of.i32;
}

static void memory_cap(void) {
    swvm_config_t *config = swvm_config_new();
    must(swvm_config_set_max_memory_pages(config, 16), "max memory");
    guest_t g = guest_new(config);
    check(grow(g, 10) == 1, "memory: growth under the cap succeeds");
    check(grow(g, 10) == -1, "memory: growth past the cap returns -1");
    check(grow(g, 5) == 11, "memory: growth up to the cap succeeds");
    check(grow(g, 1) == -1, "memory: the cap is 16 pages");
    check(fib_of(g, 10) == 55, "memory: the instance runs on");
    guest_free(g);

    must(swvm_config_set_max_memory_pages(config, 0), "max memory 0");
    swvm_engine_t *engine;
    must(swvm_engine_new_with_config(config, &engine), "engine");
    swvm_instance_t *instance = NULL;
    swvm_error_t *err = swvm_instance_new(engine, module, &instance);
    check(err && swvm_error_kind(err) == SWVM_ERROR_LIMIT, "memory: a minimum above the cap cannot instantiate");
    if (err) printf("     %s\n", swvm_error_message(err));
    swvm_error_free(err);
    swvm_engine_free(engine);

    err = swvm_config_set_max_memory_pages(config, 70000);
    check(err && swvm_error_kind(err) == SWVM_ERROR_USAGE, "memory: a cap above 4 GiB is refused");
    swvm_error_free(err);
    swvm_config_free(config);
}

enum { THREADS = 4, CALLS = 50 };

static void *worker(void *p) {
    int *wrong = p;
    guest_t g = guest_new(NULL);
    for (int i = 0; i < CALLS; i++) {
        int32_t n = 15 + i % 6, a = 0, b = 1;
        for (int k = 0; k < n; k++) { int32_t t = a + b; a = b; b = t; }
        if (fib_of(g, n) != a) (*wrong)++;
    }
    guest_free(g);
    return NULL;
}

static void threads(void) {
    pthread_t t[THREADS];
    int wrong[THREADS] = {0};
    for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, &wrong[i]);
    int total = 0;
    for (int i = 0; i < THREADS; i++) { pthread_join(t[i], NULL); total += wrong[i]; }
    check(total == 0, "threads: 4 engines sharing one module run at the same time");
}

int main(int argc, char **argv) {
    size_t size;
    unsigned char *bytes = read_file(argc > 1 ? argv[1] : "untrusted.wasm", &size);
    swvm_engine_t *loader = swvm_engine_new();
    must(swvm_module_new(loader, bytes, size, &module), "load");
    swvm_engine_free(loader);
    free(bytes);

    fuel();
    interruption();
    recursion();
    memory_cap();
    threads();

    swvm_module_free(module);
    printf("%s\n", failures ? "FAILED" : "all limits held");
    return failures != 0;
}
