/// Every failure swvm reports: what kind it is, a message a person understands, and where.
public struct WasmError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        case malformed  // the bytes are not a well-formed binary module
        case invalid  // well-formed, but fails validation
        case link  // imports cannot be resolved or do not match
        case trap  // execution trapped (also at instantiation)
        case limit  // a configured resource limit was hit
        case usage  // the embedder called the API wrongly (bad argument, wrong count or type)
        case exception  // a Wasm exception left the outermost call (see `exception`)
    }

    public var kind: Kind
    public var message: String
    /// Byte offset in the module binary, where one applies.
    public var offset: Int?
    /// Function index (in the function index space), where one applies.
    public var functionIndex: Int?
    /// For a trap: the Wasm functions it unwound through, innermost first, by name (from the
    /// `name` section) or as `func[N]`.
    public var backtrace: [String] = []
    /// For a trap: which one, so embedders can tell fuel exhaustion or an interrupt from a
    /// program error without reading the message.
    public var trap: Trap?
    /// For kind `.exception`: the exception, with its tag and payload.
    public var exception: Exception?

    public init(_ kind: Kind, _ message: String, offset: Int? = nil, functionIndex: Int? = nil) {
        self.kind = kind
        self.message = message
        self.offset = offset
        self.functionIndex = functionIndex
    }

    /// e.g. `function 3 at offset 0x1a4: type mismatch: expected i32, found f64`
    public var description: String {
        var prefix = ""
        if let f = functionIndex { prefix = "function \(f)" }
        if let o = offset {
            prefix += prefix.isEmpty ? "at offset 0x\(String(o, radix: 16))" : " at offset 0x\(String(o, radix: 16))"
        }
        return prefix.isEmpty ? message : "\(prefix): \(message)"
    }
}
