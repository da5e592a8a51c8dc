"""The dashboard's one stylesheet, served from the package (no build step, no CDN)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from fastapi import APIRouter, Response

from rootout.errors import NotFoundError
from rootout.web.routing import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False, tags=["web"])
FILES = {"site.css": "text/css; charset=utf-8"}


@cache
def _read(name: str) -> bytes:
    return files("rootout.web").joinpath("static", name).read_bytes()


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name not in FILES:
        raise NotFoundError(f"no static file {name!r}")
    return Response(
        _read(name), media_type=FILES[name], headers={"Cache-Control": "public, max-age=3600"}
    )
