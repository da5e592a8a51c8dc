"""``/api/v1/webhooks``: the tenant's webhooks, their delivery log, and deadline alerts (admins).

The secret that signs the generic JSON posts is shown once, in the answer to the
creation.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from rootout.api import webhooks as hooks
from rootout.api.deps import Admin, State
from rootout.api.errors import documented
from rootout.api.webhook_delivery import Notifier
from rootout.api.webhook_events import Alert, check_deadlines, pending_alerts
from rootout.api.webhook_payloads import Event, Kind

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


def _notifier(request: Request) -> Notifier:
    notifier: Notifier = request.app.state.notifier
    return notifier


Notify = Annotated[Notifier, Depends(_notifier)]


class WebhookCreate(BaseModel):
    url: str = Field(max_length=2000, examples=["https://hooks.slack.com/services/T0/B0/XXXX"])
    kind: Kind = Field(description="`slack`: Slack message; `json`: the signed JSON envelope.")
    events: list[Event] = Field(
        min_length=1, max_length=2, examples=[["finding.new", "deadline.at_risk"]]
    )
    description: str | None = Field(default=None, max_length=200, pattern=r"^[^\x00]*$")


class Webhook(BaseModel):
    id: str
    url: str
    kind: Kind
    events: list[Event]
    description: str | None
    created_by: str
    created_at: dt.datetime


class WebhookCreated(Webhook):
    secret: str = Field(description="Signs the `json` posts (X-Rootout-Signature). Shown once.")


class Delivery(BaseModel):
    id: int
    event: str
    status: str = Field(description="pending, delivered, failed or refused (address guard)")
    status_code: int | None
    attempts: int
    error: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None


class Queued(BaseModel):
    delivery_id: int


class DeadlineAlert(BaseModel):
    case_id: str
    title: str
    obligation_id: str
    legal_basis_short: str
    action: str
    due: dt.date
    days_left: int
    threshold: str = Field(description="`due_soon`, then `overdue`: each is sent once")


def _webhook(hook: hooks.Webhook) -> Webhook:
    return Webhook.model_validate(hook, from_attributes=True)


def _alert(alert: Alert) -> DeadlineAlert:
    return DeadlineAlert.model_validate(alert, from_attributes=True)


@router.get("", response_model=list[Webhook], responses=documented(401, 403))
def list_webhooks(caller: Admin, server: State) -> list[Webhook]:
    """The tenant's webhooks, oldest first (never their secrets)."""
    return [_webhook(h) for h in hooks.list_webhooks(server.engine, caller.tenant)]


@router.post(
    "", status_code=201, response_model=WebhookCreated, responses=documented(401, 403, 422)
)
def create_webhook(body: WebhookCreate, caller: Admin, server: State) -> WebhookCreated:
    """A new webhook; refused (422) unless the URL is http(s) to a public address."""
    new = hooks.create_webhook(
        server.engine,
        caller.tenant,
        body.url,
        body.kind,
        body.events,
        actor=caller.actor,
        allow_private=server.settings.webhook_allow_private,
        description=body.description,
    )
    return WebhookCreated(**_webhook(new.webhook).model_dump(), secret=new.secret)


@router.get("/deadline-alerts", response_model=list[DeadlineAlert], responses=documented(401, 403))
def list_pending_alerts(caller: Admin, server: State) -> list[DeadlineAlert]:
    """Deadlines at risk that no webhook has been told about yet."""
    found = pending_alerts(server.engine, server.catalog(), caller.tenant, today=server.today)
    return [_alert(a) for a in found]


@router.post("/check-deadlines", response_model=list[DeadlineAlert], responses=documented(401, 403))
def run_deadline_check(caller: Admin, server: State, notifier: Notify) -> list[DeadlineAlert]:
    """Check the tenant's deadlines now (the server also does it periodically); the alerts sent."""
    sent = check_deadlines(
        server.engine,
        server.catalog(),
        caller.tenant,
        notifier,
        today=server.today,
        public_url=server.settings.public_url,
    )
    return [_alert(a) for a in sent]


@router.get("/{webhook_id}", response_model=Webhook, responses=documented(401, 403, 404))
def get_webhook(webhook_id: str, caller: Admin, server: State) -> Webhook:
    """One webhook of the tenant (never its secret)."""
    return _webhook(hooks.find_webhook(server.engine, caller.tenant, webhook_id))


@router.delete("/{webhook_id}", response_model=Webhook, responses=documented(401, 403, 404))
def delete_webhook(webhook_id: str, caller: Admin, server: State) -> Webhook:
    """Delete a webhook: nothing more is sent to it; its delivery log stays."""
    return _webhook(
        hooks.delete_webhook(server.engine, caller.tenant, webhook_id, actor=caller.actor)
    )


@router.post(
    "/{webhook_id}/test",
    status_code=202,
    response_model=Queued,
    responses=documented(401, 403, 404),
)
def test_webhook(webhook_id: str, caller: Admin, notifier: Notify) -> Queued:
    """Queue a `webhook.test` post; follow it in the delivery log."""
    data = {"message": f"Test message from rootout, sent by {caller.actor}."}
    return Queued(delivery_id=notifier.send_now(caller.tenant, webhook_id, Event.TEST, data))


@router.get(
    "/{webhook_id}/deliveries", response_model=list[Delivery], responses=documented(401, 403, 404)
)
def list_deliveries(webhook_id: str, caller: Admin, server: State) -> list[Delivery]:
    """The webhook's last 100 deliveries, newest first: outcome, status code, attempts, error."""
    found = hooks.deliveries(server.engine, caller.tenant, webhook_id)
    return [Delivery.model_validate(d, from_attributes=True) for d in found]
