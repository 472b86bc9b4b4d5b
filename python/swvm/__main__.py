"""The swvm command line, in Python: `python -m swvm run prog.wasm args...`.

    python -m swvm run [--dir HOST[::GUEST]]... [--env KEY=VALUE]... prog.wasm [args...]
    python -m swvm invoke prog.wasm FUNCTION [args...]
    python -m swvm version

`run` runs a WASI command module (its `_start`) and exits with the program's exit code; a trap
prints its message and exits with 134, as the `swvm` CLI does. `invoke` calls an export of a
module without imports and prints its results, one per line.
"""
from __future__ import annotations

import argparse
import sys
from typing import List, Optional

import swvm


def _number(text: str, kind: int) -> float | int:
    if kind in (swvm.F32, swvm.F64):
        return float(text)
    return int(text, 0)


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m swvm", description="Runs WebAssembly modules with swvm.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a WASI command module (_start)")
    run.add_argument("--dir", action="append", default=[], metavar="HOST[::GUEST]",
                     help="pre-open a host directory, seen by the program as GUEST (default: HOST)")
    run.add_argument("--env", action="append", default=[], metavar="KEY=VALUE", help="an environment variable")
    run.add_argument("wasm", help="the .wasm file")
    run.add_argument("args", nargs=argparse.REMAINDER, help="the program's arguments")
    invoke = commands.add_parser("invoke", help="call an exported function and print its results")
    invoke.add_argument("wasm")
    invoke.add_argument("function")
    invoke.add_argument("args", nargs="*")
    commands.add_parser("version", help="print the library's version and path")
    opts = parser.parse_args(argv)

    try:
        if opts.command == "version":
            print(f"swvm {swvm.version()} ({swvm.library_path()})")
            return 0
        if opts.command == "invoke":
            with open(opts.wasm, "rb") as f:
                instance = swvm.Instance(swvm.Module(f.read()))
            func = instance.exports[opts.function]
            result = func(*[_number(a, k) for a, k in zip(opts.args, func.params)]) \
                if len(opts.args) == len(func.params) else func(*opts.args)
            for value in result if isinstance(result, tuple) else () if result is None else (result,):
                print(value)
            return 0
        dirs = {}
        for d in opts.dir:
            host, _, guest = d.partition("::")
            dirs[host] = guest or host
        env = dict(e.partition("=")[::2] for e in opts.env)
        sys.stdout.flush()
        return swvm.run_wasi(opts.wasm, opts.args, env=env, dirs=dirs)
    except swvm.Trap as e:
        sys.stdout.flush()
        print(f"swvm: trap: {e}", file=sys.stderr)
        return 134
    except (swvm.Error, OSError, AttributeError) as e:
        print(f"swvm: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
