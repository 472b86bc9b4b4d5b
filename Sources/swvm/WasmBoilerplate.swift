import CSwvmSupport
import Glibc
import SwvmCore

// The repetitive part of wasm.h: per kind of object its delete, copy, host info and
// reference conversions, and per vector type its five functions. Every object is a retained
// Swift object; copies of immutable objects share it (another reference, see retainCopy).


@_cdecl("wasm_valtype_vec_new_empty")
public func wasm_valtype_vec_new_empty(_ out: UnsafeMutableRawPointer?) { PointerVec.newEmpty(out) }
@_cdecl("wasm_valtype_vec_new_uninitialized")
public func wasm_valtype_vec_new_uninitialized(_ out: UnsafeMutableRawPointer?, _ size: Int) { PointerVec.newUninitialized(out, size) }
@_cdecl("wasm_valtype_vec_new")
public func wasm_valtype_vec_new(_ out: UnsafeMutableRawPointer?, _ size: Int, _ data: UnsafePointer<OpaquePointer?>?) { PointerVec.new(out, size, data) }
@_cdecl("wasm_valtype_vec_copy")
public func wasm_valtype_vec_copy(_ out: UnsafeMutableRawPointer?, _ src: UnsafeRawPointer?) { PointerVec.copy(out, src) }
@_cdecl("wasm_valtype_vec_delete")
public func wasm_valtype_vec_delete(_ v: UnsafeMutableRawPointer?) { PointerVec.delete(v) }

@_cdecl("wasm_functype_vec_new_empty")
public func wasm_functype_vec_new_empty(_ out: UnsafeMutableRawPointer?) { PointerVec.newEmpty(out) }
@_cdecl("wasm_functype_vec_new_uninitialized")
public func wasm_functype_vec_new_uninitialized(_ out: UnsafeMutableRawPointer?, _ size: Int) { PointerVec.newUninitialized(out, size) }
@_cdecl("wasm_functype_vec_new")
public func wasm_functype_vec_new(_ out: UnsafeMutableRawPointer?, _ size: Int, _ data: UnsafePointer<OpaquePointer?>?) { PointerVec.new(out, size, data) }
@_cdecl("wasm_functype_vec_copy")
public func wasm_functype_vec_copy(_ out: UnsafeMutableRawPointer?, _ src: UnsafeRawPointer?) { PointerVec.copy(out, src) }
@_cdecl("wasm_functype_vec_delete")
public func wasm_functype_vec_delete(_ v: UnsafeMutableRawPointer?) { PointerVec.delete(v) }

@_cdecl("wasm_globaltype_vec_new_empty")
public func wasm_globaltype_vec_new_empty(_ out: UnsafeMutableRawPointer?) { PointerVec.newEmpty(out) }
@_cdecl("wasm_globaltype_vec_new_uninitialized")
public func wasm_globaltype_vec_new_uninitialized(_ out: UnsafeMutableRawPointer?, _ size: Int) { PointerVec.newUninitialized(out, size) }
@_cdecl("wasm_globaltype_vec_new")
public func wasm_globaltype_vec_new(_ out: UnsafeMutableRawPointer?, _ size: Int, _ data: UnsafePointer<OpaquePointer?>?) { PointerVec.new(out, size, data) }
@_cdecl("wasm_globaltype_vec_copy")
public func wasm_globaltype_vec_copy(_ out: UnsafeMutableRawPointer?, _ src: UnsafeRawPointer?) { PointerVec.copy(out, src) }
@_cdecl("wasm_globaltype_vec_delete")
public func wasm_globaltype_vec_delete(_ v: UnsafeMutableRawPointer?) { PointerVec.delete(v) }

@_cdecl("wasm_tabletype_vec_new_empty")
public func wasm_tabletype_vec_new_empty(_ out: UnsafeMutableRawPointer?) { PointerVec.newEmpty(out) }
@_cdecl("wasm_tabletype_vec_new_uninitialized")
public func wasm_tabletype_vec_new_uninitialized(_ out: UnsafeMutableRawPointer?, _ size: Int) { PointerVec.newUninitialized(out, size) }
@_cdecl("wasm_tabletype_vec_new")
public func wasm_tabletype_vec_new(_ out: UnsafeMutableRawPointer?, _ size: Int, _ data: UnsafePointer<OpaquePointer?>?) { PointerVec.new(out, size, data) }
@_cdecl("wasm_tabletype_vec_copy")
public func wasm_tabletype_vec_copy(_ out: UnsafeMutableRawPointer?, _ src: UnsafeRawPointer?) { PointerVec.copy(out, src) }
@_cdecl("wasm_tabletype_vec_delete")
public func wasm_tabletype_vec_delete(_ v: UnsafeMutableRawPointer?) { PointerVec.delete(v) }

@_cdecl("wasm_memorytype_vec_new_empty")
public func wasm_memorytype_vec_new_empty(_ out: UnsafeMutableRawPointer?) { PointerVec.newEmpty(out) }
@_cdecl("wasm_memorytype_vec_new_uninitialized")
public func wasm_memorytype_vec_new_uninitialized(_ out: UnsafeMutableRawPointer?, _ size: Int) { PointerVec.newUninitialized(out, size) }
@_cdecl("wasm_memorytype_vec_new")
public func wasm_memorytype_vec_new(_ out: UnsafeMutableRawPointer?, _ size: Int, _ data: UnsafePointer<OpaquePointer?>?) { PointerVec.new(out, size, data) }
@_cdecl("wasm_memorytype_vec_copy")
public func wasm_memorytype_vec_copy(_ out: UnsafeMutableRawPointer?, _ src: UnsafeRawPointer?) { PointerVec.copy(out, src) }
@_cdecl("wasm_memorytype_vec_delete")
public func wasm_memorytype_vec_delete(_ v: UnsafeMutableRawPointer?) { PointerVec.delete(v) }

@_cdecl("wasm_externtype_vec_new_empty")
public func wasm_externtype_vec_new_empty(_ out: UnsafeMutableRawPointer?) { PointerVec.newEmpty(out) }
@_cdecl("wasm_externtype_vec_new_uninitialized")
public func wasm_externtype_vec_new_uninitialized(_ out: UnsafeMutableRawPointer?, _ size: Int) { PointerVec.newUninitialized(out, size) }
@_cdecl("wasm_externtype_vec_new")
public func wasm_externtype_vec_new(_ out: UnsafeMutableRawPointer?, _ size: Int, _ data: UnsafePointer<OpaquePointer?>?) { PointerVec.new(out, size, data) }
@_cdecl("wasm_externtype_vec_copy")
public func wasm_externtype_vec_copy(_ out: UnsafeMutableRawPointer?, _ src: UnsafeRawPointer?) { PointerVec.copy(out, src) }
@_cdecl("wasm_externtype_vec_delete")
public func wasm_externtype_vec_delete(_ v: UnsafeMutableRawPointer?) { PointerVec.delete(v) }

@_cdecl("wasm_importtype_vec_new_empty")
public func wasm_importtype_vec_new_empty(_ out: UnsafeMutableRawPointer?) { PointerVec.newEmpty(out) }
@_cdecl("wasm_importtype_vec_new_uninitialized")
public func wasm_importtype_vec_new_uninitialized(_ out: UnsafeMutableRawPointer?, _ size: Int) { PointerVec.newUninitialized(out, size) }
@_cdecl("wasm_importtype_vec_new")
public func wasm_importtype_vec_new(_ out: UnsafeMutableRawPointer?, _ size: Int, _ data: UnsafePointer<OpaquePointer?>?) { PointerVec.new(out, size, data) }
@_cdecl("wasm_importtype_vec_copy")
public func wasm_importtype_vec_copy(_ out: UnsafeMutableRawPointer?, _ src: UnsafeRawPointer?) { PointerVec.copy(out, src) }
@_cdecl("wasm_importtype_vec_delete")
public func wasm_importtype_vec_delete(_ v: UnsafeMutableRawPointer?) { PointerVec.delete(v) }

@_cdecl("wasm_exporttype_vec_new_empty")
public func wasm_exporttype_vec_new_empty(_ out: UnsafeMutableRawPointer?) { PointerVec.newEmpty(out) }
@_cdecl("wasm_exporttype_vec_new_uninitialized")
public func wasm_exporttype_vec_new_uninitialized(_ out: UnsafeMutableRawPointer?, _ size: Int) { PointerVec.newUninitialized(out, size) }
@_cdecl("wasm_exporttype_vec_new")
public func wasm_exporttype_vec_new(_ out: UnsafeMutableRawPointer?, _ size: Int, _ data: UnsafePointer<OpaquePointer?>?) { PointerVec.new(out, size, data) }
@_cdecl("wasm_exporttype_vec_copy")
public func wasm_exporttype_vec_copy(_ out: UnsafeMutableRawPointer?, _ src: UnsafeRawPointer?) { PointerVec.copy(out, src) }
@_cdecl("wasm_exporttype_vec_delete")
public func wasm_exporttype_vec_delete(_ v: UnsafeMutableRawPointer?) { PointerVec.delete(v) }

@_cdecl("wasm_frame_vec_new_empty")
public func wasm_frame_vec_new_empty(_ out: UnsafeMutableRawPointer?) { PointerVec.newEmpty(out) }
@_cdecl("wasm_frame_vec_new_uninitialized")
public func wasm_frame_vec_new_uninitialized(_ out: UnsafeMutableRawPointer?, _ size: Int) { PointerVec.newUninitialized(out, size) }
@_cdecl("wasm_frame_vec_new")
public func wasm_frame_vec_new(_ out: UnsafeMutableRawPointer?, _ size: Int, _ data: UnsafePointer<OpaquePointer?>?) { PointerVec.new(out, size, data) }
@_cdecl("wasm_frame_vec_copy")
public func wasm_frame_vec_copy(_ out: UnsafeMutableRawPointer?, _ src: UnsafeRawPointer?) { PointerVec.copy(out, src) }
@_cdecl("wasm_frame_vec_delete")
public func wasm_frame_vec_delete(_ v: UnsafeMutableRawPointer?) { PointerVec.delete(v) }

@_cdecl("wasm_extern_vec_new_empty")
public func wasm_extern_vec_new_empty(_ out: UnsafeMutableRawPointer?) { PointerVec.newEmpty(out) }
@_cdecl("wasm_extern_vec_new_uninitialized")
public func wasm_extern_vec_new_uninitialized(_ out: UnsafeMutableRawPointer?, _ size: Int) { PointerVec.newUninitialized(out, size) }
@_cdecl("wasm_extern_vec_new")
public func wasm_extern_vec_new(_ out: UnsafeMutableRawPointer?, _ size: Int, _ data: UnsafePointer<OpaquePointer?>?) { PointerVec.new(out, size, data) }
@_cdecl("wasm_extern_vec_copy")
public func wasm_extern_vec_copy(_ out: UnsafeMutableRawPointer?, _ src: UnsafeRawPointer?) { PointerVec.copy(out, src) }
@_cdecl("wasm_extern_vec_delete")
public func wasm_extern_vec_delete(_ v: UnsafeMutableRawPointer?) { PointerVec.delete(v) }

@_cdecl("wasm_valtype_delete")
public func wasm_valtype_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_valtype_copy")
public func wasm_valtype_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }

@_cdecl("wasm_functype_delete")
public func wasm_functype_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_functype_copy")
public func wasm_functype_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }

@_cdecl("wasm_globaltype_delete")
public func wasm_globaltype_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_globaltype_copy")
public func wasm_globaltype_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }

@_cdecl("wasm_tabletype_delete")
public func wasm_tabletype_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_tabletype_copy")
public func wasm_tabletype_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }

@_cdecl("wasm_memorytype_delete")
public func wasm_memorytype_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_memorytype_copy")
public func wasm_memorytype_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }

@_cdecl("wasm_externtype_delete")
public func wasm_externtype_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_externtype_copy")
public func wasm_externtype_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }

@_cdecl("wasm_importtype_delete")
public func wasm_importtype_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_importtype_copy")
public func wasm_importtype_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }

@_cdecl("wasm_exporttype_delete")
public func wasm_exporttype_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_exporttype_copy")
public func wasm_exporttype_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }

@_cdecl("wasm_frame_delete")
public func wasm_frame_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_frame_copy")
public func wasm_frame_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }

@_cdecl("wasm_functype_as_externtype")
public func wasm_functype_as_externtype(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_functype_as_externtype_const")
public func wasm_functype_as_externtype_const(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_externtype_as_functype")
public func wasm_externtype_as_functype(_ p: OpaquePointer?) -> OpaquePointer? { typeAs(p, .function) }
@_cdecl("wasm_externtype_as_functype_const")
public func wasm_externtype_as_functype_const(_ p: OpaquePointer?) -> OpaquePointer? { typeAs(p, .function) }

@_cdecl("wasm_globaltype_as_externtype")
public func wasm_globaltype_as_externtype(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_globaltype_as_externtype_const")
public func wasm_globaltype_as_externtype_const(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_externtype_as_globaltype")
public func wasm_externtype_as_globaltype(_ p: OpaquePointer?) -> OpaquePointer? { typeAs(p, .global) }
@_cdecl("wasm_externtype_as_globaltype_const")
public func wasm_externtype_as_globaltype_const(_ p: OpaquePointer?) -> OpaquePointer? { typeAs(p, .global) }

@_cdecl("wasm_tabletype_as_externtype")
public func wasm_tabletype_as_externtype(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_tabletype_as_externtype_const")
public func wasm_tabletype_as_externtype_const(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_externtype_as_tabletype")
public func wasm_externtype_as_tabletype(_ p: OpaquePointer?) -> OpaquePointer? { typeAs(p, .table) }
@_cdecl("wasm_externtype_as_tabletype_const")
public func wasm_externtype_as_tabletype_const(_ p: OpaquePointer?) -> OpaquePointer? { typeAs(p, .table) }

@_cdecl("wasm_memorytype_as_externtype")
public func wasm_memorytype_as_externtype(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_memorytype_as_externtype_const")
public func wasm_memorytype_as_externtype_const(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_externtype_as_memorytype")
public func wasm_externtype_as_memorytype(_ p: OpaquePointer?) -> OpaquePointer? { typeAs(p, .memory) }
@_cdecl("wasm_externtype_as_memorytype_const")
public func wasm_externtype_as_memorytype_const(_ p: OpaquePointer?) -> OpaquePointer? { typeAs(p, .memory) }

@_cdecl("wasm_ref_delete")
public func wasm_ref_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_ref_copy")
public func wasm_ref_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }
@_cdecl("wasm_ref_same")
public func wasm_ref_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { sameRef(a, b) }
@_cdecl("wasm_ref_get_host_info")
public func wasm_ref_get_host_info(_ p: OpaquePointer?) -> UnsafeMutableRawPointer? { object(p, as: WRef.self)?.entity.hostInfo }
@_cdecl("wasm_ref_set_host_info")
public func wasm_ref_set_host_info(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?) { setHostInfo(p, info, nil) }
@_cdecl("wasm_ref_set_host_info_with_finalizer")
public func wasm_ref_set_host_info_with_finalizer(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?,
    _ finalizer: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?) { setHostInfo(p, info, finalizer) }

@_cdecl("wasm_trap_delete")
public func wasm_trap_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_trap_copy")
public func wasm_trap_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }
@_cdecl("wasm_trap_same")
public func wasm_trap_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { sameRef(a, b) }
@_cdecl("wasm_trap_get_host_info")
public func wasm_trap_get_host_info(_ p: OpaquePointer?) -> UnsafeMutableRawPointer? { object(p, as: WRef.self)?.entity.hostInfo }
@_cdecl("wasm_trap_set_host_info")
public func wasm_trap_set_host_info(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?) { setHostInfo(p, info, nil) }
@_cdecl("wasm_trap_set_host_info_with_finalizer")
public func wasm_trap_set_host_info_with_finalizer(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?,
    _ finalizer: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?) { setHostInfo(p, info, finalizer) }

@_cdecl("wasm_trap_as_ref")
public func wasm_trap_as_ref(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_trap_as_ref_const")
public func wasm_trap_as_ref_const(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_ref_as_trap")
public func wasm_ref_as_trap(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .trap) }
@_cdecl("wasm_ref_as_trap_const")
public func wasm_ref_as_trap_const(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .trap) }

@_cdecl("wasm_foreign_delete")
public func wasm_foreign_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_foreign_copy")
public func wasm_foreign_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }
@_cdecl("wasm_foreign_same")
public func wasm_foreign_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { sameRef(a, b) }
@_cdecl("wasm_foreign_get_host_info")
public func wasm_foreign_get_host_info(_ p: OpaquePointer?) -> UnsafeMutableRawPointer? { object(p, as: WRef.self)?.entity.hostInfo }
@_cdecl("wasm_foreign_set_host_info")
public func wasm_foreign_set_host_info(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?) { setHostInfo(p, info, nil) }
@_cdecl("wasm_foreign_set_host_info_with_finalizer")
public func wasm_foreign_set_host_info_with_finalizer(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?,
    _ finalizer: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?) { setHostInfo(p, info, finalizer) }

@_cdecl("wasm_foreign_as_ref")
public func wasm_foreign_as_ref(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_foreign_as_ref_const")
public func wasm_foreign_as_ref_const(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_ref_as_foreign")
public func wasm_ref_as_foreign(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .foreign) }
@_cdecl("wasm_ref_as_foreign_const")
public func wasm_ref_as_foreign_const(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .foreign) }

@_cdecl("wasm_module_delete")
public func wasm_module_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_module_copy")
public func wasm_module_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }
@_cdecl("wasm_module_same")
public func wasm_module_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { sameRef(a, b) }
@_cdecl("wasm_module_get_host_info")
public func wasm_module_get_host_info(_ p: OpaquePointer?) -> UnsafeMutableRawPointer? { object(p, as: WRef.self)?.entity.hostInfo }
@_cdecl("wasm_module_set_host_info")
public func wasm_module_set_host_info(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?) { setHostInfo(p, info, nil) }
@_cdecl("wasm_module_set_host_info_with_finalizer")
public func wasm_module_set_host_info_with_finalizer(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?,
    _ finalizer: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?) { setHostInfo(p, info, finalizer) }

@_cdecl("wasm_module_as_ref")
public func wasm_module_as_ref(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_module_as_ref_const")
public func wasm_module_as_ref_const(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_ref_as_module")
public func wasm_ref_as_module(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .module) }
@_cdecl("wasm_ref_as_module_const")
public func wasm_ref_as_module_const(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .module) }

@_cdecl("wasm_func_delete")
public func wasm_func_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_func_copy")
public func wasm_func_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }
@_cdecl("wasm_func_same")
public func wasm_func_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { sameRef(a, b) }
@_cdecl("wasm_func_get_host_info")
public func wasm_func_get_host_info(_ p: OpaquePointer?) -> UnsafeMutableRawPointer? { object(p, as: WRef.self)?.entity.hostInfo }
@_cdecl("wasm_func_set_host_info")
public func wasm_func_set_host_info(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?) { setHostInfo(p, info, nil) }
@_cdecl("wasm_func_set_host_info_with_finalizer")
public func wasm_func_set_host_info_with_finalizer(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?,
    _ finalizer: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?) { setHostInfo(p, info, finalizer) }

@_cdecl("wasm_func_as_ref")
public func wasm_func_as_ref(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_func_as_ref_const")
public func wasm_func_as_ref_const(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_ref_as_func")
public func wasm_ref_as_func(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .function) }
@_cdecl("wasm_ref_as_func_const")
public func wasm_ref_as_func_const(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .function) }

@_cdecl("wasm_global_delete")
public func wasm_global_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_global_copy")
public func wasm_global_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }
@_cdecl("wasm_global_same")
public func wasm_global_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { sameRef(a, b) }
@_cdecl("wasm_global_get_host_info")
public func wasm_global_get_host_info(_ p: OpaquePointer?) -> UnsafeMutableRawPointer? { object(p, as: WRef.self)?.entity.hostInfo }
@_cdecl("wasm_global_set_host_info")
public func wasm_global_set_host_info(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?) { setHostInfo(p, info, nil) }
@_cdecl("wasm_global_set_host_info_with_finalizer")
public func wasm_global_set_host_info_with_finalizer(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?,
    _ finalizer: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?) { setHostInfo(p, info, finalizer) }

@_cdecl("wasm_global_as_ref")
public func wasm_global_as_ref(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_global_as_ref_const")
public func wasm_global_as_ref_const(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_ref_as_global")
public func wasm_ref_as_global(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .global) }
@_cdecl("wasm_ref_as_global_const")
public func wasm_ref_as_global_const(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .global) }

@_cdecl("wasm_table_delete")
public func wasm_table_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_table_copy")
public func wasm_table_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }
@_cdecl("wasm_table_same")
public func wasm_table_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { sameRef(a, b) }
@_cdecl("wasm_table_get_host_info")
public func wasm_table_get_host_info(_ p: OpaquePointer?) -> UnsafeMutableRawPointer? { object(p, as: WRef.self)?.entity.hostInfo }
@_cdecl("wasm_table_set_host_info")
public func wasm_table_set_host_info(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?) { setHostInfo(p, info, nil) }
@_cdecl("wasm_table_set_host_info_with_finalizer")
public func wasm_table_set_host_info_with_finalizer(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?,
    _ finalizer: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?) { setHostInfo(p, info, finalizer) }

@_cdecl("wasm_table_as_ref")
public func wasm_table_as_ref(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_table_as_ref_const")
public func wasm_table_as_ref_const(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_ref_as_table")
public func wasm_ref_as_table(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .table) }
@_cdecl("wasm_ref_as_table_const")
public func wasm_ref_as_table_const(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .table) }

@_cdecl("wasm_memory_delete")
public func wasm_memory_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_memory_copy")
public func wasm_memory_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }
@_cdecl("wasm_memory_same")
public func wasm_memory_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { sameRef(a, b) }
@_cdecl("wasm_memory_get_host_info")
public func wasm_memory_get_host_info(_ p: OpaquePointer?) -> UnsafeMutableRawPointer? { object(p, as: WRef.self)?.entity.hostInfo }
@_cdecl("wasm_memory_set_host_info")
public func wasm_memory_set_host_info(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?) { setHostInfo(p, info, nil) }
@_cdecl("wasm_memory_set_host_info_with_finalizer")
public func wasm_memory_set_host_info_with_finalizer(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?,
    _ finalizer: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?) { setHostInfo(p, info, finalizer) }

@_cdecl("wasm_memory_as_ref")
public func wasm_memory_as_ref(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_memory_as_ref_const")
public func wasm_memory_as_ref_const(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_ref_as_memory")
public func wasm_ref_as_memory(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .memory) }
@_cdecl("wasm_ref_as_memory_const")
public func wasm_ref_as_memory_const(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .memory) }

@_cdecl("wasm_extern_delete")
public func wasm_extern_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_extern_copy")
public func wasm_extern_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }
@_cdecl("wasm_extern_same")
public func wasm_extern_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { sameRef(a, b) }
@_cdecl("wasm_extern_get_host_info")
public func wasm_extern_get_host_info(_ p: OpaquePointer?) -> UnsafeMutableRawPointer? { object(p, as: WRef.self)?.entity.hostInfo }
@_cdecl("wasm_extern_set_host_info")
public func wasm_extern_set_host_info(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?) { setHostInfo(p, info, nil) }
@_cdecl("wasm_extern_set_host_info_with_finalizer")
public func wasm_extern_set_host_info_with_finalizer(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?,
    _ finalizer: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?) { setHostInfo(p, info, finalizer) }

@_cdecl("wasm_extern_as_ref")
public func wasm_extern_as_ref(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_extern_as_ref_const")
public func wasm_extern_as_ref_const(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_ref_as_extern")
public func wasm_ref_as_extern(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .extern) }
@_cdecl("wasm_ref_as_extern_const")
public func wasm_ref_as_extern_const(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .extern) }

@_cdecl("wasm_instance_delete")
public func wasm_instance_delete(_ p: OpaquePointer?) { release(p) }
@_cdecl("wasm_instance_copy")
public func wasm_instance_copy(_ p: OpaquePointer?) -> OpaquePointer? { retainCopy(p) }
@_cdecl("wasm_instance_same")
public func wasm_instance_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool { sameRef(a, b) }
@_cdecl("wasm_instance_get_host_info")
public func wasm_instance_get_host_info(_ p: OpaquePointer?) -> UnsafeMutableRawPointer? { object(p, as: WRef.self)?.entity.hostInfo }
@_cdecl("wasm_instance_set_host_info")
public func wasm_instance_set_host_info(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?) { setHostInfo(p, info, nil) }
@_cdecl("wasm_instance_set_host_info_with_finalizer")
public func wasm_instance_set_host_info_with_finalizer(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?,
    _ finalizer: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?) { setHostInfo(p, info, finalizer) }

@_cdecl("wasm_instance_as_ref")
public func wasm_instance_as_ref(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_instance_as_ref_const")
public func wasm_instance_as_ref_const(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_ref_as_instance")
public func wasm_ref_as_instance(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .instance) }
@_cdecl("wasm_ref_as_instance_const")
public func wasm_ref_as_instance_const(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .instance) }

@_cdecl("wasm_func_as_extern")
public func wasm_func_as_extern(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_func_as_extern_const")
public func wasm_func_as_extern_const(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_extern_as_func")
public func wasm_extern_as_func(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .function) }
@_cdecl("wasm_extern_as_func_const")
public func wasm_extern_as_func_const(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .function) }

@_cdecl("wasm_global_as_extern")
public func wasm_global_as_extern(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_global_as_extern_const")
public func wasm_global_as_extern_const(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_extern_as_global")
public func wasm_extern_as_global(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .global) }
@_cdecl("wasm_extern_as_global_const")
public func wasm_extern_as_global_const(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .global) }

@_cdecl("wasm_table_as_extern")
public func wasm_table_as_extern(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_table_as_extern_const")
public func wasm_table_as_extern_const(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_extern_as_table")
public func wasm_extern_as_table(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .table) }
@_cdecl("wasm_extern_as_table_const")
public func wasm_extern_as_table_const(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .table) }

@_cdecl("wasm_memory_as_extern")
public func wasm_memory_as_extern(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_memory_as_extern_const")
public func wasm_memory_as_extern_const(_ p: OpaquePointer?) -> OpaquePointer? { p }
@_cdecl("wasm_extern_as_memory")
public func wasm_extern_as_memory(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .memory) }
@_cdecl("wasm_extern_as_memory_const")
public func wasm_extern_as_memory_const(_ p: OpaquePointer?) -> OpaquePointer? { refAs(p, .memory) }

@_cdecl("wasm_config_delete")
public func wasm_config_delete(_ p: OpaquePointer?) { release(p) }

@_cdecl("wasm_engine_delete")
public func wasm_engine_delete(_ p: OpaquePointer?) { release(p) }

@_cdecl("wasm_store_delete")
public func wasm_store_delete(_ p: OpaquePointer?) { release(p) }

@_cdecl("wasm_shared_module_delete")
public func wasm_shared_module_delete(_ p: OpaquePointer?) { release(p) }
