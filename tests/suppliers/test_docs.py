"""docs/suppliers.md and docs/reports.md say what the supplier code does, with its real output."""

from __future__ import annotations

import os
import re

from rootout.report.suppliers_report import RENDERERS, SupplierReport
from rootout.suppliers.model import Clause, SupplierFindingKind
from tests.suppliers.eval import REPO

SUPPLIERS_DOC = REPO / "docs" / "suppliers.md"
REPORTS_DOC = REPO / "docs" / "reports.md"
UPDATE = os.environ.get("ROOTOUT_UPDATE_GOLDEN") == "1"
BLOCK = re.compile(r"(<!-- example: clause-scopes -->\n)(.*?)(<!-- /example -->)", re.S)
SHOWN = ("SUP-0124", "SUP-0171")
"""The Kaspersky contradiction of a 52.204-23 attestation, and its hard negative."""


def _shown_step(kind: str, text: str) -> bool:
    if kind in ("access", "representation"):
        return True
    if kind == "evidence":
        return text.startswith("delivered ")
    return kind == "note" and text.startswith(("no contradiction", "the representation is"))


def clause_example(report: SupplierReport) -> str:
    """The two example suppliers' findings: the steps that decide them, and the ask."""
    lines = ["```"]
    for row in report.rows:
        if row.supplier.id not in SHOWN:
            continue
        for finding in row.findings:
            lines.append(f"{finding.supplier_id} {row.supplier.name}: {finding.kind.value}")
            lines.extend(
                f"  {step.kind}: {step.text}"
                for step in finding.explanation
                if _shown_step(step.kind, step.text)
            )
            lines.append(f"  ask: {finding.ask}")
    lines.append("```")
    return "\n".join(lines) + "\n"


def test_the_clause_scope_example_is_the_real_output(example_report: SupplierReport) -> None:
    text = SUPPLIERS_DOC.read_text(encoding="utf-8")
    assert BLOCK.search(text), "docs/suppliers.md lacks the clause-scopes example block"
    fresh = BLOCK.sub(lambda m: m[1] + clause_example(example_report) + m[3], text)
    if UPDATE:
        SUPPLIERS_DOC.write_text(fresh, encoding="utf-8")
        return
    assert fresh == text, "docs/suppliers.md example is stale: run with ROOTOUT_UPDATE_GOLDEN=1"


def test_suppliers_doc_names_every_clause_and_finding_kind() -> None:
    text = SUPPLIERS_DOC.read_text(encoding="utf-8")
    for clause in Clause:
        assert f"`{clause.value}`" in text, clause
    for kind in SupplierFindingKind:
        assert f"`{kind.value}`" in text, kind


def test_reports_doc_points_to_the_supplier_risk_report() -> None:
    text = REPORTS_DOC.read_text(encoding="utf-8")
    section = text.split("\n## Supplier risk report\n", 1)[1].split("\n## ", 1)[0]
    assert f"rootout suppliers report --format {'|'.join(RENDERERS)}" in section
    assert "(suppliers.md#risk-report)" in section
    assert "\n## Risk report\n" in SUPPLIERS_DOC.read_text(encoding="utf-8")
