"""Suppliers (read only): the register with its representations, access and findings.

Imports and screening stay with the CLI and ``/api/v1/suppliers`` (analyst+).
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request, Response

from rootout.api.deps import State
from rootout.web.auth import Viewer
from rootout.web.render import page
from rootout.web.routing import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False, tags=["web"])


@router.get("/suppliers")
def suppliers_list(request: Request, user: Viewer, server: State) -> Response:
    from rootout.suppliers.views import supplier_list

    rows = supplier_list(server.engine, tenant=user.tenant, today=server.today or dt.date.today())
    return page(request, "suppliers.html.j2", user, title="Suppliers", suppliers=rows)


@router.get("/suppliers/{supplier_id}")
def supplier_show(supplier_id: str, request: Request, user: Viewer, server: State) -> Response:
    from rootout.suppliers.views import supplier_detail

    detail = supplier_detail(
        server.engine, supplier_id, tenant=user.tenant, today=server.today or dt.date.today()
    )
    return page(
        request, "supplier.html.j2", user, title=f"Supplier {detail['name']}", supplier=detail
    )
