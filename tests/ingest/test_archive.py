"""Compressed inputs with bounded expansion (rootout.ingest.archive, through the scanner)."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from rootout.errors import InputError
from rootout.ingest.archive import (
    ArchiveKind,
    ArchiveLimitError,
    Budget,
    Limits,
    archive_kind,
    members,
)
from rootout.ingest.scan import InputRecord, InputStatus, read_inputs
from tests.conftest import FIXTURES
from tests.ingest._endpoint_fuzz import inputs

NETWORK = FIXTURES / "inputs" / "network"
CERTS = FIXTURES / "inputs" / "certs"
DNS_LOG = (NETWORK / "dns.log").read_bytes()
CHAIN_PEM = (CERTS / "example-corp-chain.pem").read_bytes()


def zip_bytes(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def records(tmp_path: Path, name: str, data: bytes, **kwargs: object) -> dict[str, InputRecord]:
    path = tmp_path / name
    path.write_bytes(data)
    result = read_inputs([path], **kwargs)  # type: ignore[arg-type]
    return {r.path.removeprefix(f"{tmp_path}/"): r for r in result.inputs}


def test_archive_kind_by_magic_not_by_name() -> None:
    assert archive_kind("x.log", gzip.compress(b"x")) is ArchiveKind.GZIP
    assert archive_kind("x.dat", zip_bytes({"a": b"a"})) is ArchiveKind.ZIP
    assert archive_kind("x.zip", b"not a zip") is None


def test_gzip_member_is_read_and_named(tmp_path: Path) -> None:
    found = records(tmp_path, "dns.log.gz", gzip.compress(DNS_LOG))
    assert list(found) == ["dns.log.gz", "dns.log.gz!dns.log"]
    archive, member = found["dns.log.gz"], found["dns.log.gz!dns.log"]
    assert (archive.status, archive.format, archive.count) == (InputStatus.ARCHIVE, "gzip", 12)
    assert (member.status, member.format, member.count) == (InputStatus.READ, "zeek-dns", 12)
    assert member.sha256 == hashlib.sha256(DNS_LOG).hexdigest()
    assert member.size == len(DNS_LOG)
    assert archive.sha256 == hashlib.sha256((tmp_path / "dns.log.gz").read_bytes()).hexdigest()


def test_zip_members_nested_zip_and_display_paths(tmp_path: Path) -> None:
    inner = zip_bytes({"certs/chain.pem": CHAIN_PEM})
    outer = zip_bytes(
        {"logs/": b"", "logs/dns.log": DNS_LOG, "inner.zip": inner, "notes.txt": b"hello\n"}
    )
    found = records(tmp_path, "estate.zip", outer)
    assert [(path, r.status.value, r.format, r.count) for path, r in found.items()] == [
        ("estate.zip", "archive", "zip", 14),
        ("estate.zip!logs/dns.log", "read", "zeek-dns", 12),
        ("estate.zip!inner.zip", "archive", "zip", 2),
        ("estate.zip!inner.zip!certs/chain.pem", "read", "pem", 2),
        ("estate.zip!notes.txt", "unrecognised", "", 0),
    ]
    assert found["estate.zip!inner.zip"].sha256 == hashlib.sha256(inner).hexdigest()
    assert found["estate.zip"].sha256 == hashlib.sha256(outer).hexdigest()


def test_observations_inside_archives_cite_the_member(tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    path.write_bytes(zip_bytes({"dns.log": DNS_LOG}))
    observation = next(read_inputs([path]).iter_observations())
    assert observation.source.path == f"{path}!dns.log"
    assert observation.source.line == 9


def test_tar_gz(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("collect/dns.log")
        info.size = len(DNS_LOG)
        archive.addfile(info, io.BytesIO(DNS_LOG))
        link = tarfile.TarInfo("collect/link")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        archive.addfile(link)
    found = records(tmp_path, "collect.tgz", buffer.getvalue())
    assert [(p, r.format, r.count) for p, r in found.items()] == [
        ("collect.tgz", "gzip", 12),
        ("collect.tgz!collect.tar", "tar", 12),
        ("collect.tgz!collect.tar!collect/dns.log", "zeek-dns", 12),
    ]  # the symbolic link is not a file to read


def test_member_names_are_only_displayed_never_used_as_paths(tmp_path: Path) -> None:
    found = records(tmp_path, "slip.zip", zip_bytes({"../../outside/evil.pem": CHAIN_PEM}))
    assert found["slip.zip!../../outside/evil.pem"].count == 2
    assert not (tmp_path.parent.parent / "outside").exists()


def test_zip_bomb_is_stopped_quickly(tmp_path: Path) -> None:
    bomb = zip_bytes({"zeros.json": bytes(64 * 1024 * 1024)})  # 64 MiB of zeros, ~64 KiB zipped
    assert len(bomb) < 200_000
    found = records(tmp_path, "bomb.zip", bomb)
    archive, member = found["bomb.zip"], found["bomb.zip!zeros.json"]
    assert archive.status is InputStatus.FAILED
    assert "decompression bomb" in archive.error
    assert member.status is InputStatus.FAILED
    assert member.error.startswith(f"{tmp_path}/bomb.zip!zeros.json: expansion ratio above 200:1")
    assert member.size < 64 * 1024 * 1024  # stopped before the end of the member


def test_gzip_bomb_is_stopped(tmp_path: Path) -> None:
    found = records(tmp_path, "dns.log.gz", gzip.compress(bytes(32 * 1024 * 1024)))
    assert found["dns.log.gz"].status is InputStatus.FAILED
    assert "expansion ratio" in found["dns.log.gz!dns.log"].error


def test_total_size_cap(tmp_path: Path) -> None:
    limits = Limits(max_total_bytes=4000, max_ratio=1e9)
    found = records(
        tmp_path, "a.zip", zip_bytes({"a.log": DNS_LOG, "b.log": DNS_LOG}), limits=limits
    )
    assert found["a.zip"].status is InputStatus.FAILED
    assert found["a.zip"].error.endswith("expands beyond 4000 bytes")
    assert found["a.zip!a.log"].status is InputStatus.READ
    assert found["a.zip!b.log"].status is InputStatus.FAILED
    assert found["a.zip!a.log"].count == 12  # what was read before the cap is kept


def test_member_count_cap(tmp_path: Path) -> None:
    files = {f"{n}.log": DNS_LOG for n in range(3)}
    found = records(tmp_path, "many.zip", zip_bytes(files), limits=Limits(max_members=2))
    assert found["many.zip"].error.endswith("more than 2 archive members")
    assert "many.zip!2.log" not in found


def test_nesting_depth_cap(tmp_path: Path) -> None:
    data = DNS_LOG
    for level in range(3):
        data = zip_bytes({f"level{level}.zip" if level else "dns.log": data})
    found = records(tmp_path, "deep.zip", data, limits=Limits(max_depth=2))
    failed = [r for r in found.values() if r.status is InputStatus.FAILED]
    assert [r.path for r in failed] == [f"{tmp_path}/deep.zip!level2.zip!level1.zip"]
    assert "nested deeper than 2" in failed[0].error


def test_corrupt_archives_are_reported(tmp_path: Path) -> None:
    good = zip_bytes({"dns.log": DNS_LOG})
    found = records(tmp_path, "cut.zip", good[: len(good) // 2])
    assert found["cut.zip"].status is InputStatus.FAILED
    assert "not a readable zip archive" in found["cut.zip"].error
    compressed = gzip.compress(DNS_LOG)
    found = records(tmp_path, "cut.log.gz", compressed[: len(compressed) // 2])
    member = found["cut.log.gz!cut.log"]
    assert member.status is InputStatus.FAILED
    assert "corrupt compressed data" in member.error


def test_encrypted_member_is_listed_not_read(tmp_path: Path) -> None:
    data = bytearray(zip_bytes({"secret.log": DNS_LOG, "open.log": DNS_LOG}))
    data[6] |= 0x01  # general purpose flag, local header of the first member
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x01  # ... and in its central directory entry
    found = records(tmp_path, "enc.zip", bytes(data))
    assert found["enc.zip!secret.log"].error.endswith("encrypted member: cannot be read")
    assert found["enc.zip!open.log"].count == 12


def test_members_api_streams_one_level() -> None:
    budget = Budget(Limits(), lambda: 10_000)
    stream = io.BytesIO(zip_bytes({"a.txt": b"alpha", "b/c.txt": b"gamma"}))
    seen = [
        (m.name, m.display, m.stream.read() if m.stream else b"")
        for m in members(ArchiveKind.ZIP, "x.zip", stream, budget)
    ]  # type: ignore[arg-type]
    assert seen == [("a.txt", "x.zip!a.txt", b"alpha"), ("b/c.txt", "x.zip!b/c.txt", b"gamma")]
    assert (budget.members, budget.expanded) == (2, 10)


def test_budget_raises_limit_errors_as_input_errors() -> None:
    budget = Budget(Limits(max_total_bytes=10, ratio_grace_bytes=0), lambda: 1)
    with pytest.raises(ArchiveLimitError) as info:
        budget.charge(11, "x.zip!a")
    assert isinstance(info.value, InputError)
    assert budget.exceeded == "x.zip!a: expands beyond 10 bytes"


SEEDS = [
    gzip.compress(DNS_LOG),
    zip_bytes({"dns.log": DNS_LOG, "inner.zip": zip_bytes({"chain.pem": CHAIN_PEM})}),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs(SEEDS))
def test_fuzz_damaged_archives_never_stop_the_scan(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.zip"
        path.write_bytes(data)
        result = read_inputs([path])
    assert result.inputs[0].path == str(path)
    for record in result.inputs:
        assert record.status is not InputStatus.FAILED or record.error
