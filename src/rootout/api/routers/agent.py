"""``/api/v1/agent/scans``: agents post scans (gzip JSON); anyone of the tenant sees their status."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from rootout.agent.payload import AgentScan
from rootout.api import ingest, ingest_accept
from rootout.api.deps import Caller, Ingester, State
from rootout.api.errors import ApiError, documented
from rootout.api.models import UtcDateTime
from rootout.errors import NotFoundError

router = APIRouter(prefix="/agent", tags=["agent"])


class IngestJob(BaseModel):
    scan_id: str = Field(
        description="The agent's scan id.", examples=["1b4e28ba-2fa1-41d2-883f-0016d3cca427"]
    )
    status: ingest.JobStatus
    attempts: int = Field(description="Times the server has started processing it.")
    host: str = Field(description="The asset key of the scanned host.", examples=["host:name:ws-1"])
    observations: int
    received_at: UtcDateTime
    finished_at: UtcDateTime | None
    error: str | None = Field(description="The last processing error, if any.")
    stored_scan_id: str | None = Field(
        description="The stored scan (`GET /api/v1/scans/{id}`) once processing is done."
    )


def _model(job: ingest.Job) -> IngestJob:
    return IngestJob.model_validate(job, from_attributes=True)


def _inline(schema: Any, defs: dict[str, Any]) -> Any:
    """``schema`` with every ``#/$defs/...`` reference replaced by its definition."""
    if isinstance(schema, dict):
        ref = schema.get("$ref", "")
        if ref.startswith("#/$defs/"):
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in schema.items() if k != "$defs"}
    if isinstance(schema, list):
        return [_inline(item, defs) for item in schema]
    return schema


def _body_schema() -> dict[str, Any]:
    schema = AgentScan.model_json_schema()
    return {
        "required": True,
        "description": "The scan; send it with `Content-Encoding: gzip`.",
        "content": {"application/json": {"schema": _inline(schema, schema.get("$defs", {}))}},
    }


_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": IngestJob, "description": "This scan id was received before; nothing new."},
    **documented(400, 401, 403, 409, 413, 415, 422, 503),
}


async def _document(request: Request, limit: int) -> tuple[bytes, bytes | None]:
    """The decompressed body and, when it came gzip-compressed, the body as received."""
    try:
        raw = await request.body()
    except ClientDisconnect:  # the body limit cut it off (answered 413) or the client left
        raise ApiError("the request body was cut off") from None
    encoding = request.headers.get("content-encoding")
    document = ingest_accept.decode_body(raw, encoding, limit)
    return document, (raw if document is not raw else None)


@router.post(
    "/scans",
    status_code=202,
    response_model=IngestJob,
    responses=_RESPONSES,
    openapi_extra={"requestBody": _body_schema()},
)
async def post_scan(
    request: Request, caller: Ingester, server: State, response: Response
) -> IngestJob:
    """Queue an agent's scan (JSON, optionally `Content-Encoding: gzip`).

    The scan is committed to the store before the answer (202); it is matched and
    stored in the background. Posting the same `scan_id` again answers 200 with the
    job as it stands; a different payload under a known `scan_id` gets 409.
    """
    document, compressed = await _document(request, server.settings.max_upload_bytes)

    def queue() -> ingest_accept.Accepted:
        scan = ingest_accept.parse_scan(document)
        return ingest_accept.accept(
            server.engine, caller.tenant, caller.actor, scan, document, compressed
        )

    accepted = await run_in_threadpool(queue)
    worker: ingest.IngestWorker | None = getattr(request.app.state, "ingest", None)
    if worker is not None:
        worker.notify()
    if accepted.duplicate:
        response.status_code = 200
    return _model(accepted.job)


@router.get("/scans/{scan_id}", response_model=IngestJob, responses=documented(401, 403, 404))
def get_scan_job(scan_id: str, caller: Caller, server: State) -> IngestJob:
    """Where an agent scan of the caller's tenant is (any role, agents too).

    `queued`, `processing`, `done` (with `stored_scan_id`) or `failed` (with `error`).
    """
    job = ingest.get_job(server.engine, caller.tenant, scan_id)
    if job is None:
        raise NotFoundError(f"no agent scan with id {scan_id!r}")
    return _model(job)
