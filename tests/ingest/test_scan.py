"""The scanner (rootout.ingest.scan): walking, detection, records, coverage."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, ClassVar

import pytest

from rootout.errors import NotFoundError
from rootout.ingest import scan as scan_module
from rootout.ingest.base import Reader, all_readers
from rootout.ingest.scan import InputStatus, ScanResult, read_inputs
from rootout.model.observation import Observation
from tests.conftest import FIXTURES

ESTATE = FIXTURES / "inputs" / "estate-mini"
GENERIC = FIXTURES / "inputs" / "generic"

# Observations per format from this module's owners' files in estate-mini (counted by hand
# from the fixtures; see tests/fixtures/README.md).
NETWORK_AND_CERT_COUNTS = {
    "certutil-store": 2,  # certutil-ws0417.txt
    "der": 1,  # ws0417-root.cer
    "dns-csv": 7,  # resolver-queries.csv
    "dnsmasq-leases": 4,
    "isc-dhcpd-leases": 5,
    "neighbours": 3 + 6,  # arp-a-ws0417.txt + branch-office.zip!ip-neigh-branch.txt
    "nmap-xml": 20,
    "pem": 1 + 2,  # ws0417-root.pem + branch-office.zip!example-corp-chain.pem
    "ps-cert-csv": 3,
    "ps-cert-list": 2,
    "zeek-dns": 12 + 12 + 2,  # zeek-dns.log, the .gz copy, and 2 records before the broken line
    "zeek-dns-json": 12,
}


@pytest.fixture(scope="module")
def estate() -> ScanResult:
    return read_inputs([ESTATE])


def by_path(result: ScanResult) -> dict[str, scan_module.InputRecord]:
    return {record.path.removeprefix(f"{ESTATE}/"): record for record in result.inputs}


def test_estate_counts_per_format(estate: ScanResult) -> None:
    counts = estate.coverage.observations_by_format
    assert {name: counts.get(name) for name in NETWORK_AND_CERT_COUNTS} == NETWORK_AND_CERT_COUNTS


def test_estate_other_formats_count_what_their_reader_reads(estate: ScanResult) -> None:
    """Files of other readers' formats: the scan counts what reading the file alone gives."""
    readers = all_readers()
    others = [
        r
        for r in estate.inputs
        if r.status is InputStatus.READ and r.format not in NETWORK_AND_CERT_COUNTS
    ]
    for record in others:
        path = Path(record.path)
        with path.open("rb") as stream:
            alone = list(readers[record.format]().read(path, stream))
        assert record.count == len(alone) > 0, record.path


NOT_IN_ESTATE = {
    "csv": "read only with --format csv --map",
    "jsonl": "read only with --format jsonl --map",
    "registry-hive": "binary hives are built at test time, not kept as fixtures",
}


def test_estate_holds_a_file_of_every_format(estate: ScanResult) -> None:
    missing = set(all_readers()) - set(estate.coverage.observations_by_format) - set(NOT_IN_ESTATE)
    assert not missing, f"add a file of each format to {ESTATE}: {sorted(missing)}"


def test_estate_lists_failures_with_positions(estate: ScanResult) -> None:
    problems = {r.path.removeprefix(f"{ESTATE}/"): r for r in estate.problems}
    assert set(problems) == {"zeek-dns-broken.log", "README.txt"}
    broken = problems["zeek-dns-broken.log"]
    assert (broken.status, broken.format, broken.count) == (InputStatus.FAILED, "zeek-dns", 2)
    assert broken.error == f"{ESTATE}/zeek-dns-broken.log:11: 23 values for 24 #fields columns"
    assert problems["README.txt"].status is InputStatus.UNRECOGNISED
    assert not estate.coverage.complete


def test_estate_archives_and_members(estate: ScanResult) -> None:
    records = by_path(estate)
    assert records["branch-office.zip"].status is InputStatus.ARCHIVE
    assert records["branch-office.zip"].archive
    assert not records["branch-office.zip!ip-neigh-branch.txt"].archive
    assert records["branch-office.zip"].count == 8
    assert records["branch-office.zip!ip-neigh-branch.txt"].format == "neighbours"
    assert records["zeek-dns-rotated.log.gz!zeek-dns-rotated.log"].count == 12
    assert estate.coverage.archives == 2


def test_every_input_has_its_sha256_and_size(estate: ScanResult) -> None:
    for record in estate.inputs:
        if "!" in record.path:
            continue
        data = Path(record.path).read_bytes()
        assert record.sha256 == hashlib.sha256(data).hexdigest(), record.path
        assert record.size == len(data), record.path


def test_rescanning_gives_the_same_result(estate: ScanResult) -> None:
    again = read_inputs([ESTATE])
    assert again.inputs == estate.inputs
    assert again.observations == estate.observations


def test_coverage_adds_up(estate: ScanResult) -> None:
    coverage = estate.coverage
    assert coverage.inputs == len(estate.inputs)
    assert (
        coverage.read
        + coverage.failed
        + coverage.unrecognised
        + coverage.skipped
        + coverage.archives
        == coverage.inputs
    )
    assert coverage.observations == len(list(estate.iter_observations()))
    assert sum(coverage.observations_by_format.values()) == coverage.observations
    assert coverage.inputs_by_format["zeek-dns"] == 3


def test_progress_reports_bytes_up_to_the_total(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    read_inputs([ESTATE], progress=lambda done, total: calls.append((done, total)))
    total = sum(p.stat().st_size for p in ESTATE.iterdir() if not p.name.startswith("."))
    assert {t for _, t in calls} == {total}
    done = [d for d, _ in calls]
    assert done == sorted(done)
    assert done[-1] == total


def test_walk_skips_hidden_and_does_not_follow_links(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.pem").write_bytes((ESTATE / "ws0417-root.pem").read_bytes())
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.pem").write_bytes((ESTATE / "ws0417-root.pem").read_bytes())
    (root / ".hidden.pem").write_bytes(b"whatever")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_bytes(b"[core]\n")
    (root / "link.pem").symlink_to(outside / "secret.pem")
    (root / "linkdir").symlink_to(outside)
    os.mkfifo(root / "pipe")
    result = read_inputs([root, tmp_path / "missing.log"])
    summary = [
        (r.path.removeprefix(f"{tmp_path}/"), r.status.value, r.error) for r in result.inputs
    ]
    assert summary == [
        ("root/link.pem", "skipped", "symbolic link not followed"),
        ("root/linkdir", "skipped", "symbolic link not followed"),
        ("root/pipe", "skipped", "not a regular file"),
        ("root/sub/a.pem", "read", ""),
        ("missing.log", "skipped", "no such file or folder"),
    ]
    assert result.coverage.complete  # skipped entries do not make a scan incomplete


def test_a_hidden_file_given_by_name_is_read(tmp_path: Path) -> None:
    path = tmp_path / ".root.pem"
    path.write_bytes((ESTATE / "ws0417-root.pem").read_bytes())
    assert [r.status for r in read_inputs([path]).inputs] == [InputStatus.READ]


def test_format_overrides_detection_and_takes_a_column_map(tmp_path: Path) -> None:
    result = read_inputs(
        [GENERIC / "cmdb-software.csv"],
        format="csv",
        column_map={"name": "DisplayName", "publisher": "Publisher", "host": "Computer"},
    )
    (record,) = result.inputs
    assert (record.status, record.format, record.count) == (InputStatus.READ, "csv", 6)
    assert {o.asset.name for o in result.observations} == {"WS-0417", "WS-0422", "SRV-DB01"}


def test_forced_format_that_does_not_fit_is_a_failure_not_a_crash() -> None:
    result = read_inputs([ESTATE / "README.txt"], format="nmap-xml")
    (record,) = result.inputs
    assert record.status is InputStatus.FAILED
    assert "not well-formed XML" in record.error


def test_unknown_format_is_refused_before_reading() -> None:
    with pytest.raises(NotFoundError, match="unknown format 'nmap'"):
        read_inputs([ESTATE], format="nmap")


class _Buggy(Reader):
    name: ClassVar[str] = "buggy"
    description: ClassVar[str] = "raises something other than InputError"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return True

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        stream.read(10)
        raise KeyError("oops")


def test_a_reader_bug_is_recorded_and_the_scan_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        scan_module, "detect", lambda path, head: _Buggy if path.suffix == ".txt" else None
    )
    result = read_inputs([ESTATE / "README.txt", ESTATE / "dhcpd.leases"])
    first, second = result.inputs
    assert first.status is InputStatus.FAILED
    assert "internal error in reader buggy: KeyError" in first.error
    assert first.sha256 == hashlib.sha256((ESTATE / "README.txt").read_bytes()).hexdigest()
    assert second.status is InputStatus.UNRECOGNISED
