"""swvm for Python: a pure-ctypes wrapper over libswvm.so (no compiled extension).

    import swvm
    module = swvm.Module(open("demo.wasm", "rb").read())
    instance = swvm.Instance(module)
    instance.exports.fib(90)

Host functions are Python callables given with their Wasm signature (see swvm.h: result
letters, then parameter letters in parentheses; i i32, I i64, f f32, F f64, r externref):

    imports = {"env": {"add": swvm.Func("i(ii)", lambda a, b: a + b)}}
    instance = swvm.Instance(module, imports)

An exception raised by a host function traps the Wasm call; the caller gets swvm.Trap.

WASI programs run with `swvm.run_wasi(wasm, args)` (or `python -m swvm run prog.wasm args...`).

The library is, in order: $SWVM_LIBRARY if set; the libswvm.so installed inside this package
(`pip install ./python` puts it there); "libswvm.so" on the loader's path (e.g. /usr/local/lib
after scripts/setup.sh).
"""
from __future__ import annotations

import collections
import ctypes
import os
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Tuple, Union

__all__ = ["Engine", "Module", "Instance", "Func", "Function", "Memory", "Global", "Caller", "Wasi",
           "FuncType", "GlobalType", "TableType", "MemoryType", "ImportType", "ExportType",
           "Error", "Malformed", "Invalid", "LinkError", "Trap", "LimitError", "UsageError",
           "UncaughtException", "run_wasi", "version", "library_path", "I32", "I64", "F32", "F64", "FUNCREF",
           "EXTERNREF", "EXNREF"]

__version__ = "0.1.0"

_BUNDLED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "libswvm.so")


def _library_path() -> str:
    explicit = os.environ.get("SWVM_LIBRARY")
    if explicit:
        return explicit
    if os.path.exists(_BUNDLED):
        return _BUNDLED
    return "libswvm.so"


def _load() -> ctypes.CDLL:
    path = _library_path()
    try:
        return ctypes.CDLL(path)
    except OSError as e:
        raise ImportError(f"swvm: cannot load {path} ({e}); install the package with "
                          "`pip install ./python`, or set SWVM_LIBRARY to a libswvm.so") from e


_lib = _load()
_p = ctypes.c_void_p


def library_path() -> str:
    """The libswvm.so this module loaded (a path, or "libswvm.so" when found by the loader)."""
    return _library_path()


class _V128(ctypes.Structure):
    """swvm_v128_t: 16 bytes, lanes little-endian."""
    _fields_ = [("bytes", ctypes.c_uint8 * 16)]


class _Val(ctypes.Structure):
    class _Of(ctypes.Union):
        _fields_ = [("i32", ctypes.c_int32), ("i64", ctypes.c_int64), ("f32", ctypes.c_float),
                    ("f64", ctypes.c_double), ("ref", ctypes.c_void_p), ("v128", _V128)]
    _fields_ = [("kind", ctypes.c_uint32), ("of", _Of)]


I32, I64, F32, F64, FUNCREF, EXTERNREF, V128, EXNREF = range(8)
_KIND_NAME = ["i32", "i64", "f32", "f64", "funcref", "externref", "v128", "exnref"]
_EXTERN_NAME = ["func", "table", "memory", "global", "tag"]


class _ExternType(ctypes.Structure):
    """swvm_externtype_t."""
    _fields_ = [("kind", ctypes.c_int),
                ("params", ctypes.POINTER(ctypes.c_uint32)), ("nparams", ctypes.c_size_t),
                ("results", ctypes.POINTER(ctypes.c_uint32)), ("nresults", ctypes.c_size_t),
                ("valkind", ctypes.c_uint32), ("mutable_", ctypes.c_int),
                ("min", ctypes.c_uint64), ("max", ctypes.c_uint64), ("is64", ctypes.c_int)]

    def to_python(self):
        kind = _EXTERN_NAME[self.kind]
        if kind in ("func", "tag"):  # a tag's type: its payload as parameters, no results
            return FuncType([_KIND_NAME[self.params[i]] for i in range(self.nparams)],
                            [_KIND_NAME[self.results[i]] for i in range(self.nresults)])
        if kind == "global":
            return GlobalType(_KIND_NAME[self.valkind], bool(self.mutable_))
        limits = (self.min, None if self.max == 0xFFFFFFFFFFFFFFFF else self.max)
        is64 = bool(self.is64)
        return TableType(_KIND_NAME[self.valkind], *limits, is64) if kind == "table" else MemoryType(*limits, is64)
_KIND_FIELD = {I32: "i32", I64: "i64", F32: "f32", F64: "f64", FUNCREF: "ref", EXTERNREF: "ref", EXNREF: "ref"}
_LETTER = {"i": (I32, ctypes.c_int32), "I": (I64, ctypes.c_int64), "f": (F32, ctypes.c_float),
           "F": (F64, ctypes.c_double), "r": (EXTERNREF, ctypes.c_void_p), "V": (V128, _V128)}


def _v128_bytes(x: Any) -> bytes:
    """A v128 given as 16 bytes (memory order) or as an int (bytes little-endian; negative
    values in two's complement)."""
    if isinstance(x, (bytes, bytearray, memoryview)):
        b = bytes(x)
        if len(b) != 16:
            raise UsageError(f"a v128 is 16 bytes, got {len(b)}", 5)
        return b
    if isinstance(x, int) and not isinstance(x, bool):
        if not -(1 << 127) <= x < (1 << 128):
            raise UsageError("a v128 int must fit in 128 bits", 5)
        return (x & ((1 << 128) - 1)).to_bytes(16, "little")
    raise UsageError(f"a v128 is bytes or an int, got {type(x).__name__}", 5)


def _set(v: "_Val", kind: int, x: Any) -> None:
    """Stores the Python value `x` of Wasm kind `kind` in `v`."""
    v.kind = kind
    if kind == V128:
        ctypes.memmove(ctypes.addressof(v.of.v128), _v128_bytes(x), 16)
    else:
        setattr(v.of, _KIND_FIELD[kind], x)


def _get(v: "_Val") -> Any:
    """The Python value in `v`: an int, float or reference; a v128 as 16 bytes."""
    if v.kind == V128:
        return bytes(v.of.v128.bytes)
    return getattr(v.of, _KIND_FIELD[v.kind])


# Types of imports and exports (Module.imports / Module.exports). Value types are their text
# names ("i32", "funcref"...); a missing maximum is None.
FuncType = collections.namedtuple("FuncType", "params results")
GlobalType = collections.namedtuple("GlobalType", "valtype mutable")
# is64: a 64-bit (memory64 / table64) memory or table; limits may then exceed 2**32.
TableType = collections.namedtuple("TableType", "element min max is64", defaults=(False,))
MemoryType = collections.namedtuple("MemoryType", "min max is64", defaults=(False,))
ImportType = collections.namedtuple("ImportType", "module name kind type")
ExportType = collections.namedtuple("ExportType", "name kind type")


def _sig(fn, restype, *argtypes):
    fn.restype = restype
    fn.argtypes = list(argtypes)


_sig(_lib.swvm_version, ctypes.c_char_p)
_sig(_lib.swvm_error_kind, ctypes.c_int, _p)
_sig(_lib.swvm_error_message, ctypes.c_char_p, _p)
_sig(_lib.swvm_error_free, None, _p)
_sig(_lib.swvm_engine_new, _p)
_sig(_lib.swvm_engine_free, None, _p)
_sig(_lib.swvm_module_new, _p, _p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_p))
_sig(_lib.swvm_module_free, None, _p)
_sig(_lib.swvm_instance_free, None, _p)
_sig(_lib.swvm_instance_func, _p, _p, ctypes.c_char_p, ctypes.POINTER(_p))
_sig(_lib.swvm_instance_memory, _p, _p, ctypes.c_char_p, ctypes.POINTER(_p))
_sig(_lib.swvm_instance_global, _p, _p, ctypes.c_char_p, ctypes.POINTER(_p))
_sig(_lib.swvm_instance_export_count, ctypes.c_size_t, _p)
_sig(_lib.swvm_instance_export_name, ctypes.c_char_p, _p, ctypes.c_size_t)
_sig(_lib.swvm_instance_export_kind, ctypes.c_int, _p, ctypes.c_size_t)
_sig(_lib.swvm_func_param_count, ctypes.c_size_t, _p)
_sig(_lib.swvm_func_result_count, ctypes.c_size_t, _p)
_sig(_lib.swvm_func_param_kind, ctypes.c_int, _p, ctypes.c_size_t)
_sig(_lib.swvm_func_result_kind, ctypes.c_int, _p, ctypes.c_size_t)
_sig(_lib.swvm_func_call, _p, _p, ctypes.POINTER(_Val), ctypes.c_size_t, ctypes.POINTER(_Val), ctypes.c_size_t)
_sig(_lib.swvm_func_free, None, _p)
_sig(_lib.swvm_memory_data, ctypes.POINTER(ctypes.c_uint8), _p)
_sig(_lib.swvm_memory_size, ctypes.c_size_t, _p)
_sig(_lib.swvm_memory_grow, _p, _p, ctypes.c_uint64, ctypes.POINTER(ctypes.c_uint64))
_sig(_lib.swvm_memory_free, None, _p)
_sig(_lib.swvm_global_get, _p, _p, ctypes.POINTER(_Val))
_sig(_lib.swvm_global_set, _p, _p, ctypes.POINTER(_Val))
_sig(_lib.swvm_global_free, None, _p)
_sig(_lib.swvm_linker_new, _p, _p)
_sig(_lib.swvm_linker_free, None, _p)
_sig(_lib.swvm_linker_define_func, _p, _p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, _p, _p, ctypes.c_int)
_sig(_lib.swvm_linker_define_instance, _p, _p, ctypes.c_char_p, _p)
_sig(_lib.swvm_linker_instantiate, _p, _p, _p, ctypes.POINTER(_p))
_sig(_lib.swvm_module_import_count, ctypes.c_size_t, _p)
_sig(_lib.swvm_module_export_count, ctypes.c_size_t, _p)
_sig(_lib.swvm_module_import, _p, _p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_char_p),
     ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(_ExternType))
_sig(_lib.swvm_module_export, _p, _p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(_ExternType))
_sig(_lib.swvm_caller_memory, ctypes.POINTER(ctypes.c_uint8), _p, ctypes.POINTER(ctypes.c_size_t))
_sig(_lib.swvm_caller_trap, None, _p, ctypes.c_char_p)


class _WasiConfig(ctypes.Structure):
    _fields_ = [("argv", ctypes.POINTER(ctypes.c_char_p)), ("argc", ctypes.c_size_t),
                ("env", ctypes.POINTER(ctypes.c_char_p)), ("envc", ctypes.c_size_t),
                ("preopen_host", ctypes.POINTER(ctypes.c_char_p)),
                ("preopen_guest", ctypes.POINTER(ctypes.c_char_p)), ("npreopens", ctypes.c_size_t),
                ("stdin_fd", ctypes.c_int), ("stdout_fd", ctypes.c_int), ("stderr_fd", ctypes.c_int)]


_sig(_lib.swvm_linker_define_wasi, _p, _p, ctypes.POINTER(_WasiConfig))
_sig(_lib.swvm_linker_wasi_exit_code, ctypes.c_int, _p, ctypes.POINTER(ctypes.c_int))

_WITH_CALLER = 1


class Error(Exception):
    """A swvm error; `kind` is one of the swvm_error_kind_t values (0 MALFORMED ... 6 EXCEPTION)."""

    def __init__(self, message: str, kind: int) -> None:
        super().__init__(message)
        self.kind = kind


class Malformed(Error):
    """The bytes are not a well-formed binary module."""


class Invalid(Error):
    """The module is well-formed but fails validation."""


class LinkError(Error):
    """Imports are missing or do not match."""


class Trap(Error):
    """Execution trapped (also during instantiation, or a host function raised)."""


class LimitError(Error):
    """A resource limit was hit (memory or table growth, stack, ...)."""


class UsageError(Error):
    """The API was called wrongly (wrong argument count or type, ...)."""


class UncaughtException(Error):
    """A Wasm exception (exception handling, Wasm 3.0) left the call uncaught."""


_ERRORS = [Malformed, Invalid, LinkError, Trap, LimitError, UsageError, UncaughtException]


def _check(err: Optional[int]) -> None:
    if err:
        kind = _lib.swvm_error_kind(err)
        message = _lib.swvm_error_message(err).decode("utf-8", "replace")
        _lib.swvm_error_free(err)
        raise _ERRORS[kind](message, kind) if 0 <= kind < len(_ERRORS) else Error(message, kind)


def version() -> str:
    """The library's version, e.g. "0.1.0"."""
    return _lib.swvm_version().decode()


class _Handle:
    """Owns one C handle and frees it once; handles may be freed in any order."""
    _free = None

    def __init__(self, handle: Optional[int]) -> None:
        self._handle = handle

    def __del__(self) -> None:
        if getattr(self, "_handle", None) and self._free:
            type(self)._free(self._handle)
            self._handle = None


class Engine(_Handle):
    """Owns compiled code and runtime state; modules and instances belong to one engine.
    A default engine is used when none is given."""
    _free = _lib.swvm_engine_free

    def __init__(self) -> None:
        super().__init__(_lib.swvm_engine_new())


_default_engine = None


def _engine(engine: Optional[Engine]) -> Engine:
    global _default_engine
    if engine is not None:
        return engine
    if _default_engine is None:
        _default_engine = Engine()
    return _default_engine


class Module(_Handle):
    """A decoded and validated module, from the bytes of a .wasm file. Raises Malformed or
    Invalid."""
    _free = _lib.swvm_module_free

    def __init__(self, wasm: Union[bytes, bytearray, memoryview], engine: Optional[Engine] = None) -> None:
        self.engine = _engine(engine)
        out = _p()
        data = bytes(wasm)
        _check(_lib.swvm_module_new(self.engine._handle, data, len(data), ctypes.byref(out)))
        super().__init__(out.value)

    @property
    def imports(self):
        """The imports, in order: ImportType(module, name, kind, type), kind "func", "table",
        "memory" or "global", type a FuncType, TableType, MemoryType or GlobalType."""
        out = []
        for i in range(_lib.swvm_module_import_count(self._handle)):
            module, name, t = ctypes.c_char_p(), ctypes.c_char_p(), _ExternType()
            _check(_lib.swvm_module_import(self._handle, i, ctypes.byref(module), ctypes.byref(name), ctypes.byref(t)))
            out.append(ImportType(module.value.decode(), name.value.decode(), _EXTERN_NAME[t.kind], t.to_python()))
        return out

    @property
    def exports(self):
        """The exports, in order: ExportType(name, kind, type) (see `imports`)."""
        out = []
        for i in range(_lib.swvm_module_export_count(self._handle)):
            name, t = ctypes.c_char_p(), _ExternType()
            _check(_lib.swvm_module_export(self._handle, i, ctypes.byref(name), ctypes.byref(t)))
            out.append(ExportType(name.value.decode(), _EXTERN_NAME[t.kind], t.to_python()))
        return out


class Caller:
    """What a host function declared with_caller=True receives first."""

    def __init__(self, handle: int) -> None:
        self._handle = handle

    def memory(self) -> Optional[memoryview]:
        """The calling instance's "memory" export as a writable memoryview (valid during the call)."""
        size = ctypes.c_size_t()
        data = _lib.swvm_caller_memory(self._handle, ctypes.byref(size))
        if not data:
            return None
        return memoryview((ctypes.c_uint8 * size.value).from_address(ctypes.addressof(data.contents))).cast("B")


class Func:
    """A Python callable with a Wasm signature, to be imported by a module.

    `signature` is result letters, then parameter letters in parentheses: "i(ii)" takes two
    i32 and returns one, "(I)" takes an i64 and returns nothing. With `with_caller=True` the
    callable first receives a `Caller` (the calling instance's memory)."""

    def __init__(self, signature: str, fn: Callable[..., Any], with_caller: bool = False) -> None:
        open_ = signature.index("(")
        self.results = [c for c in signature[:open_] if c != "v"]
        self.params = list(signature[open_ + 1:-1])
        if len(self.results) > 1:
            raise UsageError("Python host functions return at most one value", 5)
        if "V" in self.results:
            # ctypes callbacks cannot return a structure by value.
            raise UsageError("Python host functions take v128 parameters (as bytes) but cannot return one", 5)
        self.signature, self.fn, self.with_caller = signature, fn, with_caller

    def _callback(self):
        restype = _LETTER[self.results[0]][1] if self.results else None
        ctype = ctypes.CFUNCTYPE(restype, _p, *[_LETTER[c][1] for c in self.params])
        fn, with_caller, has_result = self.fn, self.with_caller, bool(self.results)

        def trampoline(caller, *args):
            args = tuple(bytes(a.bytes) if isinstance(a, _V128) else a for a in args)
            try:
                r = fn(Caller(caller), *args) if with_caller else fn(*args)
                return r if has_result else None
            except Exception as e:  # becomes a Wasm trap, not a crash of the interpreter
                _lib.swvm_caller_trap(caller, f"{type(e).__name__}: {e}".encode())
                return 0 if has_result else None
        return ctype(trampoline)


class Function(_Handle):
    """An exported Wasm function; call it with Python ints and floats. Returns None, a value,
    or a tuple for several results. Raises Trap when the call traps."""
    _free = _lib.swvm_func_free

    def __init__(self, handle: int, owner: "Instance") -> None:
        super().__init__(handle)
        self._owner = owner
        self.params = [_lib.swvm_func_param_kind(handle, i) for i in range(_lib.swvm_func_param_count(handle))]
        self.results = [_lib.swvm_func_result_kind(handle, i) for i in range(_lib.swvm_func_result_count(handle))]

    def __call__(self, *args: Any) -> Any:
        if len(args) != len(self.params):
            raise UsageError(f"expected {len(self.params)} argument(s), got {len(args)}", 5)
        argv = (_Val * max(1, len(args)))()
        for i, (a, kind) in enumerate(zip(args, self.params)):
            _set(argv[i], kind, a)
        resv = (_Val * max(1, len(self.results)))()
        _check(_lib.swvm_func_call(self._handle, argv, len(args), resv, len(self.results)))
        out = [_get(resv[i]) for i in range(len(self.results))]
        return None if not out else out[0] if len(out) == 1 else tuple(out)


class Memory(_Handle):
    """An exported linear memory."""
    _free = _lib.swvm_memory_free

    def __init__(self, handle: int, owner: "Instance") -> None:
        super().__init__(handle)
        self._owner = owner

    @property
    def size(self) -> int:
        """The size in bytes."""
        return _lib.swvm_memory_size(self._handle)

    def read(self, offset: int, length: int) -> bytes:
        """A copy of `length` bytes at `offset`; IndexError when out of bounds."""
        if offset < 0 or length < 0 or offset + length > self.size:
            raise IndexError("read out of bounds")
        return ctypes.string_at(ctypes.addressof(_lib.swvm_memory_data(self._handle).contents) + offset, length)

    def write(self, offset: int, data: Union[bytes, bytearray, memoryview]) -> None:
        """Copies `data` to `offset`; IndexError when out of bounds."""
        if offset < 0 or offset + len(data) > self.size:
            raise IndexError("write out of bounds")
        ctypes.memmove(ctypes.addressof(_lib.swvm_memory_data(self._handle).contents) + offset, bytes(data), len(data))

    def grow(self, pages: int) -> int:
        """Grows by `pages` 64 KiB pages; returns the old page count. Raises LimitError."""
        old = ctypes.c_uint64()
        _check(_lib.swvm_memory_grow(self._handle, pages, ctypes.byref(old)))
        return old.value


class Global(_Handle):
    """An exported global; `value` reads it and, if it is mutable, sets it."""
    _free = _lib.swvm_global_free

    def __init__(self, handle: int, owner: "Instance") -> None:
        super().__init__(handle)
        self._owner = owner

    @property
    def value(self) -> Any:
        v = _Val()
        _check(_lib.swvm_global_get(self._handle, ctypes.byref(v)))
        return _get(v)

    @value.setter
    def value(self, x: Any) -> None:
        v = _Val()
        _check(_lib.swvm_global_get(self._handle, ctypes.byref(v)))
        _set(v, v.kind, x)
        _check(_lib.swvm_global_set(self._handle, ctypes.byref(v)))


class _Exports:
    """An instance's exports by name, as attributes or items: Function, Memory or Global."""

    def __init__(self, instance: "Instance") -> None:
        self._instance = instance

    def __getattr__(self, name: str) -> Any:
        return self[name]

    def __getitem__(self, name: str) -> Any:
        i = self._instance
        for lookup, cls in ((_lib.swvm_instance_func, Function), (_lib.swvm_instance_memory, Memory),
                            (_lib.swvm_instance_global, Global)):
            out = _p()
            err = lookup(i._handle, name.encode(), ctypes.byref(out))
            if not err:
                return cls(out.value, i)
            _lib.swvm_error_free(err)
        raise AttributeError(f"no export named {name!r}")

    def __dir__(self) -> Iterable[str]:
        return self._instance.export_names()


class Wasi:
    """What a WASI (preview1) program sees: its arguments (args[0] is the program name), its
    environment, the host directories it may open (host path -> path the program sees), and
    the host file descriptors behind its stdin, stdout and stderr."""

    def __init__(self, args: Sequence[str] = ("program",), env: Optional[Mapping[str, str]] = None,
                 dirs: Optional[Mapping[str, str]] = None, stdin: int = 0, stdout: int = 1,
                 stderr: int = 2) -> None:
        self.args = list(args)
        self.env = dict(env or {})
        self.dirs = dict(dirs or {})
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr

    def _define(self, linker: int) -> None:
        def strings(items: Sequence[str]) -> Any:
            return (ctypes.c_char_p * max(1, len(items)))(*[x.encode() for x in items])
        env = [f"{k}={v}" for k, v in self.env.items()]
        hosts, guests = list(self.dirs.keys()), list(self.dirs.values())
        config = _WasiConfig(strings(self.args), len(self.args), strings(env), len(env),
                             strings(hosts), strings(guests), len(hosts),
                             self.stdin, self.stdout, self.stderr)
        _check(_lib.swvm_linker_define_wasi(linker, ctypes.byref(config)))


class Instance(_Handle):
    """An instantiated module. `imports` maps module names to {field: Func} or to an Instance
    whose exports they import; `wasi` provides WASI preview1 (wasi_snapshot_preview1).
    Raises LinkError for missing or mismatched imports, Trap when a start function traps."""
    _free = _lib.swvm_instance_free

    def __init__(self, module: Module, imports: Optional[Mapping[str, Union[Mapping[str, Func], "Instance"]]] = None,
                 engine: Optional[Engine] = None, wasi: Optional[Wasi] = None) -> None:
        self.engine = module.engine if engine is None else engine
        self._callbacks = []  # keep ctypes callbacks alive as long as the instance
        self._linker = None   # kept while WASI may report an exit code through it
        linker = _lib.swvm_linker_new(self.engine._handle)
        try:
            for module_name, fields in (imports or {}).items():
                if isinstance(fields, Instance):
                    _check(_lib.swvm_linker_define_instance(linker, module_name.encode(), fields._handle))
                    continue
                for field, func in fields.items():
                    cb = func._callback()
                    self._callbacks.append(cb)
                    _check(_lib.swvm_linker_define_func(linker, module_name.encode(), field.encode(),
                                                        func.signature.encode(), ctypes.cast(cb, _p), None, _WITH_CALLER))
            if wasi is not None:
                wasi._define(linker)
            out = _p()
            _check(_lib.swvm_linker_instantiate(linker, module._handle, ctypes.byref(out)))
            if wasi is not None:
                self._linker, linker = linker, None
        finally:
            if linker:
                _lib.swvm_linker_free(linker)
        super().__init__(out.value)
        self.exports = _Exports(self)

    def __del__(self) -> None:
        super().__del__()
        if getattr(self, "_linker", None):
            _lib.swvm_linker_free(self._linker)
            self._linker = None

    def export_names(self) -> list:
        """The names of all exports, in the module's order."""
        return [_lib.swvm_instance_export_name(self._handle, i).decode()
                for i in range(_lib.swvm_instance_export_count(self._handle))]

    def wasi_exit_code(self) -> Optional[int]:
        """The code a WASI program passed to proc_exit, or None if it has not called it."""
        code = ctypes.c_int()
        if self._linker and _lib.swvm_linker_wasi_exit_code(self._linker, ctypes.byref(code)):
            return code.value
        return None


def run_wasi(wasm: Union[bytes, bytearray, str, "os.PathLike[str]"], args: Sequence[str] = (),
             env: Optional[Mapping[str, str]] = None, dirs: Optional[Mapping[str, str]] = None,
             program: Optional[str] = None) -> int:
    """Runs a WASI command module (its `_start`) and returns its exit code: the code given to
    proc_exit, else 0. `wasm` is the module's bytes or a path to it; `args` are the arguments
    after the program name; `dirs` maps host directories to the paths the program sees.
    Raises Trap when the program traps."""
    if isinstance(wasm, (bytes, bytearray)):
        data, name = bytes(wasm), program or "program.wasm"
    else:
        with open(wasm, "rb") as f:
            data = f.read()
        name = program or os.path.basename(os.fspath(wasm))
    instance = Instance(Module(data), wasi=Wasi([name] + list(args), env=env, dirs=dirs))
    if "_start" not in instance.export_names():
        raise UsageError("the module exports no _start function: not a WASI command", 5)
    try:
        instance.exports["_start"]()
    except Trap:
        code = instance.wasi_exit_code()
        if code is None:
            raise
        return code
    code = instance.wasi_exit_code()
    return 0 if code is None else code
