import CSwvmSupport
import Glibc
import SwvmCore

// The exported C functions declared in include/swvm.h. Each checks its arguments and turns
// every failure into an error handle; none of them traps the host process on bad input.

nonisolated(unsafe) private let versionString: UnsafeMutablePointer<CChar> = strdup(swvmVersion)!
let swvmVersion = "0.1.0"

@_cdecl("swvm_version")
public func swvm_version() -> UnsafePointer<CChar> { UnsafePointer(versionString) }

@_cdecl("swvm_error_kind")
public func swvm_error_kind(_ error: OpaquePointer?) -> swvm_error_kind_t {
    guard let e = object(error, as: ErrorHandle.self) else { return SWVM_ERROR_USAGE }
    switch e.kind {
    case .malformed: return SWVM_ERROR_MALFORMED
    case .invalid: return SWVM_ERROR_INVALID
    case .link: return SWVM_ERROR_LINK
    case .trap: return SWVM_ERROR_TRAP
    case .limit: return SWVM_ERROR_LIMIT
    case .usage: return SWVM_ERROR_USAGE
    case .exception: return SWVM_ERROR_EXCEPTION
    }
}

nonisolated(unsafe) private let notAnError: UnsafeMutablePointer<CChar> = strdup("not an error handle")!

@_cdecl("swvm_error_message")
public func swvm_error_message(_ error: OpaquePointer?) -> UnsafePointer<CChar> {
    guard let e = object(error, as: ErrorHandle.self) else { return UnsafePointer(notAnError) }
    return UnsafePointer(e.message)
}

@_cdecl("swvm_error_free")
public func swvm_error_free(_ error: OpaquePointer?) { release(error) }

@_cdecl("swvm_engine_new")
public func swvm_engine_new() -> OpaquePointer? { retained(EngineHandle()) }

@_cdecl("swvm_engine_free")
public func swvm_engine_free(_ engine: OpaquePointer?) { release(engine) }

@_cdecl("swvm_module_new")
public func swvm_module_new(_ engine: OpaquePointer?, _ bytes: UnsafePointer<UInt8>?, _ size: Int,
                            _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    guard object(engine, as: EngineHandle.self) != nil else { return usage("swvm_module_new: engine is NULL or not an engine") }
    guard let out else { return usage("swvm_module_new: out is NULL") }
    guard let bytes else { return usage("swvm_module_new: bytes is NULL") }
    let copy = Array(UnsafeBufferPointer(start: bytes, count: size))
    switch Result(catching: { () throws(WasmError) -> Module in try Module.load(copy) }) {
    case .success(let m):
        out.pointee = retained(ModuleHandle(m))
        return nil
    case .failure(let e): return errorHandle(e)
    }
}

@_cdecl("swvm_module_free")
public func swvm_module_free(_ module: OpaquePointer?) { release(module) }

@_cdecl("swvm_instance_new")
public func swvm_instance_new(_ engine: OpaquePointer?, _ module: OpaquePointer?,
                              _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    guard let e = object(engine, as: EngineHandle.self) else { return usage("swvm_instance_new: engine is NULL or not an engine") }
    guard let m = object(module, as: ModuleHandle.self) else { return usage("swvm_instance_new: module is NULL or not a module") }
    guard let out else { return usage("swvm_instance_new: out is NULL") }
    let linker = Linker(store: e.store)
    switch Result(catching: { () throws(WasmError) -> Instance in try linker.instantiate(m.module) }) {
    case .success(let i):
        out.pointee = retained(InstanceHandle(store: e.store, instance: i))
        return nil
    case .failure(let err): return errorHandle(err)
    }
}

@_cdecl("swvm_instance_free")
public func swvm_instance_free(_ instance: OpaquePointer?) { release(instance) }

@_cdecl("swvm_instance_func")
public func swvm_instance_func(_ instance: OpaquePointer?, _ name: UnsafePointer<CChar>?,
                               _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    guard let i = object(instance, as: InstanceHandle.self) else { return usage("swvm_instance_func: instance is NULL or not an instance") }
    guard let name else { return usage("swvm_instance_func: name is NULL") }
    guard let out else { return usage("swvm_instance_func: out is NULL") }
    let field = string(name)
    guard let f = i.instance.function(field) else {
        let available = i.instance.exports.compactMap { e -> String? in
            if case .function = e.extern { return e.name } else { return nil }
        }
        return usage("no exported function \"\(field)\" (exported functions: \(available.joined(separator: ", ")))")
    }
    out.pointee = retained(FuncHandle(store: i.store, function: f))
    return nil
}

@_cdecl("swvm_func_param_count")
public func swvm_func_param_count(_ function: OpaquePointer?) -> Int {
    object(function, as: FuncHandle.self)?.function.type.params.count ?? 0
}

@_cdecl("swvm_func_result_count")
public func swvm_func_result_count(_ function: OpaquePointer?) -> Int {
    object(function, as: FuncHandle.self)?.function.type.results.count ?? 0
}

@_cdecl("swvm_func_param_kind")
public func swvm_func_param_kind(_ function: OpaquePointer?, _ index: Int) -> Int32 {
    guard let f = object(function, as: FuncHandle.self), index >= 0, index < f.function.type.params.count else { return -1 }
    return kindCode(f.function.type.params[index])
}

@_cdecl("swvm_func_result_kind")
public func swvm_func_result_kind(_ function: OpaquePointer?, _ index: Int) -> Int32 {
    guard let f = object(function, as: FuncHandle.self), index >= 0, index < f.function.type.results.count else { return -1 }
    return kindCode(f.function.type.results[index])
}

@_cdecl("swvm_func_call")
public func swvm_func_call(_ function: OpaquePointer?, _ args: UnsafePointer<swvm_val_t>?, _ nargs: Int,
                           _ results: UnsafeMutablePointer<swvm_val_t>?, _ nresults: Int) -> OpaquePointer? {
    guard let f = object(function, as: FuncHandle.self) else { return usage("swvm_func_call: func is NULL or not a function") }
    let type = f.function.type
    guard nargs == type.params.count else {
        return usage("function \(type) takes \(type.params.count) argument(s), got \(nargs)")
    }
    guard nresults == type.results.count else {
        return usage("function \(type) returns \(type.results.count) result(s), room given for \(nresults)")
    }
    if nargs > 0 && args == nil { return usage("swvm_func_call: args is NULL") }
    if nresults > 0 && results == nil { return usage("swvm_func_call: results is NULL") }
    var values: [Value] = []
    for i in 0..<nargs {
        switch Result(catching: { () throws(WasmError) -> Value in try wasmValue(args![i], expected: type.params[i], position: i) }) {
        case .success(let v): values.append(v)
        case .failure(let e): return errorHandle(e)
        }
    }
    switch Result(catching: { () throws(WasmError) -> [Value] in try f.function.call(values) }) {
    case .success(let out):
        for (i, v) in out.enumerated() { results![i] = cValue(v) }
        return nil
    case .failure(let e): return errorHandle(e)
    }
}

@_cdecl("swvm_func_free")
public func swvm_func_free(_ function: OpaquePointer?) { release(function) }
