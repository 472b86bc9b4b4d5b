/*
 * wasm.h — the standard WebAssembly C API (github.com/WebAssembly/wasm-c-api), as implemented
 * by swvm in libswvm.so next to its own, richer swvm.h. Written for swvm; its declarations
 * (names, types, struct layouts, vector types) match the upstream header's, so a host written
 * against that API builds against this file and links with -lswvm unchanged.
 *
 * Ownership
 * ---------
 * `own` marks ownership, like a const qualifier that says who frees:
 * - an `own` result is the caller's to release with the matching wasm_xxx_delete();
 * - an `own` parameter passes ownership to the callee (except parameters named `out`, which
 *   receive data the caller then owns);
 * - an `own` vector owns its elements too; wasm_xxx_vec_delete() deletes them.
 * Deleting a reference releases that reference only: the object lives while other references
 * (copies, instances importing it, tables holding it) remain.
 *
 * swvm specifics
 * --------------
 * - An engine carries no state but its configuration; each store is an swvm engine of its own
 *   (value stack, limits). Objects of one store are used by one thread at a time; modules can
 *   move between threads and stores with wasm_module_share / wasm_module_obtain.
 * - Instances are freed when no reference reaches them (see swvm.h, "Instance lifetime").
 *   References given to Wasm code as externref (wasm_ref_t of a foreign object, for example)
 *   stay alive until their store is deleted, since Wasm tables and globals may hold them.
 * - Bad input (NULL, a wrong kind, an index out of bounds) yields NULL, false or an empty
 *   result, never a crash.
 * - Frames carry the instance and function index; offsets are 0 (swvm does not map compiled
 *   code back to byte offsets).
 * - wasm_module_serialize writes swvm's own format: a header naming the format version,
 *   then the module. wasm_module_deserialize rejects another version (returns NULL).
 */
#ifndef WASM_H
#define WASM_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifndef WASM_API_EXTERN
#define WASM_API_EXTERN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Basic types --------------------------------------------------------------------------- */

typedef char byte_t;
typedef float float32_t;
typedef double float64_t;

#define own

/* The declaration patterns every kind of object follows. */

/* An object released with wasm_NAME_delete. */
#define SWVM_WASM_OWNED(name) \
  typedef struct wasm_##name##_t wasm_##name##_t; \
  WASM_API_EXTERN void wasm_##name##_delete(own wasm_##name##_t*);

/* A vector: `size` elements at `data` (elements or element pointers). new_uninitialized leaves
   the elements unset (pointers NULL); new copies in `size` elements taking ownership of them;
   copy deep-copies; delete deletes the elements and frees the storage. */
#define SWVM_WASM_VECTOR(name, star) \
  typedef struct wasm_##name##_vec_t { \
    size_t size; \
    wasm_##name##_t star* data; \
  } wasm_##name##_vec_t; \
  WASM_API_EXTERN void wasm_##name##_vec_new_empty(own wasm_##name##_vec_t* out); \
  WASM_API_EXTERN void wasm_##name##_vec_new_uninitialized(own wasm_##name##_vec_t* out, size_t); \
  WASM_API_EXTERN void wasm_##name##_vec_new(own wasm_##name##_vec_t* out, size_t, \
                                             own wasm_##name##_t star const[]); \
  WASM_API_EXTERN void wasm_##name##_vec_copy(own wasm_##name##_vec_t* out, const wasm_##name##_vec_t*); \
  WASM_API_EXTERN void wasm_##name##_vec_delete(own wasm_##name##_vec_t*);

/* A type description: owned, copyable, with a vector of pointers to it. */
#define SWVM_WASM_TYPE(name) \
  SWVM_WASM_OWNED(name) \
  SWVM_WASM_VECTOR(name, *) \
  WASM_API_EXTERN own wasm_##name##_t* wasm_##name##_copy(const wasm_##name##_t*);

/* A reference to a runtime object. Copies refer to the same object; `same` compares objects.
   Host info is one pointer the host attaches to the object (shared by all its references),
   with an optional finalizer run once when the object is freed. */
#define SWVM_WASM_REF_COMMON(name) \
  SWVM_WASM_OWNED(name) \
  WASM_API_EXTERN own wasm_##name##_t* wasm_##name##_copy(const wasm_##name##_t*); \
  WASM_API_EXTERN bool wasm_##name##_same(const wasm_##name##_t*, const wasm_##name##_t*); \
  WASM_API_EXTERN void* wasm_##name##_get_host_info(const wasm_##name##_t*); \
  WASM_API_EXTERN void wasm_##name##_set_host_info(wasm_##name##_t*, void*); \
  WASM_API_EXTERN void wasm_##name##_set_host_info_with_finalizer(wasm_##name##_t*, void*, void (*)(void*));

/* A reference that also converts to and from wasm_ref_t (the same pointer, NULL when the
   object is of another kind; no ownership changes hands). */
#define SWVM_WASM_REF(name) \
  SWVM_WASM_REF_COMMON(name) \
  WASM_API_EXTERN wasm_ref_t* wasm_##name##_as_ref(wasm_##name##_t*); \
  WASM_API_EXTERN wasm_##name##_t* wasm_ref_as_##name(wasm_ref_t*); \
  WASM_API_EXTERN const wasm_ref_t* wasm_##name##_as_ref_const(const wasm_##name##_t*); \
  WASM_API_EXTERN const wasm_##name##_t* wasm_ref_as_##name##_const(const wasm_ref_t*);

/* A reference that can cross threads: `share` makes a thread-independent handle, `obtain`
   turns it into a reference in a store of the receiving thread. */
#define SWVM_WASM_SHARABLE_REF(name) \
  SWVM_WASM_REF(name) \
  SWVM_WASM_OWNED(shared_##name) \
  WASM_API_EXTERN own wasm_shared_##name##_t* wasm_##name##_share(const wasm_##name##_t*); \
  WASM_API_EXTERN own wasm_##name##_t* wasm_##name##_obtain(wasm_store_t*, const wasm_shared_##name##_t*);

/* Bytes and names. A name is a byte vector; one used as a message ends with a NUL byte. */
typedef byte_t wasm_byte_t;
SWVM_WASM_VECTOR(byte, )

typedef wasm_byte_vec_t wasm_name_t;

#define wasm_name wasm_byte_vec
#define wasm_name_new wasm_byte_vec_new
#define wasm_name_new_empty wasm_byte_vec_new_empty
#define wasm_name_new_new_uninitialized wasm_byte_vec_new_uninitialized
#define wasm_name_copy wasm_byte_vec_copy
#define wasm_name_delete wasm_byte_vec_delete

/* A name holding the bytes of `s` without / with its terminating NUL. */
static inline void wasm_name_new_from_string(own wasm_name_t* out, const char* s) {
  wasm_name_new(out, strlen(s), s);
}
static inline void wasm_name_new_from_string_nt(own wasm_name_t* out, const char* s) {
  wasm_name_new(out, strlen(s) + 1, s);
}

/* ---- Engine, configuration, store ------------------------------------------------------------ */

SWVM_WASM_OWNED(config)
/* A configuration with swvm's defaults; wasm_engine_new_with_config takes it over. */
WASM_API_EXTERN own wasm_config_t* wasm_config_new(void);

SWVM_WASM_OWNED(engine)
WASM_API_EXTERN own wasm_engine_t* wasm_engine_new(void);
WASM_API_EXTERN own wasm_engine_t* wasm_engine_new_with_config(own wasm_config_t*);

/* A store: where instances, functions, globals, tables and memories live. Deleting it
   releases the store; its objects stay valid while references to them remain. */
SWVM_WASM_OWNED(store)
WASM_API_EXTERN own wasm_store_t* wasm_store_new(wasm_engine_t*);

/* ---- Types ---------------------------------------------------------------------------------- */

typedef uint8_t wasm_mutability_t;
enum wasm_mutability_enum { WASM_CONST, WASM_VAR };

/* Limits of a table (elements) or memory (pages); max wasm_limits_max_default means none. */
typedef struct wasm_limits_t {
  uint32_t min;
  uint32_t max;
} wasm_limits_t;

static const uint32_t wasm_limits_max_default = 0xffffffff;

SWVM_WASM_TYPE(valtype)

typedef uint8_t wasm_valkind_t;
enum wasm_valkind_enum {
  WASM_I32,
  WASM_I64,
  WASM_F32,
  WASM_F64,
  WASM_EXTERNREF = 128,
  WASM_FUNCREF,
};

/* NULL for a kind that is not one of wasm_valkind_enum. */
WASM_API_EXTERN own wasm_valtype_t* wasm_valtype_new(wasm_valkind_t);
WASM_API_EXTERN wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t*);

static inline bool wasm_valkind_is_num(wasm_valkind_t k) { return k < WASM_EXTERNREF; }
static inline bool wasm_valkind_is_ref(wasm_valkind_t k) { return k >= WASM_EXTERNREF; }
static inline bool wasm_valtype_is_num(const wasm_valtype_t* t) { return wasm_valkind_is_num(wasm_valtype_kind(t)); }
static inline bool wasm_valtype_is_ref(const wasm_valtype_t* t) { return wasm_valkind_is_ref(wasm_valtype_kind(t)); }

SWVM_WASM_TYPE(functype)
/* Takes over both vectors (and their valtypes). */
WASM_API_EXTERN own wasm_functype_t* wasm_functype_new(own wasm_valtype_vec_t* params, own wasm_valtype_vec_t* results);
/* Owned by the function type. */
WASM_API_EXTERN const wasm_valtype_vec_t* wasm_functype_params(const wasm_functype_t*);
WASM_API_EXTERN const wasm_valtype_vec_t* wasm_functype_results(const wasm_functype_t*);

SWVM_WASM_TYPE(globaltype)
WASM_API_EXTERN own wasm_globaltype_t* wasm_globaltype_new(own wasm_valtype_t*, wasm_mutability_t);
WASM_API_EXTERN const wasm_valtype_t* wasm_globaltype_content(const wasm_globaltype_t*);
WASM_API_EXTERN wasm_mutability_t wasm_globaltype_mutability(const wasm_globaltype_t*);

SWVM_WASM_TYPE(tabletype)
WASM_API_EXTERN own wasm_tabletype_t* wasm_tabletype_new(own wasm_valtype_t*, const wasm_limits_t*);
WASM_API_EXTERN const wasm_valtype_t* wasm_tabletype_element(const wasm_tabletype_t*);
WASM_API_EXTERN const wasm_limits_t* wasm_tabletype_limits(const wasm_tabletype_t*);

SWVM_WASM_TYPE(memorytype)
WASM_API_EXTERN own wasm_memorytype_t* wasm_memorytype_new(const wasm_limits_t*);
WASM_API_EXTERN const wasm_limits_t* wasm_memorytype_limits(const wasm_memorytype_t*);

/* Any of the four types above. The conversions return the same object (NULL for another
   kind): deleting either pointer deletes it. */
SWVM_WASM_TYPE(externtype)

typedef uint8_t wasm_externkind_t;
enum wasm_externkind_enum {
  WASM_EXTERN_FUNC,
  WASM_EXTERN_GLOBAL,
  WASM_EXTERN_TABLE,
  WASM_EXTERN_MEMORY,
};

WASM_API_EXTERN wasm_externkind_t wasm_externtype_kind(const wasm_externtype_t*);

WASM_API_EXTERN wasm_externtype_t* wasm_functype_as_externtype(wasm_functype_t*);
WASM_API_EXTERN wasm_externtype_t* wasm_globaltype_as_externtype(wasm_globaltype_t*);
WASM_API_EXTERN wasm_externtype_t* wasm_tabletype_as_externtype(wasm_tabletype_t*);
WASM_API_EXTERN wasm_externtype_t* wasm_memorytype_as_externtype(wasm_memorytype_t*);

WASM_API_EXTERN wasm_functype_t* wasm_externtype_as_functype(wasm_externtype_t*);
WASM_API_EXTERN wasm_globaltype_t* wasm_externtype_as_globaltype(wasm_externtype_t*);
WASM_API_EXTERN wasm_tabletype_t* wasm_externtype_as_tabletype(wasm_externtype_t*);
WASM_API_EXTERN wasm_memorytype_t* wasm_externtype_as_memorytype(wasm_externtype_t*);

WASM_API_EXTERN const wasm_externtype_t* wasm_functype_as_externtype_const(const wasm_functype_t*);
WASM_API_EXTERN const wasm_externtype_t* wasm_globaltype_as_externtype_const(const wasm_globaltype_t*);
WASM_API_EXTERN const wasm_externtype_t* wasm_tabletype_as_externtype_const(const wasm_tabletype_t*);
WASM_API_EXTERN const wasm_externtype_t* wasm_memorytype_as_externtype_const(const wasm_memorytype_t*);

WASM_API_EXTERN const wasm_functype_t* wasm_externtype_as_functype_const(const wasm_externtype_t*);
WASM_API_EXTERN const wasm_globaltype_t* wasm_externtype_as_globaltype_const(const wasm_externtype_t*);
WASM_API_EXTERN const wasm_tabletype_t* wasm_externtype_as_tabletype_const(const wasm_externtype_t*);
WASM_API_EXTERN const wasm_memorytype_t* wasm_externtype_as_memorytype_const(const wasm_externtype_t*);

/* An import: module name, field name, type (all taken over by _new, owned by the import type). */
SWVM_WASM_TYPE(importtype)
WASM_API_EXTERN own wasm_importtype_t* wasm_importtype_new(own wasm_name_t* module, own wasm_name_t* name,
                                                          own wasm_externtype_t*);
WASM_API_EXTERN const wasm_name_t* wasm_importtype_module(const wasm_importtype_t*);
WASM_API_EXTERN const wasm_name_t* wasm_importtype_name(const wasm_importtype_t*);
WASM_API_EXTERN const wasm_externtype_t* wasm_importtype_type(const wasm_importtype_t*);

/* An export: name and type. */
SWVM_WASM_TYPE(exporttype)
WASM_API_EXTERN own wasm_exporttype_t* wasm_exporttype_new(own wasm_name_t*, own wasm_externtype_t*);
WASM_API_EXTERN const wasm_name_t* wasm_exporttype_name(const wasm_exporttype_t*);
WASM_API_EXTERN const wasm_externtype_t* wasm_exporttype_type(const wasm_exporttype_t*);

/* ---- Values and references -------------------------------------------------------------------- */

struct wasm_ref_t;

/* A value. A reference value (WASM_EXTERNREF, WASM_FUNCREF) holds a wasm_ref_t, NULL for
   null; an `own` value owns that reference. */
typedef struct wasm_val_t {
  wasm_valkind_t kind;
  union {
    int32_t i32;
    int64_t i64;
    float32_t f32;
    float64_t f64;
    struct wasm_ref_t* ref;
  } of;
} wasm_val_t;

/* Deletes the reference a value owns (nothing for numbers). */
WASM_API_EXTERN void wasm_val_delete(own wasm_val_t* v);
/* Copies a value; a reference is copied (a new reference to the same object). */
WASM_API_EXTERN void wasm_val_copy(own wasm_val_t* out, const wasm_val_t*);

SWVM_WASM_VECTOR(val, )

/* Any runtime object as a reference: what externref and funcref values carry. */
SWVM_WASM_REF_COMMON(ref)

/* ---- Traps and frames ---------------------------------------------------------------------------- */

/* A frame of a trap's stack: the instance and the index of the function in its module's
   function index space. */
SWVM_WASM_OWNED(frame)
SWVM_WASM_VECTOR(frame, *)
WASM_API_EXTERN own wasm_frame_t* wasm_frame_copy(const wasm_frame_t*);
/* The frame's instance (not owned by the caller; NULL if it is gone). */
WASM_API_EXTERN struct wasm_instance_t* wasm_frame_instance(const wasm_frame_t*);
WASM_API_EXTERN uint32_t wasm_frame_func_index(const wasm_frame_t*);
/* Always 0 in swvm. */
WASM_API_EXTERN size_t wasm_frame_func_offset(const wasm_frame_t*);
WASM_API_EXTERN size_t wasm_frame_module_offset(const wasm_frame_t*);

/* A message: a name whose last byte is NUL. */
typedef wasm_name_t wasm_message_t;

SWVM_WASM_REF(trap)

/* A trap with the given message, for a host function to return. */
WASM_API_EXTERN own wasm_trap_t* wasm_trap_new(wasm_store_t* store, const wasm_message_t*);
/* The message, NUL-terminated. */
WASM_API_EXTERN void wasm_trap_message(const wasm_trap_t*, own wasm_message_t* out);
/* The innermost Wasm frame (NULL for a trap raised outside Wasm code) and the whole stack,
   innermost first. */
WASM_API_EXTERN own wasm_frame_t* wasm_trap_origin(const wasm_trap_t*);
WASM_API_EXTERN void wasm_trap_trace(const wasm_trap_t*, own wasm_frame_vec_t* out);

/* An object with no Wasm meaning: its host info is what the host gives Wasm as externref. */
SWVM_WASM_REF(foreign)
WASM_API_EXTERN own wasm_foreign_t* wasm_foreign_new(wasm_store_t*);

/* ---- Modules ----------------------------------------------------------------------------------- */

SWVM_WASM_SHARABLE_REF(module)

/* Decodes and validates a binary (copied); NULL if it is malformed or invalid. */
WASM_API_EXTERN own wasm_module_t* wasm_module_new(wasm_store_t*, const wasm_byte_vec_t* binary);
WASM_API_EXTERN bool wasm_module_validate(wasm_store_t*, const wasm_byte_vec_t* binary);

/* The imports / exports, in declaration order, with their types. */
WASM_API_EXTERN void wasm_module_imports(const wasm_module_t*, own wasm_importtype_vec_t* out);
WASM_API_EXTERN void wasm_module_exports(const wasm_module_t*, own wasm_exporttype_vec_t* out);

/* swvm's serialized form: a versioned header and the module. Deserializing checks the header
   and validates the module again; NULL for anything else. */
WASM_API_EXTERN void wasm_module_serialize(const wasm_module_t*, own wasm_byte_vec_t* out);
WASM_API_EXTERN own wasm_module_t* wasm_module_deserialize(wasm_store_t*, const wasm_byte_vec_t*);

/* ---- Functions ------------------------------------------------------------------------------------ */

SWVM_WASM_REF(func)

/* A host function's body: reads `args`, writes `results` (as many as its type has) and returns
   NULL, or returns a trap (which it gives up) to make the calling Wasm code trap with it. */
typedef own wasm_trap_t* (*wasm_func_callback_t)(const wasm_val_vec_t* args, own wasm_val_vec_t* results);
typedef own wasm_trap_t* (*wasm_func_callback_with_env_t)(void* env, const wasm_val_vec_t* args,
                                                           wasm_val_vec_t* results);

/* A host function of the given type (copied). It lives as long as its store (a table may hold
   it where no reference counting sees). With an env, `finalizer` (if not NULL) receives env
   once the function is freed, when its store is. */
WASM_API_EXTERN own wasm_func_t* wasm_func_new(wasm_store_t*, const wasm_functype_t*, wasm_func_callback_t);
WASM_API_EXTERN own wasm_func_t* wasm_func_new_with_env(wasm_store_t*, const wasm_functype_t* type,
                                                        wasm_func_callback_with_env_t, void* env,
                                                        void (*finalizer)(void*));

WASM_API_EXTERN own wasm_functype_t* wasm_func_type(const wasm_func_t*);
WASM_API_EXTERN size_t wasm_func_param_arity(const wasm_func_t*);
WASM_API_EXTERN size_t wasm_func_result_arity(const wasm_func_t*);

/* Calls the function: `args` must match its parameters, `results` must have room for its
   results (its size is their count) and receives them (references owned by the caller).
   Returns NULL, or the trap (wrong arguments trap too, with a message saying so). */
WASM_API_EXTERN own wasm_trap_t* wasm_func_call(const wasm_func_t*, const wasm_val_vec_t* args,
                                                wasm_val_vec_t* results);

/* ---- Globals, tables, memories ------------------------------------------------------------------- */

SWVM_WASM_REF(global)
/* NULL if the value does not have the type's value kind. */
WASM_API_EXTERN own wasm_global_t* wasm_global_new(wasm_store_t*, const wasm_globaltype_t*, const wasm_val_t*);
WASM_API_EXTERN own wasm_globaltype_t* wasm_global_type(const wasm_global_t*);
WASM_API_EXTERN void wasm_global_get(const wasm_global_t*, own wasm_val_t* out);
/* Ignored for an immutable global or a value of another kind. */
WASM_API_EXTERN void wasm_global_set(wasm_global_t*, const wasm_val_t*);

SWVM_WASM_REF(table)
typedef uint32_t wasm_table_size_t;
/* A table whose elements start as `init` (NULL: null references). */
WASM_API_EXTERN own wasm_table_t* wasm_table_new(wasm_store_t*, const wasm_tabletype_t*, wasm_ref_t* init);
WASM_API_EXTERN own wasm_tabletype_t* wasm_table_type(const wasm_table_t*);
/* NULL for a null element or an index out of bounds. */
WASM_API_EXTERN own wasm_ref_t* wasm_table_get(const wasm_table_t*, wasm_table_size_t index);
/* false for an index out of bounds or a reference of the wrong kind. */
WASM_API_EXTERN bool wasm_table_set(wasm_table_t*, wasm_table_size_t index, wasm_ref_t*);
WASM_API_EXTERN wasm_table_size_t wasm_table_size(const wasm_table_t*);
/* false past the maximum (the table is unchanged). */
WASM_API_EXTERN bool wasm_table_grow(wasm_table_t*, wasm_table_size_t delta, wasm_ref_t* init);

SWVM_WASM_REF(memory)
typedef uint32_t wasm_memory_pages_t;
static const size_t MEMORY_PAGE_SIZE = 0x10000;
WASM_API_EXTERN own wasm_memory_t* wasm_memory_new(wasm_store_t*, const wasm_memorytype_t*);
WASM_API_EXTERN own wasm_memorytype_t* wasm_memory_type(const wasm_memory_t*);
/* The memory's bytes; the address never changes, not even when the memory grows. */
WASM_API_EXTERN byte_t* wasm_memory_data(wasm_memory_t*);
WASM_API_EXTERN size_t wasm_memory_data_size(const wasm_memory_t*);
/* The size in pages. */
WASM_API_EXTERN wasm_memory_pages_t wasm_memory_size(const wasm_memory_t*);
/* false past the maximum (the memory is unchanged). */
WASM_API_EXTERN bool wasm_memory_grow(wasm_memory_t*, wasm_memory_pages_t delta);

/* ---- Externals and instances ---------------------------------------------------------------------- */

/* A function, global, table or memory. The conversions return the same object (NULL for
   another kind); no ownership changes hands. */
SWVM_WASM_REF(extern)
SWVM_WASM_VECTOR(extern, *)

WASM_API_EXTERN wasm_externkind_t wasm_extern_kind(const wasm_extern_t*);
WASM_API_EXTERN own wasm_externtype_t* wasm_extern_type(const wasm_extern_t*);

WASM_API_EXTERN wasm_extern_t* wasm_func_as_extern(wasm_func_t*);
WASM_API_EXTERN wasm_extern_t* wasm_global_as_extern(wasm_global_t*);
WASM_API_EXTERN wasm_extern_t* wasm_table_as_extern(wasm_table_t*);
WASM_API_EXTERN wasm_extern_t* wasm_memory_as_extern(wasm_memory_t*);

WASM_API_EXTERN wasm_func_t* wasm_extern_as_func(wasm_extern_t*);
WASM_API_EXTERN wasm_global_t* wasm_extern_as_global(wasm_extern_t*);
WASM_API_EXTERN wasm_table_t* wasm_extern_as_table(wasm_extern_t*);
WASM_API_EXTERN wasm_memory_t* wasm_extern_as_memory(wasm_extern_t*);

WASM_API_EXTERN const wasm_extern_t* wasm_func_as_extern_const(const wasm_func_t*);
WASM_API_EXTERN const wasm_extern_t* wasm_global_as_extern_const(const wasm_global_t*);
WASM_API_EXTERN const wasm_extern_t* wasm_table_as_extern_const(const wasm_table_t*);
WASM_API_EXTERN const wasm_extern_t* wasm_memory_as_extern_const(const wasm_memory_t*);

WASM_API_EXTERN const wasm_func_t* wasm_extern_as_func_const(const wasm_extern_t*);
WASM_API_EXTERN const wasm_global_t* wasm_extern_as_global_const(const wasm_extern_t*);
WASM_API_EXTERN const wasm_table_t* wasm_extern_as_table_const(const wasm_extern_t*);
WASM_API_EXTERN const wasm_memory_t* wasm_extern_as_memory_const(const wasm_extern_t*);

SWVM_WASM_REF(instance)

/* Instantiates `module` with `imports` given in the order of wasm_module_imports. On failure
   returns NULL and, if `trap` is not NULL, stores there a trap explaining why (a link error
   or the trap of the start function), which the caller owns. */
WASM_API_EXTERN own wasm_instance_t* wasm_instance_new(wasm_store_t*, const wasm_module_t*,
                                                       const wasm_extern_vec_t* imports, own wasm_trap_t**);
/* The exports, in declaration order. */
WASM_API_EXTERN void wasm_instance_exports(const wasm_instance_t*, own wasm_extern_vec_t* out);

/* ---- Conveniences ----------------------------------------------------------------------------------- */

#define WASM_EMPTY_VEC {0, NULL}
#define WASM_ARRAY_VEC(array) {sizeof(array) / sizeof(*(array)), array}

static inline own wasm_valtype_t* wasm_valtype_new_i32(void) { return wasm_valtype_new(WASM_I32); }
static inline own wasm_valtype_t* wasm_valtype_new_i64(void) { return wasm_valtype_new(WASM_I64); }
static inline own wasm_valtype_t* wasm_valtype_new_f32(void) { return wasm_valtype_new(WASM_F32); }
static inline own wasm_valtype_t* wasm_valtype_new_f64(void) { return wasm_valtype_new(WASM_F64); }
static inline own wasm_valtype_t* wasm_valtype_new_externref(void) { return wasm_valtype_new(WASM_EXTERNREF); }
static inline own wasm_valtype_t* wasm_valtype_new_funcref(void) { return wasm_valtype_new(WASM_FUNCREF); }

/* wasm_functype_new_P_R: a function type of P parameters and R results from valtypes it takes
   over. */
static inline own wasm_functype_t* swvm_wasm_functype_from(size_t np, wasm_valtype_t** ps, size_t nr,
                                                           wasm_valtype_t** rs) {
  wasm_valtype_vec_t params, results;
  wasm_valtype_vec_new(&params, np, ps);
  wasm_valtype_vec_new(&results, nr, rs);
  return wasm_functype_new(&params, &results);
}

static inline own wasm_functype_t* wasm_functype_new_0_0(void) {
  return swvm_wasm_functype_from(0, NULL, 0, NULL);
}
static inline own wasm_functype_t* wasm_functype_new_1_0(own wasm_valtype_t* p) {
  wasm_valtype_t* ps[1] = {p};
  return swvm_wasm_functype_from(1, ps, 0, NULL);
}
static inline own wasm_functype_t* wasm_functype_new_2_0(own wasm_valtype_t* p1, own wasm_valtype_t* p2) {
  wasm_valtype_t* ps[2] = {p1, p2};
  return swvm_wasm_functype_from(2, ps, 0, NULL);
}
static inline own wasm_functype_t* wasm_functype_new_3_0(own wasm_valtype_t* p1, own wasm_valtype_t* p2,
                                                         own wasm_valtype_t* p3) {
  wasm_valtype_t* ps[3] = {p1, p2, p3};
  return swvm_wasm_functype_from(3, ps, 0, NULL);
}
static inline own wasm_functype_t* wasm_functype_new_0_1(own wasm_valtype_t* r) {
  wasm_valtype_t* rs[1] = {r};
  return swvm_wasm_functype_from(0, NULL, 1, rs);
}
static inline own wasm_functype_t* wasm_functype_new_1_1(own wasm_valtype_t* p, own wasm_valtype_t* r) {
  wasm_valtype_t* ps[1] = {p};
  wasm_valtype_t* rs[1] = {r};
  return swvm_wasm_functype_from(1, ps, 1, rs);
}
static inline own wasm_functype_t* wasm_functype_new_2_1(own wasm_valtype_t* p1, own wasm_valtype_t* p2,
                                                         own wasm_valtype_t* r) {
  wasm_valtype_t* ps[2] = {p1, p2};
  wasm_valtype_t* rs[1] = {r};
  return swvm_wasm_functype_from(2, ps, 1, rs);
}
static inline own wasm_functype_t* wasm_functype_new_3_1(own wasm_valtype_t* p1, own wasm_valtype_t* p2,
                                                         own wasm_valtype_t* p3, own wasm_valtype_t* r) {
  wasm_valtype_t* ps[3] = {p1, p2, p3};
  wasm_valtype_t* rs[1] = {r};
  return swvm_wasm_functype_from(3, ps, 1, rs);
}
static inline own wasm_functype_t* wasm_functype_new_0_2(own wasm_valtype_t* r1, own wasm_valtype_t* r2) {
  wasm_valtype_t* rs[2] = {r1, r2};
  return swvm_wasm_functype_from(0, NULL, 2, rs);
}
static inline own wasm_functype_t* wasm_functype_new_1_2(own wasm_valtype_t* p, own wasm_valtype_t* r1,
                                                         own wasm_valtype_t* r2) {
  wasm_valtype_t* ps[1] = {p};
  wasm_valtype_t* rs[2] = {r1, r2};
  return swvm_wasm_functype_from(1, ps, 2, rs);
}
static inline own wasm_functype_t* wasm_functype_new_2_2(own wasm_valtype_t* p1, own wasm_valtype_t* p2,
                                                         own wasm_valtype_t* r1, own wasm_valtype_t* r2) {
  wasm_valtype_t* ps[2] = {p1, p2};
  wasm_valtype_t* rs[2] = {r1, r2};
  return swvm_wasm_functype_from(2, ps, 2, rs);
}
static inline own wasm_functype_t* wasm_functype_new_3_2(own wasm_valtype_t* p1, own wasm_valtype_t* p2,
                                                         own wasm_valtype_t* p3, own wasm_valtype_t* r1,
                                                         own wasm_valtype_t* r2) {
  wasm_valtype_t* ps[3] = {p1, p2, p3};
  wasm_valtype_t* rs[2] = {r1, r2};
  return swvm_wasm_functype_from(3, ps, 2, rs);
}

/* A host pointer carried as an integer value of pointer width (i64 here). */
static inline void wasm_val_init_ptr(own wasm_val_t* out, void* p) {
#if UINTPTR_MAX == UINT32_MAX
  out->kind = WASM_I32;
  out->of.i32 = (intptr_t)p;
#else
  out->kind = WASM_I64;
  out->of.i64 = (intptr_t)p;
#endif
}
static inline void* wasm_val_ptr(const wasm_val_t* val) {
#if UINTPTR_MAX == UINT32_MAX
  return (void*)(intptr_t)val->of.i32;
#else
  return (void*)(intptr_t)val->of.i64;
#endif
}

#define WASM_I32_VAL(i) {.kind = WASM_I32, .of = {.i32 = i}}
#define WASM_I64_VAL(i) {.kind = WASM_I64, .of = {.i64 = i}}
#define WASM_F32_VAL(z) {.kind = WASM_F32, .of = {.f32 = z}}
#define WASM_F64_VAL(z) {.kind = WASM_F64, .of = {.f64 = z}}
#define WASM_REF_VAL(r) {.kind = WASM_EXTERNREF, .of = {.ref = r}}
#define WASM_INIT_VAL {.kind = WASM_EXTERNREF, .of = {.ref = NULL}}

#undef own

#ifdef __cplusplus
}
#endif

#endif /* WASM_H */
