"""The end-of-scan summary: findings by entity, basis, confidence and asset, and what next."""

from __future__ import annotations

from collections import Counter
from enum import StrEnum

from rich.console import Console
from rich.table import Table
from rich.text import Text

from rootout.scanning import ScanOutcome

out = Console(highlight=False, soft_wrap=True)
TOP_ASSETS = 15


class FailOn(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    NONE = "none"


def _counter_table(title: str, label: str, counts: Counter[str]) -> Table:
    table = Table(label, "findings", title=title)
    for key, count in counts.most_common():
        table.add_row(Text(key), str(count))
    return table


def print_findings(outcome: ScanOutcome) -> None:
    catalog = outcome.catalog
    findings = outcome.findings
    saved = outcome.saved
    if outcome.reused:
        out.print(
            f"scan {outcome.scan_id}: these inputs were already stored with this catalog; nothing changed",
            markup=False,
        )
    if not findings:
        out.print(f"scan {outcome.scan_id}: no findings (catalog {catalog.version})", markup=False)
        return
    active = [f for f in findings if not f.historical]
    historical = len(findings) - len(active)
    by_entity = Counter(catalog.entities[f.entity].name for f in findings)
    by_basis = Counter(f.basis.value for f in findings)
    by_confidence = Counter(f.confidence.value for f in findings)
    by_asset = Counter(f.observation.asset.name for f in findings)
    out.print(_counter_table("Findings by covered entity", "entity", by_entity))
    basis_table = Table(
        "basis", "findings", "confidence", "findings", title="Findings by basis and confidence"
    )
    basis_rows = by_basis.most_common()
    confidence_rows = by_confidence.most_common()
    for row in range(max(len(basis_rows), len(confidence_rows))):
        left = basis_rows[row] if row < len(basis_rows) else ("", "")
        right = confidence_rows[row] if row < len(confidence_rows) else ("", "")
        basis_table.add_row(left[0], str(left[1]), right[0], str(right[1]))
    out.print(basis_table)
    assets = Counter(dict(by_asset.most_common(TOP_ASSETS)))
    out.print(_counter_table(f"Assets with findings (top {TOP_ASSETS})", "asset", assets))
    out.print(
        f"scan {outcome.scan_id}: {len(findings)} finding(s) on {len(by_asset)} asset(s)"
        + (f", {historical} historical (before the rule took effect)" if historical else "")
        + (
            f"; {len(saved.new)} new, {len(saved.gone)} gone since earlier scans"
            if not saved.reused
            else ""
        ),
        markup=False,
    )
    out.print(
        "next: `rootout findings` to list them, `rootout explain ID` for the evidence chain, "
        "`rootout where ENTITY` to see where an entity is used",
        markup=False,
    )
