/* Runs one benchmark workload on swvm through its C API (include/swvm.h) and prints one JSON
   line: {"load_ms": .., "exec_ms": .., "result": "..", "maxrss_kb": ..}.

   usage: swvm_driver FILE.wasm [EXPORT [ARG...]]   without EXPORT: load and instantiate only
          swvm_driver --baseline                   the process with libswvm loaded, nothing run

   load_ms is swvm_module_new (decode + validate) + swvm_instance_new, from bytes already in
   memory. swvm compiles each function on its first call, so that compilation is part of
   exec_ms (the one swvm_func_call). Arguments are converted by the export's parameter kinds;
   integer results print as signed decimals, float results as %.17g. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <swvm.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static long maxrss_kb(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

static void check(swvm_error_t *err, const char *what) {
    if (!err) return;
    fprintf(stderr, "%s: %s\n", what, swvm_error_message(err));
    swvm_error_free(err);
    exit(1);
}

static unsigned char *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    *size = fread(buf, 1, (size_t)n, f);
    fclose(f);
    return buf;
}

static swvm_val_t parse_arg(const char *text, int kind) {
    swvm_val_t v = {.kind = (uint32_t)kind};
    switch (kind) {
    case SWVM_I32: v.of.i32 = (int32_t)strtoll(text, NULL, 0); break;
    case SWVM_I64: v.of.i64 = (int64_t)strtoull(text, NULL, 0); break;
    case SWVM_F32: v.of.f32 = strtof(text, NULL); break;
    case SWVM_F64: v.of.f64 = strtod(text, NULL); break;
    default: fprintf(stderr, "unsupported parameter kind %d\n", kind); exit(1);
    }
    return v;
}

static void render(char *out, size_t room, const swvm_val_t *v) {
    switch (v->kind) {
    case SWVM_I32: snprintf(out, room, "%" PRId32, v->of.i32); break;
    case SWVM_I64: snprintf(out, room, "%" PRId64, v->of.i64); break;
    case SWVM_F32: snprintf(out, room, "%.9g", (double)v->of.f32); break;
    case SWVM_F64: snprintf(out, room, "%.17g", v->of.f64); break;
    default: snprintf(out, room, "?"); break;
    }
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE.wasm [EXPORT [ARG...]] | --baseline\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[1], "--baseline") == 0) {
        swvm_engine_t *engine = swvm_engine_new();
        swvm_engine_free(engine);
        printf("{\"load_ms\": 0, \"exec_ms\": 0, \"result\": \"\", \"maxrss_kb\": %ld}\n", maxrss_kb());
        return 0;
    }
    size_t size = 0;
    unsigned char *bytes = read_file(argv[1], &size);
    if (!bytes) { fprintf(stderr, "cannot read %s\n", argv[1]); return 1; }

    double t0 = now_ms();
    swvm_engine_t *engine = swvm_engine_new();
    swvm_module_t *module = NULL;
    swvm_instance_t *instance = NULL;
    check(swvm_module_new(engine, bytes, size, &module), "load");
    check(swvm_instance_new(engine, module, &instance), "instantiate");
    double load_ms = now_ms() - t0;
    free(bytes);

    double exec_ms = 0;
    char result[512] = "";
    if (argc >= 3) {
        swvm_func_t *func = NULL;
        check(swvm_instance_func(instance, argv[2], &func), "lookup");
        size_t nparams = swvm_func_param_count(func), nresults = swvm_func_result_count(func);
        if ((size_t)(argc - 3) != nparams) {
            fprintf(stderr, "%s takes %zu argument(s)\n", argv[2], nparams);
            return 1;
        }
        swvm_val_t args[16], results[16];
        if (nparams > 16 || nresults > 16) { fprintf(stderr, "too many parameters or results\n"); return 1; }
        for (size_t i = 0; i < nparams; i++) args[i] = parse_arg(argv[3 + i], swvm_func_param_kind(func, i));
        double t1 = now_ms();
        check(swvm_func_call(func, args, nparams, results, nresults), "call");
        exec_ms = now_ms() - t1;
        size_t used = 0;
        for (size_t i = 0; i < nresults && used < sizeof result - 64; i++) {
            if (i) result[used++] = ' ';
            render(result + used, sizeof result - used, &results[i]);
            used = strlen(result);
        }
        swvm_func_free(func);
    }
    printf("{\"load_ms\": %.4f, \"exec_ms\": %.4f, \"result\": \"%s\", \"maxrss_kb\": %ld}\n",
           load_ms, exec_ms, result, maxrss_kb());
    swvm_instance_free(instance);
    swvm_module_free(module);
    swvm_engine_free(engine);
    return 0;
}
