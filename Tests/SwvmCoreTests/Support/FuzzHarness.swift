import SwvmCore

/// What the fuzz target does with one input, shared with the regression tests: load and
/// validate it; if valid, satisfy every import with a stand-in, instantiate under tight limits
/// and call every exported function with zero arguments. Any outcome but a crash, a hang or a
/// sanitizer report is fine: errors and traps are the expected answers to hostile input.
enum FuzzHarness {
    /// Fuel per call (instantiation included): bounds every execution.
    static let fuelPerCall: UInt64 = 200_000

    static var config: StoreConfig {
        var c = StoreConfig()
        c.consumeFuel = true
        c.maxMemoryPages = 256  // 16 MiB
        c.maxTableElements = 100_000
        c.valueStackSlots = 1 << 16
        c.maxCallDepth = 2_000
        return c
    }

    /// How far the input got, for statistics.
    enum Outcome: Equatable { case rejected, unlinkable, instantiated(calls: Int, traps: Int) }

    @discardableResult
    static func run(_ bytes: [UInt8]) -> Outcome {
        guard let module = try? Module.load(bytes) else { return .rejected }
        let store = Store(config: config)
        return withExtendedLifetime(store) { () -> Outcome in
            let linker = Linker(store: store)
            for imp in module.imports {
                guard define(standInFor: imp, module: module, in: linker, store: store) else { return .unlinkable }
            }
            try? store.setFuel(fuelPerCall)
            guard let instance = try? linker.instantiate(module) else { return .unlinkable }
            var calls = 0, traps = 0
            for export in instance.exports {
                guard case .function(let f) = export.extern else { continue }
                try? store.setFuel(fuelPerCall)
                calls += 1
                do { _ = try f.call(f.type.params.map(zero)) } catch { traps += 1 }
            }
            return .instantiated(calls: calls, traps: traps)
        }
    }

    static func zero(_ t: ValueType) -> Value {
        switch t.kind {
        case .i32: return .i32(0)
        case .i64: return .i64(0)
        case .f32: return .f32(0)
        case .f64: return .f64(0)
        case .v128: return .v128(0, 0)
        case .funcref: return .funcref(nil)
        case .externref: return .externref(nil)
        case .exnref: return .exnref(nil)
        }
    }

    /// Defines a host object matching an import: functions return zeros, memories and tables
    /// have the import's minimum size. False if it cannot be made (e.g. over the limits).
    static func define(standInFor imp: Import, module: Module, in linker: Linker, store: Store) -> Bool {
        let ext: Extern
        switch imp.descriptor {
        case .function(let typeIndex):
            let type = module.types[Int(typeIndex)]
            let results = type.results.map(zero)
            linker.defineFunction(module: imp.module, name: imp.name, type: type) { _, _ in results }
            return true
        case .memory(let t):
            guard let m = try? store.makeMemory(t) else { return false }
            ext = .memory(m)
        case .table(let t):
            guard let tb = try? store.makeTable(t) else { return false }
            ext = .table(tb)
        case .global(let t):
            guard let g = try? store.makeGlobal(t, value: zero(t.valueType)) else { return false }
            ext = .global(g)
        case .tag(let typeIndex):
            guard let t = try? Tag(type: module.types[Int(typeIndex)]) else { return false }
            ext = .tag(t)
        }
        linker.define(module: imp.module, name: imp.name, ext)
        return true
    }
}
