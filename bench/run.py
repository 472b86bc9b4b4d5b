#!/usr/bin/env python3
"""The swvm benchmark harness: runs a fixed set of workloads on swvm and on its peers in the
same run, alternating, and prints tables of median times, ratios and peak memory.

    bench/setup.sh && bench/run.py          # install the peers, build, measure (default: 5 rounds)
    bench/run.py --quick                    # a fast smoke run (small inputs, 1 round)
    bench/run.py --only sieve,fib_recursive --runtimes swvm,wasm3 --rounds 7
    bench/run.py --callgrind                # instruction counts (valgrind) instead of times

Runtimes (columns): swvm (C API, bench/drivers/swvm_driver.c), wasm3 (pywasm3), WasmKit 0.4.2
(bench/wasmkit-driver, a Swift package of its own), wasmkit-cli (the `wasmkit` command that
ships in the Swift toolchain, a separate, older WasmKit), wasmtime (Python package, a JIT) and
native (the same C with clang-14 -O2, the compiler of the Wasm kernels; NATIVE_CC=gcc for
gcc). Each measurement is one child process that runs ONE workload once and prints
{"load_ms", "exec_ms", "result", "maxrss_kb"}; peak memory is the child's ru_maxrss as seen by
wait4 (through the small launcher bench/drivers/peakrss.c). Every result is checked against
the native one (or, where there is none, against the most common one): a wrong result or a
failure shows in the table.

The harness builds what it needs under build/bench/ (kernels to Wasm and natively with clang-14,
the drivers with gcc), swvm itself (scripts/release-build.sh, unless --swvm-lib or SWVM_LIB
names a libswvm.so) and the WasmKit driver (`swift build -c release --package-path
bench/wasmkit-driver`). The peers' Python venv is ${SWVM_TOOLS:-~/.cache/swvm-tools}/bench-venv,
made by bench/setup.sh.
"""
import argparse
import collections
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
OUT = os.path.join(ROOT, "build", "bench")
TOOLS = os.environ.get("SWVM_TOOLS", os.path.expanduser("~/.cache/swvm-tools"))
VENV_PYTHON = os.path.join(TOOLS, "bench-venv", "bin", "python")
CLANG = os.environ.get("WASM_CC", "clang-14")
CC = os.environ.get("CC", "gcc")  # the drivers
# The native column: by default the compiler that also builds the Wasm kernels, so that the
# same optimiser shapes both and the difference is the runtime's. NATIVE_CC=gcc for gcc.
NATIVE_CC = os.environ.get("NATIVE_CC", "clang-14")

RUNTIMES = ["swvm", "wasm3", "wasmkit", "wasmkit-cli", "wasmtime", "native"]
LABELS = {"swvm": "swvm", "wasm3": "wasm3", "wasmkit": "WasmKit", "wasmkit-cli": "wasmkit-cli",
          "wasmtime": "wasmtime", "native": "native", "wasmkit-eager": "WasmKit (eager)"}
# Ratio columns: swvm time over each peer's.
RATIO_PEERS = ["wasm3", "wasmkit", "wasmtime", "native"]


class Workload:
    def __init__(self, name, source, export, n, quick_n, param, result, kind, unsupported=None, cflags=()):
        self.name = name
        self.source = source      # bench/kernels/NAME.c, or the .wasm of the fib workloads
        self.export = export
        self.n = n
        self.quick_n = quick_n
        self.param = param        # i32 / i64: the export's parameter type
        self.result = result      # i32 / i64: the result type (results are compared as such)
        self.kind = kind          # what the workload stresses, for the table
        self.cflags = list(cflags)  # extra clang flags for the Wasm build (e.g. -msimd128)
        # runtime -> why it cannot run the workload: not measured, shown as n/a (not a failure)
        self.unsupported = unsupported or {}


FIB_WASM = "bench/wasm/fib.wasm"
# Wasm 3.0 tail calls (hand-written; bench/kernels/tailcall.c is the native twin). wasm3 and
# WasmKit do not implement them as tail calls: wasm3 (pywasm3 0.5) decodes return_call but
# overflows its stack on the first long chain.
TAIL_WASM = "bench/wasm/tailcall.wasm"
NO_TAIL_CALLS = {"wasm3": "return_call is a plain call: stack overflow", "wasmkit": "no tail calls",
                 "wasmkit-cli": "no tail calls"}
# n is chosen so that wasm3 takes roughly 0.8-1.5 s on this kind of machine (2 cores, x86_64),
# well inside 0.5-3 s; fib_recursive(35) and fib_iterative(10^8) are fixed by the issue.
WORKLOADS = [
    Workload("fib_recursive", FIB_WASM, "fib_recursive", 35, 25, "i64", "i64", "calls, i64"),
    Workload("fib_iterative", FIB_WASM, "fib_iterative", 10**8, 10**6, "i64", "i64", "loop, i64"),
    Workload("count_loop", FIB_WASM, "count_loop", 3 * 10**8, 10**6, "i32", "i32", "loop, i32"),
    Workload("sieve", "sieve", "run", 40, 2, "i32", "i32", "integer, bytes"),
    Workload("sha256", "sha256", "run", 150, 5, "i32", "i64", "integer, 32-bit"),
    Workload("interp", "interp", "run", 22000, 1000, "i32", "i64", "integer, branches"),
    Workload("sort", "sort", "run", 24, 1, "i32", "i64", "integer, memory"),
    Workload("matmul", "matmul", "run", 12, 1, "i32", "i64", "memory, loops"),
    Workload("compress", "compress", "run", 18, 1, "i32", "i64", "memory, bytes"),
    Workload("nbody", "nbody", "run", 1000000, 50000, "i32", "i64", "float, f64"),
    Workload("bintree", "bintree", "run", 16, 8, "i32", "i64", "calls, allocation"),
    Workload("tail_mutual", TAIL_WASM, "tail_mutual", 10**8, 10**6, "i64", "i64", "tail calls, direct",
             NO_TAIL_CALLS),
    Workload("tail_state", TAIL_WASM, "tail_state", 5 * 10**7, 10**6, "i64", "i64", "tail calls, indirect",
             NO_TAIL_CALLS),
    # One C kernel built twice: scalar Wasm, and with -msimd128 (clang's loop vectoriser emits
    # v128 instructions). wasm3 (pywasm3) has no SIMD, nor has the wasmkit CLI: "n/a".
    Workload("simd_scalar", "simd", "run", 400, 20, "i32", "i64", "integer loops, scalar build"),
    Workload("simd128", "simd", "run", 400, 20, "i32", "i64", "integer loops, -msimd128",
             {"wasm3": "no SIMD", "wasmkit-cli": "no SIMD"}, cflags=["-msimd128"]),
]
# The native twin of each hand-written module: bench/kernels/NAME.c.
NATIVE_TWINS = {FIB_WASM: "fib", TAIL_WASM: "tailcall"}
# The load-time workload: >= 10,000 functions and >= 5 MB of code section (checked).
LARGE_MODULE_FUNCTIONS = 12000
LARGE_MODULE_STATEMENTS = "30-46"


def log(message):
    print(message, file=sys.stderr, flush=True)


def run_checked(cmd, **kwargs):
    result = subprocess.run(cmd, **kwargs)
    if result.returncode != 0:
        sys.exit(f"command failed ({result.returncode}): {' '.join(cmd)}")
    return result


def newer(target, *sources):
    """True if target is missing or older than any source."""
    if not os.path.exists(target):
        return True
    t = os.path.getmtime(target)
    return any(os.path.getmtime(s) > t for s in sources)


# ---- Wasm binary inspection (imports, code size) ---------------------------------------------

def read_uleb(data, pos):
    value = shift = 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, pos


def wasm_sections(data):
    """{section id: (offset, size)} of a module binary (custom sections left out)."""
    if data[:8] != b"\x00asm\x01\x00\x00\x00":
        raise ValueError("not a Wasm module")
    pos, sections = 8, {}
    while pos < len(data):
        sid = data[pos]
        size, start = read_uleb(data, pos + 1)
        if sid != 0:
            sections[sid] = (start, size)
        pos = start + size
    return sections


def wasm_import_count(data):
    sections = wasm_sections(data)
    if 2 not in sections:
        return 0
    return read_uleb(data, sections[2][0])[0]


def wasm_code_info(data):
    """(number of function bodies, size of the code section in bytes)."""
    start, size = wasm_sections(data).get(10, (0, 0))
    return (read_uleb(data, start)[0] if size else 0), size


# ---- Building -----------------------------------------------------------------------------

class Build:
    def __init__(self, args):
        self.args = args
        self.swvm_lib = args.swvm_lib or os.environ.get("SWVM_LIB")
        self.swvm_cli = args.swvm_cli or os.environ.get("SWVM_CLI")
        self.wasm = {}      # workload name -> .wasm path
        self.native = {}    # workload name -> native executable
        self.drivers = {}   # runtime -> argv prefix

    def swift_builds(self, runtimes, callgrind):
        if self.swvm_lib:
            self.swvm_lib = os.path.abspath(self.swvm_lib)
            if not self.swvm_cli:
                for name in ("swvm-cli", "swvm"):
                    candidate = os.path.join(os.path.dirname(self.swvm_lib), name)
                    if os.path.exists(candidate):
                        self.swvm_cli = candidate
                        break
        elif "swvm" in runtimes or callgrind:
            if not self.args.no_build:
                log("== building swvm (scripts/release-build.sh)")
                build = os.path.join(ROOT, "scripts", "release-build.sh")
                run_checked([build, "--product", "swvm"], cwd=ROOT)
                if callgrind:
                    run_checked([build, "--product", "swvm-cli"], cwd=ROOT)
            self.swvm_lib = os.path.join(ROOT, ".build", "release", "libswvm.so")
            self.swvm_cli = self.swvm_cli or os.path.join(ROOT, ".build", "release", "swvm-cli")
        if "wasmkit" in runtimes:
            package = os.path.join(BENCH, "wasmkit-driver")
            exe = os.path.join(package, ".build", "release", "wasmkit-driver")
            sources = [os.path.join(package, "Package.swift"),
                       os.path.join(package, "Sources", "wasmkit-driver", "main.swift")]
            # An up-to-date build of this package still recompiles part of WasmKit (about a
            # minute here), so it is only rebuilt when its own files changed.
            if not self.args.no_build and newer(exe, *sources):
                log("== building the WasmKit driver (swift build -c release --package-path bench/wasmkit-driver)")
                run_checked(["swift", "build", "-c", "release", "--omit-frame-pointers", "--package-path", package])
            self.drivers["wasmkit"] = [exe]

    def kernels(self, workloads, runtimes):
        os.makedirs(os.path.join(OUT, "wasm"), exist_ok=True)
        os.makedirs(os.path.join(OUT, "native"), exist_ok=True)
        kdir = os.path.join(BENCH, "kernels")
        header = os.path.join(kdir, "kernel.h")
        main_c = os.path.join(kdir, "native_main.c")
        for w in workloads:
            if w.source.endswith(".wasm"):
                self.wasm[w.name] = os.path.join(ROOT, w.source)
                src = os.path.join(kdir, NATIVE_TWINS[w.source] + ".c")
            else:
                src = os.path.join(kdir, w.source + ".c")
                out = os.path.join(OUT, "wasm", w.name + ".wasm")
                stamp = out + ".flags"
                flags = " ".join(w.cflags)
                old_flags = open(stamp).read() if os.path.exists(stamp) else None
                if newer(out, src, header) or old_flags != flags:
                    run_checked([CLANG, "--target=wasm32-wasi", "-O2", *w.cflags, "-ffreestanding", "-nostdlib",
                                 "-Wl,--no-entry", "-Wl,--export=run", "-Wl,--strip-all",
                                 "-o", out, src])
                    with open(stamp, "w") as f:
                        f.write(flags)
                with open(out, "rb") as f:
                    imports = wasm_import_count(f.read())
                if imports:
                    sys.exit(f"{out} has {imports} import(s); kernels must be freestanding")
                self.wasm[w.name] = out
            if "native" in runtimes:
                exe = os.path.join(OUT, "native", w.name)
                stamp = exe + ".cc"
                old_cc = open(stamp).read() if os.path.exists(stamp) else ""
                if newer(exe, src, header, main_c) or old_cc != NATIVE_CC:
                    obj = exe + ".o"
                    run_checked([NATIVE_CC, "-O2", "-c", "-o", obj, src])
                    ctype = {"i32": "int32_t", "i64": "int64_t"}
                    run_checked([NATIVE_CC, "-O2", f"-DENTRY={w.export}", f"-DPARAM_T={ctype[w.param]}",
                                 f"-DRESULT_T={ctype[w.result]}", "-o", exe, main_c, obj, "-lm"])
                    with open(stamp, "w") as f:
                        f.write(NATIVE_CC)
                self.native[w.name] = exe

    def large_module(self):
        path = os.path.join(OUT, "wasm", f"large-{LARGE_MODULE_FUNCTIONS}.wasm")
        gen = os.path.join(BENCH, "gen-large-module.py")
        if newer(path, gen):
            run_checked([sys.executable, gen, path, str(LARGE_MODULE_FUNCTIONS), LARGE_MODULE_STATEMENTS],
                        stdout=subprocess.DEVNULL)
        with open(path, "rb") as f:
            count, code_bytes = wasm_code_info(f.read())
        if count < 10000 or code_bytes < 5 * 1000 * 1000:
            sys.exit(f"{path}: {count} functions, {code_bytes} bytes of code: too small")
        return path, count, code_bytes

    def drivers_for(self, runtimes):
        src = os.path.join(BENCH, "drivers", "peakrss.c")
        if newer(PEAKRSS, src):
            os.makedirs(OUT, exist_ok=True)
            run_checked([CC, "-O2", "-o", PEAKRSS, src])
        if "swvm" in runtimes:
            if not os.path.exists(self.swvm_lib):
                sys.exit(f"{self.swvm_lib} is missing: run bench/setup.sh (or pass --swvm-lib)")
            exe = os.path.join(OUT, "swvm_driver")
            src = os.path.join(BENCH, "drivers", "swvm_driver.c")
            stamp = exe + ".lib"
            old_lib = open(stamp).read() if os.path.exists(stamp) else ""
            if newer(exe, src, os.path.join(ROOT, "include", "swvm.h")) or old_lib != self.swvm_lib:
                libdir = os.path.dirname(self.swvm_lib)
                run_checked([CC, "-O2", "-I", os.path.join(ROOT, "include"), "-o", exe, src,
                             self.swvm_lib, f"-Wl,-rpath,{libdir}"])
                with open(stamp, "w") as f:
                    f.write(self.swvm_lib)
            self.drivers["swvm"] = [exe]
        py_runner = os.path.join(BENCH, "drivers", "py_runner.py")
        for r in ("wasm3", "wasmtime"):
            if r in runtimes:
                if not os.path.exists(VENV_PYTHON):
                    sys.exit(f"{VENV_PYTHON} is missing: run bench/setup.sh")
                self.drivers[r] = [VENV_PYTHON, py_runner, r]
        if "wasmkit" in runtimes and not os.path.exists(self.drivers["wasmkit"][0]):
            sys.exit(f"{self.drivers['wasmkit'][0]} is missing: run bench/setup.sh")
        if "wasmkit-cli" in runtimes:
            cli = shutil.which("wasmkit")
            if not cli:
                sys.exit("the `wasmkit` command (Swift toolchain) is not on PATH; leave out wasmkit-cli")
            self.drivers["wasmkit-cli"] = [cli]


# ---- Running one measurement ----------------------------------------------------------------

class Sample:
    def __init__(self, load_ms=None, exec_ms=None, result=None, maxrss_kb=None, error=None):
        self.load_ms, self.exec_ms, self.result = load_ms, exec_ms, result
        self.maxrss_kb, self.error = maxrss_kb, error


PEAKRSS = os.path.join(OUT, "peakrss")


def spawn(argv, timeout):
    """Runs argv under the peakrss launcher (bench/drivers/peakrss.c); returns (exit status,
    stdout, stderr, peak RSS in KiB, timed out?)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as rss_file:
        proc = subprocess.Popen([PEAKRSS, rss_file.name] + argv, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            status = proc.wait(timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            status = proc.wait()
            timed_out = True
        out.seek(0)
        err.seek(0)
        text = rss_file.read().strip()
        return (status, out.read().decode(errors="replace"), err.read().decode(errors="replace"),
                int(text) if text else None, timed_out)


def last_line(text):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return lines[-1].strip() if lines else ""


WASMKIT_CLI_VALUE = re.compile(r"\.(i32|i64|f32|f64)\((-?\d+)\)")


def measure(build, runtime, wasm, export, args, timeout, param="i64"):
    """One child process: load `wasm`, call `export(*args)` once (export None: load only)."""
    if runtime == "native":
        argv = [build.native[export]] + [str(a) for a in args]
    elif runtime == "wasmkit-eager":
        argv = build.drivers["wasmkit"] + ["--eager", wasm]
    elif runtime == "wasmkit-cli":
        # wasmkit run [--verbose] FILE FUNCTION TYPE:VALUE...; --verbose logs the parse and
        # invocation times, which are the times used here.
        argv = build.drivers[runtime] + ["run", "--verbose", wasm]
        if export:
            argv += [export] + [f"{param}:{a}" for a in args]
    else:
        argv = build.drivers[runtime] + [wasm] + ([export] + [str(a) for a in args] if export else [])
    try:
        status, out, err, rss, timed_out = spawn(argv, timeout)
    except OSError as e:
        return Sample(error=str(e))
    if timed_out:
        return Sample(error=f"timed out after {timeout} s")
    if runtime == "wasmkit-cli":
        parse = re.search(r"Finished parsing module: ([0-9.e-]+) seconds", err + out)
        invoke = re.search(r"Finished invoking function .*: ([0-9.e-]+) seconds", err + out)
        values = WASMKIT_CLI_VALUE.findall(out)
        if status != 0 or not parse or (export and (not invoke or not values)):
            return Sample(error=f"exit {status}: {last_line(err) or last_line(out)}")
        return Sample(load_ms=float(parse.group(1)) * 1e3,
                      exec_ms=float(invoke.group(1)) * 1e3 if invoke else 0.0,
                      result=" ".join(v for _, v in values), maxrss_kb=rss)
    if status != 0:
        return Sample(error=f"exit {status}: {last_line(err) or last_line(out)}")
    try:
        record = json.loads(last_line(out))
    except ValueError:
        return Sample(error=f"unreadable output: {last_line(out)[:200]}")
    return Sample(load_ms=record["load_ms"], exec_ms=record["exec_ms"], result=record["result"],
                  maxrss_kb=rss or record.get("maxrss_kb"))


def normalize(result, kind):
    """An integer result as a signed value of its type (runtimes print i64 signed or not)."""
    try:
        v = int(result)
    except (TypeError, ValueError):
        return result
    bits = 32 if kind == "i32" else 64
    v &= (1 << bits) - 1
    return str(v - (1 << bits) if v >> (bits - 1) else v)


# ---- Tables -------------------------------------------------------------------------------

def fmt_ms(v):
    if v is None:
        return "-"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    if v >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def fmt_ratio(v):
    if v is None:
        return "-"
    return f"{v:.2f}x" if v < 100 else f"{v:.0f}x"


def print_table(title, header, rows, notes=()):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    print()
    print(title)
    print()
    line = "| " + " | ".join(str(h).ljust(widths[i]) if i == 0 else str(h).rjust(widths[i])
                             for i, h in enumerate(header)) + " |"
    print(line)
    print("|" + "|".join(("-" * (w + 1) + ":") if i else ("-" * (w + 2)) for i, w in enumerate(widths)) + "|")
    for r in rows:
        print("| " + " | ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i])
                                for i, c in enumerate(r)) + " |")
    for n in notes:
        print(n)


def geomean(values):
    values = [v for v in values if v]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def median(values):
    return statistics.median(values) if values else None


# ---- The timing mode ------------------------------------------------------------------------

def timing_mode(args, build, workloads, runtimes):
    rounds = args.rounds
    samples = collections.defaultdict(list)   # (workload, runtime) -> [Sample]
    large_samples = collections.defaultdict(list)
    baseline_samples = collections.defaultdict(list)
    large = None
    if not args.no_load:
        large = build.large_module()
    for rnd in range(rounds):
        # alternate: every workload runs on every runtime in each round, and the order of the
        # runtimes rotates from round to round
        order = runtimes[rnd % len(runtimes):] + runtimes[:rnd % len(runtimes)]
        for w in workloads:
            n = w.quick_n if args.quick else w.n
            for r in order:
                if r in w.unsupported:
                    continue
                s = measure(build, r, build.wasm[w.name] if r != "native" else None,
                            w.name if r == "native" else w.export, [n], args.timeout, w.param)
                samples[(w.name, r)].append(s)
                status = s.error or f"{fmt_ms(s.exec_ms)} ms"
                log(f"round {rnd + 1}/{rounds}  {w.name:14} {r:12} {status}")
        if large:
            # WasmKit once more with --eager: it then translates every function at load, the
            # closest to what wasmtime does there
            for r in order + (["wasmkit-eager"] if "wasmkit" in runtimes else []):
                if r in ("native", "wasmkit-cli"):
                    continue
                s = measure(build, r, large[0], None, [], args.timeout)
                large_samples[r].append(s)
                log(f"round {rnd + 1}/{rounds}  {'large module':14} {r:12} "
                    f"{s.error or fmt_ms(s.load_ms) + ' ms load'}")
        for r in order:
            if r in ("native", "wasmkit-cli"):
                continue
            argv = build.drivers[r] + ["--baseline"]
            status, out, err, rss, _ = spawn(argv, args.timeout)
            baseline_samples[r].append(rss if status == 0 else None)

    # ---- results and their agreement
    failures = []
    cell = {}  # (workload, runtime) -> dict(exec, load, rss, ok)
    for w in workloads:
        results = {}
        for r in runtimes:
            for s in samples[(w.name, r)]:
                if s.error is None:
                    results.setdefault(r, collections.Counter())[normalize(s.result, w.result)] += 1
        if "native" in results:
            reference = results["native"].most_common(1)[0][0]
        else:
            everything = collections.Counter()
            for c in results.values():
                everything.update(c)
            reference = everything.most_common(1)[0][0] if everything else None
        for r in runtimes:
            if r in w.unsupported:
                cell[(w.name, r)] = {"ok": False, "exec": None, "load": None, "rss": None, "state": "n/a",
                                     "reference": reference}
                continue
            ss = samples[(w.name, r)]
            errors = [s.error for s in ss if s.error]
            good = [s for s in ss if s.error is None and normalize(s.result, w.result) == reference]
            wrong = [s for s in ss if s.error is None and normalize(s.result, w.result) != reference]
            if errors:
                failures.append(f"{w.name} on {LABELS[r]}: FAILED ({len(errors)}/{len(ss)} runs): {errors[0]}")
            if wrong:
                failures.append(f"{w.name} on {LABELS[r]}: WRONG result {normalize(wrong[0].result, w.result)}"
                                f" (expected {reference})")
            cell[(w.name, r)] = {
                "ok": not errors and not wrong,
                "exec": median([s.exec_ms for s in good]) if not errors and not wrong else None,
                "load": median([s.load_ms for s in good]) if not errors and not wrong else None,
                "rss": median([s.maxrss_kb for s in ss if s.error is None and s.maxrss_kb]),
                "state": "FAIL" if errors else ("WRONG" if wrong else None),
                "reference": reference,
            }

    def value(w, r, key, fmt):
        c = cell[(w, r)]
        return c["state"] or fmt(c[key])

    ratio_peers = [p for p in RATIO_PEERS if p in runtimes and p != "swvm"] if "swvm" in runtimes else []
    if "wasmkit-cli" in runtimes and "swvm" in runtimes:
        ratio_peers.insert(ratio_peers.index("wasmkit") + 1 if "wasmkit" in ratio_peers else len(ratio_peers),
                           "wasmkit-cli")
    note_n = {w.name: (w.quick_n if args.quick else w.n) for w in workloads}

    # Table 1: execution time
    header = ["workload (n)"] + [LABELS[r] for r in runtimes] + [f"swvm/{LABELS[p]}" for p in ratio_peers]
    rows = []
    ratios = collections.defaultdict(list)
    def ratio_row(label, name, metric, columns, peers, ratios):
        """One row: the metric per runtime, then swvm / peer (also collected for the geomean)."""
        row = [label] + [value(name, r, metric, fmt_ms) for r in columns]
        for p in peers:
            a, b = cell[(name, "swvm")][metric], cell[(name, p)][metric]
            ratio = a / b if a and b else None
            ratios[p].append(ratio)
            row.append(fmt_ratio(ratio))
        return row

    for w in workloads:
        rows.append(ratio_row(f"{w.name} ({note_n[w.name]:,})", w.name, "exec", runtimes, ratio_peers, ratios))
    rows.append(["geomean"] + [""] * len(runtimes) + [fmt_ratio(geomean(ratios[p])) for p in ratio_peers])
    print_table(f"Execution time: ms, median of {rounds} run(s) (the call only; lazily compiling "
                f"runtimes compile in here too). Ratio: swvm time / peer time, > 1 means swvm is slower.",
                header, rows)

    # The SIMD pair: one kernel built with and without -msimd128, on each runtime.
    names = {w.name for w in workloads}
    if {"simd_scalar", "simd128"} <= names:
        header = ["runtime", "simd_scalar ms", "simd128 ms", "scalar / SIMD"]
        rows = []
        for r in runtimes:
            a, b = cell[("simd_scalar", r)], cell[("simd128", r)]
            speedup = a["exec"] / b["exec"] if a["exec"] and b["exec"] else None
            rows.append([LABELS[r], value("simd_scalar", r, "exec", fmt_ms), value("simd128", r, "exec", fmt_ms),
                         fmt_ratio(speedup)])
        print_table("SIMD: bench/kernels/simd.c built without and with -msimd128 (clang-14 -O2); > 1 means "
                    "the SIMD build runs faster.", header, rows,
                    ["n/a: wasm3 (pywasm3) and the wasmkit CLI do not implement SIMD; the native column "
                     "is the same C compiled for x86-64 (vectorised with SSE2 by clang either way)."])

    # Table 2: load + compile + instantiate
    load_runtimes = [r for r in runtimes if r != "native"]
    lratio_peers = [p for p in ratio_peers if p != "native"]
    header = ["workload"] + [LABELS[r] for r in load_runtimes] + [f"swvm/{LABELS[p]}" for p in lratio_peers]
    rows = []
    lratios = collections.defaultdict(list)
    for w in workloads:
        rows.append(ratio_row(w.name, w.name, "load", load_runtimes, lratio_peers, lratios))
    large_cell = {}
    if large:
        path, count, code_bytes = large
        row = [f"large module ({count:,} functions, {code_bytes / 1e6:.2f} MB code)"]
        for r in load_runtimes + (["wasmkit-eager"] if "wasmkit" in runtimes else []):
            ss = large_samples.get(r, [])
            errors = [s.error for s in ss if s.error]
            if errors:
                failures.append(f"large module on {LABELS[r]}: FAILED ({len(errors)}/{len(ss)} runs): {errors[0]}")
            large_cell[r] = {
                "load": None if errors or not ss else median([s.load_ms for s in ss]),
                "rss": median([s.maxrss_kb for s in ss if s.error is None and s.maxrss_kb]),
                "state": ("FAIL" if errors else None) if ss else "n/a",
            }
            if r in load_runtimes:
                row.append(large_cell[r]["state"] or fmt_ms(large_cell[r]["load"]))
        for p in lratio_peers:
            a = large_cell.get("swvm", {}).get("load")
            b = large_cell.get(p, {}).get("load")
            row.append(fmt_ratio(a / b if a and b else None))
        rows.append(row)
    print_table(f"Load: ms, median of {rounds} run(s): decode + validate + compile + instantiate, from "
                f"bytes in memory (wasmkit-cli: its own parse time only).", header, rows)

    # Table 3: peak memory
    header = ["workload"] + [LABELS[r] for r in runtimes]
    rows = []
    for w in workloads:
        rows.append([w.name] + [fmt_mb(cell[(w.name, r)]["rss"]) for r in runtimes])
    if large:
        rows.append(["large module (load only)"] + [fmt_mb(large_cell[r]["rss"]) if r in large_cell else "-"
                                                    for r in runtimes])
    rows.append(["process baseline"] + [fmt_mb(median([v for v in baseline_samples.get(r, []) if v]))
                                        if baseline_samples.get(r) else "-" for r in runtimes])
    print_table("Peak memory: MB (max RSS of the child process, median). 'process baseline' is the "
                "runner with the runtime loaded and nothing run: wasm3 and wasmtime are hosted by a "
                "Python interpreter, whose footprint is included.", header, rows)

    # Load-time workload per MB of code
    if large:
        path, count, code_bytes = large
        mb = code_bytes / 1e6
        header = ["runtime", "load ms", "ms per MB of code", "MB of code per s", "peak MB", "peak MB - baseline"]
        rows = []
        for r in load_runtimes + ["wasmkit-eager"]:
            if r not in large_cell or large_cell[r]["state"] == "n/a":
                continue
            c = large_cell[r]
            base = median([v for v in baseline_samples.get("wasmkit" if r == "wasmkit-eager" else r, []) if v])
            rows.append([LABELS[r], c["state"] or fmt_ms(c["load"]),
                         fmt_ms(c["load"] / mb) if c["load"] else "-",
                         f"{mb / (c['load'] / 1e3):.1f}" if c["load"] else "-",
                         fmt_mb(c["rss"]), fmt_mb(c["rss"] - base) if c["rss"] and base else "-"])
        print_table(f"Load-time workload: {os.path.relpath(path, ROOT)}, {count:,} functions, "
                    f"{code_bytes:,} bytes of code section, median of {rounds} run(s).", header, rows,
                    ["swvm, wasm3 and WasmKit (default, lazy) compile a function on its first call, "
                     "so their load is decode + validate + instantiate (wasm3 and lazy WasmKit also "
                     "leave the validation of a body to its first call; swvm validates the whole "
                     "module at load); 'WasmKit (eager)' translates every function at load; "
                     "wasmtime compiles every function to machine code here."])

    print()
    if failures:
        print("Failures and wrong results:")
        for f in failures:
            print("  " + f)
    else:
        print(f"All results agree across runtimes ({len(workloads)} workloads x {len(runtimes)} runtimes x "
              f"{rounds} round(s)).")

    os.makedirs(OUT, exist_ok=True)
    dump = os.path.join(OUT, "results.json")
    with open(dump, "w") as f:
        json.dump({
            "rounds": rounds, "quick": args.quick, "runtimes": runtimes,
            "samples": {f"{w}|{r}": [s.__dict__ for s in ss] for (w, r), ss in samples.items()},
            "large": {r: [s.__dict__ for s in ss] for r, ss in large_samples.items()},
            "baseline_kb": baseline_samples,
        }, f, indent=1)
    print(f"Raw samples: {os.path.relpath(dump, ROOT)}")
    return 1 if failures else 0


def fmt_mb(kb):
    return "-" if not kb else f"{kb / 1024:.1f}"


# ---- The callgrind mode ---------------------------------------------------------------------

CALLGRIND_LOOP = (1_000_000, 11_000_000)


def callgrind_total(argv, timeout):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + argv
        status, stdout, stderr, _, timed_out = spawn(cmd, timeout)
        if timed_out:
            raise RuntimeError(f"timed out after {timeout} s")
        if status != 0:
            raise RuntimeError(f"exit {status}: {last_line(stderr) or last_line(stdout)}")
        with open(out) as f:
            for line in f:
                if line.startswith("summary:") or line.startswith("totals:"):
                    return int(line.split()[1])
        raise RuntimeError("no summary line in the callgrind output")


def callgrind_mode(args, build, runtimes):
    if not shutil.which("valgrind"):
        sys.exit("valgrind is not installed: run bench/setup.sh")
    fib = os.path.join(ROOT, FIB_WASM)
    calls30 = 2 * 1346269 - 1  # calls made by fib_recursive(30): 2 fib(31) - 1
    lo, hi = CALLGRIND_LOOP
    py_runner = os.path.join(BENCH, "drivers", "py_runner.py")
    # runtime -> (label, function (export, args) -> argv)
    commands = {
        "swvm": ("swvm CLI (swvm-cli --invoke)",
                 lambda f, a: [build.swvm_cli, "--invoke", f, fib] + [str(x) for x in a]),
        "wasm3": ("wasm3 (pywasm3, Python included)",
                  lambda f, a: [VENV_PYTHON, py_runner, "wasm3", fib, f] + [str(x) for x in a]),
        "wasmkit": ("WasmKit 0.4.2 (bench/wasmkit-driver)",
                    lambda f, a: build.drivers["wasmkit"] + [fib, f] + [str(x) for x in a]),
        "native": (f"native ({NATIVE_CC} -O2)", lambda f, a: [build.native[f]] + [str(x) for x in a]),
    }
    if "wasmkit" in runtimes:
        # valgrind 3.19 cannot read the DWARF 5 debug info of Swift binaries ("ensure_valid
        # failed ... Giving up"): run a copy without it
        stripped = os.path.join(OUT, "wasmkit-driver.nodebug")
        if newer(stripped, build.drivers["wasmkit"][0]):
            run_checked(["objcopy", "--strip-debug", build.drivers["wasmkit"][0], stripped])
        commands["wasmkit"] = (commands["wasmkit"][0], lambda f, a: [stripped, fib, f] + [str(x) for x in a])
    chosen = [r for r in ("swvm", "wasm3", "wasmkit", "native") if r in runtimes]
    if "swvm" in chosen and not (build.swvm_cli and os.path.exists(build.swvm_cli)):
        sys.exit("no swvm CLI found (build it, or pass --swvm-cli)")
    header = ["runtime", "start-up (fib_recursive(0))", "fib_recursive(30)", "per call, start-up subtracted",
              "fib_expr(30) (expression-final shape)", "per call",
              f"count_loop({lo:,})", f"count_loop({hi:,})", "per loop iteration"]
    rows = []
    for r in chosen:
        label, cmd = commands[r]
        log(f"== callgrind: {label}")
        try:
            start = callgrind_total(cmd("fib_recursive", [0]), args.timeout * 20)
            f30 = callgrind_total(cmd("fib_recursive", [30]), args.timeout * 20)
            # The native build has one fib; both Wasm shapes compile to it.
            e30 = f30 if r == "native" else callgrind_total(cmd("fib_expr", [30]), args.timeout * 20)
            l1 = callgrind_total(cmd("count_loop", [lo]), args.timeout * 20)
            l2 = callgrind_total(cmd("count_loop", [hi]), args.timeout * 20)
        except RuntimeError as e:
            rows.append([label, f"FAILED: {e}", "", "", "", "", "", "", ""])
            continue
        rows.append([label, f"{start:,}", f"{f30:,}", f"{(f30 - start) / calls30:.1f}",
                     f"{e30:,}", f"{(e30 - start) / calls30:.1f}",
                     f"{l1:,}", f"{l2:,}", f"{(l2 - l1) / (hi - lo):.1f}"])
    print_table("Instructions executed (valgrind --tool=callgrind, Ir, whole process). fib_recursive(30) "
                f"makes {calls30:,} calls; the per-iteration figure is the difference of the two loop runs "
                "over their difference in iterations, so start-up cancels out.", header, rows,
                ["Python-hosted wasm3 includes the interpreter's start-up in its start-up column; the "
                 "per-call and per-iteration columns subtract it."])
    return 0


def peer_versions(build, runtimes):
    parts = []
    if "wasm3" in runtimes or "wasmtime" in runtimes:
        code = ("import importlib.metadata as m; "
                "print(m.version('pywasm3'), m.version('wasmtime'))")
        out = subprocess.run([VENV_PYTHON, "-c", code], capture_output=True, text=True).stdout.split()
        if len(out) == 2:
            if "wasm3" in runtimes:
                parts.append(f"pywasm3 {out[0]}")
            if "wasmtime" in runtimes:
                parts.append(f"wasmtime {out[1]} (Python)")
    if "wasmkit" in runtimes:
        parts.append("WasmKit 0.4.2 (bench/wasmkit-driver)")
    if "wasmkit-cli" in runtimes:
        out = subprocess.run(build.drivers["wasmkit-cli"] + ["--version"], capture_output=True, text=True)
        parts.append(f"wasmkit-cli {out.stdout.strip()} (Swift toolchain)")
    if "native" in runtimes:
        out = subprocess.run([NATIVE_CC, "--version"], capture_output=True, text=True).stdout.splitlines()
        parts.append(f"native: {out[0] if out else NATIVE_CC} -O2")
    parts.append(subprocess.run([CLANG, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
                 + " --target=wasm32-wasi -O2")
    return "; ".join(parts)


# ---- Main -----------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=None, help="runs per workload and runtime (default 5; 1 with --quick)")
    parser.add_argument("--quick", action="store_true", help="small inputs and one round: a smoke run")
    parser.add_argument("--only", help="comma-separated workload names (" + ", ".join(w.name for w in WORKLOADS) + ")")
    parser.add_argument("--runtimes", help="comma-separated runtimes (" + ", ".join(RUNTIMES) + ")")
    parser.add_argument("--swvm-lib", help="use this libswvm.so instead of building swvm (or set SWVM_LIB)")
    parser.add_argument("--swvm-cli", help="the swvm CLI for --callgrind (default: next to the library)")
    parser.add_argument("--no-build", action="store_true", help="skip the swift builds (use what is built)")
    parser.add_argument("--no-load", action="store_true", help="leave out the large-module load workload")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per child process (default 120)")
    parser.add_argument("--callgrind", action="store_true",
                        help="instead of timing: callgrind instruction counts for fib_recursive(30) and the counting loop")
    args = parser.parse_args()
    if args.rounds is None:
        args.rounds = 1 if args.quick else 5
    runtimes = RUNTIMES if not args.runtimes else args.runtimes.split(",")
    for r in runtimes:
        if r not in RUNTIMES:
            sys.exit(f"unknown runtime {r}; known: {', '.join(RUNTIMES)}")
    workloads = WORKLOADS
    if args.only:
        names = args.only.split(",")
        unknown = [n for n in names if n not in {w.name for w in WORKLOADS}]
        if unknown:
            sys.exit(f"unknown workload(s) {', '.join(unknown)}; known: {', '.join(w.name for w in WORKLOADS)}")
        workloads = [w for w in WORKLOADS if w.name in names]

    if not args.runtimes and "wasmkit-cli" in runtimes and not shutil.which("wasmkit"):
        log("note: no `wasmkit` command on PATH (it ships with the Swift toolchain): leaving out wasmkit-cli")
        runtimes = [r for r in runtimes if r != "wasmkit-cli"]
    build = Build(args)
    if args.callgrind:
        runtimes = [r for r in runtimes if r in ("swvm", "wasm3", "wasmkit", "native")]
        workloads = [w for w in WORKLOADS if w.source == FIB_WASM]
    build.swift_builds(runtimes, args.callgrind)
    build.kernels(workloads, runtimes)
    build.drivers_for(runtimes)
    if args.callgrind:
        print(f"swvm: {build.swvm_lib}, CLI {build.swvm_cli}; callgrind; runtimes: {', '.join(runtimes)}")
    else:
        print(f"swvm: {build.swvm_lib or 'not measured'}; {len(workloads)} workloads; runtimes: "
              f"{', '.join(runtimes)}; {args.rounds} round(s){' (quick)' if args.quick else ''}; "
              f"{os.cpu_count()} CPUs")
    print("peers: " + peer_versions(build, runtimes))
    if args.callgrind:
        return callgrind_mode(args, build, runtimes)
    return timing_mode(args, build, workloads, runtimes)


if __name__ == "__main__":
    sys.exit(main())
