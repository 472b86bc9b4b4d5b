extension Module {
    /// Validates the decoded module (placeholder until the validator lands).
    public func validate() throws(WasmError) {}
}
