"""Login and logout pages, and who is looking: the API's session cookie, checked per page.

The login form is protected against cross-site posting by a double-submit token:
``GET /login`` sets a random token in a ``SameSite=Strict`` cookie and in the
form; ``POST /login`` accepts only when both agree. After login every form carries
the session's CSRF token (the same one the API checks in ``X-CSRF-Token``).
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Cookie, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from rootout.api.accounts import check_password
from rootout.api.deps import State
from rootout.api.errors import Forbidden
from rootout.api.roles import Permission, Principal
from rootout.api.sessions import COOKIE, csrf_ok, end_session, principal_for_session, start_session
from rootout.web.render import page
from rootout.web.routing import LoginRequired, PageRoute

LOGIN_CSRF_COOKIE = "rootout_login_csrf"
router = APIRouter(route_class=PageRoute, include_in_schema=False, tags=["web"])


def viewer(request: Request, server: State) -> Principal:
    """The logged-in user of this browser; anyone else is sent to the login form."""
    secret = request.cookies.get(COOKIE)
    found = principal_for_session(server.engine, secret) if secret else None
    if found is None:
        raise LoginRequired("log in")
    if not found.may(Permission.READ):
        raise Forbidden(f"role {found.role.value!r} may not read the dashboard")
    return found


Viewer = Annotated[Principal, Depends(viewer)]


def allow(user: Principal, permission: Permission, csrf_token: str | None) -> None:
    """A form post: the session's CSRF token must come with it, and the role must allow it."""
    assert user.session_csrf is not None
    if not csrf_ok(user.session_csrf, csrf_token):
        raise Forbidden("the form is out of date (missing or wrong CSRF token); reload the page")
    if not user.may(permission):
        raise Forbidden(f"role {user.role.value!r} may not {permission.value}")


def safe_next(target: str | None) -> str:
    """Only a path on this server: never another site (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _set_cookie(response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name, value, max_age=max_age, secure=True, httponly=True, samesite="strict", path="/"
    )


def _login_form(
    request: Request, next_path: str, *, status: int = 200, error: str | None = None
) -> Response:
    token = secrets.token_urlsafe(32)
    response = page(
        request,
        "login.html.j2",
        None,
        status_code=status,
        title="Log in",
        login_csrf=token,
        next_path=safe_next(next_path),
        error=error,
    )
    _set_cookie(response, LOGIN_CSRF_COOKIE, token, 3600)
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return _login_form(request, next)


@router.post("/login")
def login(
    request: Request,
    server: State,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
    expected: Annotated[str | None, Cookie(alias=LOGIN_CSRF_COOKIE)] = None,
) -> Response:
    """Check the password like ``POST /api/v1/auth/login`` and start a session."""
    if expected is None or not csrf_ok(expected, csrf_token):
        return _login_form(request, next, status=403, error="The form expired; please try again.")
    address = request.client.host if request.client else "unknown"
    wait = server.limiter.retry_after(username, address)
    if wait:
        return _login_form(
            request, next, status=429, error=f"Too many failed logins; try again in {wait} s."
        )
    user = check_password(server.engine, username, password)
    if user is None:
        server.limiter.failed(username, address)
        return _login_form(request, next, status=401, error="Wrong user name or password.")
    server.limiter.succeeded(username, address)
    secret, _csrf = start_session(server.engine, user, server.settings.session_hours)
    response = RedirectResponse(safe_next(next), status_code=303)
    _set_cookie(response, COOKIE, secret, server.settings.session_hours * 3600)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/", secure=True, httponly=True)
    return response


@router.post("/logout")
def logout(
    request: Request,
    user: Viewer,
    server: State,
    csrf_token: Annotated[str | None, Form(max_length=100)] = None,
) -> Response:
    allow(user, Permission.READ, csrf_token)
    secret = request.cookies.get(COOKIE)
    if secret:
        end_session(server.engine, secret)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    return response
