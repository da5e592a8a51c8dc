"""Labelled cases: one asset, its observations, and the findings expected of it.

A case file (``cases/*.yaml``) holds a ``cases`` list and, optionally, sections
that :mod:`tests.eval.generate` expands into many cases from the real data files.
A hand-written case looks like this::

    - id: kes-versioned-display-name
      observations:
        - {kind: program, name: "Kaspersky Endpoint Security 11.10.0 for Windows (x64)"}
      expect: [kaspersky.ao-kaspersky-lab direct]
      note: where the value comes from

``expect`` is a list of ``"<covered entity id> <basis>"`` strings, with a third
word ``historical`` when the finding is expected to carry only legal bases that
were not in force on the observation date; an empty list marks a negative.
An observation may carry ``extra`` (reader fields kept as evidence, never matched,
e.g. ``purpose: removal`` on a contract award). ``known_issue`` marks a case the matcher or catalog gets wrong today: it stays in
the set (and in the numbers) and is listed separately.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rootout.model.finding import Basis
from rootout.model.observation import (
    FIELD_KINDS,
    Asset,
    AssetKind,
    Observation,
    ObservationKind,
    SourceRef,
)

CASES_DIR = Path(__file__).parent / "cases"
EVAL_TODAY = dt.date(2026, 6, 1)
"""The matcher's "today": observations without a date are judged on this day, every run."""

DESCRIPTIVE_FIELDS = frozenset(
    {
        "version",
        "ecosystem",
        "os",
        "device_type",
        "description",
        "group",
        "install_location",
        "hostname",
        "ip",
        "bom_ref",
        "component_type",
        "store",
    }
)
"""Fields a case may fill that are never matched (see rootout.model.observation)."""

_OBSERVATION_KEYS = frozenset({"kind", "observed_at", "parents", "extra"})
_CASE_KEYS = frozenset(
    {"id", "asset", "observed_at", "observations", "expect", "known_issue", "note"}
)
_ID = re.compile(r"^[a-z0-9][a-z0-9_.:@/+-]*$")

Pair = tuple[str, Basis]


class CaseError(ValueError):
    """A case file that does not say what it means: named by file and case."""


@dataclass(frozen=True)
class Expectation:
    entity: str
    basis: Basis
    historical: bool = False

    @property
    def pair(self) -> Pair:
        return (self.entity, self.basis)

    def __str__(self) -> str:
        return f"{self.entity} {self.basis.value}" + (" historical" if self.historical else "")


@dataclass(frozen=True)
class Case:
    """One asset with its observations and the (entity, basis) pairs expected of it."""

    id: str
    group: str
    observations: tuple[Observation, ...]
    expected: tuple[Expectation, ...]
    known_issue: str | None = None
    note: str = ""

    @property
    def pairs(self) -> frozenset[Pair]:
        return frozenset(e.pair for e in self.expected)

    @property
    def positive(self) -> bool:
        return bool(self.expected)


@dataclass(frozen=True)
class CaseFile:
    path: Path
    group: str
    cases: tuple[Case, ...]
    sections: Mapping[str, Any] = field(default_factory=dict)
    """Generator sections (everything but ``cases``, ``group`` and ``observed_at``)."""
    observed_at: dt.datetime | None = None
    """The file's default observation date, for its cases and generator items."""


def parse_expect(items: Iterable[Any], where: str) -> tuple[Expectation, ...]:
    found: list[Expectation] = []
    for item in items:
        words = str(item).split()
        if len(words) not in (2, 3) or (len(words) == 3 and words[2] != "historical"):
            raise CaseError(f"{where}: expect item {item!r} is not '<entity> <basis> [historical]'")
        try:
            basis = Basis(words[1])
        except ValueError:
            raise CaseError(f"{where}: unknown basis {words[1]!r}") from None
        found.append(Expectation(words[0], basis, len(words) == 3))
    if len({e.pair for e in found}) != len(found):
        raise CaseError(f"{where}: an (entity, basis) pair is listed twice")
    return tuple(found)


def as_datetime(value: Any, where: str) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return as_datetime(dt.date.fromisoformat(value), where)
        except ValueError:
            pass
    raise CaseError(f"{where}: observed_at {value!r} is not a YYYY-MM-DD date")


def field_value(name: str, value: Any, where: str) -> str:
    """A field value as text. YAML would read ``12:34:56`` as a number: insist on quotes."""
    if name not in FIELD_KINDS and name not in DESCRIPTIVE_FIELDS:
        raise CaseError(f"{where}: unknown observation field {name!r}")
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and name == "version":
        return str(value)
    raise CaseError(f"{where}: field {name!r} must be a quoted string, got {value!r}")


def make_observation(
    spec: Mapping[str, Any],
    asset: Asset,
    source: SourceRef,
    observed_at: dt.datetime | None,
    where: str,
) -> Observation:
    try:
        kind = ObservationKind(spec["kind"])
    except (KeyError, ValueError):
        raise CaseError(f"{where}: missing or unknown observation kind") from None
    fields = {
        name: field_value(name, value, where)
        for name, value in spec.items()
        if name not in _OBSERVATION_KEYS
    }
    if not any(name in FIELD_KINDS for name in fields):
        raise CaseError(f"{where}: the observation has no matchable field")
    parents = tuple(str(p) for p in spec.get("parents", ()))
    when = as_datetime(spec.get("observed_at"), where) or observed_at
    extra = {str(k): str(v) for k, v in (spec.get("extra") or {}).items()}
    return Observation(kind, fields, asset, source, when, parents, extra)


def parse_case(
    raw: Mapping[str, Any], group: str, path: Path, index: int, default_when: dt.datetime | None
) -> Case:
    where = f"{path.name} case {raw.get('id', index)!r}"
    unknown = set(raw) - _CASE_KEYS
    if unknown:
        raise CaseError(f"{where}: unknown keys {sorted(unknown)}")
    case_id = f"{group}.{raw.get('id', '')}"
    if not _ID.match(case_id) or not raw.get("id"):
        raise CaseError(f"{where}: id must be lower-case letters, digits and ._:@/+-")
    asset = Asset(AssetKind(raw.get("asset", "host")), case_id)
    when = as_datetime(raw.get("observed_at"), where) or default_when
    specs = raw.get("observations") or []
    if not specs:
        raise CaseError(f"{where}: no observations")
    observations = tuple(
        make_observation(
            spec,
            asset,
            SourceRef(
                f"tests/eval/cases/{path.name}", 0, f"/cases/{index}/observations/{i}", "eval"
            ),
            when,
            f"{where} observation {i}",
        )
        for i, spec in enumerate(specs)
    )
    if "expect" not in raw:
        raise CaseError(f"{where}: say what is expected ('expect: []' for a negative)")
    return Case(
        case_id,
        group,
        observations,
        parse_expect(raw["expect"] or [], where),
        raw.get("known_issue"),
        str(raw.get("note", "")),
    )


def load_file(path: Path) -> CaseFile:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CaseError(f"{path.name}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise CaseError(f"{path.name}: a case file is a mapping")
    group = str(data.get("group", path.stem))
    default_when = as_datetime(data.get("observed_at"), path.name)
    cases = tuple(
        parse_case(raw, group, path, i, default_when) for i, raw in enumerate(data.get("cases", []))
    )
    sections = {k: v for k, v in data.items() if k not in {"cases", "group", "observed_at"}}
    return CaseFile(path, group, cases, sections, default_when)


def load_all(folder: Path = CASES_DIR) -> list[CaseFile]:
    return [load_file(path) for path in sorted(folder.glob("*.yaml"))]
