#!/usr/bin/env python3
"""Compiles the WASI test programs with clang-14 (--target=wasm32-wasi, Debian's wasi-libc) and
runs them with `swvm run`, comparing their output and exit codes.

usage: run.py --swvm PATH/TO/swvm --out BUILD_DIR
Prints one line per program and a closing `N passed, N failed` line; exits 1 on a failure.
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def compile_program(name, out):
    wasm = os.path.join(out, name + ".wasm")
    src = os.path.join(HERE, name + ".c")
    if not os.path.exists(wasm) or os.path.getmtime(wasm) < os.path.getmtime(src):
        subprocess.run(["clang-14", "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-g",
                        "-D_WASI_EMULATED_PROCESS_CLOCKS", src, "-o", wasm], check=True)
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--swvm", required=True)
    ap.add_argument("--out", required=True)
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
        ("sandbox", [], None,
         "parent directory: refused\nabsolute path: refused\nrelative escape: refused\nsymlink to outside: refused\n"
         "nested dotdot: refused\nstat through symlink: refused\nmkdir outside: refused\ninside file: refused\n", 0, None),
    ]
    # The file and sandbox programs again with path resolution by components (the fallback for
    # kernels without openat2), which must refuse the same escapes.
    fallback = dict(os.environ, SWVM_NO_OPENAT2="1")
    cases += [(name + " (no openat2)",) + tuple(rest) for name, *rest in cases if name in ("files", "sandbox")]
    passed = failed = 0
    for name, args, stdin, expected, code, stderr_has in cases:
        fresh_data()
        program = name.split(" ")[0]
        wasm = compile_program(program, opts.out)
        cmd = [opts.swvm, "run", "--dir", data + "::/data", "--env", "SWVM_TEST=yes", "--env", "OTHER=1", wasm] + args
        r = subprocess.run(cmd, input=stdin, capture_output=True, timeout=60,
                           env=fallback if name != program else None)
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
