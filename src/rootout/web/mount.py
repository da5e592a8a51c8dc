"""Every page router of the dashboard, added to the application in one call."""

from __future__ import annotations

from fastapi import FastAPI

from rootout.web import (
    assets,
    auth,
    cases,
    catalog,
    contracts,
    findings,
    overview,
    reports,
    static,
    suppliers,
    upload,
)

PAGES = (
    static,
    auth,
    overview,
    findings,
    assets,
    cases,
    contracts,
    suppliers,
    catalog,
    reports,
    upload,
)


def install(app: FastAPI) -> None:
    """Add the dashboard's pages (routes tagged ``web``, not in the OpenAPI schema) to ``app``."""
    for module in PAGES:
        app.include_router(module.router)
