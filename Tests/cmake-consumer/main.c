/* Links against an installed swvm and runs a tiny module: add(2, 3). */
#include <stdio.h>
#include <swvm.h>

static const unsigned char add_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01,
    0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x0a, 0x09,
    0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b};

int main(void) {
    swvm_engine_t *engine = swvm_engine_new();
    swvm_module_t *module = NULL;
    swvm_instance_t *instance = NULL;
    swvm_func_t *add = NULL;
    swvm_val_t args[2] = {{.kind = SWVM_I32, .of.i32 = 2}, {.kind = SWVM_I32, .of.i32 = 3}}, result;
    swvm_error_t *err = swvm_module_new(engine, add_wasm, sizeof add_wasm, &module);
    if (!err) err = swvm_instance_new(engine, module, &instance);
    if (!err) err = swvm_instance_func(instance, "add", &add);
    if (!err) err = swvm_func_call(add, args, 2, &result, 1);
    if (err) { fprintf(stderr, "error: %s\n", swvm_error_message(err)); return 1; }
    printf("swvm %s: add(2, 3) = %d\n", swvm_version(), result.of.i32);
    swvm_func_free(add);
    swvm_instance_free(instance);
    swvm_module_free(module);
    swvm_engine_free(engine);
    return result.of.i32 == 5 ? 0 : 1;
}
