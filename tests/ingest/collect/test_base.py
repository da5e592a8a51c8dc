"""The collector core: running sources, coverage, paths under a root."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from rootout.ingest.collect import CoverageStatus
from rootout.ingest.collect.base import Host, Skipped, Source, Tally, run_sources
from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind

ASSET = Asset(AssetKind.HOST, "h")


def _one_then(error: Exception) -> Callable[[Host, Tally], Iterator[Observation]]:
    def run(host: Host, tally: Tally) -> Iterator[Observation]:
        yield host.observe(ObservationKind.FILE, {"path": "/opt/x"}, "/opt/x")
        raise error

    return run


def test_observations_before_a_failure_are_kept_and_counted(tmp_path: Path) -> None:
    host = Host(tmp_path, "Linux", ASSET, "collect-linux")
    sources = [
        Source("crashes", "/opt", _one_then(RuntimeError("boom"))),
        Source("absent", "/srv", _one_then(Skipped("not present: /srv"))),
    ]
    result = run_sources(host, sources)
    crashed, absent = result.coverage
    assert (crashed.status, crashed.count, crashed.reason) == (
        CoverageStatus.FAILED,
        1,
        "/opt: boom",
    )
    assert (absent.status, absent.reason) == (CoverageStatus.SKIPPED, "not present: /srv")
    assert len(result.observations) == 2
    assert not result.complete


def test_many_problems_are_summarised(tmp_path: Path) -> None:
    def noisy(host: Host, tally: Tally) -> list[Observation]:
        for line in range(1, 6):
            tally.problem(f"/f:{line}", "bad")
        return []

    (item,) = run_sources(Host(tmp_path, "Linux", ASSET, "x"), [Source("s", "/f", noisy)]).coverage
    assert item.reason == "/f:1: bad; /f:2: bad; /f:3: bad (and 2 more)"


def test_paths_are_shown_as_on_the_machine(tmp_path: Path) -> None:
    linux = Host(tmp_path, "Linux", ASSET, "x")
    assert linux.path("/var/lib/dpkg/status") == tmp_path / "var/lib/dpkg/status"
    assert linux.shown(tmp_path / "etc" / "hostname") == "/etc/hostname"
    windows = Host(tmp_path, "Windows", ASSET, "x")
    assert (
        windows.path("C:\\Program Files (x86)\\Vendor")
        == tmp_path / "Program Files (x86)" / "Vendor"
    )
    assert windows.shown(tmp_path / "Users" / "alice") == "C:\\Users\\alice"


def test_absolute_links_resolve_inside_the_root(tmp_path: Path) -> None:
    (tmp_path / "usr/lib").mkdir(parents=True)
    (tmp_path / "usr/lib/unit").write_text("inside")
    os.symlink("/usr/lib/unit", tmp_path / "alias")
    host = Host(tmp_path, "Linux", ASSET, "x")
    assert host.real(tmp_path / "alias").read_text() == "inside"
    assert not host.live
