"""Collect observations from the machine rootout runs on (``rootout scan`` with no path).

:func:`collect_this_machine` reads this machine's package databases, services,
drivers, kernel modules, processes, trust stores, browser extensions and vendor
folders, and says for each source whether it was read, skipped (not present,
tool missing) or failed (unreadable, malformed). It never raises for what it
finds on the machine.
"""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from rootout.ingest.collect import linux, macos, windows
from rootout.ingest.collect.base import (
    CollectProgress,
    CollectResult,
    CoverageItem,
    CoverageStatus,
    Host,
    Skipped,
    Source,
    Tally,
    run_sources,
)
from rootout.ingest.collect.common import fallback_name, live_hostname
from rootout.ingest.collect.registry import MemoryRegistry, RegistrySource, RegValue
from rootout.model.observation import Asset, AssetKind, Observation

__all__ = [
    "CollectProgress",
    "CollectResult",
    "CoverageItem",
    "CoverageStatus",
    "MemoryRegistry",
    "RegValue",
    "RegistrySource",
    "collect_this_machine",
]


def collect_this_machine(
    *,
    root: Path = Path("/"),
    system: str | None = None,
    progress: CollectProgress | None = None,
    registry: RegistrySource | None = None,
) -> CollectResult:
    """Observations of this machine (or of a captured tree at ``root``) and the coverage of each source.

    ``system`` is ``Linux``, ``Darwin`` or ``Windows`` (default: :func:`platform.system`).
    ``registry`` (Windows only) replaces the live registry, e.g. with a
    :class:`MemoryRegistry`; by default the live registry is read when ``root``
    is ``/`` on Windows, and registry sources are skipped otherwise.
    """
    system = system or platform.system()
    if system == "Linux":
        host, sources = linux.plan(root)
    elif system == "Darwin":
        host, sources = macos.plan(root)
    elif system == "Windows":
        host, sources = windows.plan(root, registry or windows.live_registry(root))
    else:
        host, sources = _unsupported(root, system)
    if host.live:
        host = replace(host, observed_at=dt.datetime.now(dt.UTC))
    return run_sources(host, sources, progress)


def _unsupported(root: Path, system: str) -> tuple[Host, list[Source]]:
    name = live_hostname() if root == Path("/") else fallback_name(root)
    host = Host(root, system, Asset(AssetKind.HOST, name), "collect")

    def nothing(host: Host, tally: Tally) -> Iterator[Observation]:
        raise Skipped(f"no collector for {system or 'this system'}")

    return host, [Source("system", system, nothing)]
