"""The dashboard's pure helpers: pages, search, redirects, links, status choices, contracts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from rootout.cases.model import CaseStatus
from rootout.catalog.catalog import Catalog
from rootout.web.auth import safe_next
from rootout.web.cases import form_choices
from rootout.web.contracts import contract_lines, money
from rootout.web.listing import paginate, query_builder, search
from rootout.web.render import is_web_url


def test_paginate_clamps_to_the_pages_there_are() -> None:
    items = list(range(120))
    assert paginate(items, 1).items == list(range(50))
    last = paginate(items, 3)
    assert (last.items, last.page, last.pages, last.total) == (list(range(100, 120)), 3, 3, 120)
    assert paginate(items, 99).page == 3
    assert paginate([], 1).pages == 1


def test_query_builder_keeps_only_the_filters_set() -> None:
    build = query_builder({"basis": "direct", "q": "a b&c", "asset": None, "entity": ""})
    assert build(2) == "basis=direct&q=a+b%26c&page=2"


def _row(fid: str, value: str, **fields: str) -> dict[str, Any]:
    asset = {"name": "ws-1", "key": "host:name:ws-1"}
    return {
        "id": fid,
        "matched_value": value,
        "asset_key": asset["key"],
        "entity": "e",
        "matched_entity": "e",
        "product": None,
        "observation": {"asset": asset, "fields": fields, "kind": "program", "extra": {}},
    }


def test_search_needs_every_word_anywhere_in_the_finding() -> None:
    rows = [_row("F1", "Kaspersky Endpoint Security"), _row("F2", "Other", path="C:/klif.sys")]
    catalog = Catalog()
    assert [r["id"] for r in search(rows, "endpoint KASPERSKY", catalog)] == ["F1"]
    assert [r["id"] for r in search(rows, "klif", catalog)] == ["F2"]
    assert [r["id"] for r in search(rows, "ws-1", catalog)] == ["F1", "F2"]
    assert search(rows, "kaspersky klif", catalog) == []
    assert search(rows, "  ", catalog) == rows


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/findings?basis=direct", "/findings?basis=direct"),
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_safe_next_stays_on_this_server(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


def test_only_http_addresses_become_links() -> None:
    assert is_web_url("https://www.govinfo.gov/x")
    assert is_web_url("HTTP://example.org")
    assert not is_web_url("javascript:alert(1)")
    assert not is_web_url(None)


def test_the_status_form_offers_only_moves_a_reason_can_make() -> None:
    assert form_choices(CaseStatus.OPEN) == ["planned", "removing", "removed"]
    assert form_choices(CaseStatus.PLANNED) == ["removing", "removed", "open"]  # forward first
    assert form_choices(CaseStatus.REMOVED) == ["open", "removing"]  # verified: by rescan only
    assert form_choices(CaseStatus.WAIVED) == ["open"]


def test_contract_lines_read_the_award_fields_newest_first() -> None:
    def award(fid: str, day: str, amount: str) -> dict[str, Any]:
        row = _row(fid, "KASPERSKY LAB, INC.")
        row["observation"] = {
            **row["observation"],
            "kind": "contract_award",
            "fields": {
                "action_date": day,
                "agency": "Department of Justice",
                "amount": amount,
                "recipient": "KASPERSKY LAB, INC.",
                "piid": "P1",
            },
            "extra": {"purpose": "removal"},
        }
        return row

    rows = [award("F1", "2015-09-15", "41200"), _row("F9", "x"), award("F2", "2016-06-28", "oops")]
    lines = contract_lines(rows, Catalog())
    assert [line.finding_id for line in lines] == ["F2", "F1"]
    assert lines[1].amount == Decimal("41200")
    assert (lines[1].agency, lines[1].purpose) == ("Department of Justice", "removal")
    assert lines[0].amount is None
    assert (money(lines[1].amount), money(None)) == ("$41,200.00", "—")
