// swvm-spectest: runs the official WebAssembly spec suite against swvm, from the JSON that
// WABT's `wast2json` or `wasm-tools json-from-wast` writes. Prints one line per file, a line per
// folder and a closing `N passed, N failed, N skipped` line.
//
// It must never crash on input it does not expect: a command it cannot read, or that needs
// something swvm does not implement, is counted as failed, with the file, line and reason.
// Only two things are skipped, each counted on its own: text-format modules (swvm has no
// text parser) and modules or values of GC heap types (GC is not implemented); commands that
// need a skipped module (its instance, its registered exports) are skipped with it.
import Foundation
import SwvmCore

struct Options {
    var paths: [String] = []
    var excluded: [String] = []
    var verbose = false
    var features = Features.all
    var shownFailures = 5
    var minPassed: Int?
    var maxFailed: Int?
}

func parseOptions() -> Options {
    var o = Options()
    var args = CommandLine.arguments.dropFirst()
    func number(_ flag: String) -> Int {
        guard let s = args.popFirst(), let n = Int(s) else {
            FileHandle.standardError.write("swvm-spectest: \(flag) needs a number\n".data(using: .utf8)!)
            exit(2)
        }
        return n
    }
    while let a = args.popFirst() {
        switch a {
        case "-v", "--verbose": o.verbose = true
        case "--wasm2": o.features = .wasm2
        case "--min-passed": o.minPassed = number(a)
        case "--max-failed": o.maxFailed = number(a)
        case "--show-failures": o.shownFailures = number(a)
        case "--exclude":
            guard let d = args.popFirst() else {
                FileHandle.standardError.write("swvm-spectest: --exclude needs a folder\n".data(using: .utf8)!)
                exit(2)
            }
            o.excluded.append(d.trimmingCharacters(in: CharacterSet(charactersIn: "/")))
        case "-h", "--help":
            print("""
            usage: swvm-spectest [--verbose] [--wasm2] [--exclude DIR]... [--show-failures N]
                                 [--min-passed N] [--max-failed N] PATH...
              PATH  a .json file written by wast2json or `wasm-tools json-from-wast`, or a
                    directory searched recursively (DIR: a folder under it to leave out).
            Runs every command of every file; prints one line per file, per folder and a
            closing `N passed, N failed, N skipped` line. Failures are listed with file and
            line (the first N per file, default 5; all with --verbose). Exits non-zero when a
            command failed, or when fewer than --min-passed passed / more than --max-failed
            failed. Skipped, and counted by reason: text-format modules, values of GC heap
            types. Everything else that cannot run counts as failed.
            --wasm2 loads modules as Wasm 2.0 (no later proposals), for the 2.0 suite, which
            checks encodings that Wasm 3.0 gives a meaning (memory indices, 64-bit limits).
            """)
            exit(0)
        default: o.paths.append(a)
        }
    }
    return o
}

/// Why a command was skipped: the only two reasons there are.
enum SkipReason: String, CaseIterable {
    case text = "text-format module"
    case gc = "GC heap type"
}

struct Counts {
    var passed = 0, failed = 0
    var skipped: [SkipReason: Int] = [:]
    var skippedTotal: Int { skipped.values.reduce(0, +) }
    mutating func add(_ o: Counts) {
        passed += o.passed
        failed += o.failed
        skipped.merge(o.skipped, uniquingKeysWith: +)
    }
    var line: String { "\(passed) passed, \(failed) failed, \(skippedTotal) skipped" }
    var skipDetail: String {
        SkipReason.allCases.compactMap { r in skipped[r].map { "\($0) \(r.rawValue)" } }.joined(separator: ", ")
    }
}

/// What a command expects of one result value.
indirect enum Expected: CustomStringConvertible {
    case bits(ValueType, UInt64)
    case canonicalNaN(ValueType)
    case arithmeticNaN(ValueType)
    case v128(lanes: String, [String])
    case refNull(ValueType?)  // nil: a null reference of any type
    case refExtern(UInt64?)  // nil: any non-null host reference
    case refFunc
    case either([Expected])

    var description: String {
        switch self {
        case .bits(let t, let b): return "\(t):\(t == .i32 ? Int64(Int32(truncatingIfNeeded: b)) : Int64(bitPattern: b))"
        case .canonicalNaN(let t): return "\(t):nan:canonical"
        case .arithmeticNaN(let t): return "\(t):nan:arithmetic"
        case .v128(let lanes, let values): return "v128:\(lanes)[\(values.joined(separator: " "))]"
        case .refNull(let t): return "\(t.map { "\($0)" } ?? "ref"):null"
        case .refExtern(let n): return n.map { "externref:\($0)" } ?? "externref"
        case .refFunc: return "funcref"
        case .either(let options): return "either(\(options.map(\.description).joined(separator: ", ")))"
        }
    }
}

struct Skip: Error { let reason: SkipReason; let detail: String }
struct Failure: Error { let message: String }

/// Reading a JSON command without force-unwrapping: a missing or mistyped field is a Failure.
extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) throws -> String {
        guard let s = self[key] as? String else { throw Failure(message: "field \"\(key)\" missing or not a string") }
        return s
    }
    func object(_ key: String) throws -> [String: Any] {
        guard let o = self[key] as? [String: Any] else { throw Failure(message: "field \"\(key)\" missing or not an object") }
        return o
    }
    func objects(_ key: String) throws -> [[String: Any]] {
        guard let a = self[key] as? [[String: Any]] else { throw Failure(message: "field \"\(key)\" missing or not an array of objects") }
        return a
    }
}

/// An integer as the converters write them: unsigned or signed decimal (wasm-tools writes i32
/// -1 as "-1", WABT as "4294967295"), or hexadecimal; the result is the `bits`-wide pattern.
func parseBits(_ text: String, bits: Int, what: String) throws -> UInt64 {
    let mask: UInt64 = bits == 64 ? ~0 : (1 << UInt64(bits)) - 1
    var value: UInt64?
    if text.hasPrefix("0x") || text.hasPrefix("0X") {
        value = UInt64(text.dropFirst(2), radix: 16)
    } else if text.hasPrefix("-") {
        if let s = Int64(text), bits == 64 || s >= -(Int64(1) << Int64(bits - 1)) { value = UInt64(bitPattern: s) & mask }
    } else if let u = UInt64(text), u <= mask {
        value = u
    }
    guard let v = value, v & ~mask == 0 || text.hasPrefix("-") else {
        throw Failure(message: "\(what) \"\(text)\" is not a \(bits)-bit integer")
    }
    return v & mask
}

/// Reference types named by their heap type in wasm-tools' JSON that belong to GC.
let gcReferenceTypes: Set<String> = ["anyref", "eqref", "i31ref", "structref", "arrayref", "nullref",
                                     "ref.any", "ref.eq", "ref.i31", "ref.struct", "ref.array"]

final class FileRunner {
    let directory: URL
    let verbose: Bool
    let shownFailures: Int
    let features: Features
    let store = Store()
    let linker: Linker
    var instances: [String: Instance] = [:]
    var definitions: [String: Module] = [:]
    var lastDefinition: Module?
    var current: Instance?
    /// The line of the last module command, while it has not instantiated.
    var failedModuleLine: Int?
    /// Why the last module command was skipped, while no module followed it; skipped named
    /// modules and definitions, and the names skipped modules were registered under.
    var skippedModule: (line: Int, skip: Skip)?
    var skippedNames: [String: Skip] = [:]
    var skippedRegistrations: [String: Skip] = [:]
    var counts = Counts()
    var hiddenFailures = 0
    let fileName: String

    init(file: URL, displayName: String, verbose: Bool, shownFailures: Int, features: Features) throws {
        self.features = features
        directory = file.deletingLastPathComponent()
        fileName = displayName
        self.verbose = verbose
        self.shownFailures = shownFailures
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
        if features.contains(.memory64) {
            linker.define(module: m, name: "table64", .table(try store.makeTable(TableType(elementType: .funcref, limits: Limits(min: 10, max: 20), is64: true))))
        }
    }

    /// The bytes of a command's module; text-format modules are skipped (no text parser).
    func moduleBytes(_ cmd: [String: Any]) throws -> [UInt8] {
        let file = try cmd.string("filename")
        if cmd["module_type"] as? String == "text" || file.hasSuffix(".wat") {
            throw Skip(reason: .text, detail: file)
        }
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file).path) else {
            throw Failure(message: "cannot read \(file)")
        }
        return [UInt8](data)
    }

    func run(_ commands: [Any]) {
        for (index, element) in commands.enumerated() {
            guard let cmd = element as? [String: Any] else {
                counts.failed += 1
                print("  FAIL \(fileName): command \(index) is not a JSON object")
                continue
            }
            let type = cmd["type"] as? String ?? "?"
            let line = cmd["line"] as? Int ?? 0
            do {
                try execute(type, cmd)
                counts.passed += 1
            } catch let s as Skip {
                counts.skipped[s.reason, default: 0] += 1
                if verbose { print("  skip \(fileName):\(line) \(type): \(s.reason.rawValue): \(s.detail)") }
            } catch {
                counts.failed += 1
                let why = (error as? Failure)?.message ?? "\(error)"
                if verbose || counts.failed <= shownFailures {
                    print("  FAIL \(fileName):\(line) \(type): \(why)")
                } else {
                    hiddenFailures += 1
                }
            }
        }
        if hiddenFailures > 0 { print("  ... \(hiddenFailures) more failure(s) in \(fileName) (--verbose lists all)") }
    }

    func instantiate(_ module: Module) throws -> Instance {
        try checkImportsNotSkipped(module)
        switch Result(catching: { () throws(WasmError) -> Instance in try linker.instantiate(module) }) {
        case .success(let i): return i
        case .failure(let e):
            throw Failure(message: "module failed to instantiate: \(e)")
        }
    }

    func execute(_ type: String, _ cmd: [String: Any]) throws {
        switch type {
        case "module":
            // Until this one instantiates, later commands must not run against the one before.
            current = nil
            failedModuleLine = cmd["line"] as? Int
            skippedModule = nil
            let name = cmd["name"] as? String
            let instance: Instance
            do {
                instance = try instantiate(try loadModule(cmd))
            } catch let s as Skip {
                skippedModule = (failedModuleLine ?? 0, s)
                if let name { skippedNames[name] = s }
                throw s
            }
            current = instance
            failedModuleLine = nil
            if let name { instances[name] = instance; skippedNames[name] = nil }
        case "module_definition":
            // wasm-tools: `(module definition $M ...)`, instantiated later by module_instance.
            let name = cmd["name"] as? String
            let module: Module
            do {
                module = try loadModule(cmd)
            } catch let s as Skip {
                lastDefinition = nil
                skippedModule = (cmd["line"] as? Int ?? 0, s)
                if let name { skippedNames["definition " + name] = s }
                throw s
            }
            lastDefinition = module
            skippedModule = nil
            if let name { definitions[name] = module }
        case "module_instance":
            let module: Module
            if let name = cmd["module"] as? String {
                if let s = skippedNames["definition " + name] {
                    if let i = cmd["instance"] as? String { skippedNames[i] = s }
                    throw Skip(reason: s.reason, detail: "instance of definition \(name), skipped")
                }
                guard let m = definitions[name] else { throw Failure(message: "unknown module definition \(name)") }
                module = m
            } else {
                guard let m = lastDefinition else {
                    if let (line, s) = skippedModule { throw Skip(reason: s.reason, detail: "instance of the definition at line \(line), skipped") }
                    throw Failure(message: "no module definition to instantiate")
                }
                module = m
            }
            current = nil
            failedModuleLine = cmd["line"] as? Int
            let instance = try instantiate(module)
            current = instance
            failedModuleLine = nil
            if let name = cmd["instance"] as? String { instances[name] = instance }
        case "register":
            let instance: Instance?
            do {
                instance = try self.instance(named: cmd["name"] as? String)
            } catch let s as Skip {
                if let name = cmd["as"] as? String { skippedRegistrations[name] = s }
                throw s
            }
            guard let instance else { throw Failure(message: "no module to register") }
            linker.register(try cmd.string("as"), instance: instance)
        case "action":
            _ = try perform(try cmd.object("action"))
        case "assert_return":
            let action = try cmd.object("action")
            let expected = try cmd.objects("expected").map(parseExpected)
            let results = try perform(action)
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
        case "assert_exception":
            let action = try cmd.object("action")
            let r: [Value]
            do {
                r = try perform(action)
            } catch {
                guard let e = error as? WasmError, isUncaughtException(e) else { throw error }
                return
            }
            throw Failure(message: "expected an uncaught exception, got \(r)")
        case "assert_malformed", "assert_invalid":
            let wanted: WasmError.Kind = type == "assert_malformed" ? .malformed : .invalid
            let bytes = try moduleBytes(cmd)
            switch Result(catching: { () throws(WasmError) -> Module in try Module.load(bytes, features: features) }) {
            case .success:
                throw Failure(message: "module loaded; expected \(wanted): \(cmd["text"] as? String ?? "")")
            case .failure(let e):
                // Rejected for using GC, not for the reason the command checks: not a pass.
                if e.message.contains("unsupported: GC") { throw Skip(reason: .gc, detail: "module uses GC: \(e.message)") }
                if e.kind != wanted && verbose {
                    print("  note \(fileName):\(cmd["line"] ?? 0): expected \(wanted) \"\(cmd["text"] ?? "")\", got \(e.kind): \(e)")
                }
            }
        case "assert_unlinkable":
            try expectInstantiationFailure(cmd, kind: .link)
        case "assert_uninstantiable":
            try expectInstantiationFailure(cmd, kind: .trap)
        default:
            throw Failure(message: "unknown command type \"\(type)\"")
        }
    }

    /// An exception that left the called function. swvm does not implement exceptions yet;
    /// when it does, an uncaught one is a trap-kind error that says so.
    func isUncaughtException(_ e: WasmError) -> Bool {
        e.kind == .exception
    }

    func loadModule(_ cmd: [String: Any]) throws -> Module {
        let bytes = try moduleBytes(cmd)
        switch Result(catching: { () throws(WasmError) -> Module in try Module.load(bytes, features: features) }) {
        case .success(let m): return m
        case .failure(let e):
            if e.message.contains("unsupported: GC") { throw Skip(reason: .gc, detail: "module uses GC: \(e.message)") }
            throw Failure(message: "module failed to load: \(e)")
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
        guard let name else {
            if current == nil, let (line, s) = skippedModule {
                throw Skip(reason: s.reason, detail: "needs the module at line \(line), skipped")
            }
            return current
        }
        if let s = skippedNames[name] { throw Skip(reason: s.reason, detail: "needs module \(name), skipped") }
        guard let i = instances[name] else { throw Failure(message: "unknown module \(name)") }
        return i
    }

    /// A module that imports from a skipped module's registered exports is skipped too.
    func checkImportsNotSkipped(_ module: Module) throws {
        for imp in module.imports {
            if let s = skippedRegistrations[imp.module] {
                throw Skip(reason: s.reason, detail: "imports from \(imp.module), a skipped module")
            }
        }
    }

    func perform(_ action: [String: Any]) throws -> [Value] {
        guard let instance = try instance(named: action["module"] as? String) else {
            throw Failure(message: failedModuleLine.map { "no current module (the module at line \($0) failed)" } ?? "no current module")
        }
        let field = try action.string("field")
        let kind = try action.string("type")
        switch kind {
        case "invoke":
            let args = try (action["args"] as? [[String: Any]] ?? []).map(parseValue)
            guard let f = instance.function(field) else { throw Failure(message: "no exported function \(field)") }
            switch Result(catching: { () throws(WasmError) -> [Value] in try f.call(args) }) {
            case .success(let r): return r
            case .failure(let e):
                throw e
            }
        case "get":
            guard let g = instance.global(field) else { throw Failure(message: "no exported global \(field)") }
            return [g.value]
        default:
            throw Failure(message: "unknown action type \"\(kind)\"")
        }
    }

    func parseValue(_ v: [String: Any]) throws -> Value {
        let type = try v.string("type")
        let text = v["value"]
        func value() throws -> String {
            guard let s = text as? String else { throw Failure(message: "\(type) argument: \"value\" missing or not a string") }
            return s
        }
        if gcReferenceTypes.contains(type) { throw Skip(reason: .gc, detail: "\(type) argument") }
        switch type {
        case "i32": return .i32(UInt32(try parseBits(try value(), bits: 32, what: "i32 argument")))
        case "i64": return .i64(try parseBits(try value(), bits: 64, what: "i64 argument"))
        case "f32": return .f32(UInt32(try parseBits(try value(), bits: 32, what: "f32 argument")))
        case "f64": return .f64(try parseBits(try value(), bits: 64, what: "f64 argument"))
        case "v128":
            let lanes = try v.string("lane_type")
            guard let values = text as? [String] else { throw Failure(message: "v128 argument without lane values") }
            return try v128Value(lanes: lanes, values)
        case "externref", "ref.extern", "ref.host":
            let s = try value()
            return .externref(s == "null" ? nil : try parseBits(s, bits: 64, what: "externref argument"))
        case "funcref", "ref.func":
            // The suite only passes null function references (no text names a function).
            guard try value() == "null" else { throw Failure(message: "funcref argument \(try value()) cannot be made") }
            return .funcref(nil)
        case "ref.null":
            switch v["heap_type"] as? String ?? (text as? String) ?? "" {
            case "func", "funcref", "nofunc": return .funcref(nil)
            case "extern", "externref", "noextern": return .externref(nil)
            case let h where gcReferenceTypes.contains("ref." + h) || ["any", "none", "eq", "i31", "struct", "array"].contains(h):
                throw Skip(reason: .gc, detail: "ref.null \(h) argument")
            case let h: throw Failure(message: "ref.null argument of heap type \"\(h)\" not supported")
            }
        default: throw Failure(message: "\(type) argument not supported")
        }
    }

    /// A v128 from its lanes (integers signed or unsigned, floats as bit patterns).
    func v128Value(lanes: String, _ values: [String]) throws -> Value {
        let bits: Int
        switch lanes {
        case "i8": bits = 8
        case "i16": bits = 16
        case "i32", "f32": bits = 32
        case "i64", "f64": bits = 64
        default: throw Failure(message: "unknown v128 lane type \(lanes)")
        }
        guard values.count == 128 / bits else { throw Failure(message: "v128 with \(values.count) \(lanes) lanes") }
        var lo: UInt64 = 0, hi: UInt64 = 0
        for (i, text) in values.enumerated() {
            let lane = try parseBits(text, bits: bits, what: "\(lanes) lane")
            let offset = i * bits
            if offset < 64 { lo |= lane << UInt64(offset) } else { hi |= lane << UInt64(offset - 64) }
        }
        return .v128(lo, hi)
    }

    func parseExpected(_ v: [String: Any]) throws -> Expected {
        let type = try v.string("type")
        if type == "either" {
            return .either(try v.objects("values").map(parseExpected))
        }
        if gcReferenceTypes.contains(type) { throw Skip(reason: .gc, detail: "\(type) result") }
        if type == "v128" {
            guard let values = v["value"] as? [String] else { throw Failure(message: "v128 result without lane values") }
            let lanes = try v.string("lane_type")
            // Checked now, so a malformed lane is a failure here rather than a mismatch later.
            for text in values where !text.hasPrefix("nan:") {
                _ = try parseBits(text, bits: lanes.hasSuffix("8") ? 8 : lanes.hasSuffix("16") ? 16 : lanes.hasSuffix("32") ? 32 : 64,
                                  what: "\(lanes) lane")
            }
            return .v128(lanes: lanes, values)
        }
        let text = v["value"] as? String
        func value() throws -> String {
            guard let text else { throw Failure(message: "\(type) result: \"value\" missing or not a string") }
            return text
        }
        switch type {
        case "i32": return .bits(.i32, try parseBits(try value(), bits: 32, what: "i32 result"))
        case "i64": return .bits(.i64, try parseBits(try value(), bits: 64, what: "i64 result"))
        case "f32", "f64":
            let t: ValueType = type == "f32" ? .f32 : .f64
            let s = try value()
            if s == "nan:canonical" { return .canonicalNaN(t) }
            if s == "nan:arithmetic" { return .arithmeticNaN(t) }
            return .bits(t, try parseBits(s, bits: t == .f32 ? 32 : 64, what: "\(type) result"))
        // wasm-tools writes `(ref.extern)` (any host reference) as a type without a value.
        case "externref", "ref.extern", "ref.host":
            guard let text else { return .refExtern(nil) }
            return text == "null" ? .refNull(.externref) : .refExtern(try parseBits(text, bits: 64, what: "externref result"))
        case "funcref", "ref.func":
            return text == "null" ? .refNull(.funcref) : .refFunc
        case "exnref" where text == "null", "nullexnref": return .refNull(.exnref)
        case "refnull": return .refNull(nil)  // wasm-tools: `(ref.null)`, a null of any type
        case "nullfuncref": return .refNull(.funcref)
        case "nullexternref": return .refNull(.externref)
        case "ref.null":
            switch v["heap_type"] as? String ?? text ?? "" {
            case "", "any": return .refNull(nil)
            case "func", "funcref", "nofunc": return .refNull(.funcref)
            case "extern", "externref", "noextern": return .refNull(.externref)
            case "exn", "exnref", "noexn": return .refNull(.exnref)
            case let h where ["none", "eq", "i31", "struct", "array"].contains(h):
                throw Skip(reason: .gc, detail: "ref.null \(h) result")
            case let h: throw Failure(message: "ref.null result of heap type \"\(h)\" not supported")
            }
        default: throw Failure(message: "\(type) result not supported")
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
        case (.refNull(nil), .funcref(let f)): return f == nil
        case (.refNull(nil), .externref(let x)): return x == nil
        case (.refNull(.funcref), .funcref(let f)): return f == nil
        case (.refNull(.externref), .externref(let x)): return x == nil
        case (.refNull(.exnref), .exnref(let x)): return x == nil
        case (.refNull(nil), .exnref(let x)): return x == nil
        case (.refExtern(let n), .externref(let x)): return x != nil && (n == nil || x == n)
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
            if lanes == "f32" || lanes == "f64" {
                let t: ValueType = lanes == "f32" ? .f32 : .f64
                let expected: Expected
                if values[i] == "nan:canonical" { expected = .canonicalNaN(t) }
                else if values[i] == "nan:arithmetic" { expected = .arithmeticNaN(t) }
                else if let b = try? parseBits(values[i], bits: bits, what: "lane") { expected = .bits(t, b) }
                else { return false }
                let value: Value = t == .f32 ? .f32(UInt32(lane)) : .f64(lane)
                if !matches(value, expected) { return false }
            } else {
                guard let want = try? parseBits(values[i], bits: bits, what: "lane"), lane == want else { return false }
            }
        }
        return true
    }
}

/// A JSON file to run, with the name it is reported under (relative to the PATH argument).
struct SuiteFile {
    let url: URL
    let name: String
    /// The first folder of `name`, or "(top level)".
    var folder: String {
        let parts = name.split(separator: "/")
        return parts.count > 1 ? String(parts[0]) : "(top level)"
    }
}

func jsonFiles(_ paths: [String], excluding excluded: [String]) -> [SuiteFile] {
    var out: [SuiteFile] = []
    for p in paths {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
            FileHandle.standardError.write("swvm-spectest: no such file: \(p)\n".data(using: .utf8)!)
            exit(2)
        }
        if isDir.boolValue {
            let e = FileManager.default.enumerator(atPath: p)
            var found: [SuiteFile] = []
            while let f = e?.nextObject() as? String {
                guard f.hasSuffix(".json") else { continue }
                if excluded.contains(where: { f.hasPrefix($0 + "/") }) { continue }
                found.append(SuiteFile(url: URL(fileURLWithPath: p).appendingPathComponent(f), name: f))
            }
            out += found.sorted { $0.name < $1.name }
        } else {
            let url = URL(fileURLWithPath: p)
            out.append(SuiteFile(url: url, name: url.lastPathComponent))
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
        if i + 3 <= bytes.count && bytes[i] == bom[0] && bytes[i + 1] == bom[1] && bytes[i + 2] == bom[2] {
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
var folders: [(name: String, counts: Counts)] = []
for file in jsonFiles(options.paths, excluding: options.excluded) {
    var c = Counts()
    if let data = FileManager.default.contents(atPath: file.url.path).map(escapeByteOrderMarks),
       let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
       let commands = json["commands"] as? [Any] {
        do {
            let runner = try FileRunner(file: file.url, displayName: file.name, verbose: options.verbose,
                                        shownFailures: options.shownFailures, features: options.features)
            runner.run(commands)
            c = runner.counts
            let detail = c.skipDetail
            print("\(file.name): \(c.line)\(detail.isEmpty ? "" : " (\(detail))")")
        } catch {
            print("  FAIL \(file.name): setup failed: \(error)")
            c.failed = 1
        }
    } else {
        print("  FAIL \(file.name): unreadable JSON (not an object with a \"commands\" array)")
        c.failed = 1
    }
    total.add(c)
    if let i = folders.firstIndex(where: { $0.name == file.folder }) { folders[i].counts.add(c) } else { folders.append((file.folder, c)) }
}
if folders.count > 1 {
    print("by folder:")
    for f in folders { print("  \(f.name): \(f.counts.line)") }
}
print("\(total.line)")
if total.skippedTotal > 0 { print("skipped: \(total.skipDetail)") }
var ok = total.failed == 0
if let min = options.minPassed, total.passed < min {
    print("regression: \(total.passed) passed, fewer than the baseline \(min)")
    ok = false
}
if let max = options.maxFailed {
    ok = total.failed <= max && (options.minPassed.map { total.passed >= $0 } ?? true)
    if total.failed > max { print("regression: \(total.failed) failed, more than the baseline \(max)") }
}
exit(ok ? 0 : 1)
