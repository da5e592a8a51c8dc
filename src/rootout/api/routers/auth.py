"""``/api/v1/auth``: password login to a session cookie, logout, and who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from rootout.api.accounts import check_password
from rootout.api.deps import Caller, State
from rootout.api.errors import RateLimited, Unauthorized, documented
from rootout.api.models import LoginRequest, Me
from rootout.api.sessions import COOKIE, end_session, start_session

router = APIRouter(prefix="/auth", tags=["auth"])


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/login", response_model=Me, responses=documented(401, 422, 429))
def login(body: LoginRequest, request: Request, response: Response, server: State) -> Me:
    """Check the password; on success set the session cookie and return the CSRF token."""
    address = _address(request)
    wait = server.limiter.retry_after(body.username, address)
    if wait:
        raise RateLimited(f"too many failed logins; try again in {wait} s", wait)
    user = check_password(server.engine, body.username, body.password)
    if user is None:
        server.limiter.failed(body.username, address)
        raise Unauthorized("wrong user name or password")
    server.limiter.succeeded(body.username, address)
    secret, csrf = start_session(server.engine, user, server.settings.session_hours)
    response.set_cookie(
        COOKIE,
        secret,
        max_age=server.settings.session_hours * 3600,
        secure=True,
        httponly=True,
        samesite="strict",
        path="/",
    )
    return Me(tenant=user.tenant, actor=user.username, role=user.role, csrf_token=csrf)


@router.post("/logout", status_code=204, responses=documented(401, 403))
def logout(request: Request, response: Response, caller: Caller, server: State) -> None:
    """End the session (a bearer token is left as it is: revoke it under /tokens)."""
    secret = request.cookies.get(COOKIE)
    if secret and caller.session_csrf is not None:
        end_session(server.engine, secret)
    response.delete_cookie(COOKIE, path="/", secure=True, httponly=True, samesite="strict")


@router.get("/me", response_model=Me, responses=documented(401))
def me(caller: Caller) -> Me:
    """The caller's tenant, name and role (and the session's CSRF token)."""
    return Me(
        tenant=caller.tenant, actor=caller.actor, role=caller.role, csrf_token=caller.session_csrf
    )
