#ifndef SWVM_CFFI_SHIM_H
#define SWVM_CFFI_SHIM_H
#include <ffi.h>

/* Swift 6 rejects libffi's ffi_type_* globals as shared mutable state; these accessors
   hand out their addresses without Swift ever naming the globals. */
static inline ffi_type *swvm_ffi_type_void(void)    { return &ffi_type_void; }
static inline ffi_type *swvm_ffi_type_sint32(void)  { return &ffi_type_sint32; }
static inline ffi_type *swvm_ffi_type_uint32(void)  { return &ffi_type_uint32; }
static inline ffi_type *swvm_ffi_type_sint64(void)  { return &ffi_type_sint64; }
static inline ffi_type *swvm_ffi_type_uint64(void)  { return &ffi_type_uint64; }
static inline ffi_type *swvm_ffi_type_float(void)   { return &ffi_type_float; }
static inline ffi_type *swvm_ffi_type_double(void)  { return &ffi_type_double; }
static inline ffi_type *swvm_ffi_type_pointer(void) { return &ffi_type_pointer; }
#endif
