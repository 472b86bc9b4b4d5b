#!/usr/bin/env python3
"""Runs a WASI command under wasm3 (pywasm3, which has no WASI of its own) for timing next to
swvm: arguments, environment, stdin/stdout/stderr, files in pre-opened directories, clocks and
proc_exit. A measurement helper, not a runtime: its sandboxing is a path check, no more.

usage: wasm3_wasi.py [--dir HOST[::GUEST]]... PROGRAM.wasm [ARGS...]

Two pywasm3 0.5.0 pitfalls it works around:
  * Its wasm3 resolves `find_function("_start")` by the name section before the exports. wasm-ld
    names the C runtime's `_start` "_start" and exports a wrapper, `_start.command_export`, that
    calls it and then `__wasm_call_dtors` (which flushes stdio). Calling the inner `_start` skips
    the flush: a program that returns 0 from main loses all output still buffered (only what was
    written before stdout became fully buffered appears). The shim drops the name section, so
    the only `_start` is the export.
  * An import the shim does not define would fail to link; each one gets a stub that returns
    ENOSYS and says so on stderr, instead of silently missing.
"""
import os
import stat as S
import struct
import sys
import time

import wasm3

W = "wasi_snapshot_preview1"
ESUCCESS, EBADF, EEXIST, EINVAL, EIO, EISDIR, ENOENT, ENOSYS, ENOTDIR, ENOTCAPABLE = 0, 8, 20, 28, 29, 31, 44, 52, 54, 76
FILETYPE_CHAR, FILETYPE_DIR, FILETYPE_FILE = 2, 3, 4


class Exit(Exception):
    pass


# ---- the module: sections we read (types, imports) and the one we drop (names) ----
def leb(data, i):
    result = shift = 0
    while True:
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, i


VALTYPES = {0x7F: "i", 0x7E: "I", 0x7D: "f", 0x7C: "F"}


def inspect(data):
    """Returns (the module without its name section, {(module, field): signature})."""
    out, i, types, imports = bytearray(data[:8]), 8, [], {}
    while i < len(data):
        sid = data[i]
        size, start = leb(data, i + 1)
        end = start + size
        if sid == 0:
            n, k = leb(data, start)
            if data[k:k + n] == b"name":
                i = end
                continue
        if sid == 1:
            count, k = leb(data, start)
            for _ in range(count):
                k += 1  # 0x60
                np, k = leb(data, k)
                params = "".join(VALTYPES[t] for t in data[k:k + np])
                k += np
                nr, k = leb(data, k)
                results = "".join(VALTYPES[t] for t in data[k:k + nr])
                k += nr
                types.append(f"{results or 'v'}({params})")
        if sid == 2:
            count, k = leb(data, start)
            for _ in range(count):
                n, k = leb(data, k)
                module = data[k:k + n].decode()
                k += n
                n, k = leb(data, k)
                field = data[k:k + n].decode()
                k += n
                kind = data[k]
                k += 1
                if kind == 0:
                    t, k = leb(data, k)
                    imports[(module, field)] = types[t]
                elif kind == 1:
                    k += 1
                    flags, k = leb(data, k)
                    _, k = leb(data, k)
                    if flags & 1:
                        _, k = leb(data, k)
                elif kind == 2:
                    flags, k = leb(data, k)
                    _, k = leb(data, k)
                    if flags & 1:
                        _, k = leb(data, k)
                else:
                    k += 2
        out += data[i:end]
        i = end
    return bytes(out), imports


# ---- WASI ----
class Wasi:
    def __init__(self, rt, argv, env, dirs):
        self.rt, self.argv, self.env = rt, argv, env
        self.fds = {0: ("stdio", sys.stdin.buffer), 1: ("stdio", sys.stdout.buffer), 2: ("stdio", sys.stderr.buffer)}
        self.preopens = {}
        for host, guest in dirs:
            fd = len(self.fds)
            self.fds[fd] = ("dir", os.path.realpath(host))
            self.preopens[fd] = guest.encode()

    def mem(self):
        return self.rt.get_memory(0)

    def string(self, ptr, length):
        return bytes(self.mem()[ptr:ptr + length]).decode()

    def put_strings(self, items, ptrs, buf):
        m = self.mem()
        for i, s in enumerate(items):
            struct.pack_into("<I", m, ptrs + 4 * i, buf)
            m[buf:buf + len(s) + 1] = s + b"\0"
            buf += len(s) + 1
        return ESUCCESS

    def sizes(self, items, count_p, size_p):
        m = self.mem()
        struct.pack_into("<I", m, count_p, len(items))
        struct.pack_into("<I", m, size_p, sum(len(s) + 1 for s in items))
        return ESUCCESS

    def args_sizes_get(self, c, s):
        return self.sizes(self.argv, c, s)

    def args_get(self, p, b):
        return self.put_strings(self.argv, p, b)

    def environ_sizes_get(self, c, s):
        return self.sizes(self.env, c, s)

    def environ_get(self, p, b):
        return self.put_strings(self.env, p, b)

    def iovecs(self, iovs, n):
        m = self.mem()
        return [struct.unpack_from("<II", m, iovs + 8 * i) for i in range(n)]

    def fd_write(self, fd, iovs, n, nwritten):
        kind, f = self.fds.get(fd, (None, None))
        if kind not in ("stdio", "file"):
            return EBADF
        m, total = self.mem(), 0
        for ptr, length in self.iovecs(iovs, n):
            data = bytes(m[ptr:ptr + length])
            if kind == "stdio":
                f.write(data)
            else:
                os.write(f, data)
            total += length
        struct.pack_into("<I", m, nwritten, total)
        return ESUCCESS

    def fd_read(self, fd, iovs, n, nread):
        kind, f = self.fds.get(fd, (None, None))
        if kind not in ("stdio", "file"):
            return EBADF
        m, total = self.mem(), 0
        for ptr, length in self.iovecs(iovs, n):
            data = f.read1(length) if kind == "stdio" else os.read(f, length)
            m[ptr:ptr + len(data)] = data
            total += len(data)
            if len(data) < length:
                break
        struct.pack_into("<I", m, nread, total)
        return ESUCCESS

    def fd_seek(self, fd, offset, whence, newoffset):
        kind, f = self.fds.get(fd, (None, None))
        if kind != "file":
            return EBADF if kind is None else 70  # ESPIPE
        struct.pack_into("<Q", self.mem(), newoffset, os.lseek(f, offset, whence))
        return ESUCCESS

    def fd_close(self, fd):
        kind, f = self.fds.pop(fd, (None, None))
        if kind == "file":
            os.close(f)
        return ESUCCESS if kind else EBADF

    def fd_fdstat_get(self, fd, buf):
        kind, _ = self.fds.get(fd, (None, None))
        if kind is None:
            return EBADF
        filetype = {"stdio": FILETYPE_CHAR, "dir": FILETYPE_DIR, "file": FILETYPE_FILE}[kind]
        # Without the seek and tell rights wasi-libc takes the stream for a terminal and line
        # buffers it: only when it is one on the host.
        rights = 0x1FFFFFFF if kind != "stdio" or not os.isatty(fd) else 0x1FFFFFFF & ~(4 | 32)
        struct.pack_into("<BxHxxxxQQ", self.mem(), buf, filetype, 0, rights, rights)
        return ESUCCESS

    def fd_filestat_get(self, fd, buf):
        kind, f = self.fds.get(fd, (None, None))
        if kind is None:
            return EBADF
        st = os.fstat(f) if kind == "file" else os.stat(f) if kind == "dir" else os.fstat(f.fileno())
        return self.put_filestat(buf, st)

    def put_filestat(self, buf, st):
        filetype = FILETYPE_DIR if S.S_ISDIR(st.st_mode) else FILETYPE_FILE if S.S_ISREG(st.st_mode) else FILETYPE_CHAR
        struct.pack_into("<QQBxxxxxxxQQQQQ", self.mem(), buf, st.st_dev, st.st_ino, filetype, st.st_nlink,
                         st.st_size, st.st_atime_ns, st.st_mtime_ns, st.st_ctime_ns)
        return ESUCCESS

    def fd_prestat_get(self, fd, buf):
        if fd not in self.preopens:
            return EBADF
        struct.pack_into("<BxxxI", self.mem(), buf, 0, len(self.preopens[fd]))
        return ESUCCESS

    def fd_prestat_dir_name(self, fd, ptr, length):
        if fd not in self.preopens:
            return EBADF
        name = self.preopens[fd][:length]
        self.mem()[ptr:ptr + len(name)] = name
        return ESUCCESS

    def resolve(self, dirfd, ptr, length):
        kind, root = self.fds.get(dirfd, (None, None))
        if kind != "dir":
            return None, EBADF if kind is None else ENOTDIR
        rel = self.string(ptr, length)
        full = os.path.realpath(os.path.join(root, rel))
        if os.path.isabs(rel) or (full != root and not full.startswith(root + os.sep)):
            return None, ENOTCAPABLE
        return full, ESUCCESS

    def path_open(self, dirfd, dirflags, ptr, length, oflags, rights, inheriting, fdflags, opened):
        path, err = self.resolve(dirfd, ptr, length)
        if err:
            return err
        if os.path.isdir(path):
            if oflags & 1 and oflags & 4:
                return EEXIST
            fd = max(self.fds) + 1
            self.fds[fd] = ("dir", path)
        else:
            if oflags & 2:
                return ENOTDIR if os.path.exists(path) else ENOENT
            want_read, want_write = rights & (1 << 1), rights & ((1 << 6) | (1 << 3))
            flags = os.O_RDWR if want_read and want_write else os.O_WRONLY if want_write else os.O_RDONLY
            flags |= (os.O_CREAT if oflags & 1 else 0) | (os.O_EXCL if oflags & 4 else 0)
            flags |= (os.O_TRUNC if oflags & 8 else 0) | (os.O_APPEND if fdflags & 1 else 0)
            try:
                handle = os.open(path, flags, 0o644)
            except FileNotFoundError:
                return ENOENT
            except FileExistsError:
                return EEXIST
            except IsADirectoryError:
                return EISDIR
            except OSError:
                return EIO
            fd = max(self.fds) + 1
            self.fds[fd] = ("file", handle)
        struct.pack_into("<I", self.mem(), opened, fd)
        return ESUCCESS

    def path_filestat_get(self, dirfd, flags, ptr, length, buf):
        path, err = self.resolve(dirfd, ptr, length)
        if err:
            return err
        try:
            return self.put_filestat(buf, os.stat(path))
        except FileNotFoundError:
            return ENOENT

    def clock_time_get(self, clock, precision, out):
        ns = time.time_ns() if clock == 0 else time.monotonic_ns() if clock == 1 else time.process_time_ns()
        struct.pack_into("<Q", self.mem(), out, ns)
        return ESUCCESS

    def random_get(self, ptr, length):
        self.mem()[ptr:ptr + length] = os.urandom(length)
        return ESUCCESS

    def fd_fdstat_set_flags(self, fd, flags):
        return ESUCCESS if fd in self.fds else EBADF

    def proc_exit(self, code):
        raise Exit(code)


def main():
    args, dirs = sys.argv[1:], []
    while args and args[0] == "--dir":
        host, _, guest = args[1].partition("::")
        dirs.append((host, guest or host))
        args = args[2:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    path = args[0]
    data, imports = inspect(open(path, "rb").read())
    env = wasm3.Environment()
    rt = env.new_runtime(64 << 20)
    mod = env.parse_module(data)
    rt.load(mod)
    wasi = Wasi(rt, [os.path.basename(path).encode()] + [a.encode() for a in args[1:]], [], dirs)

    def stub(module, field):
        def missing(*_):
            print(f"wasm3_wasi: {module}.{field} is not implemented", file=sys.stderr)
            return ENOSYS
        return missing

    for (module, field), sig in imports.items():
        fn = getattr(wasi, field, None) if module == W else None
        mod.link_function(module, field, sig, fn or stub(module, field))
    start = time.perf_counter()
    code = 0
    try:
        rt.find_function("_start")()
    except Exit as e:
        code = e.args[0]
    except RuntimeError as e:  # a trap
        print(f"wasm3: {e}", file=sys.stderr)
        code = 134
    sys.stdout.flush()
    print(f"wasm3 run time: {time.perf_counter() - start:.3f} s", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
