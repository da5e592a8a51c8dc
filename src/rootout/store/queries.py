"""Questions asked of the store: list and filter, diff two scans, where is X used."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from rootout.catalog.catalog import Catalog
from rootout.catalog.model import Confidence
from rootout.errors import NotFoundError
from rootout.match import normalize as norm
from rootout.model.finding import CONFIDENCE_RANK
from rootout.store import repository as repo
from rootout.store import suppress


@dataclass(frozen=True)
class FindingFilter:
    entity: str | None = None
    basis: str | None = None
    min_confidence: Confidence = Confidence.LOW
    asset: str | None = None
    statuses: tuple[str, ...] = ("active", "waived")
    include_historical: bool = True

    def accepts(self, row: dict[str, Any]) -> bool:
        if self.entity and self.entity not in (row["entity"], row["matched_entity"]):
            return False
        if self.basis and row["basis"] != self.basis:
            return False
        if CONFIDENCE_RANK[Confidence(row["confidence"])] < CONFIDENCE_RANK[self.min_confidence]:
            return False
        if self.asset and self.asset.lower() not in row["asset_key"].lower():
            return False
        return self.include_historical or not row["historical"]


def list_findings(
    engine: Engine, selection: FindingFilter | None = None, *, tenant: str = repo.DEFAULT_TENANT
) -> list[dict[str, Any]]:
    selection = selection or FindingFilter()
    stored = tuple({"waived": "active"}.get(s, s) for s in selection.statuses)
    rows = suppress.apply(
        repo.finding_rows(engine, tenant=tenant, statuses=stored),
        suppress.suppressions(engine, tenant=tenant),
        dt.date.today(),
    )
    return [r for r in rows if r["status"] in selection.statuses and selection.accepts(r)]


@dataclass(frozen=True)
class ScanDiff:
    before: str
    after: str
    new: tuple[str, ...]
    gone: tuple[str, ...]
    changed: tuple[tuple[str, str], ...]
    """(finding id, what changed)"""


def diff_scans(
    engine: Engine, before: str, after: str, *, tenant: str = repo.DEFAULT_TENANT
) -> ScanDiff:
    old = repo.sightings_of(engine, before, tenant=tenant)
    new = repo.sightings_of(engine, after, tenant=tenant)
    changed: list[tuple[str, str]] = []
    for finding_id in sorted(old.keys() & new.keys()):
        (c1, v1, ver1), (c2, v2, ver2) = old[finding_id], new[finding_id]
        parts = []
        if c1 != c2:
            parts.append(f"confidence {c1} → {c2}")
        if ver1 != ver2:
            parts.append(f"version {ver1 or '?'} → {ver2 or '?'}")
        if v1 != v2 and ver1 == ver2:
            parts.append(f"value {v1!r} → {v2!r}")
        if parts:
            changed.append((finding_id, "; ".join(parts)))
    return ScanDiff(
        before,
        after,
        tuple(sorted(new.keys() - old.keys())),
        tuple(sorted(old.keys() - new.keys())),
        tuple(changed),
    )


@dataclass(frozen=True)
class WhereTarget:
    kind: str  # entity | product
    id: str
    name: str


def resolve_target(catalog: Catalog, term: str) -> list[WhereTarget]:
    """Entities and products an id or a name (any spelling, any version) refers to."""
    if term in catalog.entities:
        return [WhereTarget("entity", term, catalog.entities[term].name)]
    if term in catalog.products:
        return [WhereTarget("product", term, catalog.products[term].name)]
    wanted_org, wanted_product = norm.org_name(term), norm.product_name(term)
    found: list[WhereTarget] = []
    for entity in catalog.entities.values():
        if wanted_org in {norm.org_name(n) for n in (entity.name, *entity.aliases)}:
            found.append(WhereTarget("entity", entity.id, entity.name))
    for product in catalog.products.values():
        if wanted_product in {norm.product_name(n) for n in (product.name, *product.aliases)}:
            found.append(WhereTarget("product", product.id, product.name))
    if not found:
        raise NotFoundError(
            f"{term!r} names no catalog entity or product; try `rootout catalog explain`"
        )
    return found


def where_used(
    engine: Engine, catalog: Catalog, term: str, *, tenant: str = repo.DEFAULT_TENANT
) -> tuple[list[WhereTarget], list[dict[str, Any]]]:
    """Every active finding of an entity (directly or as the covered parent) or a product."""
    targets = resolve_target(catalog, term)
    entity_ids = {t.id for t in targets if t.kind == "entity"}
    product_ids = {t.id for t in targets if t.kind == "product"}
    rows = [
        r
        for r in repo.finding_rows(engine, tenant=tenant)
        if r["entity"] in entity_ids
        or r["matched_entity"] in entity_ids
        or r["product"] in product_ids
    ]
    return targets, rows
