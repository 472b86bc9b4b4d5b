import CSwvmSupport
import Glibc
import SwvmCore
import SwvmWASI

// WASI for C hosts (swvm.h: "WASI").

@_cdecl("swvm_linker_define_wasi")
public func swvm_linker_define_wasi(_ linker: OpaquePointer?, _ config: UnsafePointer<swvm_wasi_config_t>?) -> OpaquePointer? {
    guard let l = object(linker, as: LinkerHandle.self) else { return usage("swvm_linker_define_wasi: linker is NULL or not a linker") }
    guard let c = config?.pointee else { return usage("swvm_linker_define_wasi: config is NULL") }
    func strings(_ p: UnsafePointer<UnsafePointer<CChar>?>?, _ n: Int, _ what: String) throws(WasmError) -> [String] {
        if n == 0 { return [] }
        guard let p else { throw WasmError(.usage, "\(what) is NULL but its count is \(n)") }
        var out: [String] = []
        for i in 0..<n {
            guard let s = p[i] else { throw WasmError(.usage, "\(what)[\(i)] is NULL") }
            out.append(string(s))
        }
        return out
    }
    let result = Result { () throws(WasmError) -> WASI in
        var w = WASI.Configuration()
        w.arguments = try strings(c.argv, c.argc, "argv")
        w.environment = try strings(c.env, c.envc, "env")
        let hosts = try strings(c.preopen_host, c.npreopens, "preopen_host")
        let guests = try strings(c.preopen_guest, c.npreopens, "preopen_guest")
        w.preopens = Array(zip(hosts, guests))
        w.stdin = c.stdin_fd
        w.stdout = c.stdout_fd
        w.stderr = c.stderr_fd
        return try WASI(w)
    }
    switch result {
    case .success(let wasi):
        wasi.define(in: l.linker)
        l.wasi = wasi
        return nil
    case .failure(let e): return errorHandle(e)
    }
}

@_cdecl("swvm_linker_wasi_exit_code")
public func swvm_linker_wasi_exit_code(_ linker: OpaquePointer?, _ code: UnsafeMutablePointer<Int32>?) -> Int32 {
    guard let exit = object(linker, as: LinkerHandle.self)?.wasi?.exitCode else { return 0 }
    code?.pointee = exit
    return 1
}
