"""The PEP 517 build backend of the swvm Python package (standard library only).

The wheel holds the pure-Python package `swvm/` and, inside it, `libswvm.so`. Where the
library comes from, in order:

1. `$SWVM_WHEEL_LIBRARY` (or the config setting `library`, `pip wheel -C library=...`): that
   file, as it is.
2. The clone this directory sits in: CMake builds the target `swvm-library` in `<clone>/build` (the
   directory scripts/setup.sh and scripts/test.sh use). A libswvm.so there that is newer than
   every source file is reused without running CMake (CMake 3.25 rebuilds its -wmo Swift targets on
   every build, which takes a minute).
   CMake links the Swift runtime statically, so the library needs only system libraries.
3. Without CMake: `swift build -c release --product swvm -Xswiftc -static-stdlib` into
   `<clone>/.build-static` (SwiftPM's --static-swift-stdlib leaves dynamic libraries alone).

A library that still needs the Swift toolchain's runtime (`libswiftCore.so`) is refused: the
wheel must run where no toolchain is installed.

The wheel is tagged py3-none-<platform>: any Python 3 (ctypes only), this OS and architecture.
Only wheels are built; an sdist of python/ alone could not build the library.
"""
import base64
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(HERE)                      # python/
ROOT = os.path.dirname(PROJECT)                      # the clone
PACKAGE = "swvm"


def _project():
    with open(os.path.join(PROJECT, "pyproject.toml"), encoding="utf-8") as f:
        text = f.read()
    field = lambda name: re.search(rf'^{name}\s*=\s*"([^"]*)"', text, re.M).group(1)
    return {"name": field("name"), "version": field("version"), "description": field("description"),
            "requires-python": field("requires-python")}


def _tag():
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"py3-none-{platform}"


def _metadata():
    p = _project()
    readme = os.path.join(PROJECT, "README.md")
    body = open(readme, encoding="utf-8").read() if os.path.exists(readme) else ""
    lines = ["Metadata-Version: 2.1", f"Name: {p['name']}", f"Version: {p['version']}",
             f"Summary: {p['description']}", f"Requires-Python: {p['requires-python']}",
             "Classifier: Programming Language :: Python :: 3",
             "Classifier: Operating System :: POSIX :: Linux", "Classifier: Typing :: Typed"]
    if body:
        lines.append("Description-Content-Type: text/markdown")
    return "\n".join(lines) + "\n\n" + body


def _dist_info():
    p = _project()
    return f"{p['name']}-{p['version']}.dist-info"


def _log(message):
    print(f"swvm_build: {message}", file=sys.stderr, flush=True)


def _needs_swift_runtime(path):
    """True if the library has a DT_NEEDED entry for the Swift runtime (read with readelf)."""
    readelf = shutil.which("readelf")
    if not readelf:
        return False
    out = subprocess.run([readelf, "-d", path], capture_output=True, text=True).stdout
    return "libswiftCore.so" in out


def _newest_source():
    """The newest modification time of the files libswvm.so is built from."""
    newest = max(os.path.getmtime(os.path.join(ROOT, f)) for f in ("CMakeLists.txt", "Package.swift"))
    for top in ("Sources", "include"):
        for directory, _, files in os.walk(os.path.join(ROOT, top)):
            for f in files:
                newest = max(newest, os.path.getmtime(os.path.join(directory, f)))
    return newest


def _build_library():
    if not (os.path.exists(os.path.join(ROOT, "Package.swift"))
            and os.path.exists(os.path.join(ROOT, "CMakeLists.txt"))):
        raise RuntimeError(f"{PROJECT} is not inside a clone of swvm; set SWVM_WHEEL_LIBRARY "
                           "to a libswvm.so to package")
    cmake, ninja = shutil.which("cmake"), shutil.which("ninja")
    build = os.path.join(ROOT, "build")
    built = os.path.join(build, "libswvm.so")
    if os.path.exists(built) and os.path.getmtime(os.path.realpath(built)) > _newest_source():
        _log(f"reusing {built}: newer than every source file")
        return built
    if cmake:
        if not os.path.exists(os.path.join(build, "CMakeCache.txt")):
            _log(f"configuring {build}")
            generator = ["-G", "Ninja"] if ninja else []
            subprocess.run([cmake, "-S", ROOT, "-B", build] + generator, check=True, stdout=sys.stderr)
        _log(f"building libswvm.so (cmake --build {build} --target swvm-library)")
        subprocess.run([cmake, "--build", build, "--target", "swvm-library"], check=True, stdout=sys.stderr)
        return os.path.join(build, "libswvm.so")
    swift = shutil.which("swift")
    if not swift:
        raise RuntimeError("neither cmake nor swift is on PATH: run scripts/setup.sh first, or set "
                           "SWVM_WHEEL_LIBRARY to a libswvm.so to package")
    scratch = os.path.join(ROOT, ".build-static")
    _log(f"building libswvm.so (swift build -c release --product swvm -Xswiftc -static-stdlib, in {scratch})")
    subprocess.run([swift, "build", "-c", "release", "--product", "swvm", "-Xswiftc", "-static-stdlib",
                    "--package-path", ROOT, "--scratch-path", scratch], check=True, stdout=sys.stderr)
    return os.path.join(scratch, "release", "libswvm.so")


def _library(config_settings):
    path = (config_settings or {}).get("library") or os.environ.get("SWVM_WHEEL_LIBRARY")
    if not path:
        path = _build_library()
    path = os.path.realpath(path)
    if not os.path.isfile(path):
        raise RuntimeError(f"no library at {path}")
    if _needs_swift_runtime(path):
        raise RuntimeError(f"{path} needs the Swift toolchain's libswiftCore.so; package a library "
                           "linked with -static-stdlib (CMake's build, or swift build "
                           "-Xswiftc -static-stdlib)")
    _log(f"packaging {path}")
    return path


def _package_files():
    """(archive name, source path) of the package's Python files."""
    src = os.path.join(PROJECT, PACKAGE)
    out = []
    for name in sorted(os.listdir(src)):
        if name.endswith(".py") or name == "py.typed":
            out.append((f"{PACKAGE}/{name}", os.path.join(src, name)))
    return out


class _Wheel:
    def __init__(self, path):
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED)
        self.records = []

    def add(self, arcname, data, mode=0o644):
        info = zipfile.ZipInfo(arcname, date_time=(2020, 1, 1, 0, 0, 0))
        info.external_attr = (0o100000 | mode) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        self.zip.writestr(info, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        self.records.append(f"{arcname},sha256={digest},{len(data)}")

    def close(self, dist_info):
        record = f"{dist_info}/RECORD"
        self.records.append(f"{record},,")
        info = zipfile.ZipInfo(record, date_time=(2020, 1, 1, 0, 0, 0))
        info.external_attr = 0o100644 << 16
        self.zip.writestr(info, "\n".join(self.records) + "\n")
        self.zip.close()


def _wheel_file(dist_info):
    return (f"Wheel-Version: 1.0\nGenerator: swvm_build\nRoot-Is-Purelib: false\n"
            f"Tag: {_tag()}\n")


# ---- PEP 517 hooks --------------------------------------------------------------------------

def get_requires_for_build_wheel(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    dist_info = _dist_info()
    path = os.path.join(metadata_directory, dist_info)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "METADATA"), "w", encoding="utf-8") as f:
        f.write(_metadata())
    with open(os.path.join(path, "WHEEL"), "w", encoding="utf-8") as f:
        f.write(_wheel_file(dist_info))
    return dist_info


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    p = _project()
    library = _library(config_settings)
    dist_info = _dist_info()
    name = f"{p['name']}-{p['version']}-{_tag()}.whl"
    os.makedirs(wheel_directory, exist_ok=True)
    wheel = _Wheel(os.path.join(wheel_directory, name))
    for arcname, path in _package_files():
        with open(path, "rb") as f:
            wheel.add(arcname, f.read())
    with open(library, "rb") as f:
        wheel.add(f"{PACKAGE}/libswvm.so", f.read(), mode=0o755)
    wheel.add(f"{dist_info}/METADATA", _metadata().encode())
    wheel.add(f"{dist_info}/WHEEL", _wheel_file(dist_info).encode())
    wheel.close(dist_info)
    return name
