"""The SHA-256 a scan records for an input, computed beside the scan (rootout.ingest.digest)."""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from pathlib import Path

import pytest

from rootout.ingest import digest


def _expected(data: bytes) -> tuple[str, int]:
    return hashlib.sha256(data).hexdigest(), len(data)


def test_a_file_larger_than_one_block_is_hashed_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(digest, "BLOCK", 1 << 16)  # maps are page-aligned: a multiple of 64 KiB
    data = os.urandom((1 << 16) * 3 + 12345)
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    assert digest.sha256_of(path) == _expected(data)


@pytest.mark.parametrize("data", [b"", b"a,b\n1,2\n"], ids=["empty", "small"])
def test_small_and_empty_files(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert digest.sha256_of(path) == _expected(data)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_cannot_be_mapped_and_is_read(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    data = b"piped\n" * 1000
    writer = threading.Thread(target=pipe.write_bytes, args=(data,))
    writer.start()
    try:
        assert digest.sha256_of(pipe) == _expected(data)
    finally:
        writer.join()


def test_an_unreadable_path_has_no_digest(tmp_path: Path) -> None:
    assert digest.sha256_of(tmp_path / "missing.csv") == ("", 0)


def test_the_background_digest_is_the_files_digest(tmp_path: Path) -> None:
    data = os.urandom(200_000)
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert digest.BackgroundDigest(path).result() == _expected(data)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux")
def test_the_hashing_thread_yields_to_the_engine() -> None:
    seen: list[int] = []

    def probe() -> None:
        digest.lower_priority()
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()
    before = os.getpriority(os.PRIO_PROCESS, 0)
    assert seen == [max(before, digest.NICE)]  # nice can only go up without privileges
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before  # only that thread
