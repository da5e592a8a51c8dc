"""Semantic lint checks on intervals, sources and references; the signature checks are in
:mod:`rootout.catalog.signature_checks`. Each is a pure function of the catalog that
yields :class:`Problem` values and never raises; ``docs/catalog.md`` lists every code."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel

from rootout.catalog import signature_checks as _signature_checks  # noqa: F401 - registers
from rootout.catalog.catalog import Catalog
from rootout.catalog.dates import PartialDate
from rootout.catalog.lint import check
from rootout.catalog.model import Confidence, Reliability
from rootout.errors import Problem

# -- intervals ----------------------------------------------------------------------

Dated = tuple[str, PartialDate | None, PartialDate | None]
"""An object id with the start and end of its validity interval."""


def _span(start: PartialDate | None, end: PartialDate | None) -> tuple[dt.date, dt.date]:
    """The days an interval can cover, each partial end widened to its whole period."""
    return (start.start() if start else dt.date.min, end.end() if end else dt.date.max)


def _inverted(start: PartialDate | None, end: PartialDate | None) -> bool:
    return start is not None and end is not None and end.end() < start.start()


def _shown(start: PartialDate | None, end: PartialDate | None) -> str:
    return f"{start or 'open'} to {end or 'open'}"


@check
def inverted_intervals(catalog: Catalog) -> Iterator[Problem]:
    """A validity interval whose end comes before its start."""
    for object_id, start, end, names in _intervals(catalog):
        if _inverted(start, end):
            yield Problem(
                catalog.locations[object_id],
                "inverted-interval",
                f"{object_id}: {names[1]} {end} is before {names[0]} {start}",
            )


def _intervals(
    catalog: Catalog,
) -> Iterator[tuple[str, PartialDate | None, PartialDate | None, tuple[str, str]]]:
    valid = ("valid_from", "valid_to")
    for table in (catalog.relations, catalog.products, catalog.signatures, catalog.embeddings):
        for object_id, obj in table.items():
            yield object_id, obj.valid_from, obj.valid_to, valid
    effective = ("effective_from", "effective_to")
    for object_id, designation in catalog.designations.items():
        yield object_id, designation.effective_from, designation.effective_to, effective
    for object_id, basis in catalog.legal_bases.items():
        yield object_id, basis.effective_from, basis.effective_to, effective
        for obligation in basis.obligations:
            yield obligation.id, obligation.valid_from, obligation.valid_to, valid


def overlaps(catalog: Catalog, groups: dict[Any, list[Dated]], what: str) -> Iterator[Problem]:
    """A problem for each pair in a group whose intervals share at least one day."""
    for members in groups.values():
        ordered = sorted(members, key=lambda m: (catalog.locations[m[0]], m[0]))
        for i, (first_id, first_from, first_to) in enumerate(ordered):
            for later_id, later_from, later_to in ordered[i + 1 :]:
                if _inverted(first_from, first_to) or _inverted(later_from, later_to):
                    continue  # reported as inverted-interval
                a, b = _span(first_from, first_to), _span(later_from, later_to)
                if max(a[0], b[0]) > min(a[1], b[1]):
                    continue
                dates = (first_from, first_to, later_from, later_to)
                partial = any(d is not None and d.precision != "day" for d in dates)
                hint = "; a partial date covers its whole year or month" if partial else ""
                yield Problem(
                    catalog.locations[later_id],
                    "overlapping-interval",
                    f"{what} {later_id!r} ({_shown(later_from, later_to)}) overlaps "
                    f"{first_id!r} ({_shown(first_from, first_to)}, at "
                    f"{catalog.locations[first_id]}){hint}",
                )


@check
def overlapping_relations(catalog: Catalog) -> Iterator[Problem]:
    """Two relations with the same subject, kind and object valid on the same day."""
    groups: dict[Any, list[Dated]] = defaultdict(list)
    for rid, r in catalog.relations.items():
        groups[(r.subject, r.kind, r.object)].append((rid, r.valid_from, r.valid_to))
    return overlaps(catalog, groups, "relation")


@check
def overlapping_designations(catalog: Catalog) -> Iterator[Problem]:
    """Two designations of one entity under one legal basis in force on the same day."""
    groups: dict[Any, list[Dated]] = defaultdict(list)
    for did, d in catalog.designations.items():
        groups[(d.entity, d.legal_basis)].append((did, d.effective_from, d.effective_to))
    return overlaps(catalog, groups, "designation")


@check
def overlapping_obligations(catalog: Catalog) -> Iterator[Problem]:
    """Two versions of one clause (same action, same legal basis) in force on the same day."""
    groups: dict[Any, list[Dated]] = defaultdict(list)
    for basis_id, basis in catalog.legal_bases.items():
        for o in basis.obligations:
            action = " ".join(o.action.casefold().split())
            groups[(basis_id, action)].append((o.id, o.valid_from, o.valid_to))
    return overlaps(catalog, groups, "obligation")


# -- sources and confidence ------------------------------------------------------------


def cited(obj: Any) -> Iterator[str]:
    """Every source id an object cites, nested objects included."""
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            if name == "sources":
                yield from value
            else:
                yield from cited(value)
    elif isinstance(obj, tuple):
        for item in obj:
            yield from cited(item)


def _facts(catalog: Catalog) -> Iterable[dict[str, Any]]:
    return (
        catalog.legal_bases,
        catalog.entities,
        catalog.relations,
        catalog.designations,
        catalog.products,
        catalog.signatures,
        catalog.embeddings,
        catalog.hard_negatives,
    )


@check
def unused_sources(catalog: Catalog) -> Iterator[Problem]:
    """A source no object cites."""
    used = {
        source_id for table in _facts(catalog) for obj in table.values() for source_id in cited(obj)
    }
    for source_id in catalog.sources:
        if source_id not in used:
            yield Problem(
                catalog.locations[source_id],
                "unused-source",
                f"source {source_id!r} is not cited by any object",
                "warning",
            )


@check
def high_confidence_on_unconfirmed(catalog: Catalog) -> Iterator[Problem]:
    """Confidence high although every source is an unconfirmed lead."""
    for table in _facts(catalog):
        for object_id, obj in table.items():
            if getattr(obj, "confidence", None) is not Confidence.HIGH:
                continue
            grades = [catalog.sources[s].reliability for s in obj.sources if s in catalog.sources]
            if grades and all(g is Reliability.UNCONFIRMED for g in grades):
                yield Problem(
                    catalog.locations[object_id],
                    "weak-sources",
                    f"{object_id} has confidence high but all its sources are unconfirmed; "
                    "lower the confidence or cite a checked source",
                    "warning",
                )


@check
def designation_before_basis(catalog: Catalog) -> Iterator[Problem]:
    """A designation that starts before the rule designating it takes effect."""
    for did, designation in catalog.designations.items():
        basis = catalog.legal_bases.get(designation.legal_basis)
        if basis is not None and designation.effective_from.end() < basis.effective_from.start():
            yield Problem(
                catalog.locations[did],
                "designation-before-basis",
                f"{did} is effective from {designation.effective_from}, before "
                f"{basis.id} takes effect ({basis.effective_from})",
                "warning",
            )


# -- references the loader cannot see ----------------------------------------------------


@check
def deadline_references(catalog: Catalog) -> Iterator[Problem]:
    """A deadline counted from the completion of an obligation that does not exist."""
    obligations = {o.id for b in catalog.legal_bases.values() for o in b.obligations}
    for basis_id, basis in catalog.legal_bases.items():
        for obligation in basis.obligations:
            event = obligation.deadline.from_event if obligation.deadline else ""
            target = event.removeprefix("obligation:")
            if event.startswith("obligation:") and target not in obligations:
                yield Problem(
                    catalog.locations[basis_id],
                    "dangling-ref",
                    f"obligation {obligation.id!r} counts its deadline from obligation "
                    f"{target!r}, which does not exist",
                )
