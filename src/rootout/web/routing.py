"""The dashboard's route class: errors become HTML pages, every answer gets security headers.

The API answers errors as JSON (``rootout.api.errors``); a person in a browser
gets a page instead: a missing login redirects to the login form, a missing
object is a 404 page, a refused change a 403 page, a bad query a 422 page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute

from rootout.api.errors import status_of, validation_message
from rootout.errors import RootoutError
from rootout.web.render import page, secure

log = logging.getLogger("rootout.web")


class LoginRequired(RootoutError):
    """No valid session: the browser is sent to the login form."""


def error_page(request: Request, status: int, message: str) -> Response:
    titles = {403: "Not allowed", 404: "Not found", 409: "Not possible now", 413: "Too large"}
    return page(
        request,
        "error.html.j2",
        None,
        status_code=status,
        title=titles.get(status, "Cannot do that"),
        message=message,
    )


def login_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)


async def _answer(
    request: Request, handler: Callable[[Request], Coroutine[Any, Any, Response]]
) -> Response:
    try:
        return await handler(request)
    except LoginRequired:
        return login_redirect(request)
    except RequestValidationError as exc:
        return error_page(request, 422, validation_message(exc, hide=("query", "body")))
    except RootoutError as exc:
        status, _code = status_of(exc)
        if status >= 500:
            log.error("%s", exc)
        return error_page(request, status, str(exc))


class PageRoute(APIRoute):
    """An APIRoute whose errors are pages and whose responses carry the security headers."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            response = await _answer(request, handler)
            secure(response.headers)
            return response

        return guarded
