"""The supplier risk report: suppliers by risk, why, and what to ask them for (HTML, CSV, JSON).

:func:`build` is pure: it takes the register and the supplier findings of one
screening (:func:`rootout.suppliers.screen.screen`) and orders the suppliers with
findings by risk. The order is explainable, not a weighted score:

1. the most severe finding (critical, high, medium, low);
2. then suppliers with an access agreement active on the screening date;
3. then the number of findings;
4. then the supplier id.

Each supplier keeps its findings (most severe first), each with its explanation
chain, and the deduplicated list of what to ask it for. The renderers only format:
HTML is autoescaped (Jinja2), CSV is formula-safe (:mod:`rootout.report.csvsafe`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from rootout import __version__
from rootout.catalog.catalog import Catalog
from rootout.model.finding import Step
from rootout.report import templating
from rootout.report.csvsafe import write_csv
from rootout.suppliers.model import (
    SEVERITY_RANK,
    AccessAgreement,
    Register,
    Representation,
    Severity,
    Supplier,
    SupplierFinding,
)
from rootout.suppliers.representations import Reminder, answer_text, reminders
from rootout.suppliers.service import screen_stored
from rootout.suppliers.views import reminder_json, step_json, supplier_json

REPORT_KIND = "supplier-risk"
SCHEMA = "rootout/supplier-risk-report/1"
"""Published as ``schemas/supplier-risk-report.schema.json``."""
REMINDER_DAYS = 30


@dataclass(frozen=True)
class SourceLink:
    id: str
    url: str | None
    title: str | None


@dataclass(frozen=True)
class SupplierRisk:
    """One supplier with findings, at its place in the risk order."""

    rank: int
    supplier: Supplier
    risk: Severity
    findings: tuple[SupplierFinding, ...]
    access: tuple[AccessAgreement, ...]
    """Agreements active on the screening date."""
    representations: tuple[Representation, ...]
    asks: tuple[str, ...]


@dataclass(frozen=True)
class SupplierReport:
    tenant: str
    today: dt.date
    catalog_version: str
    screened: int
    rows: tuple[SupplierRisk, ...]
    reminders: tuple[Reminder, ...]
    """Representations of listed or unlisted suppliers lapsing within REMINDER_DAYS."""
    sources: Mapping[str, SourceLink]
    entity_names: Mapping[str, str]

    def by_severity(self) -> dict[str, int]:
        counts = Counter(row.risk.value for row in self.rows)
        return {s.value: counts.get(s.value, 0) for s in sorted(Severity, key=_rank, reverse=True)}

    def by_kind(self) -> dict[str, int]:
        counts = Counter(f.kind.value for row in self.rows for f in row.findings)
        return dict(sorted(counts.items()))


def _rank(severity: Severity) -> int:
    return SEVERITY_RANK[severity]


def _order(
    supplier: Supplier, findings: Sequence[SupplierFinding], active: bool
) -> tuple[int, int, int, str]:
    worst = max(_rank(f.severity) for f in findings)
    return (-worst, 0 if active else 1, -len(findings), supplier.id)


def _asks(findings: Sequence[SupplierFinding]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.ask for f in findings))


def _sources(catalog: Catalog | None, findings: Sequence[SupplierFinding]) -> dict[str, SourceLink]:
    cited = sorted({s for f in findings for step in f.explanation for s in step.sources})
    known = catalog.sources if catalog else {}
    links = {}
    for source_id in cited:
        source = known.get(source_id)
        url = str(source.url) if source is not None and source.url else None
        title = source.title if source is not None else None
        links[source_id] = SourceLink(source_id, url, title)
    return links


def _entity_names(catalog: Catalog | None, findings: Sequence[SupplierFinding]) -> dict[str, str]:
    ids = sorted({f.entity for f in findings if f.entity})
    entities = catalog.entities if catalog else {}
    return {i: entities[i].name if i in entities else i for i in ids}


def build(
    register: Register,
    findings: Sequence[SupplierFinding],
    *,
    today: dt.date,
    tenant: str = "default",
    catalog: Catalog | None = None,
) -> SupplierReport:
    """The report of one screening on ``today`` (pure; ``catalog`` names entities and sources)."""
    by_supplier: dict[str, list[SupplierFinding]] = {}
    for finding in findings:
        by_supplier.setdefault(finding.supplier_id, []).append(finding)
    known = register.by_id  # built once: Register.supplier() rebuilds it on every call
    keyed = []
    for supplier_id, own in by_supplier.items():
        supplier = known.get(supplier_id) or Supplier(supplier_id, supplier_id)
        own.sort(key=lambda f: (-_rank(f.severity), f.kind.value, f.id))
        active = tuple(a for a in register.access_of(supplier_id) if a.active(today))
        keyed.append((_order(supplier, own, bool(active)), supplier, own, active))
    keyed.sort(key=lambda item: item[0])
    rows = tuple(
        SupplierRisk(
            rank=n,
            supplier=supplier,
            risk=own[0].severity,
            findings=tuple(own),
            access=active,
            representations=tuple(
                sorted(register.representations_of(supplier.id), key=lambda r: r.signed_on)
            ),
            asks=_asks(own),
        )
        for n, (_, supplier, own, active) in enumerate(keyed, 1)
    )
    due = tuple(r for r in reminders(register.representations, today, REMINDER_DAYS))
    return SupplierReport(
        tenant=tenant,
        today=today,
        catalog_version=catalog.version if catalog else "",
        screened=len(register.suppliers),
        rows=rows,
        reminders=due,
        sources=_sources(catalog, findings),
        entity_names=_entity_names(catalog, findings),
    )


# -- shared pieces of the renderers ------------------------------------------------------


def representation_text(rep: Representation, today: dt.date) -> str:
    state = "lapsed" if rep.lapsed(today) else "current"
    expiry = f", expires {rep.expires_on}" if rep.expires_on else ""
    kind = " attestation" if rep.clause.is_attestation else ""
    return (
        f"FAR {rep.clause.value}{kind}: {answer_text(rep)} (signed {rep.signed_on} by {rep.signer}"
        f"{expiry}; {state})"
    )


def access_text(agreement: AccessAgreement) -> str:
    tenant = f" ({agreement.tenant})" if agreement.tenant else ""
    end = f" to {agreement.end}" if agreement.end else " (open)"
    return f"{agreement.system}{tenant} from {agreement.start}{end}"


def chain_text(steps: Sequence[Step]) -> str:
    """An explanation chain on one line: ``kind: text`` steps joined by `` > ``."""
    return " > ".join(f"{step.kind}: {step.text}" for step in steps)


# -- JSON ------------------------------------------------------------------------------


def _without(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    """``data`` less ``keys``, in its own key order (the store views carry a few more fields)."""
    return {key: value for key, value in data.items() if key not in keys}


def _finding_json(finding: SupplierFinding, report: SupplierReport) -> dict[str, Any]:
    return {
        "id": finding.id,
        "kind": finding.kind.value,
        "severity": finding.severity.value,
        "confidence": finding.confidence.value,
        "title": finding.title,
        "entity": finding.entity,
        "entity_name": report.entity_names.get(finding.entity) if finding.entity else None,
        "ask": finding.ask,
        "explanation": [step_json(step) for step in finding.explanation],
    }


def _row_json(row: SupplierRisk, report: SupplierReport) -> dict[str, Any]:
    return {
        "rank": row.rank,
        **_without(supplier_json(row.supplier), "source"),
        "risk": row.risk.value,
        "active_access": [access_text(a) for a in row.access],
        "representations": [representation_text(r, report.today) for r in row.representations],
        "ask": list(row.asks),
        "findings": [_finding_json(f, report) for f in row.findings],
    }


def render_json(report: SupplierReport) -> str:
    document = {
        "schema": SCHEMA,
        "report": REPORT_KIND,
        "tool": {"name": "rootout", "version": __version__},
        "tenant": report.tenant,
        "screened_on": report.today.isoformat(),
        "catalog_version": report.catalog_version,
        "summary": {
            "suppliers_screened": report.screened,
            "suppliers_with_findings": len(report.rows),
            "by_risk": report.by_severity(),
            "findings_by_kind": report.by_kind(),
        },
        "suppliers": [_row_json(row, report) for row in report.rows],
        "representations_due": [
            _without(reminder_json(r), "signer", "lapsed") for r in report.reminders
        ],
        "sources": {
            key: {"url": link.url, "title": link.title} for key, link in report.sources.items()
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- CSV -------------------------------------------------------------------------------

CSV_COLUMNS = (
    "rank",
    "supplier_id",
    "supplier",
    "uei",
    "cage",
    "country",
    "parent",
    "risk",
    "active_access",
    "finding_id",
    "kind",
    "severity",
    "confidence",
    "title",
    "covered_entity",
    "why",
    "ask",
)


def render_csv(report: SupplierReport) -> str:
    """One row per supplier finding, suppliers in risk order; formula-safe."""
    rows = (
        [
            row.rank,
            row.supplier.id,
            row.supplier.name,
            row.supplier.uei or "",
            row.supplier.cage or "",
            row.supplier.country or "",
            row.supplier.parent_name or "",
            row.risk.value,
            "; ".join(access_text(a) for a in row.access),
            finding.id,
            finding.kind.value,
            finding.severity.value,
            finding.confidence.value,
            finding.title,
            report.entity_names.get(finding.entity, "") if finding.entity else "",
            chain_text(finding.explanation),
            finding.ask,
        ]
        for row in report.rows
        for finding in row.findings
    )
    return write_csv(CSV_COLUMNS, rows)


# -- HTML ------------------------------------------------------------------------------


def render_html(report: SupplierReport) -> str:
    return templating.render(
        "suppliers.html.j2",
        report=report,
        version=__version__,
        representation_text=representation_text,
        access_text=access_text,
        numbers={
            "suppliers screened": report.screened,
            "suppliers with findings": len(report.rows),
            "critical": report.by_severity()["critical"],
            "with active access": sum(1 for row in report.rows if row.access),
        },
    )


RENDERERS = {"html": render_html, "csv": render_csv, "json": render_json}


def report_from_store(
    engine: Engine,
    *,
    tenant: str = "default",
    today: dt.date,
    catalog_dirs: Sequence[Path] = (),
) -> SupplierReport:
    """Screen the tenant's stored register on ``today`` (nothing is stored) and build the report."""
    screened = screen_stored(engine, tenant=tenant, today=today, catalog_dirs=catalog_dirs)
    return build(
        screened.register, screened.findings, today=today, tenant=tenant, catalog=screened.catalog
    )
