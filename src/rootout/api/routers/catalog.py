"""``/api/v1/catalog``: the covered entities, and any catalog object with its sources.

The catalog is the same for every tenant (built-in packs plus the server's
configured packs); it holds no tenant data.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from rootout.api.deps import Reader, State
from rootout.api.errors import documented
from rootout.api.models import CatalogObject, Entity
from rootout.catalog.catalog import Catalog
from rootout.errors import NotFoundError

router = APIRouter(prefix="/catalog", tags=["catalog"])


def _designated(catalog: Catalog, entity_id: str) -> list[str]:
    return sorted(
        {
            catalog.legal_bases[d.legal_basis].short
            for d in catalog.designations.values()
            if d.entity == entity_id
        }
    )


@router.get("/entities", response_model=list[Entity], responses=documented(401, 403))
def entities(_caller: Reader, server: State) -> list[Entity]:
    """Every entity in the catalog, with the legal bases that designate it."""
    catalog = server.catalog()
    return [
        Entity(id=e.id, name=e.name, country=e.country, designated_under=_designated(catalog, e.id))
        for e in sorted(catalog.entities.values(), key=lambda e: e.id)
    ]


@router.get(
    "/objects/{object_id}", response_model=CatalogObject, responses=documented(401, 403, 404)
)
def show(object_id: str, _caller: Reader, server: State) -> CatalogObject:
    """One catalog object (entity, product, signature, source...) with where it is defined."""
    catalog = server.catalog()
    if object_id not in catalog.kinds:
        raise NotFoundError(f"no catalog object {object_id!r}")
    obj = catalog.get(object_id)
    data: dict[str, Any] = obj.model_dump(mode="json", exclude_none=True)
    sources = [
        catalog.sources[s].model_dump(mode="json")
        for s in getattr(obj, "sources", ())
        if s in catalog.sources
    ]
    return CatalogObject(
        id=object_id,
        kind=catalog.kinds[object_id],
        location=str(catalog.locations[object_id]),
        data=data,
        sources=sources,
    )
