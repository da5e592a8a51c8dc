"""Shared pieces of the case generators: where the data is, the seed, case builders."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rootout.match.normalize import simplify
from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind, SourceRef
from tests.eval.cases import Case

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SEED = "rootout-eval-1"
"""Randomness is seeded per value (``random.Random(f"{SEED}:{value}")``): adding a case
never changes another."""


@dataclass
class Generated:
    cases: list[Case] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What was generated, skipped and why: printed with the report."""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", simplify(text)).strip("-") or "x"


def observation(
    kind: ObservationKind,
    fields: Mapping[str, str],
    case_id: str,
    where: str,
    when: dt.datetime | None,
    asset_kind: AssetKind = AssetKind.HOST,
    parents: tuple[str, ...] = (),
) -> Observation:
    asset = Asset(asset_kind, case_id)
    return Observation(kind, dict(fields), asset, SourceRef(where, 0, "", "eval"), when, parents)


def negative(
    case_id: str,
    group: str,
    kind: ObservationKind,
    fields: Mapping[str, str],
    *,
    where: str = "generated",
    when: dt.datetime | None = None,
    note: str = "",
    asset_kind: AssetKind = AssetKind.HOST,
    parents: tuple[str, ...] = (),
) -> Case:
    """A one-observation case that must find nothing."""
    obs = observation(kind, fields, case_id, where, when, asset_kind, parents)
    return Case(case_id, group, (obs,), (), None, note)
