extension Module {
    /// Decodes and validates a module binary.
    public static func load(_ bytes: [UInt8]) throws(WasmError) -> Module {
        let m = try decode(bytes)
        try m.validate()
        return m
    }
}
