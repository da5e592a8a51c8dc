"""CSV, JSON and HTML outputs of the contracts summary: complete, escaped, formula-safe."""

from __future__ import annotations

import csv
import io
import json

import pytest

from rootout.catalog.cache import load_compiled
from rootout.catalog.catalog import Catalog
from rootout.match.engine import Matcher
from rootout.model.observation import SourceRef
from rootout.procurement.actions import ActionCollector
from rootout.procurement.analysis import Summary, summarise
from rootout.procurement.export import ACTION_COLUMNS, to_csv, to_json
from rootout.procurement.html import money, to_html
from rootout.procurement.records import build
from rootout.procurement.timeline import timeline

HOSTILE = '<script>alert("x")</script> KASPERSKY ENDPOINT SECURITY'


@pytest.fixture(scope="module")
def summary() -> Summary:
    catalog, index = load_compiled()
    collector = ActionCollector(Matcher(catalog, index=index))
    rows = [
        ('=HYPERLINK("http://x")', "2016-05-01", "1200.00", HOSTILE),
        ("KASPERSKY LAB, INC.", "2017-10-24", "-3100.00", "DEOBLIGATE REMAINING FUNDS"),
        (
            "CONTOSO FEDERAL SOLUTIONS LLC",
            "2017-11-15",
            "24000.00",
            "REMOVE KASPERSKY AND REPLACE WITH DEFENDER",
        ),
    ]
    for row, (supplier, date, amount, text) in enumerate(rows, start=1):
        record = {
            "award_key": f"CONT_AWD_{row}",
            "transaction_key": f"TX{row}",
            "supplier": supplier,
            "action_date": date,
            "amount": amount,
            "description": text,
            "agency": "Department of <b>Justice</b>",
        }
        for observation in build(
            record, SourceRef("t.csv", row + 1), row=row, kind="transaction"
        ).observations:
            collector.add(observation)
    return summarise(collector.actions(), _catalog())


def _catalog() -> Catalog:
    return load_compiled()[0]


def test_csv_has_one_formula_safe_row_per_action(summary: Summary) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(summary))))
    assert rows[0] == list(ACTION_COLUMNS)
    assert len(rows) == 1 + len(summary.actions) == 4
    by_key = {
        r[ACTION_COLUMNS.index("transaction_key")]: dict(zip(ACTION_COLUMNS, r, strict=True))
        for r in rows[1:]
    }
    assert by_key["TX1"]["recipient"] == '\'=HYPERLINK("http://x")'
    assert by_key["TX2"]["amount"] == "'-3100.00"  # a leading minus is a formula trigger too
    assert by_key["TX2"]["after_prohibition"] == "yes"
    assert by_key["TX3"]["channel"] == "removal"
    assert by_key["TX3"]["removal_of"] == "AO Kaspersky Lab (description)"


def test_json_keeps_exact_amounts_and_every_involvement(summary: Summary) -> None:
    document = json.loads(to_json(summary, scan_id="S1"))
    assert document["scan_id"] == "S1"
    assert {t["channel"]: t["amount"] for t in document["totals"]["by_channel"]} == {
        "direct": "-3100.00",
        "reseller": "1200.00",
        "removal": "24000.00",
    }
    (first,) = [a for a in document["actions"] if a["transaction_key"] == "TX2"]
    (involvement,) = first["involvements"]
    assert involvement["via"] == "recipient"
    assert involvement["finding_id"].startswith("F")
    assert {"short": "BOD 17-01", "status": "in_force"} in involvement["legal"]


def test_html_escapes_record_text_and_draws_the_timeline(summary: Summary) -> None:
    page = to_html(summary, scan_id="S1", catalog_version="v1")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "Department of &lt;b&gt;Justice&lt;/b&gt;" in page
    assert page.count("<svg") == 1
    assert "BOD 17-01" in page
    assert "-$3,100.00" in page


def test_the_timeline_escapes_and_handles_no_dates(summary: Summary) -> None:
    svg = timeline(summary.actions, summary.rules, 'a "quoted" <title>')
    assert "&lt;title&gt;" in svg
    assert "<rect" in svg
    assert "No dated actions." in timeline([], [], "t")
    assert money(None) == ""
    assert money(summary.by_channel[0].amount).startswith(("$", "-$"))
