import CSwvmSupport
import Glibc
import SwvmCore
import SwvmWASI

// Every C handle is a retained Swift object: `passRetained` when handed out, `release` in the
// matching *_free. A handle retains what it depends on (the store above all), so C code may
// free handles in any order. This file holds all the pointer conversions of the C ABI.
//
// A handle to an instance, function, table or global also pins it in its store (Store.pin):
// the store frees an instance once no handle pins it or anything it reaches, so a host can
// instantiate and free modules indefinitely in one engine (Store.collect has the rules).

final class EngineHandle {
    let store: Store
    init(config: StoreConfig = StoreConfig()) {
        store = Store(config: config)
        store.collectsInstances = true
    }
}

/// Engine settings collected before the engine exists (swvm_config_*).
final class ConfigHandle {
    var config = StoreConfig()
}

final class InterruptHandleBox {
    let handle: InterruptHandle
    init(_ handle: InterruptHandle) { self.handle = handle }
}

final class ModuleHandle {
    let module: Module
    /// Imports and exports in C form, made here rather than on first use: a module may be
    /// read from several threads at once.
    let imports: [CExternEntry]
    let exports: [CExternEntry]
    init(_ module: Module) {
        self.module = module
        imports = module.importTypes.map { CExternEntry(module: $0.module, name: $0.name, type: $0.type) }
        exports = module.exportTypes.map { CExternEntry(module: nil, name: $0.name, type: $0.type) }
    }
}

final class InstanceHandle {
    let store: Store
    let instance: Instance
    /// NUL-terminated export names, made on first use and owned by the handle.
    private var names: [UnsafeMutablePointer<CChar>]?

    init(store: Store, instance: Instance) {
        self.store = store
        self.instance = instance
        store.pin(instance)
    }

    func exportName(_ index: Int) -> UnsafePointer<CChar>? {
        if names == nil { names = instance.exports.map { strdup($0.name)! } }
        guard index >= 0, index < names!.count else { return nil }
        return UnsafePointer(names![index])
    }

    deinit {
        names?.forEach { free($0) }
        store.unpin(instance)
    }
}

final class FuncHandle {
    let store: Store
    let function: Function
    /// The native function pointer handed out for this function, kept alive with the handle.
    var native: NativeExport?

    init(store: Store, function: Function) {
        self.store = store
        self.function = function
        store.pin(function)
    }

    deinit { store.unpin(function) }
}

/// A handle to a memory, global or table: keeps its store alive with it.
final class StoreObjectHandle<Object: AnyObject> {
    let store: Store
    let object: Object
    init(store: Store, _ object: Object) {
        self.store = store
        self.object = object
        store.pin(object)
    }

    deinit { store.unpin(object) }
}

typealias MemoryHandle = StoreObjectHandle<Memory>
typealias GlobalHandle = StoreObjectHandle<Global>
typealias TableHandle = StoreObjectHandle<Table>
/// A tag lives as long as anything refers to it; it needs no store (a host may make one to
/// import into several engines' modules).
final class TagHandle {
    let tag: Tag
    init(_ tag: Tag) { self.tag = tag }
}

final class LinkerHandle {
    let store: Store
    let linker: Linker
    var wasi: WASI?
    /// What the linker's definitions hold, pinned for as long as the linker lives.
    private var pinned: [AnyObject] = []
    init(store: Store) {
        self.store = store
        linker = Linker(store: store)
    }

    func pin(_ object: AnyObject) {
        store.pin(object)
        pinned.append(object)
    }

    deinit { pinned.forEach(store.unpin) }
}

final class ErrorHandle {
    let kind: WasmError.Kind
    let trap: Trap?
    /// NUL-terminated copy of the message, owned by the handle.
    let message: UnsafeMutablePointer<CChar>
    /// For kind .exception: the exception with its tag and payload.
    let exception: Exception?

    init(_ error: WasmError) {
        kind = error.kind
        trap = error.trap
        exception = error.exception
        message = strdup(error.description)!
    }

    deinit { free(message) }
}

/// Hands a new handle to C, with one reference owned by the caller.
func retained<T: AnyObject>(_ object: T) -> OpaquePointer {
    OpaquePointer(Unmanaged.passRetained(object).toOpaque())
}

/// The object behind a handle, if the handle is non-NULL and of the expected type.
func object<T: AnyObject>(_ handle: OpaquePointer?, as type: T.Type) -> T? {
    guard let handle else { return nil }
    return Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue() as? T
}

/// Drops the caller's reference (the *_free functions). NULL is ignored.
func release(_ handle: OpaquePointer?) {
    guard let handle else { return }
    Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(handle)).release()
}

/// An error handle for C, or NULL for success.
func errorHandle(_ error: WasmError) -> OpaquePointer { retained(ErrorHandle(error)) }

/// A usage error (bad arguments) in the one style of the C API: "swvm_function: problem".
/// `function` defaults to the calling function's name; helpers pass on their caller's.
func usage(_ message: String, function: String = #function) -> OpaquePointer {
    let name = function.prefix { $0 != "(" }
    if message.hasPrefix("\(name):") { return errorHandle(WasmError(.usage, message)) }
    return errorHandle(WasmError(.usage, "\(name): \(message)"))
}
