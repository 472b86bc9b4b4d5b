// swvm: the command-line runner. Installed as `swvm` by CMake (the SwiftPM product is
// `swvm-cli` because SwiftPM product names must differ from the library's `swvm`).
import Glibc
import SwvmCore
import SwvmWASI

let usageText = """
usage: swvm [run] [OPTIONS] FILE.wasm [ARGS...]
       swvm validate FILE.wasm
       swvm --version | --help

  run                 Instantiate FILE.wasm with WASI (wasi_snapshot_preview1) and run its
                      `_start` with ARGS as the program's arguments (the default command).
  --invoke NAME       Call the export NAME instead, with ARGS converted to its parameter
                      types: i32/i64 as decimal (signed or unsigned) or 0x hex, f32/f64 as
                      decimal, `nan`, `inf` or `-inf`. Results are printed one per line.
                      A reactor's `_initialize` runs first if it exports one.
  --dir HOST[::GUEST] Pre-open the host directory HOST for the program, as GUEST (default:
                      HOST). Nothing outside pre-opened directories is reachable: `..`,
                      absolute paths and symlinks cannot leave them. Repeatable.
  --env KEY=VALUE     Set an environment variable for the program. Repeatable.
  --fuel N            Stop the program with the trap `fuel exhausted` after about N executed
                      instructions (loop iterations and calls are charged their body's size).
  --timeout SECONDS   Stop the program with the trap `interrupted` after SECONDS (a decimal)
                      of wall-clock time.
  --max-memory-pages N
                      Cap each linear memory at N 64 KiB pages: `memory.grow` beyond it
                      returns -1, as the program would see on a full machine.
  --                  End of options.
  validate            Decode and validate FILE.wasm; print `ok` or the error.

exit status: the program's exit code (proc_exit, or 0 when `_start` returns); 134 when it
traps or an exception escapes (the trap or the exception's tag and payload, and a Wasm backtrace,
are printed); 1 when loading, linking or the call fails;
2 for a usage error.
"""

func fail(_ message: String, status: Int32 = 1) -> Never {
    fputs("swvm: \(message)\n", stderr)
    exit(status)
}

func readFile(_ path: String) -> [UInt8] {
    guard let f = fopen(path, "rb") else { fail("cannot open \(path): \(String(cString: strerror(errno)))") }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n > 0 { bytes += buffer[0..<n] }
        if n < buffer.count { break }
    }
    if ferror(f) != 0 { fail("cannot read \(path)") }
    return bytes
}

func parse(_ text: String, as type: ValueType, position: Int) -> Value {
    func integer(bits: Int) -> UInt64? {
        let lower = text.lowercased()
        let negative = lower.hasPrefix("-")
        let body = negative ? String(lower.dropFirst()) : lower
        let magnitude: UInt64?
        if body.hasPrefix("0x") { magnitude = UInt64(body.dropFirst(2), radix: 16) } else { magnitude = UInt64(body) }
        guard let m = magnitude else { return nil }
        let limit: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        if negative {
            guard m <= (UInt64(1) << UInt64(bits - 1)) else { return nil }
            return (0 &- m) & limit
        }
        return m <= limit ? m : nil
    }
    func float() -> Double? {
        switch text.lowercased() {
        case "nan": return .nan
        case "inf", "+inf", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: return Double(text)
        }
    }
    switch type {
    case .i32: if let v = integer(bits: 32) { return .i32(UInt32(v)) }
    case .i64: if let v = integer(bits: 64) { return .i64(v) }
    case .f32: if let v = float() { return .float(Float(v)) }
    case .f64: if let v = float() { return .double(v) }
    case .v128:
        // 0x and up to 32 hex digits: a 128-bit integer whose bytes, little-endian, are the
        // vector's (as swvm prints a v128 result).
        let lower = text.lowercased()
        if lower.hasPrefix("0x"), lower.count > 2, lower.count <= 34 {
            let digits = String(lower.dropFirst(2))
            let split = max(0, digits.count - 16)
            if let lo = UInt64(String(digits.dropFirst(split)), radix: 16),
               let hi = split == 0 ? 0 : UInt64(String(digits.prefix(split)), radix: 16) {
                return .v128(lo, hi)
            }
        }
    default: fail("argument \(position + 1): \(type) parameters cannot be given on the command line", status: 2)
    }
    fail("argument \(position + 1): \"\(text)\" is not a valid \(type)", status: 2)
}

func show(_ v: Value) -> String {
    switch v {
    case .i32(let x): return String(Int32(bitPattern: x))
    case .i64(let x): return String(Int64(bitPattern: x))
    case .f32(let x): return String(Float(bitPattern: x))
    case .f64(let x): return String(Double(bitPattern: x))
    default: return v.description
    }
}

func load(_ path: String) -> Module {
    switch Result(catching: { () throws(WasmError) -> Module in try Module.load(readFile(path)) }) {
    case .success(let m): return m
    case .failure(let e): fail("\(path): \(e.kind): \(e)")
    }
}

var args = Array(CommandLine.arguments.dropFirst())
if args.isEmpty { fail("no command given\n\(usageText)", status: 2) }
switch args.first {
case "-h", "--help", "help":
    print(usageText)
    exit(0)
case "--version", "version":
    print("swvm 0.1.0")
    exit(0)
case "validate":
    guard args.count == 2 else { fail("validate takes one file\n\(usageText)", status: 2) }
    _ = load(args[1])
    print("ok")
    exit(0)
case "run":
    args.removeFirst()
default:
    break
}

var invoke: String?
var config = WASI.Configuration()
var storeConfig = StoreConfig()
var fuel: UInt64?
var timeout: Double?

func number<T: LosslessStringConvertible>(_ option: String, as: T.Type) -> T {
    guard let text = args.first, let v = T(text) else { fail("\(option) needs a number", status: 2) }
    args.removeFirst()
    return v
}
parsing: while let first = args.first, first.hasPrefix("--") {
    args.removeFirst()
    switch first {
    case "--":
        break parsing
    case "--invoke":
        guard !args.isEmpty else { fail("--invoke needs a function name", status: 2) }
        invoke = args.removeFirst()
    case "--dir":
        guard !args.isEmpty else { fail("--dir needs a directory", status: 2) }
        let spec = args.removeFirst()
        if let sep = spec.firstRange(of: "::") {
            config.preopens.append((String(spec[..<sep.lowerBound]), String(spec[sep.upperBound...])))
        } else {
            config.preopens.append((spec, spec))
        }
    case "--env":
        guard let kv = args.first, kv.contains("=") else { fail("--env needs KEY=VALUE", status: 2) }
        args.removeFirst()
        config.environment.append(kv)
    case "--fuel":
        fuel = number(first, as: UInt64.self)
        storeConfig.consumeFuel = true
    case "--timeout":
        let t = number(first, as: Double.self)
        guard t > 0, t < 1e9 else { fail("--timeout needs a positive number of seconds", status: 2) }
        timeout = t
    case "--max-memory-pages":
        let pages = number(first, as: UInt64.self)
        guard pages <= 65536 else { fail("--max-memory-pages is at most 65536 (4 GiB)", status: 2) }
        storeConfig.maxMemoryPages = pages
    default:
        fail("unknown option \(first)\n\(usageText)", status: 2)
    }
}
guard let path = args.first else { fail("no module file given\n\(usageText)", status: 2) }
let programArgs = Array(args.dropFirst())
let module = load(path)
let store = Store(config: storeConfig)
if let fuel { try! store.setFuel(fuel) }
if let timeout { startWatchdog(store.interruptHandle, after: timeout) }
let linker = Linker(store: store)
config.arguments = [String(path.split(separator: "/").last ?? Substring(path))] + (invoke == nil ? programArgs : [])
let wasi: WASI
switch Result(catching: { () throws(WasmError) -> WASI in try WASI(config) }) {
case .success(let w): wasi = w
case .failure(let e): fail(e.message, status: 2)
}
wasi.define(in: linker)
let instance: Instance
switch Result(catching: { () throws(WasmError) -> Instance in try linker.instantiate(module) }) {
case .success(let i): instance = i
case .failure(let e): fail("\(path): \(e.kind): \(e)")
}

/// Interrupts the store's running call once `seconds` have passed.
func startWatchdog(_ handle: InterruptHandle, after seconds: Double) {
    final class Job { let handle: InterruptHandle; let seconds: Double
        init(_ h: InterruptHandle, _ s: Double) { handle = h; seconds = s } }
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { p in
        let job = Unmanaged<Job>.fromOpaque(p!).takeRetainedValue()
        var t = timespec(tv_sec: Int(job.seconds), tv_nsec: Int((job.seconds - job.seconds.rounded(.down)) * 1e9))
        var rest = timespec()
        while nanosleep(&t, &rest) != 0 && errno == EINTR { t = rest }
        job.handle.interrupt()
        return nil
    }, Unmanaged.passRetained(Job(handle, seconds)).toOpaque())
    if rc != 0 { fail("cannot start the timeout thread") }
    pthread_detach(thread)
}

/// Runs a call; a trap prints its message and backtrace and ends the process (unless it is
/// the program's proc_exit, which ends it with the program's code).
func run(_ function: Function, _ values: [Value]) -> [Value] {
    switch Result(catching: { () throws(WasmError) -> [Value] in try function.call(values) }) {
    case .success(let results): return results
    case .failure(let e):
        if let code = wasi.exitCode { exit(code) }
        if e.kind != .trap && e.kind != .exception { fail("\(function.displayName): \(e.message)") }
        var report = "swvm: trap: \(e.message)\n"
        if e.kind == .exception, let exn = e.exception {
            // Named by the module's export of its tag, if it has one.
            let tagName = instance.exports.first { if case .tag(let t) = $0.extern { return t === exn.tag } else { return false } }?.name
            report = "swvm: uncaught exception: tag \(tagName.map { "\"\($0)\"" } ?? "(not exported)")"
            report += " payload (\(exn.payload.map(show).joined(separator: ", ")))\n"
        }
        report += "wasm backtrace:\n"
        for (i, name) in e.backtrace.enumerated() { report += "  \(i): \(name)\n" }
        fputs(report, stderr)
        exit(134)
    }
}

func exported(_ name: String) -> Function {
    guard let function = instance.function(name) else {
        let names = instance.exports.compactMap { e -> String? in
            if case .function = e.extern { return e.name } else { return nil }
        }
        fail("\(path) exports no function \"\(name)\"; it exports: \(names.isEmpty ? "(none)" : names.joined(separator: ", "))")
    }
    return function
}

if let name = invoke {
    if let initialize = instance.function("_initialize") { _ = run(initialize, []) }
    let function = exported(name)
    let params = function.type.params
    guard programArgs.count == params.count else {
        fail("\(name) takes \(params.count) argument(s) \(function.type), got \(programArgs.count)", status: 2)
    }
    let values = zip(programArgs, params).enumerated().map { parse($0.element.0, as: $0.element.1, position: $0.offset) }
    for r in run(function, values) { print(show(r)) }
} else {
    let start = exported("_start")
    _ = run(start, [])
    exit(wasi.exitCode ?? 0)
}
