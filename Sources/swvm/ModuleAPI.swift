import CSwvmSupport
import Glibc
import SwvmCore

// Module introspection (swvm.h: "Module imports and exports"): the core's import and export
// types (Module.importTypes / exportTypes) in C form.

/// An import's or export's names and type in C form, owning its strings and kind arrays.
final class CExternEntry {
    let module: UnsafeMutablePointer<CChar>?
    let name: UnsafeMutablePointer<CChar>
    private(set) var type = swvm_externtype_t()
    private var arrays: [UnsafeMutablePointer<swvm_valkind_t>] = []

    init(module: String?, name: String, type t: ExternType) {
        self.module = module.map { strdup($0)! }
        self.name = strdup(name)!
        type.kind = Int32(t.kind.rawValue)
        switch t {
        case .function(let f):
            (type.params, type.nparams) = array(f.params)
            (type.results, type.nresults) = array(f.results)
        case .table(let tt):
            type.valkind = cKind(tt.elementType)
            (type.min, type.max) = (tt.limits.min, tt.limits.max ?? UInt64.max)
            type.is64 = tt.is64 ? 1 : 0
        case .memory(let mt):
            (type.min, type.max) = (mt.limits.min, mt.limits.max ?? UInt64.max)
            type.is64 = mt.is64 ? 1 : 0
        case .tag(let f):
            (type.params, type.nparams) = array(f.params)
        case .global(let g):
            type.valkind = cKind(g.valueType)
            type.mutable_ = g.mutable ? 1 : 0
        }
    }

    private func array(_ kinds: [ValueType]) -> (UnsafePointer<swvm_valkind_t>?, Int) {
        guard !kinds.isEmpty else { return (nil, 0) }
        let p = UnsafeMutablePointer<swvm_valkind_t>.allocate(capacity: kinds.count)
        for (i, k) in kinds.enumerated() { p[i] = cKind(k) }
        arrays.append(p)
        return (UnsafePointer(p), kinds.count)
    }

    deinit {
        free(module)
        free(name)
        arrays.forEach { $0.deallocate() }
    }
}

@_cdecl("swvm_module_import_count")
public func swvm_module_import_count(_ module: OpaquePointer?) -> Int {
    object(module, as: ModuleHandle.self)?.imports.count ?? 0
}

@_cdecl("swvm_module_export_count")
public func swvm_module_export_count(_ module: OpaquePointer?) -> Int {
    object(module, as: ModuleHandle.self)?.exports.count ?? 0
}

@_cdecl("swvm_module_import")
public func swvm_module_import(_ module: OpaquePointer?, _ index: Int, _ moduleName: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                               _ name: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                               _ type: UnsafeMutablePointer<swvm_externtype_t>?) -> OpaquePointer? {
    guard let m = object(module, as: ModuleHandle.self) else { return usage("swvm_module_import: module is NULL or not a module") }
    guard index >= 0, index < m.imports.count else {
        return usage("swvm_module_import: index \(index) is out of range (\(m.imports.count) imports)")
    }
    let e = m.imports[index]
    moduleName?.pointee = e.module.map { UnsafePointer($0) }
    name?.pointee = UnsafePointer(e.name)
    type?.pointee = e.type
    return nil
}

@_cdecl("swvm_module_export")
public func swvm_module_export(_ module: OpaquePointer?, _ index: Int, _ name: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                               _ type: UnsafeMutablePointer<swvm_externtype_t>?) -> OpaquePointer? {
    guard let m = object(module, as: ModuleHandle.self) else { return usage("swvm_module_export: module is NULL or not a module") }
    guard index >= 0, index < m.exports.count else {
        return usage("swvm_module_export: index \(index) is out of range (\(m.exports.count) exports)")
    }
    let e = m.exports[index]
    name?.pointee = UnsafePointer(e.name)
    type?.pointee = e.type
    return nil
}
