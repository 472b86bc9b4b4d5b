/// Why execution stopped abnormally. A one-byte error keeps `throws(Trap)` cheap on the hot
/// path: the check after each call is a register test, with no boxing.
public enum Trap: UInt8, Error, Sendable, CustomStringConvertible {
    case unreachable
    case integerDivideByZero
    case integerOverflow
    case invalidConversionToInteger
    case outOfBoundsMemoryAccess
    case outOfBoundsTableAccess
    case undefinedElement
    case uninitializedElement
    case indirectCallTypeMismatch
    case callStackExhausted
    case unsupported  // an operation the engine cannot execute (a valid module never raises it)
    case host  // raised by a host function; the message is kept by the store
    case fuelExhausted  // the store's fuel ran out (StoreConfig.consumeFuel)
    case interrupted  // InterruptHandle.interrupt() from another thread
    /// An exception in flight (Runtime/Exceptions.swift); the host sees it as a `WasmError`
    /// of kind `.exception` unless a try_table catches it.
    case exception
    case nullExceptionReference  // throw_ref of a null exnref
    case nullFunctionReference  // call_ref or return_call_ref of null
    case nullReference  // ref.as_non_null of null

    /// The spec's wording, which the spec suite's `assert_trap` commands match.
    public var description: String {
        switch self {
        case .unreachable: return "unreachable"
        case .integerDivideByZero: return "integer divide by zero"
        case .integerOverflow: return "integer overflow"
        case .invalidConversionToInteger: return "invalid conversion to integer"
        case .outOfBoundsMemoryAccess: return "out of bounds memory access"
        case .outOfBoundsTableAccess: return "out of bounds table access"
        case .undefinedElement: return "undefined element"
        case .uninitializedElement: return "uninitialized element"
        case .indirectCallTypeMismatch: return "indirect call type mismatch"
        case .callStackExhausted: return "call stack exhausted"
        case .unsupported: return "unsupported operation"
        case .host: return "host trap"
        case .fuelExhausted: return "fuel exhausted"
        case .interrupted: return "interrupted"
        case .exception: return "uncaught exception"
        case .nullExceptionReference: return "null exception reference"
        case .nullFunctionReference: return "null function reference"
        case .nullReference: return "null reference"
        }
    }
}
