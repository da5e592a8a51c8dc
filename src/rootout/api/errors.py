"""The API's one error shape, ``{"error": {"code", "message"}}``, mapped once.

Every :class:`~rootout.errors.RootoutError` becomes a status and a code here;
request validation errors and Starlette's own HTTP errors (unknown route, wrong
method) take the same shape. Nothing else in the API builds an error response.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from rootout.cases.model import CaseError
from rootout.errors import CatalogError, ConfigError, InputError, NotFoundError, RootoutError
from rootout.report.formats import ReportError
from rootout.store.db import StoreError

log = logging.getLogger("rootout.api")


class ApiError(RootoutError):
    """An error only the API raises; ``status`` and ``code`` say how it is answered."""

    status = 400
    code = "bad_request"


class Unauthorized(ApiError):
    status = 401
    code = "unauthorized"


class Forbidden(ApiError):
    status = 403
    code = "forbidden"


class TooLarge(ApiError):
    status = 413
    code = "too_large"


class UploadRejected(ApiError):
    """An upload that cannot be read whole: nothing of it is stored."""

    status = 422
    code = "invalid_input"


class RateLimited(ApiError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


_MAPPED: tuple[tuple[type[RootoutError], int, str], ...] = (
    (NotFoundError, 404, "not_found"),
    (InputError, 422, "invalid_input"),
    (CaseError, 409, "conflict"),
    (ReportError, 400, "bad_request"),
    (CatalogError, 500, "catalog_error"),
    (ConfigError, 500, "config_error"),
    (StoreError, 503, "store_unavailable"),
)

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    409: "conflict",
    422: "validation_error",
    429: "rate_limited",
    500: "internal",
    503: "store_unavailable",
}


class ErrorBody(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["no finding with id 'F0123'"])


class ErrorResponse(BaseModel):
    """Every error the API returns."""

    error: ErrorBody


def error_json(status: int, code: str, message: str) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(code=code, message=message))
    return JSONResponse(body.model_dump(), status_code=status)


def status_of(exc: RootoutError) -> tuple[int, str]:
    if isinstance(exc, ApiError):
        return exc.status, exc.code
    for kind, status, code in _MAPPED:
        if isinstance(exc, kind):
            return status, code
    return 400, "bad_request"


def _rootout(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RootoutError)
    status, code = status_of(exc)
    if status >= 500:
        log.error("%s: %s", code, exc)
    response = error_json(status, code, str(exc))
    if isinstance(exc, RateLimited):
        response.headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, Unauthorized):
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def validation_message(exc: RequestValidationError, *, hide: tuple[str, ...] = ()) -> str:
    """Each problem as ``where: what``; ``hide`` drops location parts (the web pages say
    ``since`` where the API says ``query.since``)."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in hide)
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def _validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_json(422, "validation_error", validation_message(exc))


def _http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = HTTP_CODES.get(exc.status_code, "error")
    response = error_json(exc.status_code, code, str(exc.detail))
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


def _internal(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("internal error", exc_info=exc)
    return error_json(500, "internal", "internal server error; the server log has the details")


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into :class:`ErrorResponse`."""
    app.add_exception_handler(RootoutError, _rootout)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _internal)


def documented(*statuses: int) -> dict[int | str, dict[str, object]]:
    """OpenAPI ``responses`` entries for the error statuses a route may answer."""
    return {
        s: {"model": ErrorResponse, "description": HTTP_CODES.get(s, "error")} for s in statuses
    }
