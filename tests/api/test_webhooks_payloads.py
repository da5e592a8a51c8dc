"""What a webhook posts, and which URLs the address guard lets through (pure functions)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from rootout.api.webhook_payloads import (
    HEADER_LIMIT,
    LISTED,
    SECTION_LIMIT,
    Event,
    Kind,
    headers,
    render,
    slack_message,
)
from rootout.api.webhooks import WebhookRefused, check_url

SENT = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


def finding(n: int, value: str = "Kaspersky Endpoint Security") -> dict[str, Any]:
    return {
        "id": f"F{n:015d}",
        "entity": "kaspersky.ao-kaspersky-lab",
        "entity_name": "AO Kaspersky Lab",
        "product": None,
        "product_name": None,
        "asset": f"ws-{n:04d}",
        "basis": "direct",
        "confidence": "high",
        "matched_value": value,
        "url": None,
    }


def new_findings(items: list[dict[str, Any]], total: int | None = None) -> dict[str, Any]:
    count = len(items) if total is None else total
    return {
        "scan_id": "S1",
        "new_findings": count,
        "findings": items,
        "omitted": count - len(items),
        "url": None,
    }


def section_text(message: dict[str, Any]) -> str:
    (section,) = [b for b in message["blocks"] if b["type"] == "section"]
    text: str = section["text"]["text"]
    return text


def test_inventory_text_cannot_ping_or_forge_links_in_slack() -> None:
    hostile = "<!channel> <https://evil.example|click> & <script>alert(1)</script>"
    message = slack_message(Event.FINDING_NEW, "acme", new_findings([finding(1, hostile)]))
    text = section_text(message)
    assert "<!channel>" not in text
    assert "<https://evil.example" not in text
    assert "&lt;!channel&gt; &lt;https://evil.example|click&gt; &amp; &lt;script&gt;" in text


def test_a_big_scan_lists_ten_findings_and_counts_the_rest() -> None:
    data = new_findings([finding(n, "x" * 500) for n in range(50)], total=1234)
    message = slack_message(Event.FINDING_NEW, "acme", data)
    text = section_text(message)
    assert len(text) <= SECTION_LIMIT
    assert message["text"] == "rootout: 1234 new findings in scan S1"
    assert text.count("• ") == LISTED
    assert text.endswith("…and 1224 more (see the scan)")
    assert "x" * 80 not in text  # matched values are clipped


def test_long_titles_are_cut_to_slacks_header_limit() -> None:
    data = {
        "case_id": "C1",
        "title": "t",
        "action": "report",
        "legal_basis_short": "FAR 52.204-23",
        "due": "2026-12-02",
        "days_left": -3,
        "threshold": "overdue",
        "status": "open",
        "owner": None,
        "url": "https://rootout.example/api/v1/cases/C1",
    }
    message = slack_message(Event.DEADLINE_AT_RISK, "a" * 400, data)
    (header,) = [b for b in message["blocks"] if b["type"] == "header"]
    assert header["text"]["text"] == "rootout: deadline overdue for case C1"
    text = section_text(message)
    assert "<https://rootout.example/api/v1/cases/C1|C1>" in text
    assert "3 days overdue" in text
    long = slack_message(Event.TEST, "acme", {"message": "m"})
    assert len(long["blocks"][0]["text"]["text"]) <= HEADER_LIMIT


def test_the_generic_envelope() -> None:
    body = json.loads(render(Kind.JSON, Event.TEST, "acme", {"message": "hi"}, SENT))
    assert body == {
        "event": "webhook.test",
        "tenant": "acme",
        "sent_at": "2026-11-28T12:00:00+00:00",
        "data": {"message": "hi"},
    }


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://localhost:8000/x",
        "http://10.1.2.3/x",
        "http://192.168.0.10/x",
        "http://172.16.5.5/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/x",
        "http://[::1]/x",
        "http://[fe80::1]/x",
        "http://[fd00::1]/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://0.0.0.0/x",
    ],
)
def test_non_public_addresses_are_refused(url: str) -> None:
    with pytest.raises(WebhookRefused, match="non-public address"):
        check_url(url, allow_private=False)
    check_url(url, allow_private=True)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://8.8.8.8/x",
        "file:///etc/passwd",
        "gopher://8.8.8.8/",
        "https://user:pw@8.8.8.8/x",
        "http:///x",
    ],
)
def test_only_plain_http_and_https_urls(url: str) -> None:
    for allow in (False, True):
        with pytest.raises(WebhookRefused):
            check_url(url, allow_private=allow)


def test_a_public_address_passes() -> None:
    check_url("https://8.8.8.8/hook", allow_private=False)
    check_url("http://[2001:4860:4860::8888]:8443/hook", allow_private=False)


def test_the_receiver_code_in_the_docs_verifies_a_real_post() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "server.md").read_text(encoding="utf-8")
    section = docs[docs.index("## Webhooks and metrics") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    namespace: dict[str, Any] = {}
    exec(code.group(1), namespace)
    verify = namespace["verify"]

    now = dt.datetime.now(dt.UTC)
    body = render(Kind.JSON, Event.TEST, "acme", {"message": "hi"}, now)
    signature = headers(Kind.JSON, "webhook.test", 7, "whsec_s", body, now)["X-Rootout-Signature"]
    assert verify("whsec_s", body, signature)["data"] == {"message": "hi"}
    with pytest.raises(ValueError, match="bad signature"):
        verify("whsec_s", body.replace(b"hi", b"ho"), signature)
    old = render(Kind.JSON, Event.TEST, "acme", {}, now - dt.timedelta(days=1))
    old_signature = headers(Kind.JSON, "webhook.test", 8, "whsec_s", old, now)[
        "X-Rootout-Signature"
    ]
    with pytest.raises(ValueError, match="too old"):
        verify("whsec_s", old, old_signature)
