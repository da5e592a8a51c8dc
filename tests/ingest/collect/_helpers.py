"""Helpers for the collector tests: the captured host trees (tests/fixtures/README.md, "hosts/")."""

from __future__ import annotations

import shutil
from pathlib import Path

from rootout.ingest.collect import CollectResult, CoverageItem
from rootout.model.observation import Observation, ObservationKind

HOSTS = Path(__file__).resolve().parents[2] / "fixtures" / "hosts"


def copy_tree(tmp_path: Path, name: str) -> Path:
    """A copy of a captured tree (links kept as links) that a test may damage."""
    target = tmp_path / name
    shutil.copytree(HOSTS / name, target, symlinks=True)
    return target


def coverage(result: CollectResult, source: str) -> CoverageItem:
    return next(item for item in result.coverage if item.source == source)


def of_kind(result: CollectResult, kind: ObservationKind) -> list[Observation]:
    return [o for o in result.observations if o.kind is kind]


def by_field(result: CollectResult, field: str, value: str) -> Observation:
    return next(o for o in result.observations if o.fields.get(field) == value)
