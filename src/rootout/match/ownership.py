"""The ownership walk: from the entity a signature names to the designated ones.

Only relations valid on the observation date are followed, and a designation
applies through a path only when its legal basis reaches every relation kind on
that path (§889 reaches subsidiaries and affiliates; §1634 also successors,
controlled and majority-owned entities). Pure functions over the catalog.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass

from rootout.catalog.catalog import Catalog
from rootout.catalog.dates import in_interval
from rootout.catalog.model import Designation, Relation, RelationKind
from rootout.model.finding import LegalStatus

MAX_DEPTH = 6
APPLICABLE_CACHE = 100_000
NOT_FOLLOWED = frozenset({RelationKind.FORMERLY_AFFILIATED})


@dataclass(frozen=True, slots=True)
class Applicable:
    """A designation that reaches the observed entity, and whether it was in force."""

    designation: Designation
    path: tuple[Relation, ...]
    status: LegalStatus


def paths_to_designated(
    catalog: Catalog, entity_id: str, on: dt.date
) -> list[tuple[str, tuple[Relation, ...]]]:
    """Every entity reachable from ``entity_id`` (itself included) with the shortest path.

    Breadth-first over relations valid on ``on``; cycles and ``formerly_affiliated``
    edges are not followed.
    """
    seen = {entity_id}
    found: list[tuple[str, tuple[Relation, ...]]] = [(entity_id, ())]
    queue: deque[tuple[str, tuple[Relation, ...]]] = deque([(entity_id, ())])
    while queue:
        current, path = queue.popleft()
        if len(path) >= MAX_DEPTH:
            continue
        for relation in sorted(catalog.parents_at(current, on), key=lambda r: r.id):
            if relation.kind in NOT_FOLLOWED or relation.object in seen:
                continue
            seen.add(relation.object)
            step = (*path, relation)
            found.append((relation.object, step))
            queue.append((relation.object, step))
    return found


def applicable_designations(
    catalog: Catalog, entity_id: str, on: dt.date
) -> tuple[Applicable, ...]:
    """Designations reaching ``entity_id`` on ``on`` (in force) or at another time (historical).

    A designation that would apply but was not (yet, or any longer) in force on
    ``on`` is returned as historical, so that what was seen before a rule took
    effect is labelled rather than dropped. The answer depends only on the catalog,
    which does not change once loaded, so it is kept per (entity, date) on the catalog:
    contract rows repeat a few thousand dates, inventories one.
    """
    cache: dict[tuple[str, dt.date], tuple[Applicable, ...]] | None = catalog.__dict__.get(
        "_applicable_cache"
    )
    if cache is None:
        cache = catalog.__dict__["_applicable_cache"] = {}
    found = cache.get((entity_id, on))
    if found is None:
        if len(cache) >= APPLICABLE_CACHE:
            cache.clear()
        found = cache[(entity_id, on)] = tuple(_applicable(catalog, entity_id, on))
    return found


def _applicable(catalog: Catalog, entity_id: str, on: dt.date) -> list[Applicable]:
    result: list[Applicable] = []
    for target, path in paths_to_designated(catalog, entity_id, on):
        kinds = {relation.kind for relation in path}
        for designation in _designations_of(catalog, target):
            basis = catalog.legal_bases.get(designation.legal_basis)
            if basis is None or not kinds <= set(basis.reaches):
                continue
            in_force = in_interval(on, designation.effective_from, designation.effective_to)
            status = LegalStatus.IN_FORCE if in_force else LegalStatus.HISTORICAL
            result.append(Applicable(designation, path, status))
    return result


def _designations_of(catalog: Catalog, entity_id: str) -> list[Designation]:
    cache: dict[str, list[Designation]] | None = catalog.__dict__.get("_designation_cache")
    if cache is None:
        cache = {}
        for designation in catalog.designations.values():
            cache.setdefault(designation.entity, []).append(designation)
        for designations in cache.values():
            designations.sort(key=lambda d: d.id)
        catalog.__dict__["_designation_cache"] = cache
    return cache.get(entity_id, [])
