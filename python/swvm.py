"""swvm for Python: a pure-ctypes wrapper over libswvm.so (no compiled extension).

    import swvm
    module = swvm.Module(open("demo.wasm", "rb").read())
    instance = swvm.Instance(module)
    instance.exports.fib(90)

Host functions are Python callables given with their Wasm signature (see swvm.h: result
letters, then parameter letters in parentheses; i i32, I i64, f f32, F f64):

    imports = {"env": {"add": swvm.Func("i(ii)", lambda a, b: a + b)}}
    instance = swvm.Instance(module, imports)

An exception raised by a host function traps the Wasm call; the caller gets swvm.Trap.
The library is found through $SWVM_LIBRARY, else as "libswvm.so" on the loader's path.
"""
import collections
import ctypes
import os

__all__ = ["Engine", "Module", "Instance", "Func", "Memory", "Global", "Caller",
           "FuncType", "GlobalType", "TableType", "MemoryType", "ImportType", "ExportType",
           "Error", "Malformed", "Invalid", "LinkError", "Trap", "LimitError", "UsageError"]

_lib = ctypes.CDLL(os.environ.get("SWVM_LIBRARY", "libswvm.so"))
_p = ctypes.c_void_p


class _Val(ctypes.Structure):
    class _Of(ctypes.Union):
        _fields_ = [("i32", ctypes.c_int32), ("i64", ctypes.c_int64), ("f32", ctypes.c_float),
                    ("f64", ctypes.c_double), ("ref", ctypes.c_void_p)]
    _fields_ = [("kind", ctypes.c_uint32), ("of", _Of)]


I32, I64, F32, F64, FUNCREF, EXTERNREF, V128 = range(7)
_KIND_NAME = ["i32", "i64", "f32", "f64", "funcref", "externref", "v128"]
_EXTERN_NAME = ["func", "table", "memory", "global"]


class _ExternType(ctypes.Structure):
    """swvm_externtype_t."""
    _fields_ = [("kind", ctypes.c_int),
                ("params", ctypes.POINTER(ctypes.c_uint32)), ("nparams", ctypes.c_size_t),
                ("results", ctypes.POINTER(ctypes.c_uint32)), ("nresults", ctypes.c_size_t),
                ("valkind", ctypes.c_uint32), ("mutable_", ctypes.c_int),
                ("min", ctypes.c_uint32), ("max", ctypes.c_uint32)]

    def to_python(self):
        kind = _EXTERN_NAME[self.kind]
        if kind == "func":
            return FuncType([_KIND_NAME[self.params[i]] for i in range(self.nparams)],
                            [_KIND_NAME[self.results[i]] for i in range(self.nresults)])
        if kind == "global":
            return GlobalType(_KIND_NAME[self.valkind], bool(self.mutable_))
        limits = (self.min, None if self.max == 0xFFFFFFFF else self.max)
        return TableType(_KIND_NAME[self.valkind], *limits) if kind == "table" else MemoryType(*limits)
_KIND_FIELD = {I32: "i32", I64: "i64", F32: "f32", F64: "f64", FUNCREF: "ref", EXTERNREF: "ref"}
_LETTER = {"i": (I32, ctypes.c_int32), "I": (I64, ctypes.c_int64), "f": (F32, ctypes.c_float),
           "F": (F64, ctypes.c_double), "r": (EXTERNREF, ctypes.c_void_p)}


# Types of imports and exports (Module.imports / Module.exports). Value types are their text
# names ("i32", "funcref"...); a missing maximum is None.
FuncType = collections.namedtuple("FuncType", "params results")
GlobalType = collections.namedtuple("GlobalType", "valtype mutable")
TableType = collections.namedtuple("TableType", "element min max")
MemoryType = collections.namedtuple("MemoryType", "min max")
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
_sig(_lib.swvm_memory_grow, _p, _p, ctypes.c_uint32, ctypes.POINTER(ctypes.c_uint32))
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

_WITH_CALLER = 1


class Error(Exception):
    """A swvm error; `kind` is one of the swvm_error_kind_t values."""
    def __init__(self, message, kind):
        super().__init__(message)
        self.kind = kind


class Malformed(Error): pass
class Invalid(Error): pass
class LinkError(Error): pass
class Trap(Error): pass
class LimitError(Error): pass
class UsageError(Error): pass


_ERRORS = [Malformed, Invalid, LinkError, Trap, LimitError, UsageError]


def _check(err):
    if err:
        kind = _lib.swvm_error_kind(err)
        message = _lib.swvm_error_message(err).decode("utf-8", "replace")
        _lib.swvm_error_free(err)
        raise _ERRORS[kind](message, kind) if 0 <= kind < len(_ERRORS) else Error(message, kind)


def version():
    return _lib.swvm_version().decode()


class _Handle:
    """Owns one C handle and frees it once; handles may be freed in any order."""
    _free = None

    def __init__(self, handle):
        self._handle = handle

    def __del__(self):
        if getattr(self, "_handle", None) and self._free:
            type(self)._free(self._handle)
            self._handle = None


class Engine(_Handle):
    _free = _lib.swvm_engine_free

    def __init__(self):
        super().__init__(_lib.swvm_engine_new())


_default_engine = None


def _engine(engine):
    global _default_engine
    if engine is not None:
        return engine
    if _default_engine is None:
        _default_engine = Engine()
    return _default_engine


class Module(_Handle):
    """A decoded and validated module. Raises Malformed or Invalid."""
    _free = _lib.swvm_module_free

    def __init__(self, wasm, engine=None):
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

    def __init__(self, handle):
        self._handle = handle

    def memory(self):
        """The calling instance's "memory" export as a writable memoryview (valid during the call)."""
        size = ctypes.c_size_t()
        data = _lib.swvm_caller_memory(self._handle, ctypes.byref(size))
        if not data:
            return None
        return memoryview((ctypes.c_uint8 * size.value).from_address(ctypes.addressof(data.contents))).cast("B")


class Func:
    """A Python callable with a Wasm signature, to be imported by a module."""

    def __init__(self, signature, fn, with_caller=False):
        open_ = signature.index("(")
        self.results = [c for c in signature[:open_] if c != "v"]
        self.params = list(signature[open_ + 1:-1])
        if len(self.results) > 1:
            raise UsageError("Python host functions return at most one value", 5)
        self.signature, self.fn, self.with_caller = signature, fn, with_caller

    def _callback(self):
        restype = _LETTER[self.results[0]][1] if self.results else None
        ctype = ctypes.CFUNCTYPE(restype, _p, *[_LETTER[c][1] for c in self.params])
        fn, with_caller, has_result = self.fn, self.with_caller, bool(self.results)

        def trampoline(caller, *args):
            try:
                r = fn(Caller(caller), *args) if with_caller else fn(*args)
                return r if has_result else None
            except Exception as e:  # becomes a Wasm trap, not a crash of the interpreter
                _lib.swvm_caller_trap(caller, f"{type(e).__name__}: {e}".encode())
                return 0 if has_result else None
        return ctype(trampoline)


class Function(_Handle):
    _free = _lib.swvm_func_free

    def __init__(self, handle, owner):
        super().__init__(handle)
        self._owner = owner
        self.params = [_lib.swvm_func_param_kind(handle, i) for i in range(_lib.swvm_func_param_count(handle))]
        self.results = [_lib.swvm_func_result_kind(handle, i) for i in range(_lib.swvm_func_result_count(handle))]

    def __call__(self, *args):
        if len(args) != len(self.params):
            raise UsageError(f"expected {len(self.params)} argument(s), got {len(args)}", 5)
        argv = (_Val * max(1, len(args)))()
        for i, (a, kind) in enumerate(zip(args, self.params)):
            argv[i].kind = kind
            setattr(argv[i].of, _KIND_FIELD[kind], a)
        resv = (_Val * max(1, len(self.results)))()
        _check(_lib.swvm_func_call(self._handle, argv, len(args), resv, len(self.results)))
        out = [getattr(resv[i].of, _KIND_FIELD[k]) for i, k in enumerate(self.results)]
        return None if not out else out[0] if len(out) == 1 else tuple(out)


class Memory(_Handle):
    _free = _lib.swvm_memory_free

    def __init__(self, handle, owner):
        super().__init__(handle)
        self._owner = owner

    @property
    def size(self):
        return _lib.swvm_memory_size(self._handle)

    def read(self, offset, length):
        if offset < 0 or length < 0 or offset + length > self.size:
            raise IndexError("read out of bounds")
        return ctypes.string_at(ctypes.addressof(_lib.swvm_memory_data(self._handle).contents) + offset, length)

    def write(self, offset, data):
        if offset < 0 or offset + len(data) > self.size:
            raise IndexError("write out of bounds")
        ctypes.memmove(ctypes.addressof(_lib.swvm_memory_data(self._handle).contents) + offset, bytes(data), len(data))

    def grow(self, pages):
        old = ctypes.c_uint32()
        _check(_lib.swvm_memory_grow(self._handle, pages, ctypes.byref(old)))
        return old.value


class Global(_Handle):
    _free = _lib.swvm_global_free

    def __init__(self, handle, owner):
        super().__init__(handle)
        self._owner = owner

    @property
    def value(self):
        v = _Val()
        _check(_lib.swvm_global_get(self._handle, ctypes.byref(v)))
        return getattr(v.of, _KIND_FIELD[v.kind])

    @value.setter
    def value(self, x):
        v = _Val()
        _check(_lib.swvm_global_get(self._handle, ctypes.byref(v)))
        setattr(v.of, _KIND_FIELD[v.kind], x)
        _check(_lib.swvm_global_set(self._handle, ctypes.byref(v)))


class _Exports:
    def __init__(self, instance):
        self._instance = instance

    def __getattr__(self, name):
        return self[name]

    def __getitem__(self, name):
        i = self._instance
        for lookup, cls in ((_lib.swvm_instance_func, Function), (_lib.swvm_instance_memory, Memory),
                            (_lib.swvm_instance_global, Global)):
            out = _p()
            err = lookup(i._handle, name.encode(), ctypes.byref(out))
            if not err:
                return cls(out.value, i)
            _lib.swvm_error_free(err)
        raise AttributeError(f"no export named {name!r}")

    def __dir__(self):
        return self._instance.export_names()


class Instance(_Handle):
    """An instantiated module. `imports` maps module names to {field: Func | Instance export}."""
    _free = _lib.swvm_instance_free

    def __init__(self, module, imports=None, engine=None):
        self.engine = module.engine if engine is None else engine
        self._callbacks = []  # keep ctypes callbacks alive as long as the instance
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
            out = _p()
            _check(_lib.swvm_linker_instantiate(linker, module._handle, ctypes.byref(out)))
        finally:
            _lib.swvm_linker_free(linker)
        super().__init__(out.value)
        self.exports = _Exports(self)

    def export_names(self):
        return [_lib.swvm_instance_export_name(self._handle, i).decode()
                for i in range(_lib.swvm_instance_export_count(self._handle))]
