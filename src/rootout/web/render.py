"""Pages as HTML: one Jinja2 environment (autoescape always on) and the security headers.

Every response of the dashboard carries a strict Content-Security-Policy (no
script at all, styles and images from the server only, forms post back to it),
``X-Frame-Options: DENY`` and ``Referrer-Policy: same-origin``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.datastructures import MutableHeaders

from rootout import __version__
from rootout.api.roles import Permission, Principal

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def is_web_url(value: object) -> bool:
    """Only http(s) addresses become links (a catalog pack could hold any text)."""
    return isinstance(value, str) and value.lower().startswith(("https://", "http://"))


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("rootout.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    env.globals["Permission"] = Permission
    env.tests["web_url"] = is_web_url
    return env


def secure(headers: MutableHeaders) -> None:
    """Add the dashboard's security headers (a report download keeps its own CSP)."""
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)


def page(
    request: Request,
    template: str,
    user: Principal | None,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render ``template`` for ``user`` (None on the login and error pages) as HTML."""
    html = (
        environment()
        .get_template(template)
        .render(request_path=request.url.path, user=user, **context)
    )
    return HTMLResponse(html, status_code=status_code)
