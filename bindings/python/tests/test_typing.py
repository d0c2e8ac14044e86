"""The package's type hints hold under mypy --strict (when mypy is
installed: Debian's mypy package)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import HERE


def test_mypy_strict():
    pytest.importorskip("mypy")
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict",
                           "--no-incremental", "--cache-dir", "/dev/null",
                           str(HERE.parent / "src" / "libdmarc")],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          check=False)
    assert proc.returncode == 0, proc.stdout.decode()
