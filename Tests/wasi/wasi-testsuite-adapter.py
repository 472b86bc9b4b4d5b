"""wasi-testsuite runtime adapter for `swvm run` (our code; the suite itself is not in this repository).

Usage, from a checkout of github.com/WebAssembly/wasi-testsuite, branch prod/testsuite-base:

    SWVM=/path/to/swvm python3.12 run-tests -r /path/to/swvm/Tests/wasi/wasi-testsuite-adapter.py

SWVM is the swvm command line (CMake installs it as `swvm`, SwiftPM builds `.build/debug/swvm-cli`);
it may carry options, e.g. SWVM="swvm --timeout 10".
"""
import os
import shlex
import subprocess
from typing import Dict, List, Optional, Tuple

SWVM = shlex.split(os.getenv("SWVM", "swvm"))


def get_name() -> str:
    return "swvm"


def get_version() -> str:
    result = subprocess.run(SWVM[0:1] + ["--version"], encoding="UTF-8",
                            capture_output=True, check=True)
    return result.stdout.split()[1]  # "swvm 0.1.0"


def get_wasi_versions() -> List[str]:
    return ["wasm32-wasip1"]


def get_wasi_worlds() -> List[str]:
    return ["wasi:cli/command"]


def compute_argv(test_path: str,
                 args_env_root: Tuple[List[str], Dict[str, str], Optional[str]],
                 proposals: List[str],
                 wasi_world: str,
                 wasi_version: str) -> List[str]:
    args, env, root = args_env_root
    argv = SWVM + ["run"]
    for k, v in env.items():
        argv += ["--env", f"{k}={v}"]
    if root:
        argv += ["--dir", f"{root}::/"]
    # `--` so that a test argument starting with "-" is not taken for an option.
    return argv + ["--", test_path] + list(args)
