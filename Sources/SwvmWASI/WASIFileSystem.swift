import CSwvmSupport
import Glibc
import SwvmCore

// Paths, descriptors, directories, clocks and polling for WASI. Every path a program names is
// resolved beneath a pre-opened directory (swvm_open_beneath); operations on a path's last
// component run against its parent directory opened that way.

extension WASI {
    func writeStrings(_ strings: [String], _ m: GuestMemory, _ pointers: UInt32, _ buffer: UInt32) throws(WASIErrno) {
        var cursor = buffer
        for (i, s) in strings.enumerated() {
            try m.store(cursor, at: pointers &+ UInt32(i) &* 4)
            let bytes = Array(s.utf8) + [0]
            try m.buffer(cursor, UInt32(bytes.count)).copyBytes(from: bytes)
            cursor &+= UInt32(bytes.count)
        }
    }

    func writeSizes(_ strings: [String], _ m: GuestMemory, _ count: UInt32, _ size: UInt32) throws(WASIErrno) {
        try m.store(UInt32(strings.count), at: count)
        try m.store(UInt32(strings.reduce(0) { $0 + $1.utf8.count + 1 }), at: size)
    }

    static func clock(_ id: UInt32) throws(WASIErrno) -> clockid_t {
        switch id {
        case 0: return CLOCK_REALTIME
        case 1: return CLOCK_MONOTONIC
        case 2: return CLOCK_PROCESS_CPUTIME_ID
        case 3: return CLOCK_THREAD_CPUTIME_ID
        default: throw .inval
        }
    }

    static func now(_ id: UInt32) throws(WASIErrno) -> UInt64 {
        var ts = timespec()
        guard clock_gettime(try clock(id), &ts) == 0 else { throw .current }
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// The utimensat times for fstflags (ATIM 1, ATIM_NOW 2, MTIM 4, MTIM_NOW 8). A time both
    /// given and "now" is contradictory: EINVAL (witx leaves it open; wasmtime refuses it).
    static func timespecs(_ atim: UInt64, _ mtim: UInt64, _ flags: UInt32) throws(WASIErrno) -> [timespec] {
        guard flags & ~0xF == 0, flags & 3 != 3, flags & 12 != 12 else { throw .inval }
        func one(_ t: UInt64, set: Bool, now: Bool) -> timespec {
            if now { return timespec(tv_sec: 0, tv_nsec: Int(SWVM_UTIME_NOW)) }
            if set { return timespec(tv_sec: Int(t / 1_000_000_000), tv_nsec: Int(t % 1_000_000_000)) }
            return timespec(tv_sec: 0, tv_nsec: Int(SWVM_UTIME_OMIT))
        }
        return [one(atim, set: flags & 1 != 0, now: flags & 2 != 0), one(mtim, set: flags & 4 != 0, now: flags & 8 != 0)]
    }

    func fdstat(_ fd: UInt32, _ m: GuestMemory, _ out: UInt32) throws(WASIErrno) {
        let d = try descriptor(fd)
        var st = stat()
        guard fstat(d.host, &st) == 0 else { throw .current }
        let fl = fcntl(d.host, F_GETFL)
        var flags: UInt16 = 0
        if fl & O_APPEND != 0 { flags |= 1 }
        if fl & O_DSYNC != 0 { flags |= 2 }
        if fl & O_NONBLOCK != 0 { flags |= 4 }
        if fl & O_SYNC == O_SYNC { flags |= 16 }
        try m.store(WASIFileType(mode: st.st_mode).rawValue, at: out)
        try m.store(flags, at: out &+ 2)
        try m.store(d.base.rawValue, at: out &+ 8)
        try m.store(d.inheriting.rawValue, at: out &+ 16)
    }

    static func writeFilestat(_ st: stat, _ m: GuestMemory, _ out: UInt32) throws(WASIErrno) {
        func ns(_ t: timespec) -> UInt64 { UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec) }
        try m.store(UInt64(st.st_dev), at: out)
        try m.store(UInt64(st.st_ino), at: out &+ 8)
        try m.store(UInt64(WASIFileType(mode: st.st_mode).rawValue), at: out &+ 16)
        try m.store(UInt64(st.st_nlink), at: out &+ 24)
        try m.store(UInt64(st.st_size), at: out &+ 32)
        try m.store(ns(st.st_atim), at: out &+ 40)
        try m.store(ns(st.st_mtim), at: out &+ 48)
        try m.store(ns(st.st_ctim), at: out &+ 56)
    }

    /// Runs `body` with the parent directory of `path` (opened beneath the directory `fd`,
    /// which must hold `needed`) and the last component. The last component may not be ".."
    /// (that would name a directory above the parent).
    ///
    /// A trailing slash says the last component is a directory. It stays on the name given to
    /// `body`, so the kernel applies POSIX's rules (`file/` is ENOTDIR, a link or symlink
    /// named `new/` is ENOENT, `dir/` works) — except on a symlink, which a trailing slash
    /// would make the kernel follow even in calls that never follow (unlink, lstat), outside
    /// our beneath-resolution: there the link must resolve beneath the directory to a
    /// directory, and `body` gets the bare name.
    func atParent(_ fd: UInt32, _ needed: WASIRights, _ path: String, allowDot: Bool = false,
                  _ body: (Int32, String) throws(WASIErrno) -> Void) throws(WASIErrno) {
        let d = try directory(fd, needed)
        guard !path.isEmpty else { throw .noent }
        guard !path.hasPrefix("/") else { throw .notcapable }
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let trailingSlash = trimmed.count < path.count
        let parent: String, last: String
        if let slash = trimmed.lastIndex(of: "/") {
            parent = String(trimmed[..<slash])
            last = String(trimmed[trimmed.index(after: slash)...])
        } else {
            parent = "."
            last = String(trimmed)
        }
        if last == ".." { throw .notcapable }
        if last == "." && !allowDot { throw .inval }
        let dir = swvm_open_beneath(d.host, parent.isEmpty ? "." : parent, SWVM_O_PATH | O_DIRECTORY, 0, 1)
        guard dir >= 0 else { throw .current }
        defer { close(dir) }
        guard trailingSlash, last != "." else { return try body(dir, last) }
        var st = stat()
        if fstatat(dir, last, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_mode & S_IFMT == S_IFLNK {
            let target = swvm_open_beneath(dir, last, SWVM_O_PATH | O_DIRECTORY, 0, 1)
            guard target >= 0 else { throw .current }
            close(target)
            try body(dir, last)
        } else {
            try body(dir, last + "/")
        }
    }

    /// The directory descriptor `fd` holding `needed`: ENOTDIR for a file before ENOTCAPABLE
    /// (a file never holds directory rights), so the program learns what is wrong, as POSIX
    /// says for openat or fdopendir on a file.
    func directory(_ fd: UInt32, _ needed: WASIRights) throws(WASIErrno) -> Descriptor {
        let d = try descriptor(fd)
        guard d.isDirectory else { throw .notdir }
        guard d.base.isSuperset(of: needed) else { throw .notcapable }
        return d
    }

    /// Fails unless `path` resolves (following symlinks) inside the directory `fd`.
    func checkBeneath(_ fd: UInt32, _ path: String) throws(WASIErrno) {
        let f = swvm_open_beneath(try descriptor(fd).host, path, SWVM_O_PATH, 0, 1)
        guard f >= 0 else { throw .current }
        close(f)
    }

    func pathOpen(_ a: Args, _ m: GuestMemory) throws(WASIErrno) {
        let oflags = a.u32(4), fdflags = a.u32(7)
        let requested = WASIRights(rawValue: a.u64(5)), requestedInheriting = WASIRights(rawValue: a.u64(6))
        // witx: path_open needs path_open; creating needs path_create_file; oflags::trunc needs
        // path_filestat_set_size.
        var needed: WASIRights = .pathOpen
        if oflags & 1 != 0 { needed.insert(.pathCreateFile) }
        if oflags & 8 != 0 { needed.insert(.pathFilestatSetSize) }
        let d = try directory(a.u32(0), needed)
        let path = try m.string(a.u32(2), a.u32(3))
        let follow: Int32 = a.u32(1) & 1 != 0 ? 1 : 0
        // Rights the directory may not pass on are dropped, not refused (see WASIRights).
        let granted = requested.intersection(d.inheriting)
        var flags: Int32
        if oflags & 2 != 0 {
            // A directory cannot be opened for writing (wasmtime: EISDIR, as Linux says for
            // O_WRONLY | O_DIRECTORY).
            guard !granted.contains(.fdWrite) else { throw .isdir }
            flags = O_RDONLY | O_DIRECTORY
        } else if !granted.isDisjoint(with: .writing) {
            flags = granted.contains(.fdRead) ? O_RDWR : O_WRONLY
        } else {
            flags = O_RDONLY
        }
        if oflags & 1 != 0 { flags |= O_CREAT }
        if oflags & 4 != 0 { flags |= O_EXCL }
        if oflags & 8 != 0 { flags |= O_TRUNC }
        if fdflags & 1 != 0 { flags |= O_APPEND }
        if fdflags & 2 != 0 { flags |= O_DSYNC }
        if fdflags & 4 != 0 { flags |= O_NONBLOCK }
        if fdflags & 16 != 0 { flags |= O_SYNC }
        var host = swvm_open_beneath(d.host, path, flags, 0o666, follow)
        if host < 0 && errno == EISDIR && flags & O_CREAT == 0 && !granted.contains(.fdWrite) {
            // A directory asked for with only sizing or allocating rights (which a directory
            // cannot hold anyway): open it for reading.
            host = swvm_open_beneath(d.host, path, O_RDONLY | O_DIRECTORY, 0, follow)
        }
        guard host >= 0 else { throw .current }
        var st = stat()
        fstat(host, &st)
        let isDirectory = st.st_mode & S_IFMT == S_IFDIR
        // A trailing slash names a directory. openat2 says ENOTDIR for `file/` itself, but the
        // component-by-component fallback drops empty components: check here for both.
        if path.hasSuffix("/") && !isDirectory {
            close(host)
            throw .notdir
        }
        let base = granted.intersection(isDirectory ? .directory : .file)
        let inheriting = requestedInheriting.intersection(d.inheriting)
        let fd = allocate(Descriptor(host: host, isDirectory: isDirectory, base: base, inheriting: inheriting))
        try m.store(UInt32(bitPattern: fd), at: a.u32(8))
    }

    func readdir(_ a: Args, _ m: GuestMemory) throws(WASIErrno) {
        let d = try directory(a.u32(0), .fdReaddir)
        let cookie = a.u64(3)
        if cookie == 0 || d.entries == nil {
            let copy = dup(d.host)
            guard copy >= 0, let dir = fdopendir(copy) else { throw .current }
            rewinddir(dir)
            var entries: [(name: [UInt8], type: UInt8, ino: UInt64)] = []
            while let e = Glibc.readdir(dir) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
                let type: UInt8
                switch Int32(e.pointee.d_type) {
                case Int32(DT_DIR): type = 3
                case Int32(DT_REG): type = 4
                case Int32(DT_LNK): type = 7
                case Int32(DT_CHR), Int32(DT_FIFO): type = 2
                case Int32(DT_BLK): type = 1
                case Int32(DT_SOCK): type = 6
                default: type = 0
                }
                entries.append((name, type, UInt64(e.pointee.d_ino)))
            }
            closedir(dir)
            d.entries = entries
        }
        let entries = d.entries!
        let buffer = try m.buffer(a.u32(1), a.u32(2))
        var used = 0
        var i = Int(min(cookie, UInt64(entries.count)))
        while i < entries.count && used < buffer.count {
            var record = [UInt8](repeating: 0, count: 24)
            record.withUnsafeMutableBytes { r in
                r.storeBytes(of: UInt64(i + 1).littleEndian, toByteOffset: 0, as: UInt64.self)
                r.storeBytes(of: entries[i].ino.littleEndian, toByteOffset: 8, as: UInt64.self)
                r.storeBytes(of: UInt32(entries[i].name.count).littleEndian, toByteOffset: 16, as: UInt32.self)
                r[20] = entries[i].type
            }
            record += entries[i].name
            // The last record may be cut short: the program then asks again with a larger buffer.
            let n = min(record.count, buffer.count - used)
            for k in 0..<n { buffer[used + k] = record[k] }
            used += n
            i += 1
        }
        try m.store(UInt32(used), at: a.u32(4))
    }

    func pollOneoff(_ a: Args, _ m: GuestMemory) throws(WASIErrno) {
        let input = a.u32(0), output = a.u32(1), count = a.u32(2)
        guard count > 0, count <= 4096 else { throw .inval }
        var ready: [(userdata: UInt64, error: UInt16, type: UInt8)] = []
        var clocks: [(userdata: UInt64, wait: UInt64)] = []
        for k in 0..<count {
            let base = input &+ k &* 48
            let userdata = try m.u64(base)
            let tag = try m.pointer(base &+ 8, 1).load(as: UInt8.self)
            switch tag {
            case 0:
                let id = try m.u32(base &+ 16)
                let timeout = try m.u64(base &+ 24)
                let absolute = try m.pointer(base &+ 40, 2).loadUnaligned(as: UInt16.self) & 1 != 0
                let now = try WASI.now(id)
                clocks.append((userdata, absolute ? (timeout > now ? timeout - now : 0) : timeout))
            case 1, 2:
                // witx: poll_fd_readwrite, or fd_read / fd_write for their own event.
                let fd = try m.u32(base &+ 16)
                var error = WASIErrno.success
                if let d = descriptors[Int32(bitPattern: fd)] {
                    if !d.base.contains(.pollFdReadwrite) && !d.base.contains(tag == 1 ? .fdRead : .fdWrite) { error = .notcapable }
                } else {
                    error = .badf
                }
                ready.append((userdata, error.rawValue, tag))
            default:
                throw .inval
            }
        }
        if ready.isEmpty, let shortest = clocks.map(\.wait).min() {
            var ts = timespec(tv_sec: Int(shortest / 1_000_000_000), tv_nsec: Int(shortest % 1_000_000_000))
            var remaining = timespec()
            while nanosleep(&ts, &remaining) != 0 && errno == EINTR { ts = remaining }
            for c in clocks where c.wait <= shortest { ready.append((c.userdata, 0, 0)) }
        }
        for (k, e) in ready.enumerated() {
            let base = output &+ UInt32(k) &* 32
            try m.buffer(base, 32).initializeMemory(as: UInt8.self, repeating: 0)
            try m.store(e.userdata, at: base)
            try m.store(e.error, at: base &+ 8)
            try m.store(e.type, at: base &+ 10)
        }
        try m.store(UInt32(ready.count), at: a.u32(3))
    }
}

// MARK: - Sockets

extension WASI {
    /// The descriptor `fd` if it is a socket: EBADF when there is no such descriptor,
    /// ENOTSOCK when it is not a socket (checked before the rights, which a non-socket never
    /// holds, so the program learns what is wrong), ENOTCAPABLE without `needed`.
    /// swvm opens no sockets itself; a host may hand one in as stdio.
    func socket(_ fd: UInt32, _ needed: WASIRights) throws(WASIErrno) -> Descriptor {
        let d = try descriptor(fd)
        var st = stat()
        guard fstat(d.host, &st) == 0 else { throw .current }
        guard st.st_mode & S_IFMT == S_IFSOCK else { throw .notsock }
        guard d.base.isSuperset(of: needed) else { throw .notcapable }
        return d
    }

    func sockShutdown(_ a: Args) throws(WASIErrno) {
        let d = try socket(a.u32(0), .sockShutdown)
        let how: Int32
        switch a.u32(1) {  // sdflags: RD 1, WR 2
        case 1: how = Int32(SHUT_RD)
        case 2: how = Int32(SHUT_WR)
        case 3: how = Int32(SHUT_RDWR)
        default: throw .inval
        }
        guard shutdown(d.host, how) == 0 else { throw .current }
    }

    func sockAccept(_ a: Args, _ m: GuestMemory) throws(WASIErrno) {
        let d = try socket(a.u32(0), .sockAccept)
        guard a.u32(1) & ~4 == 0 else { throw .inval }  // fdflags: only nonblock
        let host = accept(d.host, nil, nil)  // (accept4 is not in Glibc's Swift overlay)
        guard host >= 0 else { throw .current }
        _ = fcntl(host, F_SETFD, FD_CLOEXEC)
        if a.u32(1) & 4 != 0 { _ = fcntl(host, F_SETFL, fcntl(host, F_GETFL) | O_NONBLOCK) }
        let rights: WASIRights = [.fdRead, .fdWrite, .pollFdReadwrite, .fdFilestatGet, .fdFdstatSetFlags, .sockShutdown]
        let fd = allocate(Descriptor(host: host, isDirectory: false, base: rights, inheriting: []))
        do throws(WASIErrno) { try m.store(UInt32(bitPattern: fd), at: a.u32(2)) } catch {
            close(host)
            descriptors[fd] = nil
            throw error
        }
    }

    func sockRecv(_ a: Args, _ m: GuestMemory) throws(WASIErrno) {
        let d = try socket(a.u32(0), .fdRead)
        let riflags = a.u32(3)  // RECV_PEEK 1, RECV_WAITALL 2
        guard riflags & ~3 == 0 else { throw .inval }
        var iovs = try m.iovecs(a.u32(1), a.u32(2)).map { iovec(iov_base: $0.baseAddress, iov_len: $0.count) }
        let n = iovs.withUnsafeMutableBufferPointer { v -> Int in
            var msg = msghdr()
            msg.msg_iov = v.baseAddress
            msg.msg_iovlen = v.count
            return recvmsg(d.host, &msg, (riflags & 1 != 0 ? Int32(MSG_PEEK) : 0) | (riflags & 2 != 0 ? Int32(MSG_WAITALL) : 0))
        }
        guard n >= 0 else { throw .current }
        try m.store(UInt32(n), at: a.u32(4))
        try m.store(UInt16(0), at: a.u32(5))
    }

    func sockSend(_ a: Args, _ m: GuestMemory) throws(WASIErrno) {
        let d = try socket(a.u32(0), .fdWrite)
        var iovs = try m.iovecs(a.u32(1), a.u32(2)).map { iovec(iov_base: $0.baseAddress, iov_len: $0.count) }
        let n = iovs.withUnsafeMutableBufferPointer { v -> Int in
            var msg = msghdr()
            msg.msg_iov = v.baseAddress
            msg.msg_iovlen = v.count
            return sendmsg(d.host, &msg, Int32(MSG_NOSIGNAL))
        }
        guard n >= 0 else { throw .current }
        try m.store(UInt32(n), at: a.u32(4))
    }
}
