import CSwvmSupport
import Glibc
import SwvmCore

// Exports, memories and globals (swvm.h: "Exports", "Memories", "Globals").

@_cdecl("swvm_instance_export_count")
public func swvm_instance_export_count(_ instance: OpaquePointer?) -> Int {
    object(instance, as: InstanceHandle.self)?.instance.exports.count ?? 0
}

@_cdecl("swvm_instance_export_name")
public func swvm_instance_export_name(_ instance: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    object(instance, as: InstanceHandle.self)?.exportName(index)
}

@_cdecl("swvm_instance_export_kind")
public func swvm_instance_export_kind(_ instance: OpaquePointer?, _ index: Int) -> Int32 {
    guard let i = object(instance, as: InstanceHandle.self), index >= 0, index < i.instance.exports.count else { return -1 }
    return Int32(i.instance.exports[index].extern.kind.rawValue)
}

/// Shared shape of the export lookups: check arguments, find the export, hand out a handle.
func lookup<T>(_ instance: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?,
                       _ what: String, _ find: (Instance, String) -> T?, _ wrap: (InstanceHandle, T) -> AnyObject,
                       function: String = #function) -> OpaquePointer? {
    guard let i = object(instance, as: InstanceHandle.self) else { return usage("instance is NULL or not an instance", function: function) }
    guard let name else { return usage("name is NULL", function: function) }
    guard let out else { return usage("out is NULL", function: function) }
    let field = string(name)
    guard let found = find(i.instance, field) else { return usage("no exported \(what) \"\(field)\"", function: function) }
    out.pointee = retained(wrap(i, found))
    return nil
}

@_cdecl("swvm_instance_memory")
public func swvm_instance_memory(_ instance: OpaquePointer?, _ name: UnsafePointer<CChar>?,
                                 _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    lookup(instance, name, out, "memory", { $0.memory($1) }) { MemoryHandle(store: $0.store, $1) }
}

@_cdecl("swvm_instance_global")
public func swvm_instance_global(_ instance: OpaquePointer?, _ name: UnsafePointer<CChar>?,
                                 _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    lookup(instance, name, out, "global", { $0.global($1) }) { GlobalHandle(store: $0.store, $1) }
}

@_cdecl("swvm_memory_new")
public func swvm_memory_new(_ engine: OpaquePointer?, _ minPages: UInt32, _ maxPages: UInt32,
                            _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    guard let e = object(engine, as: EngineHandle.self) else { return usage("swvm_memory_new: engine is NULL or not an engine") }
    guard let out else { return usage("swvm_memory_new: out is NULL") }
    let max: UInt64? = maxPages == UInt32.max ? nil : UInt64(maxPages)
    return makeMemory(e, MemoryType(limits: Limits(min: UInt64(minPages), max: max)), out)
}

@_cdecl("swvm_memory64_new")
public func swvm_memory64_new(_ engine: OpaquePointer?, _ minPages: UInt64, _ maxPages: UInt64,
                              _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    guard let e = object(engine, as: EngineHandle.self) else { return usage("swvm_memory64_new: engine is NULL or not an engine") }
    guard let out else { return usage("swvm_memory64_new: out is NULL") }
    let max: UInt64? = maxPages == UInt64.max ? nil : maxPages
    return makeMemory(e, MemoryType(limits: Limits(min: minPages, max: max), is64: true), out)
}

private func makeMemory(_ e: EngineHandle, _ type: MemoryType, _ out: UnsafeMutablePointer<OpaquePointer?>) -> OpaquePointer? {
    switch Result(catching: { () throws(WasmError) -> Memory in try e.store.makeMemory(type) }) {
    case .success(let m):
        out.pointee = retained(MemoryHandle(store: e.store, m))
        return nil
    case .failure(let err): return errorHandle(err)
    }
}

@_cdecl("swvm_memory_data")
public func swvm_memory_data(_ memory: OpaquePointer?) -> UnsafeMutablePointer<UInt8>? {
    object(memory, as: MemoryHandle.self)?.object.baseAddress.assumingMemoryBound(to: UInt8.self)
}

@_cdecl("swvm_memory_size")
public func swvm_memory_size(_ memory: OpaquePointer?) -> Int {
    object(memory, as: MemoryHandle.self)?.object.byteCount ?? 0
}

@_cdecl("swvm_memory_pages")
public func swvm_memory_pages(_ memory: OpaquePointer?) -> UInt64 {
    object(memory, as: MemoryHandle.self)?.object.pageCount ?? 0
}

@_cdecl("swvm_memory_is64")
public func swvm_memory_is64(_ memory: OpaquePointer?) -> Int32 {
    object(memory, as: MemoryHandle.self)?.object.type.is64 == true ? 1 : 0
}

@_cdecl("swvm_memory_grow")
public func swvm_memory_grow(_ memory: OpaquePointer?, _ delta: UInt64, _ oldPages: UnsafeMutablePointer<UInt64>?) -> OpaquePointer? {
    guard let m = object(memory, as: MemoryHandle.self) else { return usage("swvm_memory_grow: memory is NULL or not a memory") }
    switch Result(catching: { () throws(WasmError) -> UInt64 in try m.object.grow(pages: delta) }) {
    case .success(let old):
        oldPages?.pointee = old
        return nil
    case .failure(let e): return errorHandle(e)
    }
}

@_cdecl("swvm_memory_free")
public func swvm_memory_free(_ memory: OpaquePointer?) { release(memory) }

@_cdecl("swvm_global_new")
public func swvm_global_new(_ engine: OpaquePointer?, _ value: UnsafePointer<swvm_val_t>?, _ mutable: Int32,
                            _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    guard let e = object(engine, as: EngineHandle.self) else { return usage("swvm_global_new: engine is NULL or not an engine") }
    guard let value, let out else { return usage("swvm_global_new: value and out must not be NULL") }
    guard let t = valueType(kind: value.pointee.kind) else { return usage("swvm_global_new: unknown value kind \(value.pointee.kind)") }
    let result = Result { () throws(WasmError) -> Global in
        let v = try wasmValue(value.pointee, expected: t)
        return try e.store.makeGlobal(GlobalType(valueType: t, mutable: mutable != 0), value: v)
    }
    switch result {
    case .success(let g):
        out.pointee = retained(GlobalHandle(store: e.store, g))
        return nil
    case .failure(let err): return errorHandle(err)
    }
}

@_cdecl("swvm_global_get")
public func swvm_global_get(_ global: OpaquePointer?, _ out: UnsafeMutablePointer<swvm_val_t>?) -> OpaquePointer? {
    guard let g = object(global, as: GlobalHandle.self) else { return usage("swvm_global_get: global is NULL or not a global") }
    guard let out else { return usage("swvm_global_get: out is NULL") }
    out.pointee = cValue(g.object.value)
    return nil
}

@_cdecl("swvm_global_set")
public func swvm_global_set(_ global: OpaquePointer?, _ value: UnsafePointer<swvm_val_t>?) -> OpaquePointer? {
    guard let g = object(global, as: GlobalHandle.self) else { return usage("swvm_global_set: global is NULL or not a global") }
    guard let value else { return usage("swvm_global_set: value is NULL") }
    let t = g.object.type.valueType
    switch Result(catching: { () throws(WasmError) in try g.object.set(try wasmValue(value.pointee, expected: t)) }) {
    case .success: return nil
    case .failure(let err): return errorHandle(err)
    }
}

@_cdecl("swvm_global_free")
public func swvm_global_free(_ global: OpaquePointer?) { release(global) }


@_cdecl("swvm_memory_max_pages")
public func swvm_memory_max_pages(_ memory: OpaquePointer?) -> UInt64 {
    guard let m = object(memory, as: MemoryHandle.self) else { return 0 }
    return m.object.type.limits.max ?? UInt64.max
}

@_cdecl("swvm_global_mutable")
public func swvm_global_mutable(_ global: OpaquePointer?) -> Int32 {
    object(global, as: GlobalHandle.self)?.object.type.mutable == true ? 1 : 0
}

@_cdecl("swvm_instance_table")
public func swvm_instance_table(_ instance: OpaquePointer?, _ name: UnsafePointer<CChar>?,
                                _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    lookup(instance, name, out, "table", { $0.table($1) }) { TableHandle(store: $0.store, $1) }
}

@_cdecl("swvm_table_kind")
public func swvm_table_kind(_ table: OpaquePointer?) -> Int32 {
    guard let t = object(table, as: TableHandle.self) else { return -1 }
    return kindCode(t.object.type.elementType)
}

@_cdecl("swvm_table_size")
public func swvm_table_size(_ table: OpaquePointer?) -> UInt32 {
    UInt32(truncatingIfNeeded: object(table, as: TableHandle.self)?.object.size ?? 0)
}

@_cdecl("swvm_table_get")
public func swvm_table_get(_ table: OpaquePointer?, _ index: UInt32, _ out: UnsafeMutablePointer<swvm_val_t>?) -> OpaquePointer? {
    guard let t = object(table, as: TableHandle.self) else { return usage("swvm_table_get: table is NULL or not a table") }
    guard let out else { return usage("swvm_table_get: out is NULL") }
    switch Result(catching: { () throws(WasmError) -> Value in try t.object.get(UInt64(index)) }) {
    case .success(let v):
        out.pointee = cValue(v)
        return nil
    case .failure(let e): return errorHandle(e)
    }
}

@_cdecl("swvm_table_set")
public func swvm_table_set(_ table: OpaquePointer?, _ index: UInt32, _ value: UnsafePointer<swvm_val_t>?) -> OpaquePointer? {
    guard let t = object(table, as: TableHandle.self) else { return usage("swvm_table_set: table is NULL or not a table") }
    guard let value else { return usage("swvm_table_set: value is NULL") }
    let result = Result { () throws(WasmError) in
        try t.object.set(UInt64(index), try wasmValue(value.pointee, expected: t.object.type.elementType))
    }
    switch result {
    case .success: return nil
    case .failure(let e): return errorHandle(e)
    }
}

@_cdecl("swvm_table_grow")
public func swvm_table_grow(_ table: OpaquePointer?, _ delta: UInt32, _ initial: UnsafePointer<swvm_val_t>?,
                            _ oldSize: UnsafeMutablePointer<UInt32>?) -> OpaquePointer? {
    guard let t = object(table, as: TableHandle.self) else { return usage("swvm_table_grow: table is NULL or not a table") }
    let type = t.object.type.elementType
    let result = Result { () throws(WasmError) -> UInt64 in
        let v = try initial.map { p throws(WasmError) in try wasmValue(p.pointee, expected: type) }
        return try t.object.grow(by: UInt64(delta), initial: v ?? (type.kind == .funcref ? .funcref(nil) : .externref(nil)))
    }
    switch result {
    case .success(let old):
        oldSize?.pointee = UInt32(truncatingIfNeeded: old)
        return nil
    case .failure(let e): return errorHandle(e)
    }
}

@_cdecl("swvm_table_free")
public func swvm_table_free(_ table: OpaquePointer?) { release(table) }
