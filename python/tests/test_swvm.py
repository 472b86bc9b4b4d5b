"""Tests of the pure-Python swvm wrapper against the real libswvm.so (set SWVM_LIBRARY)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import swvm  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "c-examples")


def load(path):
    with open(path, "rb") as f:
        return swvm.Module(f.read())


def callbacks_instance(log=None):
    log = [] if log is None else log

    def record(caller, ptr, length):
        log.append(bytes(caller.memory()[ptr:ptr + length]).decode())

    def fail(x):
        if x < 0:
            raise ValueError("negative")
        return x * 10

    imports = {"env": {
        "add": swvm.Func("i(ii)", lambda a, b: a + b),
        "log": swvm.Func("(ii)", record, with_caller=True),
        "fail": swvm.Func("i(i)", fail),
        "half": swvm.Func("F(F)", lambda x: x / 2),
    }}
    return swvm.Instance(load(os.path.join(HERE, "callbacks.wasm")), imports)


def test_version():
    assert swvm.version().count(".") == 2


def test_calls_exports():
    instance = swvm.Instance(load(os.path.join(EXAMPLES, "hello", "demo.wasm")))
    assert instance.exports.fib(90) == 2880067194370816120
    assert instance.exports.add(40, 2) == 42
    assert instance.exports.mix(2.5, 4.0) == 10.0
    assert "fib" in instance.export_names()


def test_python_callbacks_as_imports():
    log = []
    instance = callbacks_instance(log)
    assert instance.exports.add3(1, 2, 3) == 6
    instance.exports.greet()
    assert log == ["python"]
    assert instance.exports.quarter(10.0) == 2.5


def test_exception_in_callback_traps_and_instance_stays_usable():
    instance = callbacks_instance()
    with pytest.raises(swvm.Trap, match="ValueError: negative"):
        instance.exports.try_fail(-1)
    assert instance.exports.try_fail(4) == 40


def test_memory_and_globals():
    instance = callbacks_instance()
    memory = instance.exports.memory
    assert memory.size == 65536
    assert memory.read(8, 6) == b"python"
    memory.write(8, b"PY")
    assert memory.read(8, 6) == b"PYthon"
    assert memory.grow(2) == 1 and memory.size == 3 * 65536
    with pytest.raises(swvm.LimitError):
        memory.grow(1)
    with pytest.raises(IndexError):
        memory.read(3 * 65536 - 2, 4)
    counter = instance.exports.counter
    assert counter.value == 5
    assert instance.exports.bump() == 6
    counter.value = 41
    assert instance.exports.bump() == 42


def test_linking_two_instances():
    lib = swvm.Instance(load(os.path.join(EXAMPLES, "linking", "lib.wasm")))
    app = swvm.Instance(load(os.path.join(EXAMPLES, "linking", "app.wasm")), {"lib": lib})
    assert app.exports.length() == 14
    assert lib.exports.memory.read(100, 14) == b"linked modules"


def test_errors():
    with pytest.raises(swvm.Malformed):
        swvm.Module(b"\0asm garbage")
    with pytest.raises(swvm.Invalid, match="type mismatch"):
        # (func (result i32) i64.const 0)
        swvm.Module(bytes.fromhex("0061736d01000000010501600001 7f030201000a0601040042000b".replace(" ", "")))
    with pytest.raises(swvm.LinkError, match="env.add"):
        swvm.Instance(load(os.path.join(HERE, "callbacks.wasm")))
    instance = swvm.Instance(load(os.path.join(EXAMPLES, "hello", "demo.wasm")))
    with pytest.raises(swvm.UsageError):
        instance.exports.add(1)
    with pytest.raises(swvm.Trap, match="integer divide by zero"):
        instance.exports.div(1, 0)
    with pytest.raises(AttributeError):
        instance.exports.nope


def test_module_imports_and_exports_before_instantiation():
    module = load(os.path.join(HERE, "..", "..", "Tests", "capi", "embed.wasm"))
    assert module.imports == [
        swvm.ImportType("env", "make_greeting", "func", swvm.FuncType(["i32"], ["i32"])),
        swvm.ImportType("env", "scale", "global", swvm.GlobalType("i32", False)),
        swvm.ImportType("env", "memory", "memory", swvm.MemoryType(1, 2)),
    ]
    exports = {e.name: e for e in module.exports}
    assert [e.name for e in module.exports] == ["memory", "heap", "callbacks", "alloc", "greet", "kinds"]
    assert exports["heap"] == swvm.ExportType("heap", "global", swvm.GlobalType("i32", True))
    assert exports["callbacks"].type == swvm.TableType("externref", 2, None)
    assert exports["kinds"].type == swvm.FuncType(["i64", "f32", "f64", "externref", "funcref"], ["f64", "i32"])
    assert load(os.path.join(EXAMPLES, "hello", "demo.wasm")).imports == []


def test_several_memories_and_a_64_bit_one_are_listed_and_exported():
    # (memory 1 2) (memory i64 3), exported as "a" and "b" (multi-memory, memory64).
    wasm = bytes([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 5, 6, 2, 1, 1, 2, 4, 3,
                  7, 9, 2, 1, ord("a"), 2, 0, 1, ord("b"), 2, 1])
    module = swvm.Module(wasm)
    assert [e.type for e in module.exports] == [swvm.MemoryType(1, 2), swvm.MemoryType(3, None, True)]
    instance = swvm.Instance(module)
    assert instance.exports["a"].size == 65536
    assert instance.exports["b"].size == 3 * 65536
    assert instance.exports["b"].grow(1) == 3


def test_v128_values():
    seen = []

    def lanes(v):
        seen.append(v)
        return sum(v)

    inst = swvm.Instance(load(os.path.join(HERE, "simd.wasm")), {"env": {"lanes": swvm.Func("i(V)", lanes)}})
    one = (1).to_bytes(4, "little") * 4
    # bytes in, bytes out; an int is the same 128 bits, little-endian.
    assert inst.exports.add4(one, one) == (2).to_bytes(4, "little") * 4
    assert inst.exports.add4((1 << 96) | 5, -1) == (4).to_bytes(4, "little") + b"\xff" * 8 + b"\x00" * 4
    assert inst.exports.g.value == bytes(range(1, 17))
    inst.exports.g.value = 1 << 120
    assert inst.exports.g.value == b"\x00" * 15 + b"\x01"
    k, v = inst.exports.host(bytes(range(16)))
    assert seen == [bytes(range(16))] and k == sum(range(16))
    assert v == bytes(range(15)) + b"\x10"
    with pytest.raises(swvm.UsageError):
        inst.exports.add4(b"short", one)
    with pytest.raises(swvm.UsageError):
        inst.exports.add4(1 << 128, one)
    with pytest.raises(swvm.UsageError):
        swvm.Func("V(V)", lambda v: v)
