#!/usr/bin/env python3
"""Compiles the WASI test programs with clang-14 (--target=wasm32-wasi, Debian's wasi-libc; the
tail-call program with clang-19 -mtail-call, when installed) and runs them with `swvm run`,
comparing their output and exit codes.

usage: run.py --swvm PATH/TO/swvm --out BUILD_DIR [--wasi-host PATH/TO/wasi_host]
With --wasi-host (c-examples/wasi_host), the preview1 program runs again through the C API's
WASI (swvm_linker_define_wasi), which must answer exactly as `swvm run` does.
Prints one line per program and a closing `N passed, N failed` line; exits 1 on a failure.
"""
import argparse
import hashlib
import os
import shutil
import socket
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# preview1.c's output: the errno of every check (see the program for what each pins down).
PREVIEW1 = """\
preopen base 0x7bffe11 inheriting 0xfffffff
preopen holds fd_filestat_set_size: 0
mkdir p1: ok
open p1 with fd_write: EISDIR
open p1: ok
p1 base 0x7bffe11 inheriting 0xfffffff (asked for all the pre-open hands on but fd_write)
create f read-only: ok
read-only base 0x2
fd_write on read-only: ENOTCAPABLE
fd_read on read-only: ok
path_open through a file: ENOTDIR
fd_readdir on a file: ENOTDIR
write-only base 0x40
fd_read on write-only: ENOTCAPABLE
fd_write on write-only: ok
drop fd_write: ok
fd_write after dropping it: ENOTCAPABLE
fd_read kept: ok
fd_seek kept: ok
give fd_write back: ENOTCAPABLE
drop fd_seek, keep fd_tell: ok
fd_seek(cur, 0) with fd_tell: ok
fd_seek(set, 0) without fd_seek: ENOTCAPABLE
open p1 with few rights: ok
file through it: ok, base 0x2
fd_write on it: ENOTCAPABLE
truncate without path_filestat_set_size: ENOTCAPABLE
create without path_create_file: ENOTCAPABLE
unlink without path_unlink_file: ENOTCAPABLE
mkdir without path_create_directory: ENOTCAPABLE
directory asked for seek: ok, base 0x4000
fd_seek on a directory: ENOTCAPABLE
fd_tell on a directory: ENOTCAPABLE
fd_filestat_set_size on a directory: ENOTCAPABLE
fd_read on a directory: ENOTCAPABLE
open a directory for writing: EISDIR
mkdir d: ok
unlink f/: ENOTDIR
unlink d/: EISDIR
symlink to new/: ENOENT
symlink onto f/: EEXIST
link f to new/: ENOENT
link f/ to new: ENOTDIR
stat f/: ENOTDIR
stat d/: ok
open f/: ENOTDIR
symlink sd -> d: ok
stat sd/ (a link to a directory): ok
symlink sf -> f: ok
unlink sf/ (a link to a file): ENOTDIR
rmdir d/: ok
fd times MTIM|MTIM_NOW: EINVAL
fd times ATIM|ATIM_NOW: EINVAL
fd times ATIM|MTIM_NOW: ok
path times MTIM|MTIM_NOW: EINVAL
path times ATIM|ATIM_NOW: EINVAL
symlink to /: EPERM
symlink to /etc/passwd: EPERM
path_link with SYMLINK_FOLLOW: EINVAL
path_link of a symlink: ok
sock_shutdown on a closed fd: EBADF
sock_shutdown on stdout: ENOTSOCK
sock_accept on stdout: ENOTSOCK
stdout: filetype 0, write 1, read 0, seek 0
rmdir p1: ok
"""


# Programs that need a newer compiler than clang-14: (compiler, extra flags). Run only when
# the compiler is installed (Debian's clang-19 emits Wasm 3.0 tail calls with -mtail-call).
COMPILERS = {"tail_calls": ("clang-19", ["-mtail-call"])}


def compile_program(name, out):
    wasm = os.path.join(out, name + ".wasm")
    src = os.path.join(HERE, name + ".c")
    cc, flags = COMPILERS.get(name, ("clang-14", []))
    if not os.path.exists(wasm) or os.path.getmtime(wasm) < os.path.getmtime(src):
        subprocess.run([cc, "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-g",
                        "-D_WASI_EMULATED_PROCESS_CLOCKS"] + flags + [src, "-o", wasm], check=True)
    return wasm


def check_toolkit(swvm, out):
    toolkit = os.path.join(HERE, "..", "..", "bench", "programs", "toolkit")
    sources = sorted(os.path.join(toolkit, f) for f in os.listdir(toolkit) if f.endswith(".c"))
    wasm = os.path.join(out, "toolkit.wasm")
    native = os.path.join(out, "toolkit-native")
    # --stack-first: a stack overflow traps instead of overwriting static data.
    subprocess.run(["clang-14", "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-Wl,--stack-first", "-o", wasm]
                   + sources + ["-lm"], check=True)
    subprocess.run(["cc", "-O2", "-o", native] + sources + ["-lm"], check=True)
    problems = []
    tk = os.path.join(out, "tk")
    shutil.rmtree(tk, ignore_errors=True)
    os.makedirs(tk)

    def both(args, stdin=None):
        """Runs the toolkit natively (in `out`) and under swvm (with out/tk pre-opened as tk)."""
        n = subprocess.run([native] + args, input=stdin, capture_output=True, cwd=out, timeout=60)
        w = subprocess.run([swvm, "run", "--dir", os.path.join(out, "tk") + "::tk", wasm] + args, input=stdin,
                           capture_output=True, cwd=out, timeout=300)
        if (n.stdout, n.returncode) != (w.stdout, w.returncode):
            problems.append(f"{' '.join(args)}: swvm exit {w.returncode} {w.stdout[-200:]!r} {w.stderr[-300:]!r}, "
                            f"native exit {n.returncode} {n.stdout[-200:]!r}")
        return n

    r = both(["selftest", "1"])
    if not r.stdout.endswith(b"== all ok\n"):
        problems.append(f"native selftest failed: {r.stdout[-300:]!r}")
    # Commands on files: a compress/decompress round trip through the pre-opened directory.
    words = [b"alpha", b"beta", b"gamma", b"delta", b"epsilon", b"42", b"7", b"100"]
    lines = [b" ".join(words[(i * 7 + k * 3) % len(words)] for k in range(i % 6 + 1)) for i in range(4000)]
    original = b"\n".join(lines) + b"\n"
    with open(os.path.join(tk, "in.txt"), "wb") as f:
        f.write(original)
    with open(os.path.join(tk, "doc.json"), "w") as f:
        f.write('{"a": [1, 2.5e3, {"b": "caf\\u00e9 \\ud83d\\ude00"}], "c": null, "d": [true, false]}')
    both(["compress", "tk/in.txt", "tk/in.tkz"])
    both(["decompress", "tk/in.tkz", "tk/out.txt"])
    with open(os.path.join(tk, "out.txt"), "rb") as f:
        if f.read() != original:
            problems.append("decompress under swvm did not restore the file")
    r = both(["sha256", "tk/in.txt", "tk/in.tkz", "tk/out.txt"])
    if not r.stdout.startswith(hashlib.sha256(original).hexdigest().encode()):
        problems.append(f"sha256 {r.stdout[:64]!r}")
    for args in (["grep", "-c", "-n", "^alpha.*(beta|42)$", "tk/in.txt"], ["grep", "-o", "[0-9]+", "tk/in.txt"],
                 ["sort", "-n", "-r", "tk/in.txt"], ["uniq", "-c", "tk/in.txt"], ["wc", "tk/in.txt", "tk/doc.json"],
                 ["freq", "5", "tk/in.txt"], ["json", "pretty", "tk/doc.json"], ["json", "query", ".a[2].b", "tk/doc.json"],
                 ["fact", "200"], ["divmod", "-123456789012345678901234567890", "987654321987"]):
        both(args)
    both(["sort", "-u"], stdin=original)
    both(["run", "-"], stdin=b'let m = {"x": big(2)}; for (i in 3) { m["x"] = m["x"] * m["x"]; } print(m, sha256(m));')
    return not problems, problems


def check_sockets(swvm, out):
    """sockets.c with stdin a socket (one end of a socketpair): sock_recv, sock_send and
    sock_shutdown on it, seen from the other end."""
    wasm = compile_program("sockets", out)
    ours, theirs = socket.socketpair()
    with ours:
        ours.sendall(b"ping")
        with theirs:
            r = subprocess.run([swvm, "run", wasm], stdin=theirs, capture_output=True, timeout=60)
        ours.settimeout(10)
        got = ours.recv(100)
        after = ours.recv(100)  # b"" once the program shut its writing side down
    expected = ("recv: 0 'ping'\nsend: 0, 4 bytes\nshutdown with no flags: 28\nshutdown wr: 0\n"
                "filetype 6, sock_shutdown right 1, seek right 0\n")
    problems = []
    if r.stdout.decode() != expected or r.returncode != 0:
        problems.append(f"stdout {r.stdout.decode()!r} exit {r.returncode} {r.stderr.decode()!r}")
    if (got, after) != (b"pong", b""):
        problems.append(f"the other end read {got!r} then {after!r}")
    return not problems, problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--swvm", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--wasi-host", help="c-examples/wasi_host, to run preview1 through the C API too")
    opts = ap.parse_args()
    os.makedirs(opts.out, exist_ok=True)
    data = os.path.join(opts.out, "data")
    outside = os.path.join(opts.out, "outside.txt")

    def fresh_data():
        shutil.rmtree(data, ignore_errors=True)
        os.makedirs(os.path.join(data, "inner"))
        with open(os.path.join(data, "inside.txt"), "w") as f:
            f.write("inside\n")
        with open(outside, "w") as f:
            f.write("secret\n")
        os.symlink(outside, os.path.join(data, "link_out"))

    # name, arguments after the program, stdin, expected stdout, expected exit code, stderr check
    cases = [
        ("hello", [], None, "Hello, WASI!\n", 0, "to stderr"),
        ("args_env", ["one", "two words"], None,
         "argc=3\nargv[1]=one\nargv[2]=two words\nSWVM_TEST=yes\nenviron entries=2\n", 0, None),
        ("files", [], None,
         "copied 8890 bytes\nlines=1000, at offset 7: line 1\nsize=8890 regular=1\nmkdir=0\nrename=0\n"
         "entries: a.txt inner inside.txt link_out sub\nunlink=0 0\nrmdir=0\nmissing=No such file or directory\n", 0, None),
        ("stdin", [], b"abc\ndef\n", "ABC\nDEF\nbytes=8 lines=2\n", 0, None),
        ("clock_random", [], None,
         "realtime after 2024: 1\nslept at least 20ms: 1\nslept less than 2s: 1\nrandom differs: 1, not all zero: 1\n", 0, None),
        ("exit_code", ["42"], None, "", 42, None),
        ("trap", [], None, "before the trap\n", 134, "integer divide by zero"),
        ("preview1", [], None, PREVIEW1, 0, None),
        ("sandbox", [], None,
         "parent directory: refused\nabsolute path: refused\nrelative escape: refused\nsymlink to outside: refused\n"
         "nested dotdot: refused\nstat through symlink: refused\nmkdir outside: refused\ninside file: refused\n", 0, None),
    ]
    if shutil.which("clang-19"):
        cases.append(("tail_calls", [], None,
                      "even(10000000) = 1\nsteps: 11000000\nacc: 11523601907564312449\n", 0, None))
    else:
        print("note: clang-19 not installed: the C tail-call program (tail_calls.c) is not run")
    # The file and sandbox programs again with path resolution by components (the fallback for
    # kernels without openat2), which must refuse the same escapes.
    fallback = dict(os.environ, SWVM_NO_OPENAT2="1")
    cases += [(name + " (no openat2)",) + tuple(rest) for name, *rest in cases if name in ("files", "sandbox")]
    # Without openat2 every symlink is refused, even one that stays inside.
    cases.append(("preview1 (no openat2)", [], None, PREVIEW1.replace(
        "stat sd/ (a link to a directory): ok", "stat sd/ (a link to a directory): ENOTDIR"), 0, None))
    if opts.wasi_host:
        cases.append(("preview1 (C API)", [], None, PREVIEW1, 0, None))
    passed = failed = 0
    for name, args, stdin, expected, code, stderr_has in cases:
        fresh_data()
        program = name.split(" ")[0]
        wasm = compile_program(program, opts.out)
        cmd = [opts.swvm, "run", "--dir", data + "::/data", "--env", "SWVM_TEST=yes", "--env", "OTHER=1", wasm] + args
        if name.endswith("(C API)"):
            cmd = [opts.wasi_host, wasm, data] + args  # pre-opens data as /data, like the CLI above
        r = subprocess.run(cmd, input=stdin, capture_output=True, timeout=60,
                           env=fallback if name.endswith("(no openat2)") else None)
        out, err = r.stdout.decode(), r.stderr.decode()
        # The sandbox's last line reads a file inside /data: it must open.
        if name.startswith("sandbox"):
            expected = expected.replace("inside file: refused", "inside file: OPENED (escape!)")
        problems = []
        if out != expected:
            problems.append(f"stdout {out!r}, expected {expected!r}")
        if r.returncode != code:
            problems.append(f"exit code {r.returncode}, expected {code}")
        if stderr_has and stderr_has not in err:
            problems.append(f"stderr {err!r} lacks {stderr_has!r}")
        if name == "trap" and not all(f in err for f in ("divide", "compute", "run_all")):
            problems.append(f"backtrace lacks function names: {err!r}")
        if name.startswith("files") and os.listdir(data) != [] and sorted(os.listdir(data)) != ["inner", "inside.txt", "link_out"]:
            problems.append(f"host directory left as {sorted(os.listdir(data))}")
        if open(outside).read() != "secret\n":
            problems.append("the file outside the sandbox changed")
        if problems:
            failed += 1
            print(f"FAIL {name}: " + "; ".join(problems))
        else:
            passed += 1
            print(f"ok   {name}")
    ok, problems = check_sockets(opts.swvm, opts.out)
    if ok:
        passed += 1
        print("ok   sockets")
    else:
        failed += 1
        print("FAIL sockets: " + "; ".join(problems))
    # The toolkit (bench/programs/toolkit: compressor, SHA-256, big integers, regular expressions,
    # JSON, text tools, a script interpreter): its output under swvm must equal its native
    # build's, byte for byte, for the self-test and for commands on files in a pre-opened
    # directory and on stdin.
    ok, problems = check_toolkit(opts.swvm, opts.out)
    if ok:
        passed += 1
        print("ok   toolkit (selftest and file commands identical to the native build)")
    else:
        failed += 1
        print("FAIL toolkit: " + "; ".join(problems))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
