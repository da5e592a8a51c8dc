"""The collector on the real machine running the tests (Linux with dpkg, as CI and development are)."""

from __future__ import annotations

import platform
import socket
from pathlib import Path

import pytest

from rootout.ingest.collect import CoverageStatus, collect_this_machine
from rootout.model.observation import ObservationKind

LINUX_SOURCES = [
    "dpkg", "rpm", "snap", "flatpak", "systemd-units", "kernel-modules", "processes",
    "trust-store", "nss-databases", "browser-extensions", "neighbours", "vendor-folders",
]  # fmt: skip


@pytest.mark.skipif(
    platform.system() != "Linux" or not Path("/var/lib/dpkg/status").is_file(),
    reason="needs a Debian-family Linux machine",
)
def test_collect_this_debian_machine() -> None:
    result = collect_this_machine()
    assert [item.source for item in result.coverage] == LINUX_SOURCES
    assert all(item.status in CoverageStatus for item in result.coverage)
    debs = [
        o
        for o in result.observations
        if o.kind is ObservationKind.PACKAGE and o.fields.get("ecosystem") == "deb"
    ]
    assert debs
    assert any(o.fields["package"] == "dpkg" for o in debs)
    assert result.asset.name == socket.gethostname()
    assert all(o.observed_at is not None for o in result.observations)
    dpkg = next(item for item in result.coverage if item.source == "dpkg")
    assert dpkg.count == len(debs)
