"""Webhooks of a tenant: create, list, delete, the delivery log, and the address guard.

A webhook is a URL, a kind (``slack`` or ``json``) and the events it wants. Its
secret signs the generic JSON posts, so it is stored as given (a hash could not
sign) and shown once, at creation. Every query is filtered by tenant.

The address guard refuses anything but http(s) to public addresses: a webhook URL
is chosen by a tenant admin, and the server must not become their way into the
server's own network (loopback, private, link-local, cloud metadata). The server
setting ``webhook_allow_private`` lifts it for internal chat servers and tests.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine, delete, insert, select

from rootout.api.errors import ApiError
from rootout.api.webhook_payloads import Event, Kind
from rootout.errors import NotFoundError
from rootout.store import repository as repo
from rootout.store import schema as t

SUBSCRIBABLE = (Event.FINDING_NEW, Event.DEADLINE_AT_RISK)
SECRET_PREFIX = "whsec_"


class WebhookRefused(ApiError):
    """A webhook URL the server will not post to."""

    status = 422
    code = "webhook_refused"


@dataclass(frozen=True)
class Webhook:
    id: str
    tenant: str
    url: str
    kind: Kind
    events: tuple[Event, ...]
    description: str | None
    created_by: str
    created_at: dt.datetime


@dataclass(frozen=True)
class NewWebhook:
    webhook: Webhook
    secret: str
    """Shown once, at creation."""


@dataclass(frozen=True)
class Delivery:
    id: int
    webhook_id: str
    event: str
    status: str
    """``pending``, ``delivered``, ``failed`` or ``refused`` (the address guard said no)."""
    status_code: int | None
    attempts: int
    error: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def check_url(url: str, *, allow_private: bool) -> None:
    """Raise :class:`WebhookRefused` unless ``url`` is http(s) and, unless ``allow_private``,
    every address its host resolves to is a public one."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookRefused(f"{url!r}: a webhook URL is http:// or https:// with a host name")
    if parts.username or parts.password:
        raise WebhookRefused("a webhook URL may not carry a user name or password")
    if allow_private:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = resolve(parts.hostname, port)
    except (OSError, ValueError) as exc:
        raise WebhookRefused(f"cannot resolve {parts.hostname!r}: {exc}") from None
    private = [a for a in addresses if not _is_public(a)]
    if private:
        raise WebhookRefused(
            f"{parts.hostname!r} resolves to a non-public address ({', '.join(private)}); "
            "the server setting webhook_allow_private allows that"
        )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _webhook(row: Any) -> Webhook:
    return Webhook(
        id=row.id,
        tenant=row.tenant_id,
        url=row.url,
        kind=Kind(row.kind),
        events=tuple(Event(e) for e in row.events),
        description=row.description,
        created_by=row.created_by,
        created_at=row.created_at,
    )


def create_webhook(
    engine: Engine,
    tenant: str,
    url: str,
    kind: Kind,
    events: Sequence[Event],
    *,
    actor: str,
    allow_private: bool,
    description: str | None = None,
) -> NewWebhook:
    """A new webhook of ``tenant``; refused when the URL fails :func:`check_url`."""
    check_url(url, allow_private=allow_private)
    wanted = tuple(dict.fromkeys(events))
    if not wanted or any(e not in SUBSCRIBABLE for e in wanted):
        names = ", ".join(e.value for e in SUBSCRIBABLE)
        raise WebhookRefused(f"a webhook subscribes to one or more of: {names}")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    hook = Webhook(
        "W" + secrets.token_hex(6), tenant, url, kind, wanted, description, actor, _now()
    )
    with engine.begin() as conn:
        conn.execute(
            insert(t.webhooks).values(
                tenant_id=tenant,
                id=hook.id,
                url=url,
                kind=kind.value,
                events=[e.value for e in wanted],
                secret=secret,
                description=description,
                created_by=actor,
                created_at=hook.created_at,
            )
        )
        detail = {"kind": kind.value, "events": [e.value for e in wanted]}
        repo.log_event(conn, tenant, actor, "webhook.created", "webhook", hook.id, detail)
    return NewWebhook(hook, secret)


def list_webhooks(engine: Engine, tenant: str, *, event: Event | None = None) -> list[Webhook]:
    """The tenant's webhooks, oldest first; with ``event``, those that subscribe to it."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.webhooks)
            .where(t.webhooks.c.tenant_id == tenant)
            .order_by(t.webhooks.c.created_at, t.webhooks.c.id)
        ).all()
    hooks = [_webhook(row) for row in rows]
    return [h for h in hooks if event is None or event in h.events]


def get_webhook(conn: Connection, tenant: str, webhook_id: str) -> tuple[Webhook, str]:
    """A webhook and its secret."""
    row = conn.execute(
        select(t.webhooks).where(t.webhooks.c.tenant_id == tenant, t.webhooks.c.id == webhook_id)
    ).first()
    if row is None:
        raise NotFoundError(f"no webhook with id {webhook_id!r}")
    return _webhook(row), row.secret


def find_webhook(engine: Engine, tenant: str, webhook_id: str) -> Webhook:
    with engine.connect() as conn:
        return get_webhook(conn, tenant, webhook_id)[0]


def delete_webhook(engine: Engine, tenant: str, webhook_id: str, *, actor: str) -> Webhook:
    """Delete a webhook; its delivery log stays."""
    with engine.begin() as conn:
        hook, _ = get_webhook(conn, tenant, webhook_id)
        conn.execute(
            delete(t.webhooks).where(
                t.webhooks.c.tenant_id == tenant, t.webhooks.c.id == webhook_id
            )
        )
        repo.log_event(conn, tenant, actor, "webhook.deleted", "webhook", webhook_id, {})
    return hook


def deliveries(engine: Engine, tenant: str, webhook_id: str, *, limit: int = 100) -> list[Delivery]:
    """The webhook's newest deliveries first."""
    d = t.webhook_deliveries
    with engine.connect() as conn:
        get_webhook(conn, tenant, webhook_id)
        rows = conn.execute(
            select(d)
            .where(d.c.tenant_id == tenant, d.c.webhook_id == webhook_id)
            .order_by(d.c.id.desc())
            .limit(limit)
        ).all()
    return [
        Delivery(
            r.id,
            r.webhook_id,
            r.event,
            r.status,
            r.status_code,
            r.attempts,
            r.error,
            r.created_at,
            r.finished_at,
        )
        for r in rows
    ]
