#!/usr/bin/env python3
"""A Python host: loads libswvm.so with ctypes (dlopen) and calls a Wasm export.

usage: hello.py [path/to/libswvm.so] [path/to/demo.wasm]
"""
import ctypes
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
lib_path = sys.argv[1] if len(sys.argv) > 1 else "libswvm.so"
wasm_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "hello", "demo.wasm")

lib = ctypes.CDLL(lib_path)


class Val(ctypes.Structure):
    class Of(ctypes.Union):
        _fields_ = [("i32", ctypes.c_int32), ("i64", ctypes.c_int64), ("f32", ctypes.c_float),
                    ("f64", ctypes.c_double), ("ref", ctypes.c_void_p),
                    ("v128", ctypes.c_uint8 * 16)]  # swvm_v128_t: the union is 16 bytes
    _fields_ = [("kind", ctypes.c_uint32), ("of", Of)]


I32, I64 = 0, 1
ptr = ctypes.c_void_p
lib.swvm_version.restype = ctypes.c_char_p
lib.swvm_engine_new.restype = ptr
lib.swvm_engine_free.argtypes = [ptr]
lib.swvm_module_new.restype = ptr
lib.swvm_module_new.argtypes = [ptr, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ptr)]
lib.swvm_module_free.argtypes = [ptr]
lib.swvm_instance_new.restype = ptr
lib.swvm_instance_new.argtypes = [ptr, ptr, ctypes.POINTER(ptr)]
lib.swvm_instance_free.argtypes = [ptr]
lib.swvm_instance_func.restype = ptr
lib.swvm_instance_func.argtypes = [ptr, ctypes.c_char_p, ctypes.POINTER(ptr)]
lib.swvm_func_call.restype = ptr
lib.swvm_func_call.argtypes = [ptr, ctypes.POINTER(Val), ctypes.c_size_t, ctypes.POINTER(Val), ctypes.c_size_t]
lib.swvm_func_free.argtypes = [ptr]
lib.swvm_error_message.restype = ctypes.c_char_p
lib.swvm_error_message.argtypes = [ptr]
lib.swvm_error_free.argtypes = [ptr]


def check(err, what):
    if err:
        message = lib.swvm_error_message(err).decode()
        lib.swvm_error_free(err)
        raise RuntimeError(f"{what}: {message}")


print("swvm", lib.swvm_version().decode())
engine = lib.swvm_engine_new()
data = open(wasm_path, "rb").read()
module, instance, fib = ptr(), ptr(), ptr()
check(lib.swvm_module_new(engine, data, len(data), ctypes.byref(module)), "load")
check(lib.swvm_instance_new(engine, module, ctypes.byref(instance)), "instantiate")
check(lib.swvm_instance_func(instance, b"fib", ctypes.byref(fib)), "lookup")

arg = Val(kind=I64)
arg.of.i64 = 90
result = Val()
check(lib.swvm_func_call(fib, ctypes.byref(arg), 1, ctypes.byref(result), 1), "call")
print("fib(90) =", result.of.i64)

# A bad call returns an error instead of crashing the interpreter.
err = lib.swvm_func_call(fib, None, 0, ctypes.byref(result), 1)
print("wrong argument count:", lib.swvm_error_message(err).decode())
lib.swvm_error_free(err)

lib.swvm_func_free(fib)
lib.swvm_instance_free(instance)
lib.swvm_module_free(module)
lib.swvm_engine_free(engine)
if result.of.i64 != 2880067194370816120:
    sys.exit("wrong result")
print("ok")
