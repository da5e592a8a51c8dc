"""Assets: hosts, devices, SBOM subjects and contracts, with their findings and scans."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from rootout.api.deps import State
from rootout.report import facts
from rootout.store import queries
from rootout.web.auth import Viewer
from rootout.web.findings import STATUSES, Status
from rootout.web.listing import PageNo, Text, paginate, query_builder
from rootout.web.reads import asset_detail, asset_rows
from rootout.web.render import page
from rootout.web.routing import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False, tags=["web"])


@router.get("/assets")
def assets_list(
    request: Request,
    user: Viewer,
    server: State,
    q: Text = None,
    page_no: PageNo = 1,
) -> Response:
    wanted = (q or "").lower()
    rows = [
        r
        for r in asset_rows(server.engine, user.tenant)
        if wanted in r["name"].lower() or wanted in r["key"].lower()
    ]
    return page(
        request,
        "assets.html.j2",
        user,
        title="Assets",
        paged=paginate(rows, page_no),
        query=query_builder({"q": q}),
        q=q or "",
    )


@router.get("/assets/{key:path}")
def asset_show(key: str, request: Request, user: Viewer, server: State) -> Response:
    asset = asset_detail(server.engine, user.tenant, key)
    selection = queries.FindingFilter(asset=key, statuses=STATUSES[Status.ALL])
    rows = [
        r
        for r in queries.list_findings(server.engine, selection, tenant=user.tenant)
        if r["asset_key"] == key
    ]
    return page(
        request,
        "asset.html.j2",
        user,
        title=f"Asset {asset['name']}",
        asset=asset,
        findings=rows,
        catalog=server.catalog(),
        facts=facts,
    )
