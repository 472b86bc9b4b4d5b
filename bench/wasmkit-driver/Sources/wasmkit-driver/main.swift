// Runs one benchmark workload on WasmKit and prints one JSON line:
//   {"load_ms": .., "exec_ms": .., "result": "..", "maxrss_kb": ..}
//
// usage: wasmkit-driver [--eager] FILE.wasm EXPORT [ARG...]   load, instantiate, call EXPORT once
//        wasmkit-driver [--eager] FILE.wasm                   load and instantiate only
//        wasmkit-driver --baseline                            nothing (the process's own footprint)
//
// load_ms is parse + validate + instantiate (and, with --eager, translation of every function
// to WasmKit's internal code; by default WasmKit translates a function on its first call, so
// that part lands in exec_ms, as it does for swvm). Arguments are converted by the export's
// parameter types; the result is printed as a signed decimal (floats as C's %.17g).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WasmKit

// Foundation is left out on purpose: it would add several MB to the process's footprint.

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) * 1e3 + Double(t.tv_nsec) / 1e6
}

func maxRSSKB() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss
}

func fail(_ message: String) -> Never {
    fputs(message + "\n", stderr)
    exit(1)
}

func parse(_ text: String, as type: ValueType) -> Value {
    switch type {
    case .i32:
        guard let v = Int64(text) else { fail("bad i32 argument \(text)") }
        return .i32(UInt32(truncatingIfNeeded: v))
    case .i64:
        guard let v = Int64(text) ?? UInt64(text).map({ Int64(bitPattern: $0) }) else { fail("bad i64 argument \(text)") }
        return .i64(UInt64(bitPattern: v))
    case .f32:
        guard let v = Float(text) else { fail("bad f32 argument \(text)") }
        return .f32(v.bitPattern)
    case .f64:
        guard let v = Double(text) else { fail("bad f64 argument \(text)") }
        return .f64(v.bitPattern)
    default:
        fail("unsupported parameter type \(type)")
    }
}

func cFormat(_ format: String, _ value: Double) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
    return String(cString: buffer)
}

func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&chunk, 1, chunk.count, file)
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
}

func render(_ value: Value) -> String {
    switch value {
    case .i32(let v): return String(Int32(bitPattern: v))
    case .i64(let v): return String(Int64(bitPattern: v))
    case .f32(let bits): return cFormat("%.9g", Double(Float(bitPattern: bits)))
    case .f64(let bits): return cFormat("%.17g", Double(bitPattern: bits))
    default: return "\(value)"
    }
}

var args = Array(CommandLine.arguments.dropFirst())
if args == ["--baseline"] {
    print("{\"load_ms\": 0, \"exec_ms\": 0, \"result\": \"\", \"maxrss_kb\": \(maxRSSKB())}")
    exit(0)
}
var eager = false
if args.first == "--eager" {
    eager = true
    args.removeFirst()
}
guard let path = args.first else { fail("usage: wasmkit-driver [--eager] FILE.wasm [EXPORT ARG...]") }
guard let bytes = readFile(path) else { fail("cannot read \(path)") }

let t0 = now()
let engine = Engine(configuration: EngineConfiguration(compilationMode: eager ? .eager : .lazy))
let store = Store(engine: engine)
let instance: Instance
do {
    let module = try parseWasm(bytes: bytes)
    instance = try module.instantiate(store: store)
} catch {
    fail("load: \(error)")
}
let loadMS = now() - t0

var execMS = 0.0
var result = ""
if args.count >= 2 {
    let name = args[1]
    guard let function = instance.exports[function: name] else { fail("no exported function \(name)") }
    let params = function.type.parameters
    let given = Array(args.dropFirst(2))
    guard params.count == given.count else { fail("\(name) takes \(params.count) argument(s)") }
    let values = zip(given, params).map { parse($0, as: $1) }
    let t1 = now()
    let results: [Value]
    do {
        results = try function.invoke(values)
    } catch {
        fail("trap: \(error)")
    }
    execMS = now() - t1
    result = results.map(render).joined(separator: " ")
}
print("{\"load_ms\": \(loadMS), \"exec_ms\": \(execMS), \"result\": \"\(result)\", \"maxrss_kb\": \(maxRSSKB())}")
