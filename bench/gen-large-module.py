#!/usr/bin/env python3
"""Writes a large module for load-time measurements: N functions (default 10,000) of
clang-like code (locals, arithmetic, loads and stores, nested blocks, loops, calls).

usage: gen-large-module.py OUT.wasm [N] [MIN-MAX]

MIN-MAX is the number of statements per function body (default 12-20, about 200 bytes of code
per function); the benchmark harness uses larger bodies to reach 5 MB of code.
"""
import random
import sys

def uleb(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)

def sleb(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if (v == 0 and not b & 0x40) or (v == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)

def vec(items):
    return uleb(len(items)) + b"".join(items)

def section(sid, payload):
    return bytes([sid]) + uleb(len(payload)) + payload

def body(rng, index, count, statements):
    code = bytearray()
    # locals: 4 i32, 2 i64
    decls = vec([uleb(4) + b"\x7f", uleb(2) + b"\x7e"])
    for _ in range(rng.randint(*statements)):
        kind = rng.randrange(5)
        if kind == 0:    # local.set 2 (i32.add (i32.mul (local.get 0) (i32.const k)) (local.get 1))
            code += b"\x20\x00\x41" + sleb(rng.randint(-100, 100)) + b"\x6c\x20\x01\x6a\x21\x02"
        elif kind == 1:  # i32.store offset=k (local.get 0) (i32.load offset=j (local.get 1))
            code += b"\x20\x00\x20\x01\x28\x02" + uleb(rng.randint(0, 4096)) + b"\x36\x02" + uleb(rng.randint(0, 4096))
        elif kind == 2:  # block; loop; br_if 1 (i32.eqz (local.get 3)); local.set 3 (i32.sub ...); br 0; end; end
            code += b"\x02\x40\x03\x40\x20\x03\x45\x0d\x01\x20\x03\x41\x01\x6b\x21\x03\x0c\x00\x0b\x0b"
        elif kind == 3:  # local.set 6 (i64.add (local.get 6) (i64.extend_i32_u (local.get 2)))
            code += b"\x20\x06\x20\x02\xad\x7c\x21\x06"
        else:            # drop (call f (local.get 0) (local.get 1)) of an earlier function
            callee = rng.randrange(max(1, index)) if index else 0
            code += b"\x20\x00\x20\x01\x10" + uleb(callee) + b"\x1a"
    code += b"\x20\x02\x0b"  # return local 2
    b = decls + bytes(code)
    return uleb(len(b)) + b

def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    statements = tuple(int(x) for x in sys.argv[3].split("-")) if len(sys.argv) > 3 else (12, 20)
    rng = random.Random(1)
    types = section(1, vec([b"\x60" + vec([b"\x7f", b"\x7f"]) + vec([b"\x7f"])]))
    funcs = section(3, vec([uleb(0)] * n))
    memory = section(5, vec([b"\x00" + uleb(1)]))
    exports = section(7, vec([vec([b"f"[0:1]]) + b"\x00" + uleb(n - 1)]))
    code = section(10, vec([body(rng, i, n, statements) for i in range(n)]))
    data = b"\x00asm\x01\x00\x00\x00" + types + funcs + memory + exports + code
    open(out, "wb").write(data)
    print(f"{out}: {n} functions, {len(data)} bytes")

if __name__ == "__main__":
    main()
