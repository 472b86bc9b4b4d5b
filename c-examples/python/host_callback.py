#!/usr/bin/env python3
"""A Python host registering a Python callback as a Wasm import, through raw ctypes:
CFUNCTYPE -> swvm_linker_define_func. (the python/swvm package wraps the same in a friendlier API.)

usage: host_callback.py path/to/libswvm.so path/to/callbacks.wasm
"""
import ctypes
import sys

lib = ctypes.CDLL(sys.argv[1])
wasm = open(sys.argv[2], "rb").read()
p = ctypes.c_void_p


class Val(ctypes.Structure):
    class Of(ctypes.Union):
        _fields_ = [("i32", ctypes.c_int32), ("i64", ctypes.c_int64), ("f32", ctypes.c_float),
                    ("f64", ctypes.c_double), ("ref", ctypes.c_void_p),
                    ("v128", ctypes.c_uint8 * 16)]  # swvm_v128_t: the union is 16 bytes
    _fields_ = [("kind", ctypes.c_uint32), ("of", Of)]


for name, res, args in [("swvm_engine_new", p, []), ("swvm_linker_new", p, [p]),
                        ("swvm_module_new", p, [p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(p)]),
                        ("swvm_linker_define_func", p, [p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, p, p, ctypes.c_int]),
                        ("swvm_linker_instantiate", p, [p, p, ctypes.POINTER(p)]),
                        ("swvm_instance_func", p, [p, ctypes.c_char_p, ctypes.POINTER(p)]),
                        ("swvm_func_call", p, [p, ctypes.POINTER(Val), ctypes.c_size_t, ctypes.POINTER(Val), ctypes.c_size_t]),
                        ("swvm_error_message", ctypes.c_char_p, [p]), ("swvm_caller_memory", ctypes.POINTER(ctypes.c_uint8), [p, ctypes.POINTER(ctypes.c_size_t)])]:
    getattr(lib, name).restype = res
    getattr(lib, name).argtypes = args


def check(err):
    if err:
        raise RuntimeError(lib.swvm_error_message(err).decode())


calls = []
ADD = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_int32, ctypes.c_int32)
LOG = ctypes.CFUNCTYPE(None, p, ctypes.c_int32, ctypes.c_int32)            # with the caller first
FAIL = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_int32)
HALF = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double)


@ADD
def add(a, b):
    calls.append((a, b))
    return a + b


@LOG
def log(caller, ptr, length):
    size = ctypes.c_size_t()
    mem = lib.swvm_caller_memory(caller, ctypes.byref(size))
    print("wasm says:", ctypes.string_at(ctypes.addressof(mem.contents) + ptr, length).decode())


fail = FAIL(lambda x: x * 10)
half = HALF(lambda x: x / 2)

engine = lib.swvm_engine_new()
linker = lib.swvm_linker_new(engine)
for name, sig, fn, flags in [(b"add", b"i(ii)", add, 0), (b"log", b"(ii)", log, 1), (b"fail", b"i(i)", fail, 0), (b"half", b"F(F)", half, 0)]:
    check(lib.swvm_linker_define_func(linker, b"env", name, sig, ctypes.cast(fn, p), None, flags))
module, instance, add3, greet = p(), p(), p(), p()
check(lib.swvm_module_new(engine, wasm, len(wasm), ctypes.byref(module)))
check(lib.swvm_linker_instantiate(linker, module, ctypes.byref(instance)))
check(lib.swvm_instance_func(instance, b"add3", ctypes.byref(add3)))
check(lib.swvm_instance_func(instance, b"greet", ctypes.byref(greet)))
args = (Val * 3)(*[Val(kind=0) for _ in range(3)])
for i, v in enumerate((10, 20, 12)):
    args[i].of.i32 = v
result = Val()
check(lib.swvm_func_call(add3, args, 3, ctypes.byref(result), 1))
print("add3(10, 20, 12) =", result.of.i32, "via Python calls", calls)
check(lib.swvm_func_call(greet, None, 0, None, 0))
if result.of.i32 != 42 or calls != [(10, 20), (30, 12)]:
    sys.exit("wrong result")
print("ok")
