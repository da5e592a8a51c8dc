"""The two webhook events and when they fire.

* ``finding.new``: :func:`scan_stored` is called after a scan is stored (the upload
  route now; the durable ingest worker calls the same function). It sends one message
  per scan that brought new findings, listing at most :data:`LISTED_FINDINGS`.
* ``deadline.at_risk``: :func:`check_deadlines` looks at every case deadline the
  cases package marks at risk (``at_risk_days`` of the case policy or fewer left,
  overdue included) and sends each (case, obligation, due date) once per threshold,
  ``due_soon`` and then ``overdue``. What was sent is kept in ``deadline_alerts``, so
  restarts and several server processes do not repeat it. The server runs the check
  every ``deadline_check_minutes`` on a background thread, and on demand through
  ``POST /api/v1/webhooks/check-deadlines``.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from rootout.api.webhook_delivery import Notifier
from rootout.api.webhook_payloads import Event
from rootout.api.webhooks import list_webhooks
from rootout.cases.model import CaseView
from rootout.cases.service import list_cases
from rootout.catalog.catalog import Catalog
from rootout.store import schema as t

log = logging.getLogger("rootout.webhooks")

LISTED_FINDINGS = 50
"""Findings a ``finding.new`` message carries in full; the rest are counted in ``omitted``."""
DUE_SOON = "due_soon"
OVERDUE = "overdue"


def link(public_url: str | None, path: str) -> str | None:
    """An absolute link into the API when the server knows its public address."""
    return None if not public_url else f"{public_url.rstrip('/')}/api/v1/{path}"


# -- finding.new -----------------------------------------------------------------------


def _finding_item(row: Any, catalog: Catalog, public_url: str | None) -> dict[str, Any]:
    entity = catalog.entities.get(row.entity)
    product = catalog.products.get(row.product) if row.product else None
    return {
        "id": row.id,
        "entity": row.entity,
        "entity_name": entity.name if entity else row.entity,
        "product": row.product,
        "product_name": product.name if product else None,
        "asset": row.asset_name or row.asset_key,
        "basis": row.basis,
        "confidence": row.confidence,
        "matched_value": row.matched_value,
        "url": link(public_url, f"findings/{row.id}"),
    }


def new_findings_data(
    engine: Engine,
    catalog: Catalog,
    tenant: str,
    scan_id: str,
    new_ids: Sequence[str],
    public_url: str | None,
) -> dict[str, Any]:
    """The ``finding.new`` data of one scan: the count, and the first findings in full."""
    f, a = t.findings, t.assets
    listed = sorted(new_ids)[:LISTED_FINDINGS]
    with engine.connect() as conn:
        rows = conn.execute(
            select(f, a.c.name.label("asset_name"))
            .outerjoin(a, (a.c.tenant_id == f.c.tenant_id) & (a.c.key == f.c.asset_key))
            .where(f.c.tenant_id == tenant, f.c.id.in_(listed))
            .order_by(f.c.entity, f.c.asset_key, f.c.id)
        ).all()
    return {
        "scan_id": scan_id,
        "new_findings": len(new_ids),
        "findings": [_finding_item(r, catalog, public_url) for r in rows],
        "omitted": len(new_ids) - len(rows),
        "url": link(public_url, f"scans/{scan_id}"),
    }


# -- deadline.at_risk ------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    """A case deadline at risk, at one threshold."""

    case_id: str
    title: str
    entity: str
    status: str
    owner: str | None
    obligation_id: str
    legal_basis: str
    legal_basis_short: str
    action: str
    due: dt.date
    days_left: int
    threshold: str

    def data(self, public_url: str | None) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "title": self.title,
            "entity": self.entity,
            "status": self.status,
            "owner": self.owner,
            "obligation_id": self.obligation_id,
            "legal_basis": self.legal_basis,
            "legal_basis_short": self.legal_basis_short,
            "action": self.action,
            "due": self.due.isoformat(),
            "days_left": self.days_left,
            "threshold": self.threshold,
            "url": link(public_url, f"cases/{self.case_id}"),
        }


def alerts_at_risk(views: Iterable[CaseView]) -> list[Alert]:
    """Every at-risk deadline of ``views``: ``overdue`` once past, ``due_soon`` before."""
    return [
        Alert(
            case_id=view.id,
            title=view.title,
            entity=view.entity,
            status=view.status.value,
            owner=view.owner,
            obligation_id=d.obligation_id,
            legal_basis=d.legal_basis,
            legal_basis_short=d.legal_basis_short,
            action=d.action,
            due=d.due,
            days_left=d.days_left,
            threshold=OVERDUE if d.days_left < 0 else DUE_SOON,
        )
        for view in views
        for d in view.deadlines
        if d.at_risk
    ]


def _sent_keys(engine: Engine, tenant: str) -> set[tuple[str, str, str, str]]:
    al = t.deadline_alerts
    with engine.connect() as conn:
        rows = conn.execute(
            select(al.c.case_id, al.c.obligation_id, al.c.due, al.c.threshold).where(
                al.c.tenant_id == tenant
            )
        ).all()
    return {(r.case_id, r.obligation_id, r.due, r.threshold) for r in rows}


def _key(alert: Alert) -> tuple[str, str, str, str]:
    return (alert.case_id, alert.obligation_id, alert.due.isoformat(), alert.threshold)


def pending_alerts(
    engine: Engine, catalog: Catalog, tenant: str, *, today: dt.date | None = None
) -> list[Alert]:
    """At-risk deadlines of ``tenant`` that no webhook has been told about yet."""
    sent = _sent_keys(engine, tenant)
    views = list_cases(engine, catalog, tenant=tenant, today=today)
    return [a for a in alerts_at_risk(views) if _key(a) not in sent]


def _claim(engine: Engine, tenant: str, alert: Alert) -> bool:
    """Record the alert as sent; False when another process recorded it first."""
    case_id, obligation_id, due, threshold = _key(alert)
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(t.deadline_alerts).values(
                    tenant_id=tenant,
                    case_id=case_id,
                    obligation_id=obligation_id,
                    due=due,
                    threshold=threshold,
                    alerted_at=dt.datetime.now(dt.UTC),
                )
            )
    except IntegrityError:
        return False
    return True


def check_deadlines(
    engine: Engine,
    catalog: Catalog,
    tenant: str,
    notifier: Notifier,
    *,
    today: dt.date | None = None,
    public_url: str | None = None,
) -> list[Alert]:
    """Send each new at-risk deadline of ``tenant`` to its ``deadline.at_risk`` webhooks.

    Nothing is recorded while the tenant has no such webhook, so a webhook added later
    still hears about deadlines already at risk. Returns the alerts sent.
    """
    if not list_webhooks(engine, tenant, event=Event.DEADLINE_AT_RISK):
        return []
    sent = []
    for alert in pending_alerts(engine, catalog, tenant, today=today):
        if _claim(engine, tenant, alert):
            notifier.notify(
                tenant, Event.DEADLINE_AT_RISK, functools.partial(alert.data, public_url)
            )
            sent.append(alert)
    return sent


def subscribed_tenants(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(select(t.webhooks.c.tenant_id, t.webhooks.c.events)).all()
    return sorted({r.tenant_id for r in rows if Event.DEADLINE_AT_RISK.value in r.events})


# -- wiring ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ServerHooks:
    """What the event sources need from the server that owns an engine."""

    notifier: Notifier
    catalog: Callable[[], Catalog]
    public_url: str | None
    today: Callable[[], dt.date]
    on_scan: Callable[[str], None] | None = None
    """Told the source (``upload``, ``agent``) of every stored scan: the metrics counter."""

    def check_all(self, engine: Engine) -> int:
        """Run :func:`check_deadlines` for every tenant with a deadline webhook; alerts sent."""
        sent = 0
        for tenant in subscribed_tenants(engine):
            sent += len(
                check_deadlines(
                    engine,
                    self.catalog(),
                    tenant,
                    self.notifier,
                    today=self.today(),
                    public_url=self.public_url,
                )
            )
        return sent


_HOOKS: weakref.WeakKeyDictionary[Engine, ServerHooks] = weakref.WeakKeyDictionary()


def install(engine: Engine, hooks: ServerHooks) -> None:
    _HOOKS[engine] = hooks


def hooks_for(engine: Engine) -> ServerHooks | None:
    return _HOOKS.get(engine)


def first_seen_in(engine: Engine, tenant: str, scan_id: str) -> list[str]:
    """Ids of the findings a scan found first: the scan's new findings."""
    f = t.findings
    with engine.connect() as conn:
        rows = conn.execute(
            select(f.c.id).where(f.c.tenant_id == tenant, f.c.first_seen_scan == scan_id)
        )
        return [r.id for r in rows]


def scan_stored(
    engine: Engine,
    tenant: str,
    scan_id: str,
    new_ids: Sequence[str] | None = None,
    *,
    source: str = "upload",
) -> None:
    """Call after a new scan is stored: counts it and queues ``finding.new``. Returns at once.

    ``new_ids`` are the scan's new findings; ``None`` reads them from the store (on the
    notifier's thread) as the findings first seen in the scan.
    """
    hooks = _HOOKS.get(engine)
    if hooks is None:  # the CLI, or a server without webhooks
        return
    if hooks.on_scan is not None:
        hooks.on_scan(source)
    if new_ids is not None and not new_ids:
        return
    given = None if new_ids is None else tuple(new_ids)

    def build() -> dict[str, Any] | None:
        ids = given if given is not None else first_seen_in(engine, tenant, scan_id)
        if not ids:
            return None
        return new_findings_data(engine, hooks.catalog(), tenant, scan_id, ids, hooks.public_url)

    hooks.notifier.notify(tenant, Event.FINDING_NEW, build)


class DeadlineChecker:
    """Runs ``check`` now and then every ``interval`` seconds on a daemon thread."""

    def __init__(self, check: Callable[[], object], interval: float) -> None:
        self._check = check
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="deadline-check", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._check()
            except Exception:  # keep checking: a broken case must not end the alerts
                log.exception("deadline check failed")
            self._stop.wait(self._interval)
