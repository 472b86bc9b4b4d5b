import CSwvmSupport
import SwvmCore

// Engine configuration (limits, fuel) and interruption: the C side of StoreConfig, the fuel
// tank and InterruptHandle.

@_cdecl("swvm_config_new")
public func swvm_config_new() -> OpaquePointer? { retained(ConfigHandle()) }

@_cdecl("swvm_config_free")
public func swvm_config_free(_ config: OpaquePointer?) { release(config) }

/// Applies `change` to the config behind the handle, or explains what is wrong.
private func configure(_ config: OpaquePointer?, _ function: String,
                       _ change: (inout StoreConfig) -> String?) -> OpaquePointer? {
    guard let h = object(config, as: ConfigHandle.self) else { return usage("\(function): config is NULL or not a config") }
    if let problem = change(&h.config) { return usage("\(function): \(problem)") }
    return nil
}

@_cdecl("swvm_config_set_max_call_depth")
public func swvm_config_set_max_call_depth(_ config: OpaquePointer?, _ depth: UInt32) -> OpaquePointer? {
    configure(config, "swvm_config_set_max_call_depth") { c in
        guard depth > 0 else { return "the depth must be at least 1" }
        c.maxCallDepth = Int(depth)
        return nil
    }
}

@_cdecl("swvm_config_set_value_stack_size")
public func swvm_config_set_value_stack_size(_ config: OpaquePointer?, _ bytes: Int) -> OpaquePointer? {
    configure(config, "swvm_config_set_value_stack_size") { c in
        guard bytes >= 8192, bytes <= 1 << 34 else { return "\(bytes) bytes is outside 8 KiB...16 GiB" }
        c.valueStackSlots = bytes / 8
        return nil
    }
}

@_cdecl("swvm_config_set_native_stack_reserve")
public func swvm_config_set_native_stack_reserve(_ config: OpaquePointer?, _ bytes: Int) -> OpaquePointer? {
    configure(config, "swvm_config_set_native_stack_reserve") { c in
        guard bytes >= 16384, bytes <= 1 << 30 else { return "\(bytes) bytes is outside 16 KiB...1 GiB" }
        c.nativeStackReserve = bytes
        return nil
    }
}

@_cdecl("swvm_config_set_max_memory_pages")
public func swvm_config_set_max_memory_pages(_ config: OpaquePointer?, _ pages: UInt32) -> OpaquePointer? {
    configure(config, "swvm_config_set_max_memory_pages") { c in
        guard pages <= 65536 else { return "\(pages) pages is more than 4 GiB (65536 pages)" }
        c.maxMemoryPages = UInt64(pages)
        return nil
    }
}

@_cdecl("swvm_config_set_max_table_elements")
public func swvm_config_set_max_table_elements(_ config: OpaquePointer?, _ elements: UInt32) -> OpaquePointer? {
    configure(config, "swvm_config_set_max_table_elements") { c in
        c.maxTableElements = UInt64(elements)
        return nil
    }
}

@_cdecl("swvm_config_set_consume_fuel")
public func swvm_config_set_consume_fuel(_ config: OpaquePointer?, _ enabled: Int32) -> OpaquePointer? {
    configure(config, "swvm_config_set_consume_fuel") { c in
        c.consumeFuel = enabled != 0
        return nil
    }
}

@_cdecl("swvm_engine_new_with_config")
public func swvm_engine_new_with_config(_ config: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    guard let h = object(config, as: ConfigHandle.self) else { return usage("swvm_engine_new_with_config: config is NULL or not a config") }
    guard let out else { return usage("swvm_engine_new_with_config: out is NULL") }
    out.pointee = retained(EngineHandle(config: h.config))
    return nil
}

/// Runs a fuel operation on the engine's store, with the API's error conventions.
private func withFuel(_ engine: OpaquePointer?, _ function: String,
                      _ body: (Store) throws(WasmError) -> Void) -> OpaquePointer? {
    guard let e = object(engine, as: EngineHandle.self) else { return usage("\(function): engine is NULL or not an engine") }
    do { try body(e.store) } catch { return errorHandle(WasmError(error.kind, "\(function): \(error.message)")) }
    return nil
}

@_cdecl("swvm_engine_set_fuel")
public func swvm_engine_set_fuel(_ engine: OpaquePointer?, _ units: UInt64) -> OpaquePointer? {
    withFuel(engine, "swvm_engine_set_fuel") { s throws(WasmError) in try s.setFuel(units) }
}

@_cdecl("swvm_engine_add_fuel")
public func swvm_engine_add_fuel(_ engine: OpaquePointer?, _ units: UInt64) -> OpaquePointer? {
    withFuel(engine, "swvm_engine_add_fuel") { s throws(WasmError) in try s.addFuel(units) }
}

@_cdecl("swvm_engine_fuel")
public func swvm_engine_fuel(_ engine: OpaquePointer?, _ out: UnsafeMutablePointer<UInt64>?) -> OpaquePointer? {
    guard let out else { return usage("swvm_engine_fuel: out is NULL") }
    return withFuel(engine, "swvm_engine_fuel") { s throws(WasmError) in
        out.pointee = try s.fuelLeft()
    }
}

@_cdecl("swvm_engine_interrupt_handle")
public func swvm_engine_interrupt_handle(_ engine: OpaquePointer?) -> OpaquePointer? {
    guard let e = object(engine, as: EngineHandle.self) else { return nil }
    return retained(InterruptHandleBox(e.store.interruptHandle))
}

@_cdecl("swvm_interrupt")
public func swvm_interrupt(_ handle: OpaquePointer?) {
    object(handle, as: InterruptHandleBox.self)?.handle.interrupt()
}

@_cdecl("swvm_interrupt_handle_free")
public func swvm_interrupt_handle_free(_ handle: OpaquePointer?) { release(handle) }

@_cdecl("swvm_error_trap_code")
public func swvm_error_trap_code(_ error: OpaquePointer?) -> Int32 {
    guard let e = object(error, as: ErrorHandle.self), let trap = e.trap else { return -1 }
    let code: swvm_trap_code_t
    switch trap {
    case .unreachable: code = SWVM_TRAP_UNREACHABLE
    case .integerDivideByZero: code = SWVM_TRAP_INTEGER_DIVIDE_BY_ZERO
    case .integerOverflow: code = SWVM_TRAP_INTEGER_OVERFLOW
    case .invalidConversionToInteger: code = SWVM_TRAP_INVALID_CONVERSION
    case .outOfBoundsMemoryAccess: code = SWVM_TRAP_MEMORY_OUT_OF_BOUNDS
    case .outOfBoundsTableAccess: code = SWVM_TRAP_TABLE_OUT_OF_BOUNDS
    case .undefinedElement: code = SWVM_TRAP_UNDEFINED_ELEMENT
    case .uninitializedElement: code = SWVM_TRAP_UNINITIALIZED_ELEMENT
    case .indirectCallTypeMismatch: code = SWVM_TRAP_INDIRECT_CALL_TYPE_MISMATCH
    case .callStackExhausted: code = SWVM_TRAP_CALL_STACK_EXHAUSTED
    case .unsupported: code = SWVM_TRAP_UNSUPPORTED
    case .host: code = SWVM_TRAP_HOST
    case .fuelExhausted: code = SWVM_TRAP_FUEL_EXHAUSTED
    case .interrupted: code = SWVM_TRAP_INTERRUPTED
    case .exception: code = SWVM_TRAP_UNCAUGHT_EXCEPTION
    case .nullExceptionReference: code = SWVM_TRAP_NULL_EXCEPTION_REFERENCE
    case .nullFunctionReference: code = SWVM_TRAP_NULL_FUNCTION_REFERENCE
    case .nullReference: code = SWVM_TRAP_NULL_REFERENCE
    }
    return Int32(bitPattern: code.rawValue)
}
