#!/usr/bin/env python3
"""Runs a WASI command under wasm3 (pywasm3, which has no WASI of its own) with the few WASI
calls a stdout-only program needs, for timing next to swvm. A measurement helper, not a runtime.

usage: wasm3_wasi.py PROGRAM.wasm [ARGS...]
"""
import struct
import sys
import time

import wasm3

path = sys.argv[1]
argv = [path.rsplit("/", 1)[-1].encode()] + [a.encode() for a in sys.argv[2:]]
env = wasm3.Environment()
rt = env.new_runtime(64 << 20)
mod = env.parse_module(open(path, "rb").read())
rt.load(mod)
W = "wasi_snapshot_preview1"


class Exit(Exception):
    pass


def mem():
    return rt.get_memory(0)


def args_sizes_get(argc_p, size_p):
    m = mem()
    struct.pack_into("<II", m, argc_p, len(argv), 0)
    struct.pack_into("<I", m, size_p, sum(len(a) + 1 for a in argv))
    return 0


def args_get(argv_p, buf_p):
    m = mem()
    for i, a in enumerate(argv):
        struct.pack_into("<I", m, argv_p + 4 * i, buf_p)
        m[buf_p:buf_p + len(a) + 1] = a + b"\0"
        buf_p += len(a) + 1
    return 0


def fd_write(fd, iovs, n, nwritten):
    m = mem()
    total = 0
    out = sys.stdout.buffer if fd == 1 else sys.stderr.buffer
    for i in range(n):
        ptr, length = struct.unpack_from("<II", m, iovs + 8 * i)
        out.write(bytes(m[ptr:ptr + length]))
        total += length
    struct.pack_into("<I", m, nwritten, total)
    return 0


def fd_fdstat_get(fd, buf):
    struct.pack_into("<BxHxxxxQQ", mem(), buf, 2, 0, 0x1FFFFFFF, 0x1FFFFFFF)
    return 0


def proc_exit(code):
    raise Exit(code)


for name, sig, fn in [("args_sizes_get", "i(ii)", args_sizes_get), ("args_get", "i(ii)", args_get),
                      ("fd_write", "i(iiii)", fd_write), ("fd_fdstat_get", "i(ii)", fd_fdstat_get),
                      ("fd_close", "i(i)", lambda fd: 0), ("fd_seek", "i(iIii)", lambda *a: 70),
                      ("environ_sizes_get", "i(ii)", lambda a, b: (struct.pack_into("<II", mem(), a, 0, 0), struct.pack_into("<I", mem(), b, 0))[-1] or 0),
                      ("environ_get", "i(ii)", lambda a, b: 0), ("proc_exit", "v(i)", proc_exit),
                      ("fd_prestat_get", "i(ii)", lambda fd, p: 8), ("fd_prestat_dir_name", "i(iii)", lambda *a: 8),
                      ("fd_fdstat_set_flags", "i(ii)", lambda fd, f: 0), ("fd_read", "i(iiii)", lambda *a: 8),
                      ("path_open", "i(iiiiiIIii)", lambda *a: 76)]:
    try:
        mod.link_function(W, name, sig, fn)
    except RuntimeError:
        pass  # not imported by this program
start = time.perf_counter()
code = 0
try:
    rt.find_function("_start")()
except Exit as e:
    code = e.args[0]
except Exception as e:  # a trap, or proc_exit wrapped by wasm3
    if "Exit" not in repr(e):
        print(f"wasm3: {e!r}", file=sys.stderr)
        code = 134
sys.stdout.flush()
print(f"wasm3 run time: {time.perf_counter() - start:.3f} s", file=sys.stderr)
sys.exit(code if isinstance(code, int) else 0)
