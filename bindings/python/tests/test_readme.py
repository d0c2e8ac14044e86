"""The README's Python example runs and prints what the README says it
prints; every file of the package is listed for the tarball."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import HERE, SRCDIR


def python_blocks() -> list:
    text = (SRCDIR / "README.md").read_text()
    return re.findall(r"^```python\n(.*?)^```$", text, re.S | re.M)


def test_readme_example_runs(tmp_path):
    blocks = python_blocks()
    assert blocks, "no ```python block in README.md"
    script = tmp_path / "example.py"
    script.write_text(blocks[0])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(HERE.parent / "src")] + [p for p in sys.path if p])
    proc = subprocess.run([sys.executable, str(script)], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    lines = proc.stdout.decode().splitlines()
    assert lines[0] == "pass pass example.com"
    assert lines[1] == ("Authentication-Results: mx.example.net; dmarc=pass "
                        "(p=reject sp=reject dis=none) header.from="
                        "example.com policy.dmarc=reject")
    name, size = lines[2].split()
    assert name.endswith("!example.com!1796083200!1796169599.xml.gz")
    assert int(size) > 500


def test_readme_reader_example_runs(tmp_path):
    blocks = python_blocks()
    assert len(blocks) >= 2, "no reader example in README.md"
    script = tmp_path / "reader.py"
    script.write_text(blocks[1])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(HERE.parent / "src")] + [p for p in sys.path if p])
    corpus = SRCDIR / "test" / "data" / "reports"
    proc = subprocess.run([sys.executable, str(script),
                           str(corpus / "ctr-gzip.xml.gz"),
                           str(corpus / "fail-truncated.xml")], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    lines = proc.stdout.decode().splitlines()
    assert lines[:3] == ["Greylag Mail example.com 1773273600",
                         "3 rows, 361 messages",
                         "Wagtail Mail example.com 1774224000"]
    assert lines[3].startswith("failed: truncated ")
    assert len(lines) == 4


def test_every_package_file_is_in_the_tarball():
    listing = HERE.parent / "Makefile.inc"
    if not listing.exists():
        pytest.skip("not a source tree")
    listed = set(re.findall(r"bindings/python/(\S+)", listing.read_text()))
    files = {str(p.relative_to(HERE.parent)) for p in
             list((HERE.parent / "src").rglob("*.py")) +
             list((HERE.parent / "src").rglob("py.typed")) +
             list(HERE.glob("*.py"))}
    files |= {"pyproject.toml", "README.md"}
    assert files <= listed, sorted(files - listed)
