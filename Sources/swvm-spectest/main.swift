// swvm-spectest: runs the official WebAssembly spec suite, converted by WABT's wast2json,
// against swvm. Prints one line per file and a closing `N passed, N failed, N skipped` line.
import Foundation
import SwvmCore

struct Options {
    var paths: [String] = []
    var verbose = false
    var minPassed: Int?
    var maxFailed: Int?
}

func parseOptions() -> Options {
    var o = Options()
    var args = CommandLine.arguments.dropFirst()
    while let a = args.popFirst() {
        switch a {
        case "-v", "--verbose": o.verbose = true
        case "--min-passed": o.minPassed = args.popFirst().flatMap { Int($0) }
        case "--max-failed": o.maxFailed = args.popFirst().flatMap { Int($0) }
        case "-h", "--help":
            print("""
            usage: swvm-spectest [--verbose] [--min-passed N] [--max-failed N] PATH...
              PATH  a .json file written by wast2json, or a directory searched recursively.
            Runs every command of every file; prints one line per file and a closing
            `N passed, N failed, N skipped` line. Exits non-zero when a command failed, or when
            fewer than --min-passed passed / more than --max-failed failed.
            Text-format assert_malformed modules are counted as skipped.
            """)
            exit(0)
        default: o.paths.append(a)
        }
    }
    return o
}

struct Counts {
    var passed = 0, failed = 0, skipped = 0
    mutating func add(_ o: Counts) {
        passed += o.passed
        failed += o.failed
        skipped += o.skipped
    }
}

enum Outcome {
    case pass
    case fail(String)
    case skip(String)
}

/// What a command expects of one result value.
enum Expected {
    case bits(ValueType, UInt64)
    case canonicalNaN(ValueType)
    case arithmeticNaN(ValueType)
    case v128(lanes: String, [String])
    case refNull(ValueType)
    case refExtern(UInt64)
    case refFunc
    case either([Expected])
}

struct Skip: Error { let reason: String }
struct Failure: Error { let message: String }

final class FileRunner {
    let directory: URL
    let verbose: Bool
    let store = Store()
    let linker: Linker
    var instances: [String: Instance] = [:]
    var current: Instance?
    var counts = Counts()
    let fileName: String

    init(file: URL, verbose: Bool) throws {
        directory = file.deletingLastPathComponent()
        fileName = file.lastPathComponent
        self.verbose = verbose
        linker = Linker(store: store)
        try defineSpectest()
    }

    func defineSpectest() throws {
        let m = "spectest"
        for (name, params) in [("print", []), ("print_i32", [ValueType.i32]), ("print_i64", [.i64]), ("print_f32", [.f32]),
                               ("print_f64", [.f64]), ("print_i32_f32", [.i32, .f32]), ("print_f64_f64", [.f64, .f64])] {
            let verbose = self.verbose
            linker.defineFunction(module: m, name: name, type: FuncType(params: params, results: [])) { _, args in
                if verbose { print("  spectest.\(name)(\(args.map(\.description).joined(separator: ", ")))") }
                return []
            }
        }
        linker.define(module: m, name: "global_i32", .global(try store.makeGlobal(GlobalType(valueType: .i32, mutable: false), value: .i32(666))))
        linker.define(module: m, name: "global_i64", .global(try store.makeGlobal(GlobalType(valueType: .i64, mutable: false), value: .i64(666))))
        linker.define(module: m, name: "global_f32", .global(try store.makeGlobal(GlobalType(valueType: .f32, mutable: false), value: .float(666.6))))
        linker.define(module: m, name: "global_f64", .global(try store.makeGlobal(GlobalType(valueType: .f64, mutable: false), value: .double(666.6))))
        linker.define(module: m, name: "table", .table(try store.makeTable(TableType(elementType: .funcref, limits: Limits(min: 10, max: 20)))))
        linker.define(module: m, name: "memory", .memory(try store.makeMemory(MemoryType(limits: Limits(min: 1, max: 2)))))
    }

    func load(_ file: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file).path) else {
            throw Failure(message: "cannot read \(file)")
        }
        return [UInt8](data)
    }

    func run(_ commands: [[String: Any]]) {
        for cmd in commands {
            let type = cmd["type"] as? String ?? "?"
            let line = cmd["line"] as? Int ?? 0
            let outcome: Outcome
            do {
                try execute(type, cmd)
                outcome = .pass
            } catch let s as Skip {
                outcome = .skip(s.reason)
            } catch let f as Failure {
                outcome = .fail(f.message)
            } catch {
                outcome = .fail("\(error)")
            }
            switch outcome {
            case .pass: counts.passed += 1
            case .fail(let why):
                counts.failed += 1
                if verbose { print("  FAIL \(fileName):\(line) \(type): \(why)") }
            case .skip(let why):
                counts.skipped += 1
                if verbose { print("  skip \(fileName):\(line) \(type): \(why)") }
            }
        }
    }

    func execute(_ type: String, _ cmd: [String: Any]) throws {
        switch type {
        case "module":
            let module = try loadModule(cmd)
            let instance: Instance
            switch Result(catching: { () throws(WasmError) -> Instance in try linker.instantiate(module) }) {
            case .success(let i): instance = i
            case .failure(let e): throw Failure(message: "module failed to instantiate: \(e)")
            }
            current = instance
            if let name = cmd["name"] as? String { instances[name] = instance }
        case "register":
            guard let instance = try instance(named: cmd["name"] as? String) else { throw Failure(message: "no module to register") }
            linker.register(cmd["as"] as! String, instance: instance)
        case "action":
            _ = try perform(cmd["action"] as! [String: Any])
        case "assert_return":
            let results = try perform(cmd["action"] as! [String: Any])
            let expected = try (cmd["expected"] as! [[String: Any]]).map(parseExpected)
            guard results.count == expected.count else {
                throw Failure(message: "expected \(expected.count) results, got \(results.count)")
            }
            for (r, e) in zip(results, expected) where !matches(r, e) {
                throw Failure(message: "expected \(e), got \(r)")
            }
        case "assert_trap", "assert_exhaustion":
            let text = cmd["text"] as? String ?? ""
            if let action = cmd["action"] as? [String: Any] {
                let r: [Value]
                do {
                    r = try perform(action)
                } catch {
                    guard let e = error as? WasmError, e.kind == .trap else { throw error }
                    guard e.message.contains(text) else { throw Failure(message: "expected trap \"\(text)\", got \"\(e.message)\"") }
                    return
                }
                throw Failure(message: "expected trap \"\(text)\", got \(r)")
            } else {
                try expectInstantiationFailure(cmd, kind: .trap)
            }
        case "assert_malformed", "assert_invalid":
            if cmd["module_type"] as? String == "text" { throw Skip(reason: "text module (no text parser)") }
            let wanted: WasmError.Kind = type == "assert_malformed" ? .malformed : .invalid
            let bytes = try load(cmd["filename"] as! String)
            switch Result(catching: { () throws(WasmError) -> Module in try Module.load(bytes) }) {
            case .success:
                throw Failure(message: "module loaded; expected \(wanted): \(cmd["text"] as? String ?? "")")
            case .failure(let e):
                if e.kind != wanted && verbose {
                    print("  note \(fileName):\(cmd["line"] ?? 0): expected \(wanted) \"\(cmd["text"] ?? "")\", got \(e.kind): \(e)")
                }
            }
        case "assert_unlinkable":
            try expectInstantiationFailure(cmd, kind: .link)
        case "assert_uninstantiable":
            try expectInstantiationFailure(cmd, kind: .trap)
        default:
            throw Skip(reason: "unknown command \(type)")
        }
    }

    func loadModule(_ cmd: [String: Any]) throws -> Module {
        let bytes = try load(cmd["filename"] as! String)
        switch Result(catching: { () throws(WasmError) -> Module in try Module.load(bytes) }) {
        case .success(let m): return m
        case .failure(let e): throw Failure(message: "module failed to load: \(e)")
        }
    }

    func expectInstantiationFailure(_ cmd: [String: Any], kind: WasmError.Kind) throws {
        let module = try loadModule(cmd)
        switch Result(catching: { () throws(WasmError) -> Instance in try linker.instantiate(module) }) {
        case .success:
            throw Failure(message: "instantiation succeeded; expected \(kind) \"\(cmd["text"] as? String ?? "")\"")
        case .failure(let e):
            guard e.kind == kind else { throw Failure(message: "expected \(kind), got \(e.kind): \(e)") }
        }
    }

    func instance(named name: String?) throws -> Instance? {
        guard let name else { return current }
        guard let i = instances[name] else { throw Failure(message: "unknown module \(name)") }
        return i
    }

    func perform(_ action: [String: Any]) throws -> [Value] {
        guard let instance = try instance(named: action["module"] as? String) else { throw Failure(message: "no current module") }
        let field = action["field"] as! String
        switch action["type"] as! String {
        case "invoke":
            guard let f = instance.function(field) else { throw Failure(message: "no exported function \(field)") }
            let args = try (action["args"] as? [[String: Any]] ?? []).map(parseValue)
            switch Result(catching: { () throws(WasmError) -> [Value] in try f.call(args) }) {
            case .success(let r): return r
            case .failure(let e):
                throw e
            }
        case "get":
            guard let g = instance.global(field) else { throw Failure(message: "no exported global \(field)") }
            return [g.value]
        default:
            throw Skip(reason: "unknown action")
        }
    }

    func parseValue(_ v: [String: Any]) throws -> Value {
        let type = v["type"] as! String
        let text = v["value"] as? String
        switch type {
        case "i32": return .i32(UInt32(text!)!)
        case "i64": return .i64(UInt64(text!)!)
        case "f32": return .f32(UInt32(text!)!)
        case "f64": return .f64(UInt64(text!)!)
        case "externref": return .externref(text == "null" ? nil : UInt64(text!)!)
        case "funcref": return .funcref(nil)
        case "v128": return try v128Value(v)
        default: throw Skip(reason: "\(type) argument")
        }
    }

    /// A v128 argument: WABT writes its lanes as decimal strings with a lane type.
    func v128Value(_ v: [String: Any]) throws -> Value {
        guard let lanes = v["lane_type"] as? String, let values = v["value"] as? [String] else {
            throw Failure(message: "malformed v128 value \(v)")
        }
        let bits: Int
        switch lanes {
        case "i8": bits = 8
        case "i16": bits = 16
        case "i32", "f32": bits = 32
        case "i64", "f64": bits = 64
        default: throw Failure(message: "unknown v128 lane type \(lanes)")
        }
        guard values.count == 128 / bits else { throw Failure(message: "v128 with \(values.count) \(lanes) lanes") }
        var words: [UInt64] = [0, 0]
        for (i, text) in values.enumerated() {
            guard let lane = UInt64(text) ?? Int64(text).map({ UInt64(bitPattern: $0) }) else {
                throw Failure(message: "bad v128 lane \(text)")
            }
            let mask: UInt64 = bits == 64 ? ~0 : (1 << UInt64(bits)) - 1
            let offset = i * bits
            words[offset / 64] |= (lane & mask) << UInt64(offset % 64)
        }
        return .v128(words[0], words[1])
    }

    func parseExpected(_ v: [String: Any]) throws -> Expected {
        let type = v["type"] as! String
        if type == "either" {
            return .either(try (v["values"] as! [[String: Any]]).map(parseExpected))
        }
        if type == "v128" { return .v128(lanes: v["lane_type"] as! String, v["value"] as! [String]) }
        let text = v["value"] as? String
        switch type {
        case "i32": return .bits(.i32, UInt64(UInt32(text!)!))
        case "i64": return .bits(.i64, UInt64(text!)!)
        case "f32", "f64":
            let t: ValueType = type == "f32" ? .f32 : .f64
            if text == "nan:canonical" { return .canonicalNaN(t) }
            if text == "nan:arithmetic" { return .arithmeticNaN(t) }
            return .bits(t, UInt64(text!)!)
        case "externref":
            return text == "null" ? .refNull(.externref) : .refExtern(UInt64(text!)!)
        case "funcref":
            return text == "null" ? .refNull(.funcref) : .refFunc
        default: throw Skip(reason: "\(type) result")
        }
    }

    func matches(_ r: Value, _ e: Expected) -> Bool {
        switch (e, r) {
        case (.either(let options), _): return options.contains { matches(r, $0) }
        case (.bits(.i32, let b), .i32(let v)): return UInt64(v) == b
        case (.bits(.i64, let b), .i64(let v)): return v == b
        case (.bits(.f32, let b), .f32(let v)): return UInt64(v) == b
        case (.bits(.f64, let b), .f64(let v)): return v == b
        case (.canonicalNaN(.f32), .f32(let v)): return v & 0x7FFF_FFFF == 0x7FC0_0000
        case (.canonicalNaN(.f64), .f64(let v)): return v & 0x7FFF_FFFF_FFFF_FFFF == 0x7FF8_0000_0000_0000
        case (.arithmeticNaN(.f32), .f32(let v)): return v & 0x7FC0_0000 == 0x7FC0_0000
        case (.arithmeticNaN(.f64), .f64(let v)): return v & 0x7FF8_0000_0000_0000 == 0x7FF8_0000_0000_0000
        case (.refNull(.funcref), .funcref(let f)): return f == nil
        case (.refNull(.externref), .externref(let x)): return x == nil
        case (.refExtern(let n), .externref(let x)): return x == n
        case (.refFunc, .funcref(let f)): return f != nil
        case (.v128(let lanes, let values), .v128(let lo, let hi)): return v128Matches(lo, hi, lanes, values)
        default: return false
        }
    }

    func v128Matches(_ lo: UInt64, _ hi: UInt64, _ lanes: String, _ values: [String]) -> Bool {
        let bits: Int
        switch lanes {
        case "i8": bits = 8
        case "i16": bits = 16
        case "i32", "f32": bits = 32
        default: bits = 64
        }
        let count = 128 / bits
        guard values.count == count else { return false }
        for i in 0..<count {
            let offset = i * bits
            let word = offset < 64 ? lo : hi
            let shifted = word >> UInt64(offset % 64)
            let lane = bits == 64 ? shifted : shifted & ((1 << UInt64(bits)) - 1)
            let expected: Expected
            if lanes == "f32" || lanes == "f64" {
                let t: ValueType = lanes == "f32" ? .f32 : .f64
                if values[i] == "nan:canonical" { expected = .canonicalNaN(t) }
                else if values[i] == "nan:arithmetic" { expected = .arithmeticNaN(t) }
                else { expected = .bits(t, UInt64(values[i])!) }
                let value: Value = t == .f32 ? .f32(UInt32(lane)) : .f64(lane)
                if !matches(value, expected) { return false }
            } else {
                // Integer lanes may be written signed or unsigned.
                let want = UInt64(values[i]) ?? UInt64(bitPattern: Int64(values[i]) ?? 0)
                let mask: UInt64 = bits == 64 ? ~0 : (1 << UInt64(bits)) - 1
                if lane != want & mask { return false }
            }
        }
        return true
    }
}

func jsonFiles(_ paths: [String]) -> [URL] {
    var out: [URL] = []
    for p in paths {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
            FileHandle.standardError.write("swvm-spectest: no such file: \(p)\n".data(using: .utf8)!)
            exit(2)
        }
        if isDir.boolValue {
            let e = FileManager.default.enumerator(atPath: p)
            var found: [URL] = []
            while let f = e?.nextObject() as? String {
                if f.hasSuffix(".json") { found.append(URL(fileURLWithPath: p).appendingPathComponent(f)) }
            }
            out += found.sorted { $0.path < $1.path }
        } else {
            out.append(URL(fileURLWithPath: p))
        }
    }
    return out
}

/// Foundation's JSON parser drops a raw U+FEFF inside a string (names.wast exports one); the
/// escaped form survives, and means the same in JSON.
func escapeByteOrderMarks(_ data: Data) -> Data {
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    let bytes = [UInt8](data)
    guard bytes.count >= 3 else { return data }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = 0
    while i < bytes.count {
        if i + 3 <= bytes.count && Array(bytes[i..<(i + 3)]) == bom {
            out += Array("\\ufeff".utf8)
            i += 3
        } else {
            out.append(bytes[i])
            i += 1
        }
    }
    return Data(out)
}

let options = parseOptions()
if options.paths.isEmpty {
    FileHandle.standardError.write("usage: swvm-spectest [--verbose] PATH... (see --help)\n".data(using: .utf8)!)
    exit(2)
}
var total = Counts()
for file in jsonFiles(options.paths) {
    guard let data = FileManager.default.contents(atPath: file.path).map(escapeByteOrderMarks),
          let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let commands = json["commands"] as? [[String: Any]]
    else {
        print("\(file.lastPathComponent): unreadable JSON")
        total.failed += 1
        continue
    }
    do {
        let runner = try FileRunner(file: file, verbose: options.verbose)
        runner.run(commands)
        let c = runner.counts
        let rel = file.path.hasPrefix(options.paths[0]) ? String(file.path.dropFirst(options.paths[0].count)).trimmingCharacters(in: CharacterSet(charactersIn: "/")) : file.lastPathComponent
        print("\(rel.isEmpty ? file.lastPathComponent : rel): \(c.passed) passed, \(c.failed) failed, \(c.skipped) skipped")
        total.add(c)
    } catch {
        print("\(file.lastPathComponent): setup failed: \(error)")
        total.failed += 1
    }
}
print("\(total.passed) passed, \(total.failed) failed, \(total.skipped) skipped")
var ok = total.failed == 0
if let min = options.minPassed, total.passed < min {
    print("regression: \(total.passed) passed, fewer than the baseline \(min)")
    ok = false
}
if let max = options.maxFailed {
    ok = total.failed <= max
    if !ok { print("regression: \(total.failed) failed, more than the baseline \(max)") }
}
exit(ok ? 0 : 1)
