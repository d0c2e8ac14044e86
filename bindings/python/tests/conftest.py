"""Shared fixtures: the source and build trees (for the bundled sample
messages and zone, and the C tools the tests compare against), a zone
lookup, and a context."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
from typing import Any, Iterator, List

import pytest

import libdmarc
from zonefile import Zone

HERE = pathlib.Path(__file__).resolve().parent
SRCDIR = pathlib.Path(os.environ.get("DMARC_TOP_SRCDIR", HERE.parents[2]))
BUILDDIR = pathlib.Path(os.environ.get("DMARC_TOP_BUILDDIR", SRCDIR))
DATA = SRCDIR / "examples" / "data"
AUTHSERV_ID = "mx.demo.example"  # the sample messages' receiving server


def tool(name: str) -> pathlib.Path:
    """A C tool of the build tree; the test skips when there is none
    (pytest run on an installed library, without a build tree)."""
    path = BUILDDIR / "examples" / name
    if not path.exists():
        pytest.skip(f"{path} not built")
    return path


def run_json(args: List[str], stdin: bytes = b"") -> Any:
    """Run a C tool with --json; its JSON output (any exit code), a list
    when it prints one object per line."""
    proc = subprocess.run(args, input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=False)
    assert proc.stdout, proc.stderr.decode()
    lines = proc.stdout.splitlines()
    if len(lines) > 1:
        return [json.loads(line) for line in lines]
    return json.loads(proc.stdout)


@pytest.fixture(scope="session")
def zone() -> Zone:
    return Zone.read(DATA / "demo.zone")


@pytest.fixture
def ctx() -> Iterator[libdmarc.Context]:
    with libdmarc.Context() as context:
        yield context


def messages() -> List[pathlib.Path]:
    return sorted(DATA.glob("*.eml"))
