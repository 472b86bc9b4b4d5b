/*
 * swvm.h — the C API of swvm, a WebAssembly runtime written in Swift.
 *
 * Conventions
 * -----------
 * - Every function that can fail returns a `swvm_error_t *`: NULL on success, otherwise an
 *   error object the caller owns and frees with swvm_error_free(). Out-parameters are written
 *   only on success.
 * - Every `*_new` / lookup function hands out a handle the caller owns and frees with the
 *   matching `*_free`. Handles are reference counted internally: they may be freed in any
 *   order. A handle keeps alive what it needs (an instance keeps its engine's store, a function
 *   keeps its instance), so freeing the engine before its instances is safe.
 * - Passing NULL where a handle or pointer is required returns an error of kind
 *   SWVM_ERROR_USAGE; it never crashes.
 * - Thread safety: an engine and everything created from it may be used by one thread at a
 *   time. Different engines may run on different threads concurrently. Modules are immutable
 *   and may be shared between threads once created.
 */
#ifndef SWVM_H
#define SWVM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Handles ----------------------------------------------------------------------------- */

/* An engine: execution state (value stack, limits) and everything instantiated in it. */
typedef struct swvm_engine swvm_engine_t;
/* A decoded and validated module; immutable. */
typedef struct swvm_module swvm_module_t;
/* An instantiated module. */
typedef struct swvm_instance swvm_instance_t;
/* A function exported by an instance. */
typedef struct swvm_func swvm_func_t;
/* An error: a kind and a message. */
typedef struct swvm_error swvm_error_t;

/* ---- Values ------------------------------------------------------------------------------ */

typedef enum swvm_valkind {
    SWVM_I32 = 0,
    SWVM_I64 = 1,
    SWVM_F32 = 2,
    SWVM_F64 = 3,
    SWVM_FUNCREF = 4,   /* reserved for the full API */
    SWVM_EXTERNREF = 5, /* reserved for the full API */
} swvm_valkind_t;

/* A tagged Wasm value. `kind` is a swvm_valkind_t. */
typedef struct swvm_val {
    uint32_t kind;
    union {
        int32_t i32;
        int64_t i64;
        float f32;
        double f64;
        void *ref;
    } of;
} swvm_val_t;

/* ---- Errors ------------------------------------------------------------------------------ */

typedef enum swvm_error_kind {
    SWVM_ERROR_MALFORMED = 0, /* the bytes are not a well-formed module binary */
    SWVM_ERROR_INVALID = 1,   /* well-formed, but fails validation */
    SWVM_ERROR_LINK = 2,      /* imports missing or mismatched */
    SWVM_ERROR_TRAP = 3,      /* execution trapped (also during instantiation) */
    SWVM_ERROR_LIMIT = 4,     /* a resource limit was hit */
    SWVM_ERROR_USAGE = 5,     /* the API was called wrongly (NULL, wrong count or type, unknown name) */
} swvm_error_kind_t;

/* The error's kind. */
swvm_error_kind_t swvm_error_kind(const swvm_error_t *error);

/* The error's message, e.g. "function 3 at offset 0x1a4: type mismatch: expected i32, found f64".
   The string is owned by the error and valid until swvm_error_free(error). Never NULL. */
const char *swvm_error_message(const swvm_error_t *error);

/* Frees an error. NULL is allowed and ignored. */
void swvm_error_free(swvm_error_t *error);

/* ---- Version ----------------------------------------------------------------------------- */

/* The library version, e.g. "0.1.0". A static string: do not free. */
const char *swvm_version(void);

/* ---- Engine ------------------------------------------------------------------------------ */

/* Creates an engine with default limits. Returns NULL only if memory is exhausted. Free with
   swvm_engine_free(). */
swvm_engine_t *swvm_engine_new(void);

/* Releases the caller's reference to the engine. Instances and functions created from it stay
   usable until they are freed too. NULL is ignored. */
void swvm_engine_free(swvm_engine_t *engine);

/* ---- Modules ----------------------------------------------------------------------------- */

/* Decodes and validates `size` bytes of a module binary. The bytes are copied; the caller keeps
   ownership of `bytes`. On success *out receives a module to free with swvm_module_free().
   Errors: SWVM_ERROR_MALFORMED, SWVM_ERROR_INVALID (with the offset and function index in the
   message), SWVM_ERROR_USAGE for NULL arguments. */
swvm_error_t *swvm_module_new(swvm_engine_t *engine, const uint8_t *bytes, size_t size, swvm_module_t **out);

/* Frees a module. Instances made from it stay valid. NULL is ignored. */
void swvm_module_free(swvm_module_t *module);

/* ---- Instances --------------------------------------------------------------------------- */

/* Instantiates a module that has no imports in the engine, running its start function if it
   has one. On success *out receives an instance to free with swvm_instance_free().
   Errors: SWVM_ERROR_LINK if the module has imports, SWVM_ERROR_TRAP if initialisation traps
   (the message says why), SWVM_ERROR_LIMIT, SWVM_ERROR_USAGE. */
swvm_error_t *swvm_instance_new(swvm_engine_t *engine, const swvm_module_t *module, swvm_instance_t **out);

/* Frees an instance handle. Functions looked up from it stay valid. NULL is ignored. */
void swvm_instance_free(swvm_instance_t *instance);

/* Looks up the exported function `name` (a NUL-terminated UTF-8 string, compared byte for
   byte). On success *out receives a function handle to free with swvm_func_free().
   Errors: SWVM_ERROR_USAGE if there is no function export of that name. */
swvm_error_t *swvm_instance_func(const swvm_instance_t *instance, const char *name, swvm_func_t **out);

/* ---- Functions --------------------------------------------------------------------------- */

/* Number of parameters and of results of the function (0 for NULL). */
size_t swvm_func_param_count(const swvm_func_t *func);
size_t swvm_func_result_count(const swvm_func_t *func);

/* The kind of parameter / result `index` (SWVM_I32 ... SWVM_EXTERNREF), or -1 if out of range. */
int swvm_func_param_kind(const swvm_func_t *func, size_t index);
int swvm_func_result_kind(const swvm_func_t *func, size_t index);

/* Calls the function with `nargs` arguments and writes its results to `results`, which must
   have room for `nresults` values, where nresults must equal swvm_func_result_count() (results
   may be NULL when it is 0). Arguments must match the parameter count and kinds exactly.
   Errors: SWVM_ERROR_TRAP when the call traps (e.g. "integer divide by zero",
   "call stack exhausted"; the engine stays usable), SWVM_ERROR_USAGE for a wrong count or
   kind of arguments or results. */
swvm_error_t *swvm_func_call(const swvm_func_t *func, const swvm_val_t *args, size_t nargs,
                             swvm_val_t *results, size_t nresults);

/* Frees a function handle. NULL is ignored. */
void swvm_func_free(swvm_func_t *func);

#ifdef __cplusplus
}
#endif

#endif /* SWVM_H */
