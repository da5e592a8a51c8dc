"""``/api/v1/health``: is the server up and its store reachable (no login needed)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from rootout import __version__
from rootout.api.deps import State
from rootout.api.errors import documented
from rootout.api.models import Health

router = APIRouter(prefix="/health", tags=["health"])


@router.get("", response_model=Health, responses=documented(503))
def health(server: State) -> Health:
    """The server answers and can query its store."""
    with server.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return Health(status="ok", version=__version__, database=server.engine.dialect.name)
