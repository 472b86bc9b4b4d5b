"""`python -m swvm` and WASI from Python, against the real libswvm.so (set SWVM_LIBRARY)."""
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import swvm  # noqa: E402
from swvm.__main__ import main  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.path.dirname(HERE)
EXAMPLES = os.path.join(HERE, "..", "..", "c-examples")
GREET = os.path.join(EXAMPLES, "wasi_host", "greet.wasm")  # prints its argument, exits with 7
DEMO = os.path.join(EXAMPLES, "hello", "demo.wasm")


def cli(*args):
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR)
    return subprocess.run([sys.executable, "-m", "swvm", *args], capture_output=True, text=True, env=env)


def test_run_wasi_program():
    r = cli("run", GREET, "world")
    assert (r.returncode, r.stdout) == (7, "hello from WASI, world\n")


def test_run_wasi_api_returns_the_exit_code(capfd):
    assert swvm.run_wasi(GREET, ["api"]) == 7
    assert capfd.readouterr().out == "hello from WASI, api\n"
    with open(GREET, "rb") as f:
        instance = swvm.Instance(swvm.Module(f.read()), wasi=swvm.Wasi(["greet", "x"]))
    assert instance.wasi_exit_code() is None
    with pytest.raises(swvm.Trap):
        instance.exports._start()
    assert instance.wasi_exit_code() == 7


def test_invoke_and_errors():
    r = cli("invoke", DEMO, "fib", "90")
    assert (r.returncode, r.stdout) == (0, "2880067194370816120\n")
    r = cli("invoke", DEMO, "div", "1", "0")
    assert r.returncode == 134 and "trap: integer divide by zero" in r.stderr
    assert main(["run", DEMO]) == 1            # no _start: not a WASI command
    assert main(["run", "/nonexistent.wasm"]) == 1


def test_version():
    r = cli("version")
    assert r.returncode == 0 and r.stdout.startswith("swvm " + swvm.version())
