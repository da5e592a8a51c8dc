"""SHA-256 of a large input file, computed beside the work that reads it.

A scan records the SHA-256 of every input. On a multi-GB file that is seconds
of CPU (about 1.4 GB/s a core with SHA extensions), so the bulk paths hash on
a background thread while the engine parses. Two details keep the hash off the
critical path:

* the thread lowers its own scheduling priority (Linux: ``nice`` :data:`NICE`
  for that thread only). While DuckDB keeps every core busy the hash takes about
  a tenth of one, so it is mostly done by the time the single-threaded Python
  stages leave a core free; measured on two cores, ``nice`` 19 left about a
  second of hashing after everything else, ``nice`` 0 slowed DuckDB's pass by as
  much (docs/benchmarks.md);
* it hashes in large blocks (:data:`BLOCK`): ``hashlib`` releases the GIL while
  it hashes, but each block takes the GIL back. With small blocks
  (``hashlib.file_digest`` uses 256 KiB) the thread asks for the GIL thousands
  of times a second and slows the Python stages it runs beside; 32 MiB blocks
  ask for it a few dozen times a second.

Blocks are memory maps of the file, so the bytes are hashed where they sit in
the page cache instead of being copied out first (a fifth less CPU on a 5 GiB
file); the maps are closed block by block, so resident memory stays one block.
A file that is not mappable is read instead. A file truncated by another
process while it is being hashed can end the process with SIGBUS, as it would
for any reader of memory-mapped files; each block is checked against the file's
current size first, which leaves that race only inside one block.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import mmap
import os
import stat
import threading
from pathlib import Path
from typing import Any

BLOCK = 32 * 1024 * 1024
NICE = 10


def sha256_of(path: Path) -> tuple[str, int]:
    """The hex digest and size of ``path``; ("", 0) when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb", buffering=0) as handle:
            info = os.fstat(handle.fileno())
            size = info.st_size if stat.S_ISREG(info.st_mode) else -1
            done = _mapped(handle.fileno(), size, digest) if size > 0 else 0
            if done != size:  # not mappable (a pipe, a special file, shrunk): read it
                digest = hashlib.sha256()
                done = _read(handle, digest)
    except OSError:
        return "", 0
    return digest.hexdigest(), done


def _mapped(fd: int, size: int, digest: Any) -> int:
    """Hash the file through memory maps of :data:`BLOCK` bytes (no copy out of the page
    cache); returns the bytes hashed, 0 when the file cannot be mapped."""
    done = 0
    while done < size:
        length = min(BLOCK, size - done)
        if os.fstat(fd).st_size < done + length:  # shrunk under us: read what is there instead
            return 0
        try:
            block = mmap.mmap(fd, length, access=mmap.ACCESS_READ, offset=done)
        except (OSError, ValueError):
            return 0
        with block, memoryview(block) as view:
            digest.update(view)
        done += length
    return done


def _read(handle: io.FileIO, digest: Any) -> int:
    if handle.seekable():
        handle.seek(0)
    block = bytearray(BLOCK)
    view = memoryview(block)
    done = 0
    while count := handle.readinto(block):
        digest.update(view[:count])
        done += count
    return done


def lower_priority() -> None:
    """Make the calling thread yield to every other runnable thread (best effort, Linux)."""
    # not Linux, or not permitted: the thread hashes at normal priority
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)


class BackgroundDigest:
    """``sha256_of(path)`` on a low-priority thread, started at once; :meth:`result` waits."""

    def __init__(self, path: Path) -> None:
        self._result: tuple[str, int] = ("", 0)
        self._thread = threading.Thread(target=self._run, args=(path,), daemon=True)
        self._thread.start()

    def _run(self, path: Path) -> None:
        lower_priority()
        self._result = sha256_of(path)

    def result(self) -> tuple[str, int]:
        self._thread.join()
        return self._result
