"""Run Python in a fresh process against the checkout, with exactly the environment given.

Settings are read once per process, so each environment under test gets its own.
"""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def run_python(
    args: list[str], env: dict[str, str], *, timeout: int = 60
) -> subprocess.CompletedProcess[str]:
    """`python ARGS` in the checkout with ENV plus PATH, and nothing from this process."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
