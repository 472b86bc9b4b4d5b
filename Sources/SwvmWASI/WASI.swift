import CSwvmSupport
import Glibc
import SwvmCore

/// WASI preview1 (`wasi_snapshot_preview1`) as a host module, on swvm's public Swift API.
///
/// Files are reachable only under explicitly pre-opened directories; every path is resolved
/// with openat2(RESOLVE_BENEATH), so neither `..`, an absolute path nor a symlink can leave one.
/// Every descriptor carries preview1 rights (see `WASIRights`), checked on every call.
/// Calls swvm does not implement return ENOSYS.
public final class WASI {
    public struct Configuration {
        /// argv, including the program name as argv[0].
        public var arguments: [String] = []
        /// Environment as "KEY=VALUE" strings.
        public var environment: [String] = []
        /// (host directory, guest path) pairs.
        public var preopens: [(host: String, guest: String)] = []
        /// Host descriptors behind the guest's 0, 1, 2.
        public var stdin: Int32 = 0, stdout: Int32 = 1, stderr: Int32 = 2
        public init() {}
    }

    final class Descriptor {
        var host: Int32
        let isDirectory: Bool
        /// The guest path of a pre-opened directory.
        let preopen: String?
        /// Whether the host descriptor is ours to close (stdio is not).
        let owned: Bool
        /// Directory entries read by fd_readdir, served by cookie.
        var entries: [(name: [UInt8], type: UInt8, ino: UInt64)]?
        /// What the descriptor may be used for, and what descriptors opened through it
        /// (path_open) may at most receive.
        var base: WASIRights, inheriting: WASIRights

        init(host: Int32, isDirectory: Bool, preopen: String? = nil, owned: Bool = true,
             base: WASIRights, inheriting: WASIRights) {
            self.host = host
            self.isDirectory = isDirectory
            self.preopen = preopen
            self.owned = owned
            self.base = base
            self.inheriting = inheriting
        }
    }

    /// The exit code once the program called proc_exit.
    public private(set) var exitCode: Int32?
    let configuration: Configuration
    var descriptors: [Int32: Descriptor] = [:]

    /// Opens the pre-opened directories. Errors name the directory that cannot be opened.
    public init(_ configuration: Configuration) throws(WasmError) {
        self.configuration = configuration
        for (fd, host) in [configuration.stdin, configuration.stdout, configuration.stderr].enumerated() {
            let rights = WASIRights.inherited(host: host)
            descriptors[Int32(fd)] = Descriptor(host: host, isDirectory: false, owned: false, base: rights, inheriting: [])
        }
        var next: Int32 = 3
        for (host, guest) in configuration.preopens {
            let fd = open(host, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else {
                throw WasmError(.usage, "cannot pre-open directory \(host): \(String(cString: strerror(errno)))")
            }
            descriptors[next] = Descriptor(host: fd, isDirectory: true, preopen: guest,
                                           base: .directory, inheriting: [.directory, .file])
            next += 1
        }
    }

    deinit {
        for d in descriptors.values where d.owned { close(d.host) }
    }

    /// The error a program's proc_exit unwinds its call with; `exitCode` has the code.
    public struct Exit: Error, CustomStringConvertible {
        public let code: Int32
        public var description: String { "exit(\(code))" }
    }

    /// The descriptor `fd`, which must hold every right in `needed` (EBADF when there is no
    /// such descriptor, ENOTCAPABLE when a right is missing).
    func descriptor(_ fd: UInt32, _ needed: WASIRights = []) throws(WASIErrno) -> Descriptor {
        guard let d = descriptors[Int32(bitPattern: fd)] else { throw .badf }
        guard d.base.isSuperset(of: needed) else { throw .notcapable }
        return d
    }

    func allocate(_ d: Descriptor) -> Int32 {
        var fd: Int32 = 3
        while descriptors[fd] != nil { fd += 1 }
        descriptors[fd] = d
        return fd
    }

    // MARK: - Defining the module

    /// Defines every `wasi_snapshot_preview1` function in `linker`.
    public func define(in linker: Linker) {
        let i = ValueType.i32, I = ValueType.i64
        func def(_ name: String, _ params: [ValueType], _ body: @escaping (Args, GuestMemory) throws(WASIErrno) -> Void) {
            linker.defineRawFunction(module: "wasi_snapshot_preview1", name: name,
                                     type: FuncType(params: params, results: [.i32])) { slots, caller in
                let args = Args(slots: slots)
                var result = WASIErrno.success
                if let memory = caller.instance?.memory("memory") {
                    do throws(WASIErrno) { try body(args, GuestMemory(memory)) } catch { result = error }
                } else {
                    result = .fault
                }
                slots[0] = UInt64(result.rawValue)
            }
        }
        def("args_get", [i, i]) { a, m throws(WASIErrno) in try self.writeStrings(self.configuration.arguments, m, a.u32(0), a.u32(1)) }
        def("args_sizes_get", [i, i]) { a, m throws(WASIErrno) in try self.writeSizes(self.configuration.arguments, m, a.u32(0), a.u32(1)) }
        def("environ_get", [i, i]) { a, m throws(WASIErrno) in try self.writeStrings(self.configuration.environment, m, a.u32(0), a.u32(1)) }
        def("environ_sizes_get", [i, i]) { a, m throws(WASIErrno) in try self.writeSizes(self.configuration.environment, m, a.u32(0), a.u32(1)) }
        def("clock_res_get", [i, i]) { a, m throws(WASIErrno) in
            var ts = timespec()
            guard clock_getres(try WASI.clock(a.u32(0)), &ts) == 0 else { throw .current }
            try m.store(UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec), at: a.u32(1))
        }
        def("clock_time_get", [i, I, i]) { a, m throws(WASIErrno) in
            try m.store(try WASI.now(a.u32(0)), at: a.u32(2))
        }
        def("fd_advise", [i, I, I, i]) { a, _ throws(WASIErrno) in
            _ = try self.descriptor(a.u32(0), .fdAdvise)
            guard a.u32(3) <= 5 else { throw .inval }  // normal ... noreuse
        }
        def("fd_allocate", [i, I, I]) { a, _ throws(WASIErrno) in
            let d = try self.descriptor(a.u32(0), .fdAllocate)
            let r = posix_fallocate(d.host, off_t(Int64(bitPattern: a.u64(1))), off_t(Int64(bitPattern: a.u64(2))))
            if r != 0 { throw WASIErrno(posix: r) }
        }
        def("fd_close", [i]) { a, _ throws(WASIErrno) in
            let fd = Int32(bitPattern: a.u32(0))
            let d = try self.descriptor(a.u32(0))
            if d.owned { close(d.host) }
            self.descriptors[fd] = nil
        }
        def("fd_datasync", [i]) { a, _ throws(WASIErrno) in
            guard fdatasync(try self.descriptor(a.u32(0), .fdDatasync).host) == 0 else { throw .current }
        }
        def("fd_sync", [i]) { a, _ throws(WASIErrno) in
            guard fsync(try self.descriptor(a.u32(0), .fdSync).host) == 0 else { throw .current }
        }
        def("fd_fdstat_get", [i, i]) { a, m throws(WASIErrno) in try self.fdstat(a.u32(0), m, a.u32(1)) }
        def("fd_fdstat_set_flags", [i, i]) { a, _ throws(WASIErrno) in
            let d = try self.descriptor(a.u32(0), .fdFdstatSetFlags)
            var flags = fcntl(d.host, F_GETFL)
            flags &= ~(O_APPEND | O_NONBLOCK)
            if a.u32(1) & 1 != 0 { flags |= O_APPEND }
            if a.u32(1) & 4 != 0 { flags |= O_NONBLOCK }
            guard fcntl(d.host, F_SETFL, flags) == 0 else { throw .current }
        }
        def("fd_fdstat_set_rights", [i, I, I]) { a, _ throws(WASIErrno) in
            // Rights can only be dropped (witx: "returns errno::notcapable if called in a way
            // that would attempt to add rights").
            let d = try self.descriptor(a.u32(0))
            let base = WASIRights(rawValue: a.u64(1)), inheriting = WASIRights(rawValue: a.u64(2))
            guard d.base.isSuperset(of: base), d.inheriting.isSuperset(of: inheriting) else { throw .notcapable }
            d.base = base
            d.inheriting = inheriting
        }
        def("fd_filestat_get", [i, i]) { a, m throws(WASIErrno) in
            var st = stat()
            guard fstat(try self.descriptor(a.u32(0), .fdFilestatGet).host, &st) == 0 else { throw .current }
            try WASI.writeFilestat(st, m, a.u32(1))
        }
        def("fd_filestat_set_size", [i, I]) { a, _ throws(WASIErrno) in
            guard ftruncate(try self.descriptor(a.u32(0), .fdFilestatSetSize).host, off_t(Int64(bitPattern: a.u64(1)))) == 0 else { throw .current }
        }
        def("fd_filestat_set_times", [i, I, I, i]) { a, _ throws(WASIErrno) in
            let d = try self.descriptor(a.u32(0), .fdFilestatSetTimes)
            var times = try WASI.timespecs(a.u64(1), a.u64(2), a.u32(3))
            guard futimens(d.host, &times) == 0 else { throw .current }
        }
        def("fd_pread", [i, i, i, I, i]) { a, m throws(WASIErrno) in
            // witx: fd_read "if rights::fd_seek is set, includes the right to invoke fd_pread".
            let d = try self.descriptor(a.u32(0), [.fdRead, .fdSeek])
            guard !d.isDirectory else { throw .isdir }
            var total = 0
            var offset = off_t(Int64(bitPattern: a.u64(3)))
            for v in try m.iovecs(a.u32(1), a.u32(2)) {
                let n = pread(d.host, v.baseAddress, v.count, offset)
                guard n >= 0 else { throw .current }
                total += n
                offset += off_t(n)
                if n < v.count { break }
            }
            try m.store(UInt32(total), at: a.u32(4))
        }
        def("fd_pwrite", [i, i, i, I, i]) { a, m throws(WASIErrno) in
            let d = try self.descriptor(a.u32(0), [.fdWrite, .fdSeek])
            guard !d.isDirectory else { throw .isdir }
            var total = 0
            var offset = off_t(Int64(bitPattern: a.u64(3)))
            for v in try m.iovecs(a.u32(1), a.u32(2)) {
                let n = pwrite(d.host, v.baseAddress, v.count, offset)
                guard n >= 0 else { throw .current }
                total += n
                offset += off_t(n)
            }
            try m.store(UInt32(total), at: a.u32(4))
        }
        def("fd_read", [i, i, i, i]) { a, m throws(WASIErrno) in
            let d = try self.descriptor(a.u32(0), .fdRead)
            guard !d.isDirectory else { throw .isdir }
            var total = 0
            for v in try m.iovecs(a.u32(1), a.u32(2)) where v.count > 0 {
                let n = read(d.host, v.baseAddress, v.count)
                guard n >= 0 else { throw .current }
                total += n
                if n < v.count { break }
            }
            try m.store(UInt32(total), at: a.u32(3))
        }
        def("fd_write", [i, i, i, i]) { a, m throws(WASIErrno) in
            let d = try self.descriptor(a.u32(0), .fdWrite)
            guard !d.isDirectory else { throw .isdir }
            var total = 0
            for v in try m.iovecs(a.u32(1), a.u32(2)) {
                var done = 0
                while done < v.count {
                    let n = write(d.host, v.baseAddress! + done, v.count - done)
                    guard n >= 0 else { throw .current }
                    done += n
                }
                total += done
            }
            try m.store(UInt32(total), at: a.u32(3))
        }
        def("fd_prestat_get", [i, i]) { a, m throws(WASIErrno) in
            let d = try self.descriptor(a.u32(0))
            guard let name = d.preopen else { throw .badf }
            try m.store(UInt32(0), at: a.u32(1))  // tag: directory
            try m.store(UInt32(name.utf8.count), at: a.u32(1) &+ 4)
        }
        def("fd_prestat_dir_name", [i, i, i]) { a, m throws(WASIErrno) in
            let d = try self.descriptor(a.u32(0))
            guard let name = d.preopen else { throw .badf }
            let bytes = Array(name.utf8)
            guard a.u32(2) >= UInt32(bytes.count) else { throw .nametoolong }
            let b = try m.buffer(a.u32(1), UInt32(bytes.count))
            b.copyBytes(from: bytes)
        }
        def("fd_readdir", [i, i, i, I, i]) { a, m throws(WASIErrno) in try self.readdir(a, m) }
        def("fd_renumber", [i, i]) { a, _ throws(WASIErrno) in
            let from = Int32(bitPattern: a.u32(0)), to = Int32(bitPattern: a.u32(1))
            let d = try self.descriptor(a.u32(0))
            let old = try self.descriptor(a.u32(1))
            if old.owned && old !== d { close(old.host) }
            self.descriptors[to] = d
            self.descriptors[from] = nil
        }
        def("fd_seek", [i, I, i, i]) { a, m throws(WASIErrno) in
            // witx: fd_tell's right covers a seek that leaves the offset alone (cur + 0).
            let tellOnly = a.u64(1) == 0 && a.u32(2) == 1
            let d = try self.descriptor(a.u32(0))
            guard d.base.contains(.fdSeek) || (tellOnly && d.base.contains(.fdTell)) else { throw .notcapable }
            // Linux lets lseek move a directory's offset, but a WASI directory has no offset
            // (fd_readdir uses cookies): refuse, as wasmtime does.
            guard !d.isDirectory else { throw .isdir }
            let whence: Int32
            switch a.u32(2) {
            case 0: whence = SEEK_SET
            case 1: whence = SEEK_CUR
            case 2: whence = SEEK_END
            default: throw .inval
            }
            let r = lseek(d.host, off_t(Int64(bitPattern: a.u64(1))), whence)
            guard r >= 0 else { throw .current }
            try m.store(UInt64(r), at: a.u32(3))
        }
        def("fd_tell", [i, i]) { a, m throws(WASIErrno) in
            let d = try self.descriptor(a.u32(0), .fdTell)
            guard !d.isDirectory else { throw .isdir }
            let r = lseek(d.host, 0, SEEK_CUR)
            guard r >= 0 else { throw .current }
            try m.store(UInt64(r), at: a.u32(1))
        }
        def("path_create_directory", [i, i, i]) { a, m throws(WASIErrno) in
            try self.atParent(a.u32(0), .pathCreateDirectory, m.string(a.u32(1), a.u32(2))) { dir, name throws(WASIErrno) in
                guard mkdirat(dir, name, 0o777) == 0 else { throw .current }
            }
        }
        def("path_filestat_get", [i, i, i, i, i]) { a, m throws(WASIErrno) in
            let follow = a.u32(1) & 1 != 0
            var st = stat()
            try self.atParent(a.u32(0), .pathFilestatGet, m.string(a.u32(2), a.u32(3)), allowDot: true) { dir, name throws(WASIErrno) in
                guard fstatat(dir, name, &st, follow ? 0 : AT_SYMLINK_NOFOLLOW) == 0 else { throw .current }
            }
            if follow { try self.checkBeneath(a.u32(0), m.string(a.u32(2), a.u32(3))) }
            try WASI.writeFilestat(st, m, a.u32(4))
        }
        def("path_filestat_set_times", [i, i, i, i, I, I, i]) { a, m throws(WASIErrno) in
            _ = try self.directory(a.u32(0), .pathFilestatSetTimes)
            var times = try WASI.timespecs(a.u64(4), a.u64(5), a.u32(6))
            let follow = a.u32(1) & 1 != 0
            if follow { try self.checkBeneath(a.u32(0), m.string(a.u32(2), a.u32(3))) }
            try self.atParent(a.u32(0), .pathFilestatSetTimes, m.string(a.u32(2), a.u32(3)), allowDot: true) { dir, name throws(WASIErrno) in
                guard utimensat(dir, name, &times, follow ? 0 : AT_SYMLINK_NOFOLLOW) == 0 else { throw .current }
            }
        }
        def("path_link", [i, i, i, i, i, i, i]) { a, m throws(WASIErrno) in
            let target = try m.string(a.u32(5), a.u32(6))
            _ = try self.directory(a.u32(0), .pathLinkSource)
            _ = try self.directory(a.u32(4), .pathLinkTarget)
            // Linking what a symlink points to would need the target resolved beneath the
            // directory; wasmtime refuses the flag too.
            guard a.u32(1) & 1 == 0 else { throw .inval }
            try self.atParent(a.u32(0), .pathLinkSource, m.string(a.u32(2), a.u32(3))) { oldDir, oldName throws(WASIErrno) in
                try self.atParent(a.u32(4), .pathLinkTarget, target) { newDir, newName throws(WASIErrno) in
                    guard linkat(oldDir, oldName, newDir, newName, 0) == 0 else { throw .current }
                }
            }
        }
        def("path_open", [i, i, i, i, i, I, I, i, i]) { a, m throws(WASIErrno) in try self.pathOpen(a, m) }
        def("path_readlink", [i, i, i, i, i, i]) { a, m throws(WASIErrno) in
            try self.atParent(a.u32(0), .pathReadlink, m.string(a.u32(1), a.u32(2))) { dir, name throws(WASIErrno) in
                let buf = try m.buffer(a.u32(3), a.u32(4))
                guard let start = buf.baseAddress, buf.count > 0 else { throw .range }
                let n = readlinkat(dir, name, start.assumingMemoryBound(to: CChar.self), buf.count)
                guard n >= 0 else { throw .current }
                try m.store(UInt32(n), at: a.u32(5))
            }
        }
        def("path_remove_directory", [i, i, i]) { a, m throws(WASIErrno) in
            try self.atParent(a.u32(0), .pathRemoveDirectory, m.string(a.u32(1), a.u32(2))) { dir, name throws(WASIErrno) in
                guard unlinkat(dir, name, AT_REMOVEDIR) == 0 else { throw .current }
            }
        }
        def("path_rename", [i, i, i, i, i, i]) { a, m throws(WASIErrno) in
            let target = try m.string(a.u32(4), a.u32(5))
            _ = try self.directory(a.u32(0), .pathRenameSource)
            _ = try self.directory(a.u32(3), .pathRenameTarget)
            try self.atParent(a.u32(0), .pathRenameSource, m.string(a.u32(1), a.u32(2))) { oldDir, oldName throws(WASIErrno) in
                try self.atParent(a.u32(3), .pathRenameTarget, target) { newDir, newName throws(WASIErrno) in
                    guard renameat(oldDir, oldName, newDir, newName) == 0 else { throw .current }
                }
            }
        }
        def("path_symlink", [i, i, i, i, i]) { a, m throws(WASIErrno) in
            let target = try m.string(a.u32(0), a.u32(1))
            _ = try self.directory(a.u32(2), .pathSymlink)
            // A relative target is resolved beneath the pre-open when followed, so it may name
            // anything; an absolute one could only ever be refused when followed (it names the
            // host's root), so it is refused here, as wasmtime does (EPERM).
            guard !target.hasPrefix("/") else { throw .perm }
            try self.atParent(a.u32(2), .pathSymlink, m.string(a.u32(3), a.u32(4))) { dir, name throws(WASIErrno) in
                guard symlinkat(target, dir, name) == 0 else { throw .current }
            }
        }
        def("path_unlink_file", [i, i, i]) { a, m throws(WASIErrno) in
            try self.atParent(a.u32(0), .pathUnlinkFile, m.string(a.u32(1), a.u32(2))) { dir, name throws(WASIErrno) in
                guard unlinkat(dir, name, 0) == 0 else { throw .current }
            }
        }
        def("poll_oneoff", [i, i, i, i]) { a, m throws(WASIErrno) in try self.pollOneoff(a, m) }
        def("proc_raise", [i]) { _, _ throws(WASIErrno) in throw .nosys }
        def("sched_yield", []) { _, _ throws(WASIErrno) in _ = sched_yield() }
        def("random_get", [i, i]) { a, m throws(WASIErrno) in
            let b = try m.buffer(a.u32(0), a.u32(1))
            var g = SystemRandomNumberGenerator()
            for k in 0..<b.count { b[k] = UInt8.random(in: 0...255, using: &g) }
        }
        def("sock_accept", [i, i, i]) { a, m throws(WASIErrno) in try self.sockAccept(a, m) }
        def("sock_recv", [i, i, i, i, i, i]) { a, m throws(WASIErrno) in try self.sockRecv(a, m) }
        def("sock_send", [i, i, i, i, i]) { a, m throws(WASIErrno) in try self.sockSend(a, m) }
        def("sock_shutdown", [i, i]) { a, _ throws(WASIErrno) in try self.sockShutdown(a) }
        linker.defineRawFunction(module: "wasi_snapshot_preview1", name: "proc_exit",
                                 type: FuncType(params: [i], results: [])) { slots, _ in
            let code = Int32(bitPattern: UInt32(truncatingIfNeeded: slots[0]))
            self.exitCode = code
            throw Exit(code: code)
        }
    }

    /// Raw argument slots of a WASI call.
    struct Args {
        let slots: UnsafeMutablePointer<UInt64>
        func u32(_ i: Int) -> UInt32 { UInt32(truncatingIfNeeded: slots[i]) }
        func u64(_ i: Int) -> UInt64 { slots[i] }
    }
}
