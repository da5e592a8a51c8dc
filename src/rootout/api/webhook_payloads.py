"""What a webhook posts: the generic JSON envelope, the Slack message, and the signature.

Pure functions. The generic envelope is ``{"event", "tenant", "sent_at", "data"}``;
the Slack message is an incoming-webhook payload, ``{"text": fallback, "blocks": [...]}``
(https://api.slack.com/messaging/webhooks) made of Block Kit header, section and
context blocks (https://api.slack.com/reference/block-kit/blocks: a header's text
is at most 150 characters, a section's 3000), with text escaped so that a product
name cannot mention ``<!channel>`` or forge a link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

SIGNATURE_HEADER = "X-Rootout-Signature"
TIMESTAMP_HEADER = "X-Rootout-Timestamp"
EVENT_HEADER = "X-Rootout-Event"
DELIVERY_HEADER = "X-Rootout-Delivery"
HEADER_LIMIT = 150
"""Slack's limit on a header block's text."""
SECTION_LIMIT = 3000
"""Slack's limit on a section block's text."""
LISTED = 10
"""Findings a Slack message lists by name; the rest are counted."""


class Kind(StrEnum):
    SLACK = "slack"
    """A Slack incoming webhook: ``{"text", "blocks"}``, not signed."""
    JSON = "json"
    """The generic, signed JSON envelope."""


class Event(StrEnum):
    FINDING_NEW = "finding.new"
    DEADLINE_AT_RISK = "deadline.at_risk"
    TEST = "webhook.test"
    """Sent by ``POST /api/v1/webhooks/{id}/test``, whatever the webhook subscribes to."""


def envelope(
    event: Event, tenant: str, data: Mapping[str, Any], sent_at: dt.datetime
) -> dict[str, Any]:
    return {
        "event": event.value,
        "tenant": tenant,
        "sent_at": sent_at.isoformat(timespec="seconds"),
        "data": dict(data),
    }


def sign(secret: str, body: bytes) -> str:
    """The ``X-Rootout-Signature`` value: ``sha256=`` and the hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    """What a receiver does: recompute the signature and compare in constant time."""
    return hmac.compare_digest(sign(secret, body), signature)


def escape(text: str) -> str:
    """Slack's three control characters, so that input text stays text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str | None, label: str) -> str:
    if not url:
        return escape(label)
    return f"<{escape(url)}|{escape(label)}>"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _finding_line(item: Mapping[str, Any]) -> str:
    subject = item.get("product_name") or item.get("entity_name") or item["entity"]
    where = item.get("asset") or "?"
    how = f"{item['basis']}, {item['confidence']}"
    return (
        f"• *{escape(str(subject))}* on {escape(str(where))} ({escape(how)}) "
        f"{_link(item.get('url'), str(item['id']))}: `{escape(_clip(str(item['matched_value']), 80))}`"
    )


def _new_findings_text(data: Mapping[str, Any]) -> tuple[str, str]:
    total = int(data["new_findings"])
    noun = "finding" if total == 1 else "findings"
    title = f"rootout: {total} new {noun} in scan {data['scan_id']}"
    items: Sequence[Mapping[str, Any]] = data["findings"]
    lines = [_finding_line(item) for item in items[:LISTED]]
    more = total - len(lines)
    if more > 0:
        lines.append(f"…and {more} more ({_link(data.get('url'), 'see the scan')})")
    return title, "\n".join(lines)


def _days_text(days_left: int) -> str:
    if days_left < 0:
        return f"{-days_left} day{'s' if days_left != -1 else ''} overdue"
    if days_left == 0:
        return "due today"
    return f"in {days_left} day{'s' if days_left != 1 else ''}"


def _deadline_text(data: Mapping[str, Any]) -> tuple[str, str]:
    state = "overdue" if data["threshold"] == "overdue" else "at risk"
    title = f"rootout: deadline {state} for case {data['case_id']}"
    owner = data.get("owner") or "nobody"
    lines = [
        f"*{_link(data.get('url'), str(data['case_id']))}* {escape(str(data['title']))}",
        f"*Action:* {escape(str(data['action']))} ({escape(str(data['legal_basis_short']))})",
        f"*Due:* {data['due']} ({_days_text(int(data['days_left']))})",
        f"*Status:* {escape(str(data['status']))} · *owner:* {escape(str(owner))}",
    ]
    return title, "\n".join(lines)


def _test_text(data: Mapping[str, Any]) -> tuple[str, str]:
    return "rootout: test message", escape(str(data.get("message", "")))


def slack_message(event: Event, tenant: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """A Slack incoming-webhook payload: a fallback ``text`` and header/section/context blocks."""
    text_of = {
        Event.FINDING_NEW: _new_findings_text,
        Event.DEADLINE_AT_RISK: _deadline_text,
        Event.TEST: _test_text,
    }[event]
    title, body = text_of(data)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _clip(title, HEADER_LIMIT)}},
    ]
    if body:
        section = {"type": "mrkdwn", "text": _clip(body, SECTION_LIMIT)}
        blocks.append({"type": "section", "text": section})
    context = {"type": "mrkdwn", "text": f"tenant `{escape(tenant)}` · event `{event.value}`"}
    blocks.append({"type": "context", "elements": [context]})
    return {"text": escape(title), "blocks": blocks}


def render(
    kind: Kind, event: Event, tenant: str, data: Mapping[str, Any], sent_at: dt.datetime
) -> bytes:
    """The request body a webhook of ``kind`` receives."""
    if kind is Kind.SLACK:
        payload = slack_message(event, tenant, data)
    else:
        payload = envelope(event, tenant, data, sent_at)
    return json.dumps(payload, ensure_ascii=False, default=str).encode()


def headers(
    kind: Kind, event: str, delivery_id: int, secret: str, body: bytes, sent_at: dt.datetime
) -> dict[str, str]:
    """Request headers; the generic kind is signed, Slack verifies nothing and gets none."""
    base = {"Content-Type": "application/json", "User-Agent": "rootout-webhooks"}
    if kind is Kind.SLACK:
        return base
    return base | {
        EVENT_HEADER: event,
        DELIVERY_HEADER: str(delivery_id),
        TIMESTAMP_HEADER: str(int(sent_at.timestamp())),
        SIGNATURE_HEADER: sign(secret, body),
    }
