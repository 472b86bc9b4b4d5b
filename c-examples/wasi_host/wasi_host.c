/* wasi_host: a C host running a WASI command with arguments, environment and a pre-opened
   directory, then reading its exit code.

   `wasi_host MODULE.wasm HOSTDIR [ARGS...]` instead runs any WASI command through the C API,
   with HOSTDIR pre-opened as /data and this process's stdio, and exits with its exit code:
   Tests/wasi/run.py runs its programs this way too, to check that swvm_linker_define_wasi
   answers as `swvm run` does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <swvm.h>

static void ok(swvm_error_t *err, const char *what) {
    if (err) { printf("FAIL %s: %s\n", what, swvm_error_message(err)); swvm_error_free(err); exit(1); }
}

static int run_command(int argc, char **argv) {
    FILE *f = fopen(argv[1], "rb");
    if (!f) { fprintf(stderr, "cannot open %s\n", argv[1]); return 1; }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    unsigned char *bytes = malloc(size > 0 ? (size_t)size : 1);
    size_t got = fread(bytes, 1, (size_t)size, f);
    fclose(f);
    swvm_engine_t *engine = swvm_engine_new();
    swvm_linker_t *linker = swvm_linker_new(engine);
    swvm_module_t *module = NULL;
    swvm_instance_t *instance = NULL;
    swvm_func_t *start = NULL;
    const char *host_dirs[] = {argv[2]}, *guest_dirs[] = {"/data"};
    /* The program's argv: the module's path, then ARGS. */
    const char **args = malloc(sizeof *args * (size_t)(argc - 1));
    args[0] = argv[1];
    for (int i = 3; i < argc; i++) args[i - 2] = argv[i];
    swvm_wasi_config_t config = {args, (size_t)(argc - 2), NULL, 0, host_dirs, guest_dirs, 1, 0, 1, 2};
    swvm_error_t *err = swvm_linker_define_wasi(linker, &config);
    if (!err) err = swvm_module_new(engine, bytes, got, &module);
    if (!err) err = swvm_linker_instantiate(linker, module, &instance);
    if (!err) err = swvm_instance_func(instance, "_start", &start);
    if (!err) { fflush(stdout); err = swvm_func_call(start, NULL, 0, NULL, 0); }
    int code = 0;
    if (!swvm_linker_wasi_exit_code(linker, &code) && err) {
        fprintf(stderr, "wasi_host: %s\n", swvm_error_message(err));
        code = 134;
    }
    swvm_error_free(err);
    swvm_func_free(start);
    swvm_instance_free(instance);
    swvm_module_free(module);
    swvm_linker_free(linker);
    swvm_engine_free(engine);
    free(bytes);
    free(args);
    return code;
}

int main(int argc, char **argv) {
    if (argc >= 3) return run_command(argc, argv);
    FILE *f = fopen(argc > 1 ? argv[1] : "greet.wasm", "rb");
    if (!f) { printf("cannot open module\n"); return 1; }
    unsigned char buf[4096];
    size_t size = fread(buf, 1, sizeof buf, f);
    fclose(f);

    swvm_engine_t *engine = swvm_engine_new();
    swvm_linker_t *linker = swvm_linker_new(engine);
    swvm_module_t *module;
    swvm_instance_t *instance;
    swvm_func_t *start;
    const char *args[] = {"greet", "C host"};
    const char *env[] = {"LANG=C"};
    const char *host_dirs[] = {"."}, *guest_dirs[] = {"/work"};
    swvm_wasi_config_t config = {args, 2, env, 1, host_dirs, guest_dirs, 1, 0, 1, 2};

    /* Bad configurations are errors. */
    int failures = 0;
    swvm_error_t *err = swvm_linker_define_wasi(linker, NULL);
    failures += !(err && swvm_error_kind(err) == SWVM_ERROR_USAGE);
    swvm_error_free(err);
    const char *missing[] = {"/nonexistent-swvm-dir"};
    swvm_wasi_config_t bad = config;
    bad.preopen_host = missing;
    err = swvm_linker_define_wasi(linker, &bad);
    failures += !(err && swvm_error_kind(err) == SWVM_ERROR_USAGE && strstr(swvm_error_message(err), "nonexistent"));
    swvm_error_free(err);

    ok(swvm_linker_define_wasi(linker, &config), "define wasi");
    ok(swvm_module_new(engine, buf, size, &module), "load");
    ok(swvm_linker_instantiate(linker, module, &instance), "instantiate");
    ok(swvm_instance_func(instance, "_start", &start), "lookup _start");
    fflush(stdout);
    err = swvm_func_call(start, NULL, 0, NULL, 0);
    int code = -1;
    int exited = swvm_linker_wasi_exit_code(linker, &code);
    printf("program exited: %d, code %d (%s)\n", exited, code, err ? swvm_error_message(err) : "returned");
    failures += !(err && exited && code == 7);
    swvm_error_free(err);

    swvm_func_free(start);
    swvm_instance_free(instance);
    swvm_module_free(module);
    swvm_linker_free(linker);
    swvm_engine_free(engine);
    printf("%d passed, %d failed\n", failures ? 0 : 1, failures);
    return failures;
}
