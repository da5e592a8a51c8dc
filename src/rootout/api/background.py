"""The server's background work: webhook delivery and the periodic deadline check.

:func:`install` gives an app its :class:`~rootout.api.webhook_delivery.Notifier`
(``app.state.notifier``) and registers the event hooks for its store; :func:`lifespan`
resumes deliveries a restart left pending, runs the deadline check every
``deadline_check_minutes``, and stops both on shutdown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine

from rootout.api.deps import ServerState
from rootout.api.webhook_delivery import DeliveryPolicy, Notifier
from rootout.api.webhook_events import DeadlineChecker, ServerHooks, hooks_for, scan_stored
from rootout.api.webhook_events import install as install_hooks

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def chain(*lifespans: Lifespan) -> Lifespan:
    """One lifespan that enters ``lifespans`` in order and leaves them in reverse: list the
    notifier's before the ingest worker's, so the worker stops before the notifier does."""

    @asynccontextmanager
    async def chained(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for lifespan in lifespans:
                await stack.enter_async_context(lifespan(app))
            yield

    return chained


def agent_hook(engine: Engine) -> Callable[[str, str], None]:
    """The ingest worker's ``on_scan_stored`` hook: agent scans count and notify like uploads."""

    def stored(tenant: str, scan_id: str) -> None:
        scan_stored(engine, tenant, scan_id, source="agent")

    return stored


def install(
    app: FastAPI,
    state: ServerState,
    *,
    on_delivery: Callable[[str], None] | None = None,
    on_scan: Callable[[str], None] | None = None,
) -> Notifier:
    """Create the app's notifier and hook it to the app's store."""
    notifier = Notifier(state.engine, DeliveryPolicy.of(state.settings), on_outcome=on_delivery)
    hooks = ServerHooks(
        notifier=notifier,
        catalog=state.catalog,
        public_url=state.settings.public_url,
        today=lambda: state.today or dt.date.today(),
        on_scan=on_scan,
    )
    install_hooks(state.engine, hooks)
    app.state.notifier = notifier
    return notifier


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    state: ServerState = app.state.rootout
    hooks = hooks_for(state.engine)
    checker = None
    if hooks is not None:
        hooks.notifier.resume()
        minutes = state.settings.deadline_check_minutes
        checker = DeadlineChecker(lambda: hooks.check_all(state.engine), minutes * 60.0)
        checker.start()
    try:
        yield
    finally:
        if checker is not None:
            checker.stop()
        if hooks is not None:
            hooks.notifier.close()
