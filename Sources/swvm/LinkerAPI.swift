import CFFI
import CSwvmSupport
import Glibc
import SwvmCore

// The linker, host functions and the caller handle (swvm.h: "Host functions and the linker"),
// and exports as native function pointers.

@_cdecl("swvm_linker_new")
public func swvm_linker_new(_ engine: OpaquePointer?) -> OpaquePointer? {
    guard let e = object(engine, as: EngineHandle.self) else { return nil }
    return retained(LinkerHandle(store: e.store))
}

@_cdecl("swvm_linker_free")
public func swvm_linker_free(_ linker: OpaquePointer?) { release(linker) }

private func defineFunction(_ linker: OpaquePointer?, _ module: UnsafePointer<CChar>?, _ name: UnsafePointer<CChar>?,
                            _ type: () throws(WasmError) -> FuncType, _ fn: (@convention(c) () -> Void)?,
                            _ userData: UnsafeMutableRawPointer?, _ flags: Int32, function: String = #function) -> OpaquePointer? {
    guard let l = object(linker, as: LinkerHandle.self) else { return usage("linker is NULL or not a linker", function: function) }
    guard let module, let name else { return usage("module and name must not be NULL", function: function) }
    guard let fn else { return usage("function pointer is NULL", function: function) }
    guard flags & ~1 == 0 else { return usage("unknown flags \(flags)", function: function) }
    let result = Result { () throws(WasmError) -> HostFunctionFFI in
        try HostFunctionFFI(type: try type(), function: fn, userData: userData, withCaller: flags & 1 != 0)
    }
    switch result {
    case .success(let host):
        l.linker.defineRawFunction(module: string(module), name: string(name), type: host.type) { slots, caller in
            try host.callRaw(slots, caller)
        }
        return nil
    case .failure(let e): return errorHandle(e)
    }
}

@_cdecl("swvm_linker_define_func")
public func swvm_linker_define_func(_ linker: OpaquePointer?, _ module: UnsafePointer<CChar>?, _ name: UnsafePointer<CChar>?,
                                    _ signature: UnsafePointer<CChar>?, _ fn: (@convention(c) () -> Void)?,
                                    _ userData: UnsafeMutableRawPointer?, _ flags: Int32) -> OpaquePointer? {
    guard let signature else { return usage("signature is NULL") }
    return defineFunction(linker, module, name, { () throws(WasmError) in try parseSignature(string(signature)) }, fn, userData, flags)
}

@_cdecl("swvm_linker_define_func_typed")
public func swvm_linker_define_func_typed(_ linker: OpaquePointer?, _ module: UnsafePointer<CChar>?, _ name: UnsafePointer<CChar>?,
                                          _ params: UnsafePointer<swvm_valkind_t>?, _ nparams: Int,
                                          _ results: UnsafePointer<swvm_valkind_t>?, _ nresults: Int,
                                          _ fn: (@convention(c) () -> Void)?, _ userData: UnsafeMutableRawPointer?,
                                          _ flags: Int32) -> OpaquePointer? {
    func kinds(_ p: UnsafePointer<swvm_valkind_t>?, _ n: Int, _ what: String) throws(WasmError) -> [ValueType] {
        if n == 0 { return [] }
        guard let p, n > 0 else { throw WasmError(.usage, "\(what) is NULL but its count is \(n)") }
        var out: [ValueType] = []
        for i in 0..<n {
            guard let t = valueType(kind: p[i].rawValue) else { throw WasmError(.usage, "\(what)[\(i)]: unknown value kind \(p[i].rawValue)") }
            out.append(t)
        }
        return out
    }
    return defineFunction(linker, module, name, { () throws(WasmError) in
        FuncType(params: try kinds(params, nparams, "params"), results: try kinds(results, nresults, "results"))
    }, fn, userData, flags)
}

@_cdecl("swvm_linker_define_memory")
public func swvm_linker_define_memory(_ linker: OpaquePointer?, _ module: UnsafePointer<CChar>?, _ name: UnsafePointer<CChar>?,
                                      _ memory: OpaquePointer?) -> OpaquePointer? {
    guard let l = object(linker, as: LinkerHandle.self) else { return usage("linker is NULL or not a linker") }
    guard let m = object(memory, as: MemoryHandle.self) else { return usage("memory is NULL or not a memory") }
    guard let module, let name else { return usage("module and name must not be NULL") }
    guard m.store === l.store else { return usage("the memory belongs to another engine") }
    l.linker.define(module: string(module), name: string(name), .memory(m.object))
    return nil
}

@_cdecl("swvm_linker_define_global")
public func swvm_linker_define_global(_ linker: OpaquePointer?, _ module: UnsafePointer<CChar>?, _ name: UnsafePointer<CChar>?,
                                      _ global: OpaquePointer?) -> OpaquePointer? {
    guard let l = object(linker, as: LinkerHandle.self) else { return usage("linker is NULL or not a linker") }
    guard let g = object(global, as: GlobalHandle.self) else { return usage("global is NULL or not a global") }
    guard let module, let name else { return usage("module and name must not be NULL") }
    guard g.store === l.store else { return usage("the global belongs to another engine") }
    l.linker.define(module: string(module), name: string(name), .global(g.object))
    l.pin(g.object)
    return nil
}

@_cdecl("swvm_linker_define_instance")
public func swvm_linker_define_instance(_ linker: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ instance: OpaquePointer?) -> OpaquePointer? {
    guard let l = object(linker, as: LinkerHandle.self) else { return usage("linker is NULL or not a linker") }
    guard let i = object(instance, as: InstanceHandle.self) else { return usage("instance is NULL or not an instance") }
    guard let name else { return usage("name is NULL") }
    guard i.store === l.store else { return usage("the instance belongs to another engine") }
    l.linker.register(string(name), instance: i.instance)
    l.pin(i.instance)
    return nil
}

@_cdecl("swvm_linker_instantiate")
public func swvm_linker_instantiate(_ linker: OpaquePointer?, _ module: OpaquePointer?,
                                    _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    guard let l = object(linker, as: LinkerHandle.self) else { return usage("linker is NULL or not a linker") }
    guard let m = object(module, as: ModuleHandle.self) else { return usage("module is NULL or not a module") }
    guard let out else { return usage("out is NULL") }
    switch Result(catching: { () throws(WasmError) -> Instance in try l.linker.instantiate(m.module) }) {
    case .success(let i):
        out.pointee = retained(InstanceHandle(store: l.store, instance: i))
        return nil
    case .failure(let e): return errorHandle(e)
    }
}

private func callerState(_ caller: OpaquePointer?) -> UnsafeMutablePointer<CallerState>? {
    caller.map { UnsafeMutablePointer<CallerState>($0) }
}

@_cdecl("swvm_caller_user_data")
public func swvm_caller_user_data(_ caller: OpaquePointer?) -> UnsafeMutableRawPointer? {
    callerState(caller)?.pointee.userData
}

@_cdecl("swvm_caller_memory")
public func swvm_caller_memory(_ caller: OpaquePointer?, _ size: UnsafeMutablePointer<Int>?) -> UnsafeMutablePointer<UInt8>? {
    guard let m = callerState(caller)?.pointee.instance?.memory("memory") else {
        size?.pointee = 0
        return nil
    }
    size?.pointee = m.byteCount
    return m.baseAddress.assumingMemoryBound(to: UInt8.self)
}

@_cdecl("swvm_caller_export")
public func swvm_caller_export(_ caller: OpaquePointer?, _ name: UnsafePointer<CChar>?,
                               _ out: UnsafeMutablePointer<swvm_extern_t>?) -> OpaquePointer? {
    guard let state = callerState(caller)?.pointee else { return usage("swvm_caller_export: caller is NULL") }
    guard let name else { return usage("swvm_caller_export: name is NULL") }
    guard let out else { return usage("swvm_caller_export: out is NULL") }
    guard let instance = state.instance else {
        return usage("swvm_caller_export: the host function was not called from a Wasm instance")
    }
    let field = string(name)
    guard let ext = instance.export(field) else {
        return usage("swvm_caller_export: the calling instance has no export \"\(field)\" (exports: \(instance.exportNames.joined(separator: ", ")))")
    }
    out.pointee = cExtern(ext, store: state.store)
    return nil
}

@_cdecl("swvm_caller_trap")
public func swvm_caller_trap(_ caller: OpaquePointer?, _ message: UnsafePointer<CChar>?) {
    callerState(caller)?.pointee.trapMessage = message.map(string) ?? "trap raised by a host function"
}

@_cdecl("swvm_func_native")
public func swvm_func_native(_ function: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> OpaquePointer? {
    guard let f = object(function, as: FuncHandle.self) else { return usage("swvm_func_native: func is NULL or not a function") }
    guard let out else { return usage("swvm_func_native: out is NULL") }
    if f.native == nil {
        switch Result(catching: { () throws(WasmError) -> NativeExport in try NativeExport(f.function) }) {
        case .success(let n): f.native = n
        case .failure(let e): return errorHandle(e)
        }
    }
    out.pointee = f.native!.code
    return nil
}

@_cdecl("swvm_last_trap")
public func swvm_last_trap() -> UnsafePointer<CChar>? { swvm_tls_last_trap() }

// MARK: - Exceptions

@_cdecl("swvm_tag_new")
public func swvm_tag_new(_ engine: OpaquePointer?, _ params: UnsafePointer<swvm_valkind_t>?, _ nparams: Int,
                         _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    guard object(engine, as: EngineHandle.self) != nil else { return usage("engine is NULL or not an engine") }
    guard let out else { return usage("out is NULL") }
    guard nparams == 0 || params != nil else { return usage("params is NULL") }
    var types: [ValueType] = []
    for i in 0..<nparams {
        guard let t = valueType(kind: params![i].rawValue), t != .v128 else { return usage("parameter \(i) has no valid kind") }
        types.append(t)
    }
    switch Result(catching: { () throws(WasmError) -> Tag in try Tag(type: FuncType(params: types, results: [])) }) {
    case .success(let t):
        out.pointee = retained(TagHandle(t))
        return nil
    case .failure(let err): return errorHandle(err)
    }
}

@_cdecl("swvm_instance_tag")
public func swvm_instance_tag(_ instance: OpaquePointer?, _ name: UnsafePointer<CChar>?,
                              _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    lookup(instance, name, out, "tag", { $0.tag($1) }) { TagHandle($1) }
}

@_cdecl("swvm_tag_params")
public func swvm_tag_params(_ tag: OpaquePointer?, _ out: UnsafeMutablePointer<swvm_valkind_t>?, _ capacity: Int) -> Int {
    guard let t = object(tag, as: TagHandle.self) else { return 0 }
    let params = t.tag.type.params
    if let out { for (i, p) in params.prefix(capacity).enumerated() { out[i] = cKind(p) } }
    return params.count
}

@_cdecl("swvm_tag_same")
public func swvm_tag_same(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Int32 {
    guard let x = object(a, as: TagHandle.self), let y = object(b, as: TagHandle.self) else { return 0 }
    return x.tag === y.tag ? 1 : 0
}

@_cdecl("swvm_tag_free")
public func swvm_tag_free(_ tag: OpaquePointer?) { release(tag) }

@_cdecl("swvm_linker_define_tag")
public func swvm_linker_define_tag(_ linker: OpaquePointer?, _ module: UnsafePointer<CChar>?, _ name: UnsafePointer<CChar>?,
                                   _ tag: OpaquePointer?) -> OpaquePointer? {
    guard let l = object(linker, as: LinkerHandle.self) else { return usage("linker is NULL or not a linker") }
    guard let t = object(tag, as: TagHandle.self) else { return usage("tag is NULL or not a tag") }
    guard let module, let name else { return usage("module and name must not be NULL") }
    l.linker.define(module: string(module), name: string(name), .tag(t.tag))
    l.pin(t.tag)
    return nil
}

@_cdecl("swvm_error_exception_tag")
public func swvm_error_exception_tag(_ error: OpaquePointer?) -> OpaquePointer? {
    guard let e = object(error, as: ErrorHandle.self), let exn = e.exception else { return nil }
    return retained(TagHandle(exn.tag))
}

@_cdecl("swvm_error_exception_payload")
public func swvm_error_exception_payload(_ error: OpaquePointer?, _ out: UnsafeMutablePointer<swvm_val_t>?, _ capacity: Int) -> Int {
    guard let e = object(error, as: ErrorHandle.self), let exn = e.exception else { return 0 }
    let payload = exn.payload
    if let out { for (i, v) in payload.prefix(capacity).enumerated() { out[i] = cValue(v) } }
    return payload.count
}

@_cdecl("swvm_caller_throw")
public func swvm_caller_throw(_ caller: OpaquePointer?, _ tag: OpaquePointer?, _ payload: UnsafePointer<swvm_val_t>?, _ npayload: Int) {
    guard let state = callerState(caller) else { return }
    guard let t = object(tag, as: TagHandle.self) else {
        state.pointee.trapMessage = "swvm_caller_throw: tag is NULL or not a tag"
        return
    }
    let params = t.tag.type.params
    guard npayload == params.count, npayload == 0 || payload != nil else {
        state.pointee.trapMessage = "swvm_caller_throw: the tag's payload has \(params.count) value(s), \(npayload) given"
        return
    }
    do {
        var values: [Value] = []
        for (i, p) in params.enumerated() { values.append(try wasmValue(payload![i], expected: p, position: i)) }
        state.pointee.exception = try Exception(tag: t.tag, payload: values)
    } catch {
        state.pointee.trapMessage = "swvm_caller_throw: \(error.message)"
    }
}
