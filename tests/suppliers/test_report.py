"""The supplier risk report: golden files on the example register, order, escaping, CSV safety."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest

from rootout.catalog.model import Confidence
from rootout.model.finding import Step
from rootout.report.suppliers_report import (
    CSV_COLUMNS,
    SupplierReport,
    build,
    render_csv,
    render_html,
    render_json,
)
from rootout.suppliers.build import make_finding
from rootout.suppliers.model import (
    AccessAgreement,
    Register,
    Severity,
    Supplier,
    SupplierFinding,
    SupplierFindingKind,
)
from tests.report import golden
from tests.suppliers.eval import REPO, load_example

GOLDEN = Path(__file__).parent / "golden"
TODAY = dt.date(2026, 11, 28)


def check_golden(name: str, text: str) -> None:
    golden.check(name, text, GOLDEN)


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("supplier-risk.html", render_html),
        ("supplier-risk.csv", render_csv),
        ("supplier-risk.json", render_json),
    ],
)
def test_example_register_against_golden_files(
    example_report: SupplierReport, name: str, render: Callable[[SupplierReport], str]
) -> None:
    check_golden(name, render(example_report))


def test_json_is_valid_against_the_published_schema(example_report: SupplierReport) -> None:
    schema = json.loads(
        (files("rootout.report") / "schemas" / "supplier-risk-report.schema.json").read_text()
    )
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    empty = build(Register(suppliers=(_supplier("S-1", "Quiet Co"),)), [], today=TODAY)
    for report in (example_report, empty):
        document = json.loads(render_json(report))
        errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(document)]
        assert not errors, errors[:5]
    broken = json.loads(render_json(example_report))
    broken["suppliers"][0]["risk"] = "severe"
    assert not validator.is_valid(broken)


def test_contradicted_representations_lead_the_report(example_report: SupplierReport) -> None:
    labels = load_example().labels["cases"]
    contradicted = {
        sid for sid, case in labels.items() if "representation_contradicted" in case["expected"]
    }
    top = example_report.rows[: len(contradicted)]
    assert {row.supplier.id for row in top} == contradicted
    assert all(row.risk is Severity.CRITICAL for row in top)
    for row in top:
        assert any(ask.startswith("a corrected FAR 52.204-2") for ask in row.asks)
    asks = {row.supplier.id: " ".join(row.asks) for row in top}
    assert "a corrected FAR 52.204-23 attestation" in asks["SUP-0124"]  # Kaspersky: -23
    assert "a corrected FAR 52.204-24 representation" in asks["SUP-0013"]  # §889: its -24
    severities = [row.risk for row in example_report.rows]
    ranks = {Severity.CRITICAL: 3, Severity.HIGH: 2, Severity.MEDIUM: 1, Severity.LOW: 0}
    assert [ranks[s] for s in severities] == sorted((ranks[s] for s in severities), reverse=True)


def test_only_suppliers_with_findings_are_listed_and_counted(
    example_report: SupplierReport,
) -> None:
    document = json.loads(render_json(example_report))
    assert document["summary"]["suppliers_screened"] == 300
    listed = [s["id"] for s in document["suppliers"]]
    assert len(listed) == len(set(listed)) == document["summary"]["suppliers_with_findings"]
    total = sum(len(s["findings"]) for s in document["suppliers"])
    assert sum(document["summary"]["findings_by_kind"].values()) == total
    rows = list(csv.DictReader(io.StringIO(render_csv(example_report))))
    assert len(rows) == total
    assert list(dict.fromkeys(r["supplier_id"] for r in rows)) == listed  # same risk order


def _supplier(sid: str, name: str) -> Supplier:
    return Supplier(sid, name)


def _finding(
    supplier: Supplier, kind: SupplierFindingKind, severity: Severity, text: str
) -> SupplierFinding:
    return make_finding(
        supplier,
        kind,
        TODAY,
        [Step("note", text)],
        severity=severity,
        confidence=Confidence.HIGH,
        entity=None,
        ask=f"ask {supplier.id}",
        title=f"title {supplier.id}",
    )


def test_at_equal_severity_a_supplier_with_active_access_comes_first() -> None:
    far, near = _supplier("S-1", "No Access Co"), _supplier("S-2", "Has Access Co")
    register = Register(
        suppliers=(far, near),
        access=(
            AccessAgreement("S-1", "helpdesk", dt.date(2020, 1, 1), end=dt.date(2021, 1, 1)),
            AccessAgreement("S-2", "helpdesk", dt.date(2020, 1, 1)),
        ),
    )
    findings = [
        _finding(far, SupplierFindingKind.SCREENING_LIST, Severity.HIGH, "a"),
        _finding(far, SupplierFindingKind.COVERED_ENTITY, Severity.HIGH, "b"),
        _finding(near, SupplierFindingKind.COVERED_DELIVERY, Severity.HIGH, "c"),
    ]
    report = build(register, findings, today=TODAY)
    assert [row.supplier.id for row in report.rows] == ["S-2", "S-1"]
    assert [len(row.access) for row in report.rows] == [1, 0]
    assert report.rows[1].asks == ("ask S-1",)  # the same request is asked once


def test_hostile_text_is_escaped_in_html() -> None:
    hostile = _supplier("S-9", '<script>alert(1)</script> & "Co"')
    finding = _finding(
        hostile, SupplierFindingKind.COVERED_DELIVERY, Severity.HIGH, '<img src=x onerror="1">'
    )
    html = render_html(build(Register(suppliers=(hostile,)), [finding], today=TODAY))
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Co&#34;" in html
    assert "&lt;img src=x onerror=&#34;1&#34;&gt;" in html
    assert not re.search(r"<(img|link|iframe)\b", html)


def test_csv_cells_cannot_become_formulas() -> None:
    hostile = _supplier("S-8", '=HYPERLINK("http://x.example","click")')
    finding = _finding(hostile, SupplierFindingKind.SCREENING_LIST, Severity.HIGH, "-2+3")
    text = render_csv(build(Register(suppliers=(hostile,)), [finding], today=TODAY))
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1][CSV_COLUMNS.index("supplier")] == "'" + hostile.name
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in rows[1])


def test_a_register_without_findings_says_so() -> None:
    register = Register(suppliers=(_supplier("S-1", "Quiet Co"),))
    report = build(register, [], today=TODAY)
    assert f"No supplier has a finding on {TODAY.isoformat()}." in render_html(report)
    assert render_csv(report).splitlines() == [",".join(CSV_COLUMNS)]
    assert json.loads(render_json(report))["summary"]["suppliers_with_findings"] == 0


def test_docs_name_every_csv_column_and_json_key() -> None:
    docs = (REPO / "docs" / "suppliers.md").read_text(encoding="utf-8")
    section = docs.split("\n## Risk report\n", 1)[1].split("\n## ", 1)[0]
    listed = re.search(r"columns `([^`]+)`", section)
    assert listed is not None
    assert tuple(" ".join(listed.group(1).split()).split(", ")) == CSV_COLUMNS
    schema = json.loads(
        (files("rootout.report") / "schemas" / "supplier-risk-report.schema.json").read_text()
    )
    for key in schema["required"]:
        assert f"`{key}`" in section, key
