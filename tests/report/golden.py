"""Golden files: compare, or rewrite them all with ROOTOUT_UPDATE_GOLDEN=1."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("ROOTOUT_UPDATE_GOLDEN") == "1"


def check(name: str, text: str, folder: Path = GOLDEN) -> None:
    """``text`` equals the golden file ``folder/name`` (or becomes it with ROOTOUT_UPDATE_GOLDEN=1)."""
    path = folder / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"no golden file {name}: run the tests with ROOTOUT_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), text.splitlines(), "golden", "now", lineterm="", n=1
        )
        shown = "\n".join(list(diff)[:40])
        pytest.fail(
            f"{name} differs from its golden file (ROOTOUT_UPDATE_GOLDEN=1 rewrites):\n{shown}"
        )


def poppler(tool: str) -> str:
    """Path of a poppler-utils program (pdftotext, pdftoppm, pdfinfo); CI must have it."""
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} is missing: .ci/run must install the Debian package poppler-utils")
        pytest.skip(f"{tool} not installed (Debian package poppler-utils)")
    return found


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, one line per line, blank runs collapsed (stable across poppler builds)."""
    out = subprocess.run(
        [poppler("pdftotext"), "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    lines = [" ".join(line.split()) for line in out.replace("\f", "\n<page break>\n").splitlines()]
    return "\n".join(line for line in lines if line) + "\n"
