"""Request body limits, enforced while the body streams in (before any parsing finishes).

A request whose ``Content-Length`` is over its limit is refused at once; one
that sends more than the limit without declaring it is cut off at the limit.
Either way the answer is 413 in the API's error shape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rootout.api.errors import error_json

LimitFor = Callable[[str, str], int]
"""(method, path) -> the most body bytes that request may send."""


class BodyLimit:
    def __init__(self, app: ASGIApp, limit_for: LimitFor) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["method"], scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(limit)(scope, receive, send)
            return
        received = 0
        over = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if over and not started:
                started = True
                await _too_large(limit)(scope, receive, send)
                return
            if over:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, limited_receive, guarded_send)


class NoNul:
    """Refuse a NUL character in the path or query (PostgreSQL cannot store or compare it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (
            "\x00" in scope["path"] or b"%00" in scope.get("query_string", b"")
        ):
            answer = error_json(422, "validation_error", "NUL characters are not allowed")
            await answer(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _too_large(limit: int) -> Any:
    return error_json(
        413, "too_large", f"the request body is larger than the limit of {limit} bytes"
    )
