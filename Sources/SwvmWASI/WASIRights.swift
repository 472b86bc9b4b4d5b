import Glibc

/// WASI preview1 rights (witx `rights`): what a descriptor may be used for.
///
/// The model, after the witx docs and wasi-common (wasmtime's preview1 implementation with
/// rights):
/// - a pre-opened directory holds every directory right (`directory`) as its base and every
///   directory and file right as its inheriting rights;
/// - `path_open` gives the new descriptor the rights it asked for, cut down to what the
///   directory's inheriting rights allow and to what its kind can use (`directory` or
///   `file`); rights beyond those are dropped silently, not refused (as wasi-common does, and
///   as wasi-libc expects: it asks for everything its access mode allows);
/// - the host file is opened for writing only when the granted rights include a writing one,
///   so the rights and the host descriptor agree;
/// - `fd_fdstat_set_rights` may only remove rights;
/// - every call checks the right it needs first and fails with ENOTCAPABLE without it.
struct WASIRights: OptionSet {
    let rawValue: UInt64

    static let fdDatasync = WASIRights(rawValue: 1 << 0)
    static let fdRead = WASIRights(rawValue: 1 << 1)
    static let fdSeek = WASIRights(rawValue: 1 << 2)
    static let fdFdstatSetFlags = WASIRights(rawValue: 1 << 3)
    static let fdSync = WASIRights(rawValue: 1 << 4)
    static let fdTell = WASIRights(rawValue: 1 << 5)
    static let fdWrite = WASIRights(rawValue: 1 << 6)
    static let fdAdvise = WASIRights(rawValue: 1 << 7)
    static let fdAllocate = WASIRights(rawValue: 1 << 8)
    static let pathCreateDirectory = WASIRights(rawValue: 1 << 9)
    static let pathCreateFile = WASIRights(rawValue: 1 << 10)
    static let pathLinkSource = WASIRights(rawValue: 1 << 11)
    static let pathLinkTarget = WASIRights(rawValue: 1 << 12)
    static let pathOpen = WASIRights(rawValue: 1 << 13)
    static let fdReaddir = WASIRights(rawValue: 1 << 14)
    static let pathReadlink = WASIRights(rawValue: 1 << 15)
    static let pathRenameSource = WASIRights(rawValue: 1 << 16)
    static let pathRenameTarget = WASIRights(rawValue: 1 << 17)
    static let pathFilestatGet = WASIRights(rawValue: 1 << 18)
    static let pathFilestatSetSize = WASIRights(rawValue: 1 << 19)
    static let pathFilestatSetTimes = WASIRights(rawValue: 1 << 20)
    static let fdFilestatGet = WASIRights(rawValue: 1 << 21)
    static let fdFilestatSetSize = WASIRights(rawValue: 1 << 22)
    static let fdFilestatSetTimes = WASIRights(rawValue: 1 << 23)
    static let pathSymlink = WASIRights(rawValue: 1 << 24)
    static let pathRemoveDirectory = WASIRights(rawValue: 1 << 25)
    static let pathUnlinkFile = WASIRights(rawValue: 1 << 26)
    static let pollFdReadwrite = WASIRights(rawValue: 1 << 27)
    static let sockShutdown = WASIRights(rawValue: 1 << 28)
    static let sockAccept = WASIRights(rawValue: 1 << 29)

    /// Every right a directory descriptor can use: the path operations beneath it, listing,
    /// its own status and times, and syncing it (fsync of a directory makes a rename durable).
    /// Not reading, writing, seeking or sizing: those are refused on directories.
    static let directory: WASIRights = [
        .pathCreateDirectory, .pathCreateFile, .pathLinkSource, .pathLinkTarget, .pathOpen,
        .fdReaddir, .pathReadlink, .pathRenameSource, .pathRenameTarget, .pathFilestatGet,
        .pathFilestatSetSize, .pathFilestatSetTimes, .fdFilestatGet, .fdFilestatSetTimes,
        .pathSymlink, .pathRemoveDirectory, .pathUnlinkFile, .fdSync, .fdDatasync,
    ]

    /// Every right a regular file (or device) descriptor can use.
    static let file: WASIRights = [
        .fdDatasync, .fdRead, .fdSeek, .fdFdstatSetFlags, .fdSync, .fdTell, .fdWrite, .fdAdvise,
        .fdAllocate, .fdFilestatGet, .fdFilestatSetSize, .fdFilestatSetTimes, .pollFdReadwrite,
    ]

    /// The rights that need the host file open for writing.
    static let writing: WASIRights = [.fdWrite, .fdAllocate, .fdFilestatSetSize]

    /// The rights of a host descriptor handed to the program as stdio (or another inherited
    /// descriptor): what its access mode allows, seeking only where the host can seek (so that
    /// wasi-libc's isatty, which looks for a character device without seek rights, answers
    /// right), and the socket rights on a socket.
    static func inherited(host: Int32) -> WASIRights {
        var st = stat()
        let fl = fcntl(host, F_GETFL)
        // A descriptor the host did not open: every file right, so that the calls reach the
        // host and report its EBADF rather than a missing right.
        guard fl >= 0, fstat(host, &st) == 0 else { return .file }
        var r: WASIRights = [.fdFilestatGet, .fdFdstatSetFlags, .fdFilestatSetTimes, .fdAdvise, .pollFdReadwrite]
        let mode = fl & O_ACCMODE
        if mode == O_RDONLY || mode == O_RDWR { r.insert(.fdRead) }
        if mode == O_WRONLY || mode == O_RDWR { r.formUnion([.fdWrite, .fdSync, .fdDatasync]) }
        if lseek(host, 0, SEEK_CUR) >= 0 {
            r.formUnion([.fdSeek, .fdTell])
            if r.contains(.fdWrite) && st.st_mode & S_IFMT == S_IFREG { r.formUnion([.fdAllocate, .fdFilestatSetSize]) }
        }
        if st.st_mode & S_IFMT == S_IFSOCK { r.formUnion([.sockShutdown, .sockAccept]) }
        return r
    }
}
