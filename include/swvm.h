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
 * - Instance lifetime: an instance is freed (its code, and its memories, tables and globals
 *   unless a handle or another instance holds them) once nothing keeps it alive. What keeps an
 *   instance alive: a handle to it (swvm_instance_t), to one of its functions (swvm_func_t,
 *   and so a native pointer from swvm_func_native), tables or globals; a linker it was
 *   registered in (swvm_linker_define_instance) until the linker is freed; another live
 *   instance that imports one of its functions; a reference to one of its functions stored in
 *   a live table or global (for instance put there with swvm_table_set or by another
 *   instance's code). So a host may instantiate, call and free modules indefinitely in one
 *   engine without it growing. A funcref value (swvm_val_t.of.ref) is not a handle: it stays
 *   valid only while its instance is kept alive by one of the above. Freeing a handle from
 *   inside a host function is allowed: the collection waits until the Wasm call returns.
 * - Passing NULL where a handle or pointer is required returns an error of kind
 *   SWVM_ERROR_USAGE; it never crashes.
 * - Thread safety: an engine and everything created from it (instances, functions, memories,
 *   globals, linkers) may be used by one thread at a time. Different engines may run on
 *   different threads concurrently. Modules are immutable and may be shared between threads
 *   and engines once created. Error objects may be read from any thread.
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
    SWVM_FUNCREF = 4,   /* any function reference, typed ones ((ref $t), (ref null $t),
                           Wasm 3.0) included: the kind says how the value is passed, and the
                           engine checks the value against the exact type where it enters */
    SWVM_EXTERNREF = 5,
    SWVM_V128 = 6,
    SWVM_EXNREF = 7, /* an exception reference (Wasm 3.0 exception handling): an opaque `ref`,
                        valid while the engine lives; NULL is ref.null exn */
} swvm_valkind_t;

/* A 128-bit SIMD value: 16 bytes in memory order, so its lanes are little-endian (lane k of
   an i32x4 is bytes 4k..4k+3, its least significant byte first). Passed to and returned from
   C functions by value, like any 16-byte struct. */
typedef struct swvm_v128 {
    uint8_t bytes[16];
} swvm_v128_t;

/* A tagged Wasm value. `kind` is a swvm_valkind_t. An externref travels as `ref` (NULL is
   ref.null); a funcref is an opaque pointer; a v128 is `v128`. */
typedef struct swvm_val {
    uint32_t kind;
    union {
        int32_t i32;
        int64_t i64;
        float f32;
        double f64;
        void *ref;
        swvm_v128_t v128;
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
    SWVM_ERROR_EXCEPTION = 6, /* a Wasm exception left the call uncaught: its tag and payload are
                                 available (swvm_error_exception_tag, swvm_error_exception_payload) */
} swvm_error_kind_t;

/* The error's kind. */
swvm_error_kind_t swvm_error_kind(const swvm_error_t *error);

/* Which trap an error of kind SWVM_ERROR_TRAP is. */
typedef enum swvm_trap_code {
    SWVM_TRAP_UNREACHABLE = 0,
    SWVM_TRAP_INTEGER_DIVIDE_BY_ZERO = 1,
    SWVM_TRAP_INTEGER_OVERFLOW = 2,
    SWVM_TRAP_INVALID_CONVERSION = 3,
    SWVM_TRAP_MEMORY_OUT_OF_BOUNDS = 4,
    SWVM_TRAP_TABLE_OUT_OF_BOUNDS = 5,
    SWVM_TRAP_UNDEFINED_ELEMENT = 6,
    SWVM_TRAP_UNINITIALIZED_ELEMENT = 7,
    SWVM_TRAP_INDIRECT_CALL_TYPE_MISMATCH = 8,
    SWVM_TRAP_CALL_STACK_EXHAUSTED = 9,
    SWVM_TRAP_UNSUPPORTED = 10, /* an operation the engine cannot execute (valid modules never raise it) */
    SWVM_TRAP_HOST = 11,        /* raised by a host function */
    SWVM_TRAP_FUEL_EXHAUSTED = 12,
    SWVM_TRAP_INTERRUPTED = 13,
    SWVM_TRAP_UNCAUGHT_EXCEPTION = 14,       /* only for errors of kind SWVM_ERROR_EXCEPTION */
    SWVM_TRAP_NULL_EXCEPTION_REFERENCE = 15, /* throw_ref of a null exnref */
    SWVM_TRAP_NULL_FUNCTION_REFERENCE = 16,  /* call_ref or return_call_ref of a null reference */
    SWVM_TRAP_NULL_REFERENCE = 17,           /* ref.as_non_null of a null reference */
} swvm_trap_code_t;

/* The trap code (a swvm_trap_code_t) of an error raised by a call that trapped, or -1 for
   other errors (including traps during instantiation, which report their message only). */
int swvm_error_trap_code(const swvm_error_t *error);

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

/* ---- Limits, fuel and interruption ------------------------------------------------------- */

/* Settings for a new engine. Every limit has a safe default; a config may be reused for
   several engines and freed at any time after. */
typedef struct swvm_config swvm_config_t;

/* Creates a config holding the defaults. Free with swvm_config_free(). */
swvm_config_t *swvm_config_new(void);
void swvm_config_free(swvm_config_t *config);

/* The setters below return NULL, or SWVM_ERROR_USAGE for a NULL config or a value out of range.

   Maximum nesting of Wasm calls (default 100000). Independently of it, recursion always stops
   with the trap "call stack exhausted" before the calling thread's real native stack runs out,
   whatever its size (256 KiB host threads included). */
swvm_error_t *swvm_config_set_max_call_depth(swvm_config_t *config, uint32_t depth);
/* Size of the value stack that holds the locals and operands of all Wasm frames
   (default 8 MiB; 8 KiB ... 16 GiB). Running out traps with "call stack exhausted". */
swvm_error_t *swvm_config_set_value_stack_size(swvm_config_t *config, size_t bytes);
/* Native stack kept free below the deepest Wasm frame for host functions called from Wasm
   (default 64 KiB; 16 KiB ... 1 GiB). Raise it if your host functions use much stack. */
swvm_error_t *swvm_config_set_native_stack_reserve(swvm_config_t *config, size_t bytes);
/* Largest size of each linear memory, in 64 KiB pages (default: the memory type's maximum,
   at most 65536). `memory.grow` beyond it returns -1, as when growing past the maximum; a
   module whose memory minimum exceeds it fails to instantiate with SWVM_ERROR_LIMIT. With one
   memory per instance (Wasm 2.0) this caps an instance's linear memory. */
swvm_error_t *swvm_config_set_max_memory_pages(swvm_config_t *config, uint32_t pages);
/* Largest size of each table, in elements (default 10,000,000), enforced like the memory cap. */
swvm_error_t *swvm_config_set_max_table_elements(swvm_config_t *config, uint32_t elements);
/* Nonzero: execution consumes fuel and traps with "fuel exhausted" (SWVM_TRAP_FUEL_EXHAUSTED)
   when the engine's tank is empty. A unit is about one executed Wasm instruction: each loop
   iteration is charged the size of its body, each call the size of the callee's body outside
   its loops. The tank starts empty: set it with swvm_engine_set_fuel(). Default: off. */
swvm_error_t *swvm_config_set_consume_fuel(swvm_config_t *config, int enabled);

/* Creates an engine with the config's settings (copied: the config may be freed after).
   On success *out receives the engine. Errors: SWVM_ERROR_USAGE. */
swvm_error_t *swvm_engine_new_with_config(const swvm_config_t *config, swvm_engine_t **out);

/* Sets / adds to / reads the engine's fuel tank. They may be called between calls and from
   host functions during a call. Errors: SWVM_ERROR_USAGE if the engine was not configured to
   consume fuel, or for NULL arguments. */
swvm_error_t *swvm_engine_set_fuel(swvm_engine_t *engine, uint64_t units);
swvm_error_t *swvm_engine_add_fuel(swvm_engine_t *engine, uint64_t units);
swvm_error_t *swvm_engine_fuel(const swvm_engine_t *engine, uint64_t *out);

/* Stops a running call from another thread. */
typedef struct swvm_interrupt_handle swvm_interrupt_handle_t;

/* A handle that interrupts the engine's calls; free with swvm_interrupt_handle_free(). It
   stays valid after the engine is freed (interrupting then does nothing). NULL for a NULL
   engine. */
swvm_interrupt_handle_t *swvm_engine_interrupt_handle(swvm_engine_t *engine);
/* Thread-safe, async-signal-safe: makes the call running in the engine trap with
   "interrupted" (SWVM_TRAP_INTERRUPTED) at its next loop iteration or function call, within
   milliseconds. The engine stays usable: the next call runs normally. A request made while no
   call runs is dropped when the next call from the host starts. NULL is ignored. */
void swvm_interrupt(swvm_interrupt_handle_t *handle);
void swvm_interrupt_handle_free(swvm_interrupt_handle_t *handle);

/* ---- Modules ----------------------------------------------------------------------------- */

/* Decodes and validates `size` bytes of a module binary. The bytes are copied; the caller keeps
   ownership of `bytes`. On success *out receives a module to free with swvm_module_free().
   Errors: SWVM_ERROR_MALFORMED, SWVM_ERROR_INVALID (with the offset and function index in the
   message), SWVM_ERROR_USAGE for NULL arguments. */
swvm_error_t *swvm_module_new(swvm_engine_t *engine, const uint8_t *bytes, size_t size, swvm_module_t **out);

/* Frees a module. Instances made from it stay valid. NULL is ignored. */
void swvm_module_free(swvm_module_t *module);

/* ---- Module imports and exports (before instantiation) ------------------------------------ */

/* The type of an import or export. Its arrays are owned by the module handle and valid while
   it lives. Which fields mean something depends on `kind` (a swvm_extern_kind_t); the others
   are 0 / NULL. */
typedef struct swvm_externtype {
    int kind;
    /* SWVM_EXTERN_FUNC: the parameter and result kinds, in order. */
    const swvm_valkind_t *params;
    size_t nparams;
    const swvm_valkind_t *results;
    size_t nresults;
    /* SWVM_EXTERN_GLOBAL: the value's kind; SWVM_EXTERN_TABLE: the elements' kind. */
    swvm_valkind_t valkind;
    /* SWVM_EXTERN_GLOBAL: non-zero if the global is mutable. */
    int mutable_;
    /* SWVM_EXTERN_TABLE (in elements) and SWVM_EXTERN_MEMORY (in 64 KiB pages): the limits;
       max is UINT64_MAX when there is none. 64 bits wide for 64-bit memories and tables. */
    uint64_t min;
    uint64_t max;
    /* SWVM_EXTERN_TABLE and SWVM_EXTERN_MEMORY: non-zero for a 64-bit memory or table (memory64,
       table64: addresses, indices and sizes are i64). A module's memories, several with
       multi-memory, are its memory imports and exports. */
    int is64;
} swvm_externtype_t;

/* Number of imports / exports of the module, in declaration order (0 for NULL). A host can
   walk the imports to satisfy them generically before instantiating. */
size_t swvm_module_import_count(const swvm_module_t *module);
size_t swvm_module_export_count(const swvm_module_t *module);

/* Import `index`: *module_name and *name receive its module and field names (NUL-terminated
   UTF-8 owned by the module handle; a name containing a NUL byte reads as cut short there),
   *type its kind and type. Any out-pointer may be NULL.
   Errors: SWVM_ERROR_USAGE for a NULL module or an index out of range. */
swvm_error_t *swvm_module_import(const swvm_module_t *module, size_t index, const char **module_name,
                                 const char **name, swvm_externtype_t *type);

/* Export `index`: its name and type, as for swvm_module_import. */
swvm_error_t *swvm_module_export(const swvm_module_t *module, size_t index, const char **name,
                                 swvm_externtype_t *type);

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

/* The kind of parameter / result `index` (a swvm_valkind_t), or -1 if out of range. */
int swvm_func_param_kind(const swvm_func_t *func, size_t index);
int swvm_func_result_kind(const swvm_func_t *func, size_t index);

/* Calls the function with `nargs` arguments and writes its results to `results`, which must
   have room for `nresults` values, where nresults must equal swvm_func_result_count() (results
   may be NULL when it is 0). Arguments must match the parameter count and kinds exactly.
   Errors: SWVM_ERROR_TRAP when the call traps (e.g. "integer divide by zero",
   "call stack exhausted"; the engine stays usable), SWVM_ERROR_EXCEPTION when a Wasm
   exception leaves it uncaught (see "Exceptions"), SWVM_ERROR_USAGE for a wrong count or
   kind of arguments or results, or a reference its parameter's type does not admit (NULL for
   a non-nullable reference, a function of another type for a typed one). */
swvm_error_t *swvm_func_call(const swvm_func_t *func, const swvm_val_t *args, size_t nargs,
                             swvm_val_t *results, size_t nresults);

/* Frees a function handle. NULL is ignored. */
void swvm_func_free(swvm_func_t *func);

/* ---- Exports ----------------------------------------------------------------------------- */

typedef enum swvm_extern_kind {
    SWVM_EXTERN_FUNC = 0,
    SWVM_EXTERN_TABLE = 1,
    SWVM_EXTERN_MEMORY = 2,
    SWVM_EXTERN_GLOBAL = 3,
    SWVM_EXTERN_TAG = 4, /* an exception tag; its type is a function type with no results */
} swvm_extern_kind_t;

/* Number of exports of the instance, in declaration order (0 for NULL). */
size_t swvm_instance_export_count(const swvm_instance_t *instance);

/* Name of export `index` (NUL-terminated UTF-8, owned by the instance handle and valid while it
   lives), or NULL if out of range. */
const char *swvm_instance_export_name(const swvm_instance_t *instance, size_t index);

/* Kind of export `index`, or -1 if out of range. */
int swvm_instance_export_kind(const swvm_instance_t *instance, size_t index);

/* ---- Memories ---------------------------------------------------------------------------- */

typedef struct swvm_memory swvm_memory_t;

/* Looks up the exported memory `name`. *out receives a handle to free with swvm_memory_free().
   Errors: SWVM_ERROR_USAGE if there is no memory export of that name. */
swvm_error_t *swvm_instance_memory(const swvm_instance_t *instance, const char *name, swvm_memory_t **out);

/* Creates a (32-bit) memory of `min_pages` 64 KiB pages, growable to `max_pages` (0xFFFFFFFF:
   no maximum), to give to a linker. Errors: SWVM_ERROR_INVALID for min > max or more than
   65536 pages, SWVM_ERROR_LIMIT if it cannot be reserved. */
swvm_error_t *swvm_memory_new(swvm_engine_t *engine, uint32_t min_pages, uint32_t max_pages, swvm_memory_t **out);

/* Creates a 64-bit memory (memory64: i64 addresses) of `min_pages` 64 KiB pages, growable to
   `max_pages` (UINT64_MAX: no maximum; at most 2^48 pages either way). Address space is
   reserved as it grows, not for the maximum. Errors as swvm_memory_new's. */
swvm_error_t *swvm_memory64_new(swvm_engine_t *engine, uint64_t min_pages, uint64_t max_pages, swvm_memory_t **out);

/* The memory's bytes. For a 32-bit memory the address never changes, not even when the memory
   grows (swvm reserves its maximum, at most 4 GiB, up front); a 64-bit memory may move when it
   grows beyond the address space reserved so far, so read the address again after growing it
   or after calling Wasm code that may. The size changes. NULL for a NULL handle. */
uint8_t *swvm_memory_data(const swvm_memory_t *memory);

/* Current size in bytes, beyond 4 GiB for a 64-bit memory (0 for NULL). */
size_t swvm_memory_size(const swvm_memory_t *memory);

/* Current size in 64 KiB pages (0 for NULL). */
uint64_t swvm_memory_pages(const swvm_memory_t *memory);

/* Non-zero for a 64-bit memory (0 for NULL). */
int swvm_memory_is64(const swvm_memory_t *memory);

/* Grows the memory by `delta_pages`; *old_pages (if not NULL) receives the previous page count.
   Errors: SWVM_ERROR_LIMIT if the maximum would be exceeded (the memory is unchanged). */
swvm_error_t *swvm_memory_grow(swvm_memory_t *memory, uint64_t delta_pages, uint64_t *old_pages);

/* The memory's maximum in pages, or UINT64_MAX if it has none (0 for NULL). */
uint64_t swvm_memory_max_pages(const swvm_memory_t *memory);

/* Frees a memory handle (the memory lives while an instance uses it). NULL is ignored. */
void swvm_memory_free(swvm_memory_t *memory);

/* ---- Globals ----------------------------------------------------------------------------- */

typedef struct swvm_global swvm_global_t;

/* Looks up the exported global `name`; free the handle with swvm_global_free(). */
swvm_error_t *swvm_instance_global(const swvm_instance_t *instance, const char *name, swvm_global_t **out);

/* Creates a global holding `*value` (its kind is the global's type), mutable if `mutable_` is
   non-zero, to give to a linker. */
swvm_error_t *swvm_global_new(swvm_engine_t *engine, const swvm_val_t *value, int mutable_, swvm_global_t **out);

/* Reads the global's value into *out. */
swvm_error_t *swvm_global_get(const swvm_global_t *global, swvm_val_t *out);

/* Sets a mutable global. Errors: SWVM_ERROR_USAGE for an immutable global or a value of
   another kind. */
swvm_error_t *swvm_global_set(swvm_global_t *global, const swvm_val_t *value);

/* Non-zero if the global is mutable (0 for NULL). Its kind is the kind of the value
   swvm_global_get returns. */
int swvm_global_mutable(const swvm_global_t *global);

/* Frees a global handle. NULL is ignored. */
void swvm_global_free(swvm_global_t *global);

/* ---- Tables ------------------------------------------------------------------------------ */

typedef struct swvm_table swvm_table_t;

/* Looks up the exported table `name`; free the handle with swvm_table_free(). */
swvm_error_t *swvm_instance_table(const swvm_instance_t *instance, const char *name, swvm_table_t **out);

/* The kind of the table's elements (SWVM_FUNCREF or SWVM_EXTERNREF; -1 for NULL) and its
   current size (0 for NULL). */
int swvm_table_kind(const swvm_table_t *table);
uint32_t swvm_table_size(const swvm_table_t *table);

/* Reads element `index` into *out (ref NULL for a null reference).
   Errors: SWVM_ERROR_USAGE for an index out of bounds. */
swvm_error_t *swvm_table_get(const swvm_table_t *table, uint32_t index, swvm_val_t *out);

/* Writes element `index`; the value's kind must be the table's. A funcref must come from
   swvm (swvm_table_get) or be NULL. */
swvm_error_t *swvm_table_set(swvm_table_t *table, uint32_t index, const swvm_val_t *value);

/* Grows the table by `delta` elements set to `*init` (NULL: null references); *old_size (if
   not NULL) receives the previous size. Errors: SWVM_ERROR_LIMIT past the maximum. */
swvm_error_t *swvm_table_grow(swvm_table_t *table, uint32_t delta, const swvm_val_t *init, uint32_t *old_size);

/* Frees a table handle. NULL is ignored. */
void swvm_table_free(swvm_table_t *table);

/* ---- Host functions and the linker -------------------------------------------------------- */

typedef struct swvm_linker swvm_linker_t;
typedef struct swvm_caller swvm_caller_t;

/* Creates a linker that instantiates modules in `engine`, resolving their imports from what
   is defined in it. Free with swvm_linker_free(). */
swvm_linker_t *swvm_linker_new(swvm_engine_t *engine);
void swvm_linker_free(swvm_linker_t *linker);

/* Flags for swvm_linker_define_func. */
enum {
    /* The C function receives a `swvm_caller_t *` as its first argument. */
    SWVM_FUNC_WITH_CALLER = 1,
};

/* Defines the import `module`.`name` as the plain C function `fn`, with the Wasm signature
   `signature`: result letters, then the parameter letters in parentheses. Letters: i = i32
   (int32_t), I = i64 (int64_t), f = f32 (float), F = f64 (double), r = externref (void *),
   V = v128 (swvm_v128_t, by value).
   Examples: "i(ii)" for int32_t add(int32_t, int32_t); "(I)" for void log(int64_t);
   "F()" for double now(void); "V(VV)" for swvm_v128_t add4(swvm_v128_t, swvm_v128_t).
   With several results the C function returns void and receives one pointer per result after
   its parameters: "ii(i)" is void f(int32_t, int32_t *, int32_t *) (a v128 result's pointer is
   a swvm_v128_t *, 8-byte aligned).
   With SWVM_FUNC_WITH_CALLER the function gets a swvm_caller_t * first, through which it
   reaches `user_data`, the calling instance's memory, and can trap.
   swvm prepares the call interface (libffi ffi_prep_cif) here, once; each call is an ffi_call.
   Errors: SWVM_ERROR_USAGE for a malformed signature or NULL arguments. */
swvm_error_t *swvm_linker_define_func(swvm_linker_t *linker, const char *module, const char *name,
                                      const char *signature, void (*fn)(void), void *user_data, int flags);

/* The same with the signature as arrays of swvm_valkind_t. */
swvm_error_t *swvm_linker_define_func_typed(swvm_linker_t *linker, const char *module, const char *name,
                                            const swvm_valkind_t *params, size_t nparams,
                                            const swvm_valkind_t *results, size_t nresults,
                                            void (*fn)(void), void *user_data, int flags);

/* Defines `module`.`name` as a memory or a global (the linker keeps its own reference). */
swvm_error_t *swvm_linker_define_memory(swvm_linker_t *linker, const char *module, const char *name, const swvm_memory_t *memory);
swvm_error_t *swvm_linker_define_global(swvm_linker_t *linker, const char *module, const char *name, const swvm_global_t *global);

/* Makes every export of `instance` importable under the module name `name`. */
swvm_error_t *swvm_linker_define_instance(swvm_linker_t *linker, const char *name, const swvm_instance_t *instance);

/* Instantiates `module`, resolving its imports in the linker. Errors: SWVM_ERROR_LINK for an
   unknown or mismatched import (the message names the import and both types),
   SWVM_ERROR_TRAP if initialisation or the start function traps. */
swvm_error_t *swvm_linker_instantiate(swvm_linker_t *linker, const swvm_module_t *module, swvm_instance_t **out);

/* ---- Exceptions (Wasm 3.0 exception handling) --------------------------------------------- */

/* An exception tag: what a `catch` matches, by identity, with the types of its payload. */
typedef struct swvm_tag swvm_tag_t;

/* Creates a tag whose payload has the kinds `params` (no v128), to define in a linker for
   modules to import, and to throw from host functions (swvm_caller_throw). Free with
   swvm_tag_free(). Errors: SWVM_ERROR_USAGE. */
swvm_error_t *swvm_tag_new(swvm_engine_t *engine, const swvm_valkind_t *params, size_t nparams, swvm_tag_t **out);

/* Looks up the exported tag `name`; free the handle with swvm_tag_free(). */
swvm_error_t *swvm_instance_tag(const swvm_instance_t *instance, const char *name, swvm_tag_t **out);

/* The kinds of the tag's payload: writes up to `capacity` of them to `out` (which may be NULL
   when capacity is 0) and returns their number (0 for NULL). */
size_t swvm_tag_params(const swvm_tag_t *tag, swvm_valkind_t *out, size_t capacity);

/* Non-zero if the two handles are the same tag (handles are separate objects; the tags they
   stand for have identity). 0 if either is NULL. */
int swvm_tag_same(const swvm_tag_t *a, const swvm_tag_t *b);

/* Frees a tag handle. NULL is ignored. */
void swvm_tag_free(swvm_tag_t *tag);

/* Defines `module`.`name` as a tag (the linker keeps its own reference). */
swvm_error_t *swvm_linker_define_tag(swvm_linker_t *linker, const char *module, const char *name, const swvm_tag_t *tag);

/* For an error of kind SWVM_ERROR_EXCEPTION: a new handle to the exception's tag (free it with
   swvm_tag_free), or NULL for other errors. */
swvm_tag_t *swvm_error_exception_tag(const swvm_error_t *error);

/* For an error of kind SWVM_ERROR_EXCEPTION: writes up to `capacity` payload values to `out`
   and returns the payload's length (0 for other errors). */
size_t swvm_error_exception_payload(const swvm_error_t *error, swvm_val_t *out, size_t capacity);

/* Inside a host function: throws a Wasm exception with tag `tag` and the `npayload` values of
   `payload` (their kinds must be the tag's) once the host function returns (its return value
   is then ignored). A try_table in the calling Wasm code may catch it; uncaught, the host's
   call returns an error of kind SWVM_ERROR_EXCEPTION. A wrong payload makes the call trap
   with a message saying why. */
void swvm_caller_throw(swvm_caller_t *caller, const swvm_tag_t *tag, const swvm_val_t *payload, size_t npayload);

/* Inside a host function: the `user_data` given at definition. */
void *swvm_caller_user_data(const swvm_caller_t *caller);

/* Inside a host function: the calling instance's exported memory named "memory" (its bytes and,
   in *size, its size), or NULL (and 0) if it has none. Valid until the host function returns
   or calls back into Wasm. */
uint8_t *swvm_caller_memory(const swvm_caller_t *caller, size_t *size);

/* An export of any kind, as swvm_caller_export returns it: `kind` (a swvm_extern_kind_t) says
   which handle of `of` is set. The handle is the caller's to free with its *_free function. */
typedef struct swvm_extern {
    int kind;
    union {
        swvm_func_t *func;
        swvm_table_t *table;
        swvm_memory_t *memory;
        swvm_global_t *global;
        swvm_tag_t *tag;
    } of;
} swvm_extern_t;

/* Inside a host function: the calling instance's export `name` (NUL-terminated UTF-8,
   compared byte for byte), of any kind, as a new handle in *out. This is how a host function
   reaches more of its caller than its memory, e.g. calls the guest's allocator with
   swvm_func_call (calling back into Wasm from a host function is allowed) or reads a global.
   The handle stays valid after the host function returns, like any handle.
   Errors: SWVM_ERROR_USAGE for NULL arguments, no export of that name (the message lists
   the exports), or a host function called directly by the host rather than from Wasm. */
swvm_error_t *swvm_caller_export(const swvm_caller_t *caller, const char *name, swvm_extern_t *out);

/* Inside a host function: makes the Wasm call trap with `message` once the host function
   returns (its return value is then ignored). The caller of the Wasm function receives a
   SWVM_ERROR_TRAP error with this message. */
void swvm_caller_trap(swvm_caller_t *caller, const char *message);

/* ---- WASI -------------------------------------------------------------------------------- */

/* What a WASI program sees. All strings are NUL-terminated UTF-8 and copied by swvm. */
typedef struct swvm_wasi_config {
    const char *const *argv;            /* argv[0] is the program name; may be NULL if argc is 0 */
    size_t argc;
    const char *const *env;             /* "KEY=VALUE" strings */
    size_t envc;
    const char *const *preopen_host;    /* host directories to pre-open ... */
    const char *const *preopen_guest;   /* ... and the paths the program sees them as */
    size_t npreopens;
    int stdin_fd, stdout_fd, stderr_fd; /* host descriptors behind 0, 1, 2 (use 0, 1, 2) */
} swvm_wasi_config_t;

/* Defines WASI preview1 (`wasi_snapshot_preview1`) in the linker: args, environment, clocks,
   random, stdio, files and directories under the pre-opened directories only (no `..`,
   absolute path or symlink leaves them), per-descriptor rights as in the preview1 spec,
   poll_oneoff for clocks, proc_exit; the sock_* calls work on sockets handed in as stdio and
   answer EBADF/ENOTSOCK otherwise; proc_raise returns ENOSYS. The answers are the CLI's
   (`swvm run`). Call a program's `_start` with swvm_func_call; when it calls proc_exit the call
   returns a SWVM_ERROR_TRAP error and swvm_linker_wasi_exit_code() gives the code.
   Errors: SWVM_ERROR_USAGE for NULL arguments or a directory that cannot be opened. */
swvm_error_t *swvm_linker_define_wasi(swvm_linker_t *linker, const swvm_wasi_config_t *config);

/* 1 and the exit code in *code if a WASI program of this linker called proc_exit; else 0. */
int swvm_linker_wasi_exit_code(const swvm_linker_t *linker, int *code);

/* ---- Exports as native function pointers ------------------------------------------------- */

/* Returns, in *out, a real C function pointer that calls the Wasm function: cast it to the C
   type matching its signature (i32 -> int32_t, i64 -> int64_t, f32 -> float, f64 -> double,
   v128 -> swvm_v128_t)
   and call it like any C function, e.g. int64_t (*fib)(int64_t). Functions with more than one
   result are not supported (SWVM_ERROR_USAGE). The pointer is valid while `func` lives.
   A trap cannot unwind through C frames: the pointer returns 0 and the trap's message is
   available from swvm_last_trap() on the same thread until the next such call. */
swvm_error_t *swvm_func_native(swvm_func_t *func, void (**out)(void));

/* The message of the trap raised by the last call through a native function pointer on this
   thread, or NULL if that call did not trap. Owned by swvm; valid until the next such call. */
const char *swvm_last_trap(void);

#ifdef __cplusplus
}
#endif

#endif /* SWVM_H */
