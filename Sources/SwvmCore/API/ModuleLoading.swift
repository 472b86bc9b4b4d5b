/// The WebAssembly proposals beyond 2.0 that decoding and validation accept. Everything swvm
/// implements is on by default; `.wasm2` is Wasm 2.0 exactly (the 2.0 spec suite checks
/// encodings and rules that 3.0 changed, such as `memory.size`'s zero byte, which 3.0 reads
/// as a memory index).
public struct Features: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Several memories; memory instructions name theirs (Wasm 3.0).
    public static let multiMemory = Features(rawValue: 1 << 0)
    /// 64-bit memories and tables (Wasm 3.0).
    public static let memory64 = Features(rawValue: 1 << 1)
    /// `i32/i64.add/sub/mul` and `global.get` of any earlier immutable global in constant
    /// expressions (Wasm 3.0).
    public static let extendedConst = Features(rawValue: 1 << 2)
    /// Typed function references (Wasm 3.0): `(ref null? $t)`, the bottom types, recursion
    /// groups and `sub` declarations of function types, table initialisers.
    public static let functionReferences = Features(rawValue: 1 << 3)

    /// Wasm 2.0, no later proposal.
    public static let wasm2: Features = []
    /// Everything swvm implements (the default).
    public static let all: Features = [.multiMemory, .memory64, .extendedConst, .functionReferences]
}

extension Module {
    /// Decodes and validates a module binary with the given features (all by default).
    ///
    /// The function bodies are read once, by validation, not also by the decoder: that pass
    /// was a sixth of loading a large module. A malformed encoding must still win over a
    /// validation error found earlier (as if the whole binary were decoded first), so when
    /// validation fails, the decoder's check of the code runs and its error, if any, is the one
    /// reported.
    public static func load(_ bytes: [UInt8], features: Features = .all) throws(WasmError) -> Module {
        let m = try decodeForValidation(bytes, features: features)
        do throws(WasmError) {
            try m.validate()
        } catch {
            throw m.codeEncodingError() ?? error
        }
        return m
    }
}
