"""Running the machine's own tools (rpm, snap, certutil, security, ioreg).

Every call goes through :func:`which` and :func:`run` so tests can replace
them. A tool is run without a shell, with a timeout, and its output is decoded
as UTF-8 (bad bytes replaced: tool output is only ever read as text).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence

from rootout.ingest.collect.base import Problem

TIMEOUT_SECONDS = 120
MAX_OUTPUT_BYTES = 256 * 1024 * 1024


def which(name: str) -> str | None:
    """The full path of a tool on PATH, or None."""
    return shutil.which(name)


def run(argv: Sequence[str], timeout: float = TIMEOUT_SECONDS) -> str:
    """The standard output of a command; :class:`Problem` when it fails or times out."""
    try:
        done = subprocess.run(  # a fixed argument list, no shell
            list(argv), capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise Problem(f"`{argv[0]}` did not finish within {timeout:g} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        detail = f": {message[0]}" if message else ""
        raise Problem(f"`{' '.join(argv[:3])}` exited with status {done.returncode}{detail}")
    if len(done.stdout) > MAX_OUTPUT_BYTES:
        raise Problem(f"`{argv[0]}` wrote more than {MAX_OUTPUT_BYTES} bytes")
    return done.stdout.decode("utf-8", errors="replace")
