/* linking: two modules linked through the linker. `app` imports the memory, a global and a
   function of `lib`; its data segment lands in lib's memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <swvm.h>

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

static void ok(swvm_error_t *err, const char *what) {
    if (err) { printf("FAIL %s: %s\n", what, swvm_error_message(err)); swvm_error_free(err); exit(1); }
}

static swvm_module_t *load(swvm_engine_t *engine, const char *dir, const char *name) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t size;
    unsigned char *bytes = read_file(path, &size);
    swvm_module_t *m;
    ok(swvm_module_new(engine, bytes, size, &m), path);
    free(bytes);
    return m;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    swvm_engine_t *engine = swvm_engine_new();
    swvm_module_t *lib = load(engine, dir, "lib.wasm"), *app = load(engine, dir, "app.wasm");
    swvm_linker_t *linker = swvm_linker_new(engine);
    swvm_instance_t *lib_instance, *app_instance;

    /* Before lib is registered, app cannot link. */
    swvm_error_t *err = swvm_linker_instantiate(linker, app, &app_instance);
    int failures = !(err && swvm_error_kind(err) == SWVM_ERROR_LINK);
    printf("before registering lib: %s\n", err ? swvm_error_message(err) : "linked?!");
    swvm_error_free(err);

    ok(swvm_linker_instantiate(linker, lib, &lib_instance), "instantiate lib");
    ok(swvm_linker_define_instance(linker, "lib", lib_instance), "register lib");
    ok(swvm_linker_instantiate(linker, app, &app_instance), "instantiate app");

    swvm_func_t *length;
    swvm_val_t result;
    ok(swvm_instance_func(app_instance, "length", &length), "lookup");
    ok(swvm_func_call(length, NULL, 0, &result, 1), "call");
    swvm_memory_t *memory;
    ok(swvm_instance_memory(lib_instance, "memory", &memory), "memory");
    const char *text = (const char *)swvm_memory_data(memory) + 100;
    printf("app's string in lib's memory: \"%s\", length %d\n", text, result.of.i32);
    failures += result.of.i32 != 14 || strcmp(text, "linked modules") != 0;

    /* Free in an arbitrary order: handles keep what they need alive. */
    swvm_engine_free(engine);
    swvm_linker_free(linker);
    swvm_module_free(app);
    swvm_instance_free(lib_instance);
    ok(swvm_func_call(length, NULL, 0, &result, 1), "call after freeing its parents");
    swvm_instance_free(app_instance);
    swvm_memory_free(memory);
    swvm_func_free(length);
    swvm_module_free(lib);
    printf("%d passed, %d failed\n", failures ? 0 : 1, failures);
    return failures;
}
