import Glibc

/// WASI preview1 error numbers (they differ from Linux's).
public enum WASIErrno: UInt16, Error {
    case success = 0, toobig = 1, acces = 2, addrinuse = 3, again = 6, badf = 8, busy = 10
    case exist = 20, fault = 21, fbig = 22, inval = 28, io = 29, isdir = 31, loop = 32, mfile = 33
    case mlink = 34, nametoolong = 37, nfile = 41, noent = 44, nomem = 48, nospc = 51, nosys = 52
    case notdir = 54, notempty = 55, notsock = 57, notsup = 58, nxio = 60, perm = 63, pipe = 64, range = 68
    case rofs = 69, spipe = 70, xdev = 75, notcapable = 76

    /// The WASI error for a Linux errno. EXDEV from openat2's RESOLVE_BENEATH means an attempt
    /// to leave the pre-opened directory.
    public init(posix e: Int32) {
        switch e {
        case 0: self = .success
        case E2BIG: self = .toobig
        case EACCES: self = .acces
        case EAGAIN: self = .again
        case EBADF: self = .badf
        case EBUSY: self = .busy
        case EEXIST: self = .exist
        case EFAULT: self = .fault
        case EFBIG: self = .fbig
        case EINVAL: self = .inval
        case EISDIR: self = .isdir
        case ELOOP: self = .loop
        case EMFILE: self = .mfile
        case EMLINK: self = .mlink
        case ENAMETOOLONG: self = .nametoolong
        case ENFILE: self = .nfile
        case ENOENT: self = .noent
        case ENOMEM: self = .nomem
        case ENOSPC: self = .nospc
        case ENOSYS: self = .nosys
        case ENOTDIR: self = .notdir
        case ENOTSOCK: self = .notsock
        case ENOTEMPTY: self = .notempty
        case EOPNOTSUPP: self = .notsup
        case ENXIO: self = .nxio
        case EPERM: self = .perm
        case EPIPE: self = .pipe
        case ERANGE: self = .range
        case EROFS: self = .rofs
        case ESPIPE: self = .spipe
        case EXDEV: self = .notcapable
        default: self = .io
        }
    }

    static var current: WASIErrno { WASIErrno(posix: errno) }
}

/// WASI file types.
enum WASIFileType: UInt8 {
    case unknown = 0, blockDevice = 1, characterDevice = 2, directory = 3, regularFile = 4
    case socketDgram = 5, socketStream = 6, symbolicLink = 7

    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFDIR: self = .directory
        case S_IFREG: self = .regularFile
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFLNK: self = .symbolicLink
        case S_IFSOCK: self = .socketStream
        // WASI has no pipe type; wasmtime says unknown. (Not a character device: wasi-libc's
        // isatty would then take a pipe for a terminal.)
        case S_IFIFO: self = .unknown
        default: self = .unknown
        }
    }
}
