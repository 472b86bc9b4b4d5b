#!/usr/bin/env python3
"""Call overheads seen from Python, swvm (the python/swvm package over ctypes) next to wasm3 (pywasm3),
on the same module, in the same run. A measurement, not a test.

usage: SWVM_LIBRARY=.../libswvm.so python_compare.py bench/hostcall/hostcall.wasm [n]
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
import swvm  # noqa: E402
import wasm3  # noqa: E402

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 200000
wasm = open(path, "rb").read()


def per_call(fn, count):
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) / count * 1e9


inst = swvm.Instance(swvm.Module(wasm), {"env": {"inc": swvm.Func("i(i)", lambda x: x + 1)}})
s_id, s_host, s_wasm = inst.exports.id, inst.exports.loop_host, inst.exports.loop_wasm

env = wasm3.Environment()
rt = env.new_runtime(64 * 1024)
mod = env.parse_module(wasm)
rt.load(mod)
mod.link_function("env", "inc", "i(i)", lambda x: x + 1)
w_id, w_host, w_wasm = rt.find_function("id"), rt.find_function("loop_host"), rt.find_function("loop_wasm")

rows = [
    ("Python -> Wasm call (id)", per_call(lambda: [s_id(i) for i in range(n)], n), per_call(lambda: [w_id(i) for i in range(n)], n)),
    ("Wasm -> Python host call", per_call(lambda: s_host(n), n), per_call(lambda: w_host(n), n)),
    ("Wasm -> Wasm call (loop baseline)", per_call(lambda: s_wasm(n * 10), n * 10), per_call(lambda: w_wasm(n * 10), n * 10)),
]
print(f"{'ns per call':36} {'swvm':>9} {'wasm3':>9} {'swvm/wasm3':>11}")
for name, s, w in rows:
    print(f"{name:36} {s:9.1f} {w:9.1f} {s / w:11.2f}")
