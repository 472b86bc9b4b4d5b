import CFFI
import CSwvmSupport
import Glibc
import SwvmCore

// libffi in both directions: plain C functions called as Wasm imports (ffi_call through a call
// interface prepared once at definition), and Wasm exports handed to C as real function
// pointers (ffi closures). Values cross as 64-bit slots: an i32 or f32 sits in the low bytes,
// which is where libffi reads and writes it on this little-endian target.

/// Parses a compact signature: result letters, then parameter letters in parentheses
/// ("i(ii)"). Letters: i i32, I i64, f f32, F f64, r externref, V v128.
func parseSignature(_ text: String) throws(WasmError) -> FuncType {
    func kind(_ c: Character) throws(WasmError) -> ValueType {
        switch c {
        case "i": return .i32
        case "I": return .i64
        case "f": return .f32
        case "F": return .f64
        case "r": return .externref
        case "V": return .v128
        default: throw WasmError(.usage, "signature \"\(text)\": unknown type letter '\(c)' (use i, I, f, F, r, V)")
        }
    }
    guard let open = text.firstIndex(of: "("), text.last == ")",
          text.firstIndex(of: ")") == text.index(before: text.endIndex)
    else { throw WasmError(.usage, "signature \"\(text)\" must look like \"i(ii)\": results, then (parameters)") }
    var results: [ValueType] = []
    for c in text[..<open] where c != "v" { results.append(try kind(c)) }
    var params: [ValueType] = []
    for c in text[text.index(after: open)..<text.index(before: text.endIndex)] { params.append(try kind(c)) }
    return FuncType(params: params, results: results)
}

func ffiType(_ t: ValueType) -> UnsafeMutablePointer<ffi_type> {
    switch t {
    case .i32: return swvm_ffi_type_sint32()!
    case .i64: return swvm_ffi_type_sint64()!
    case .f32: return swvm_ffi_type_float()!
    case .f64: return swvm_ffi_type_double()!
    case .v128: return v128FFIType
    default: return swvm_ffi_type_pointer()!
    }
}

/// libffi's description of swvm_v128_t (16 bytes by value): a struct of two 64-bit integers,
/// which the SysV x86-64 ABI classifies exactly as it does 16 uint8_t (two INTEGER eightbytes,
/// in two registers or 16 bytes of stack).
nonisolated(unsafe) let v128FFIType: UnsafeMutablePointer<ffi_type> = {
    let elements = UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>.allocate(capacity: 3)
    elements[0] = swvm_ffi_type_uint64()
    elements[1] = swvm_ffi_type_uint64()
    elements[2] = nil
    let t = UnsafeMutablePointer<ffi_type>.allocate(capacity: 1)
    t.initialize(to: ffi_type(size: 0, alignment: 0, type: UInt16(FFI_TYPE_STRUCT), elements: elements))
    return t
}()

/// A prepared call interface and the type array it points into.
final class CallInterface {
    let cif = UnsafeMutablePointer<ffi_cif>.allocate(capacity: 1)
    let types: UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>
    let count: Int

    init(arguments: [UnsafeMutablePointer<ffi_type>], result: UnsafeMutablePointer<ffi_type>) throws(WasmError) {
        count = arguments.count
        types = .allocate(capacity: max(1, count))
        for (i, t) in arguments.enumerated() { types[i] = t }
        guard ffi_prep_cif(cif, FFI_DEFAULT_ABI, UInt32(count), result, types) == FFI_OK else {
            throw WasmError(.usage, "libffi cannot prepare a call interface for this signature")
        }
    }

    deinit {
        types.deallocate()
        cif.deallocate()
    }
}

/// What a host function sees of its call through its `swvm_caller_t *`.
struct CallerState {
    var instance: Instance?
    var store: Store
    var userData: UnsafeMutableRawPointer?
    var trapMessage: String?
    /// Set by swvm_caller_throw: thrown once the C function has returned.
    var exception: Exception?
}

/// A C function defined as a Wasm import.
final class HostFunctionFFI {
    let type: FuncType
    let function: @convention(c) () -> Void
    let userData: UnsafeMutableRawPointer?
    let withCaller: Bool
    let interface: CallInterface

    init(type: FuncType, function: @escaping @convention(c) () -> Void, userData: UnsafeMutableRawPointer?, withCaller: Bool) throws(WasmError) {
        for t in type.params + type.results where t.kind == .funcref || t.kind == .exnref {
            throw WasmError(.usage, "host functions take i32, i64, f32, f64, v128 and externref values, not \(t)")
        }
        self.type = type
        self.function = function
        self.userData = userData
        self.withCaller = withCaller
        var arguments: [UnsafeMutablePointer<ffi_type>] = withCaller ? [swvm_ffi_type_pointer()!] : []
        arguments += type.params.map(ffiType)
        let multi = type.results.count > 1
        if multi { arguments += type.results.map { _ in swvm_ffi_type_pointer()! } }
        let result = type.results.count == 1 ? ffiType(type.results[0]) : swvm_ffi_type_void()!
        interface = try CallInterface(arguments: arguments, result: result)
    }
}

extension HostFunctionFFI {
    /// The raw path (see RawHostFunction): arguments are converted from the frame's slots into
    /// a stack buffer libffi reads from, results written straight back to the slots.
    func callRaw(_ slots: UnsafeMutablePointer<UInt64>, _ caller: Caller) throws {
        let n = interface.count
        let resultCount = type.results.count
        let paramOffsets = type.params.slotOffsets, resultOffsets = type.results.slotOffsets
        // Argument words (a v128 takes two), then two words for the return value.
        let words = (withCaller ? 1 : 0) + type.params.slotCount + (resultCount > 1 ? resultCount : 0)
        var trap: String?
        var thrown: Exception?
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words + 2) { buffer in
            withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer?.self, capacity: max(1, n)) { values in
                let args = buffer.baseAddress!
                var state = CallerState(instance: caller.instance, store: caller.store, userData: userData, trapMessage: nil)
                withUnsafeMutablePointer(to: &state) { statePointer in
                    var k = 0, a = 0
                    func next(_ word: UInt64) {
                        values[a] = UnsafeMutableRawPointer(args + k)
                        args[k] = word
                        k += 1
                        a += 1
                    }
                    if withCaller { next(UInt64(UInt(bitPattern: statePointer))) }
                    for (i, t) in type.params.enumerated() {
                        let s = slots + paramOffsets[i]
                        // The engine keeps an externref as payload + 1; C sees the payload.
                        next(t.kind == .externref && s[0] != 0 ? s[0] &- 1 : s[0])
                        if t == .v128 {
                            args[k] = s[1]
                            k += 1
                        }
                    }
                    if resultCount > 1 {
                        for j in 0..<resultCount { next(UInt64(UInt(bitPattern: slots + resultOffsets[j]))) }
                    }
                    let ret = args + k
                    ret[0] = 0
                    ret[1] = 0
                    ffi_call(interface.cif, function, UnsafeMutableRawPointer(ret), values.baseAddress)
                    if resultCount == 1 {
                        slots[0] = ret[0]
                        if type.results[0] == .v128 { slots[1] = ret[1] }
                    }
                }
                trap = state.trapMessage
                thrown = state.exception
            }
        }
        if let trap { throw WasmError(.trap, trap) }
        if let thrown { throw thrown }
        // Normalise: 32-bit results occupy the low half; externrefs return to payload + 1.
        for (j, t) in type.results.enumerated() {
            let o = resultOffsets[j]
            switch t.kind {
            case .i32, .f32: slots[o] = UInt64(UInt32(truncatingIfNeeded: slots[o]))
            case .externref: slots[o] = slots[o] == 0 ? 0 : slots[o] &+ 1
            default: break
            }
        }
    }
}

/// A Wasm export as a real C function pointer: an ffi closure whose handler converts the C
/// arguments, calls the function, and reports a trap through swvm_last_trap().
final class NativeExport {
    let function: Function
    let interface: CallInterface
    let closure: UnsafeMutablePointer<ffi_closure>
    let code: UnsafeMutableRawPointer

    init(_ function: Function) throws(WasmError) {
        let t = function.type
        guard t.results.count <= 1 else {
            throw WasmError(.usage, "functions with \(t.results.count) results cannot be native function pointers")
        }
        for v in t.params + t.results where v.kind == .funcref || v.kind == .exnref {
            throw WasmError(.usage, "native function pointers take i32, i64, f32, f64, v128 and externref values, not \(v)")
        }
        self.function = function
        interface = try CallInterface(arguments: t.params.map(ffiType),
                                      result: t.results.first.map(ffiType) ?? swvm_ffi_type_void()!)
        var codeAddress: UnsafeMutableRawPointer?
        guard let raw = ffi_closure_alloc(MemoryLayout<ffi_closure>.stride, &codeAddress), let codeAddress else {
            throw WasmError(.limit, "libffi cannot allocate a closure")
        }
        closure = raw.bindMemory(to: ffi_closure.self, capacity: 1)
        code = codeAddress
        let status = ffi_prep_closure_loc(closure, interface.cif, nativeExportHandler,
                                          Unmanaged.passUnretained(self).toOpaque(), code)
        guard status == FFI_OK else {
            ffi_closure_free(raw)
            throw WasmError(.limit, "libffi cannot prepare a closure")
        }
    }

    deinit { ffi_closure_free(UnsafeMutableRawPointer(closure)) }
}

private func nativeExportHandler(_ cif: UnsafeMutablePointer<ffi_cif>?, _ ret: UnsafeMutableRawPointer?,
                                 _ args: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ userData: UnsafeMutableRawPointer?) {
    let export = Unmanaged<NativeExport>.fromOpaque(userData!).takeUnretainedValue()
    let type = export.function.type
    let values = type.params.enumerated().map { Value.fromCArgument(args![$0.offset]!, $0.element) }
    var result: Value?
    switch Result(catching: { () throws(WasmError) -> [Value] in try export.function.call(values) }) {
    case .success(let r):
        swvm_tls_set_last_trap(nil)
        result = r.first
    case .failure(let e):
        swvm_tls_set_last_trap(strdup(e.message))
    }
    guard let t = type.results.first, let ret else { return }
    Value.storeCResult(result, t, to: ret)
}
