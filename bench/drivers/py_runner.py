#!/usr/bin/env python3
"""Runs one benchmark workload on a Python-hosted peer, wasm3 (pywasm3) or wasmtime, and
prints one JSON line: {"load_ms": .., "exec_ms": .., "result": "..", "maxrss_kb": ..}.

usage: py_runner.py wasm3|wasmtime FILE.wasm [EXPORT [ARG...]]
       py_runner.py wasm3|wasmtime --baseline     (imports the runtime only: the footprint of
                                                    the interpreter plus the extension)

load_ms: parse + validate + compile + instantiate from bytes already in memory (wasmtime
compiles every function with Cranelift here; wasm3 compiles a function on its first call, so
that part lands in exec_ms). exec_ms: the one call. maxrss_kb includes the Python interpreter.
Integer arguments and results are decimal; results of float type print as %.17g.
"""
import json
import resource
import sys
import time


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def render(value, kind):
    if kind in ("f32", "f64"):
        return "%.17g" % value
    return str(int(value))


def parse(text, kind):
    return float(text) if kind in ("f32", "f64") else int(text, 0)


def run_wasm3(data, name, args):
    import wasm3
    t0 = time.perf_counter()
    env = wasm3.Environment()
    runtime = env.new_runtime(1 << 20)
    module = env.parse_module(data)
    runtime.load(module)
    load = time.perf_counter() - t0
    if name is None:
        return load, 0.0, ""
    func = runtime.find_function(name)
    kinds = {1: "i32", 2: "i64", 3: "f32", 4: "f64"}
    params = [kinds.get(t, "?") for t in func.arg_types]
    results = [kinds.get(t, "?") for t in func.ret_types]
    if len(params) != len(args):
        fail(f"{name} takes {len(params)} argument(s)")
    values = [parse(a, k) for a, k in zip(args, params)]
    t1 = time.perf_counter()
    out = func(*values)
    exec_ = time.perf_counter() - t1
    if not results:
        return load, exec_, ""
    outs = out if isinstance(out, (tuple, list)) else [out]
    return load, exec_, " ".join(render(v, k) for v, k in zip(outs, results))


def run_wasmtime(data, name, args):
    import wasmtime
    t0 = time.perf_counter()
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    module = wasmtime.Module(engine, data)
    instance = wasmtime.Instance(store, module, [])
    load = time.perf_counter() - t0
    if name is None:
        return load, 0.0, ""
    func = instance.exports(store)[name]
    ftype = func.type(store)
    params = [str(p) for p in ftype.params]
    results = [str(r) for r in ftype.results]
    if len(params) != len(args):
        fail(f"{name} takes {len(params)} argument(s)")
    values = [parse(a, k) for a, k in zip(args, params)]
    t1 = time.perf_counter()
    out = func(store, *values)
    exec_ = time.perf_counter() - t1
    if not results:
        return load, exec_, ""
    outs = out if isinstance(out, (tuple, list)) else [out]
    return load, exec_, " ".join(render(v, k) for v, k in zip(outs, results))


def main(argv):
    if len(argv) < 2 or argv[0] not in ("wasm3", "wasmtime"):
        fail(__doc__)
    runtime, path = argv[0], argv[1]
    if path == "--baseline":
        __import__("wasm3" if runtime == "wasm3" else "wasmtime")
        load, exec_, result = 0.0, 0.0, ""
    else:
        with open(path, "rb") as f:
            data = f.read()
        name = argv[2] if len(argv) > 2 else None
        runner = run_wasm3 if runtime == "wasm3" else run_wasmtime
        try:
            load, exec_, result = runner(data, name, argv[3:])
        except Exception as error:  # a trap or a load error: say which, fail the run
            fail(f"{type(error).__name__}: {error}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"load_ms": load * 1e3, "exec_ms": exec_ * 1e3, "result": result, "maxrss_kb": rss}))


if __name__ == "__main__":
    main(sys.argv[1:])
