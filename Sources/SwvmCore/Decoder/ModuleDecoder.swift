extension Module {
    /// Decodes a module binary (placeholder until the decoder lands).
    public static func decode(_ bytes: [UInt8]) throws(WasmError) -> Module {
        throw WasmError(.malformed, "decoder not implemented")
    }
}
