"""The catalog browser: entities, products, signatures, legal bases and sources, each with sources.

The catalog is the same for every tenant; the pages read it through the API's
own functions (``/api/v1/catalog``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from fastapi import APIRouter, Request, Response

from rootout.api.deps import State
from rootout.api.routers import catalog as api_catalog
from rootout.catalog.catalog import Catalog
from rootout.report import facts
from rootout.web.auth import Viewer
from rootout.web.listing import PageNo, Text, paginate, query_builder
from rootout.web.render import page
from rootout.web.routing import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False, tags=["web"])


class Kind(StrEnum):
    ENTITIES = "entities"
    PRODUCTS = "products"
    SIGNATURES = "signatures"
    LEGAL = "legal_bases"
    SOURCES = "sources"


def rows_of(catalog: Catalog, kind: Kind) -> list[dict[str, Any]]:
    """One summary row per object of ``kind``: id, name, what it belongs to, a detail."""
    if kind is Kind.ENTITIES:
        return [
            {"id": e.id, "name": e.name, "of": e.country or "", "detail": ", ".join(e.aliases)}
            for e in catalog.entities.values()
        ]
    if kind is Kind.PRODUCTS:
        return [
            {
                "id": p.id,
                "name": p.name,
                "of": facts.entity_name(catalog, p.entity),
                "detail": p.category,
            }
            for p in catalog.products.values()
        ]
    if kind is Kind.SIGNATURES:
        return [
            {
                "id": s.id,
                "name": f"{s.kind.value} {s.match.value}: " + " | ".join(s.patterns),
                "of": facts.product_name(catalog, s.product)
                or facts.entity_name(catalog, catalog.signature_entity(s)),
                "detail": f"confidence {s.confidence.value}",
            }
            for s in catalog.signatures.values()
        ]
    if kind is Kind.LEGAL:
        return [
            {"id": b.id, "name": b.short, "of": b.title, "detail": f"from {b.effective_from}"}
            for b in catalog.legal_bases.values()
        ]
    return [
        {"id": s.id, "name": s.title, "of": s.publisher, "detail": s.url}
        for s in catalog.sources.values()
    ]


@router.get("/catalog")
def catalog_list(
    request: Request,
    user: Viewer,
    server: State,
    kind: Kind = Kind.ENTITIES,
    q: Text = None,
    page_no: PageNo = 1,
) -> Response:
    catalog = server.catalog()
    wanted = (q or "").lower()
    rows = sorted(
        (r for r in rows_of(catalog, kind) if wanted in " ".join(r.values()).lower()),
        key=lambda r: r["id"],
    )
    designated = {e.id: ", ".join(e.designated_under) for e in api_catalog.entities(user, server)}
    return page(
        request,
        "catalog.html.j2",
        user,
        title="Catalog",
        kind=kind.value,
        kinds=[k.value for k in Kind],
        q=q or "",
        paged=paginate(rows, page_no, 100),
        query=query_builder({"kind": kind.value, "q": q}),
        designated=designated,
        catalog_version=catalog.version,
    )


@router.get("/catalog/{object_id}")
def catalog_object(object_id: str, request: Request, user: Viewer, server: State) -> Response:
    """One object with every field, where it is defined, and its sources with their URLs."""
    shown = api_catalog.show(object_id, user, server)
    return page(
        request,
        "catalog_object.html.j2",
        user,
        title=f"{shown.kind} {shown.id}",
        obj=shown,
        known=server.catalog().kinds,
    )
