"""The executive report: one HTML page (and the same page as PDF) with SVG charts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from rootout import __version__
from rootout.report import charts, facts, json_report, templating
from rootout.report.cases_view import CaseLike, DeadlineInfo
from rootout.report.data import ReportData


@dataclass(frozen=True)
class ProductLine:
    entity: str
    what: str
    basis: str
    assets: int
    findings: int
    legal: str


@dataclass(frozen=True)
class DeadlineLine:
    case: CaseLike
    deadline: DeadlineInfo


def _products(rows: list[dict[str, Any]], data: ReportData) -> list[ProductLine]:
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for row in rows:
        key = (
            facts.entity_name(data.catalog, row["entity"]),
            facts.what(row, data.catalog),
            row["basis"],
        )
        groups.setdefault(key, []).append(row)
    return [
        ProductLine(
            entity,
            what,
            basis,
            len({r["asset_key"] for r in members}),
            len(members),
            ", ".join(sorted({s for r in members for s in facts.in_force(r)})) or "historical only",
        )
        for (entity, what, basis), members in sorted(
            groups.items(), key=lambda kv: (kv[0][0], kv[0][1].lower(), kv[0][2])
        )
    ]


def _deadlines(cases: tuple[CaseLike, ...] | None) -> list[DeadlineLine]:
    """Deadlines still to meet: not done, not met by removal, not past before identification."""
    lines = [
        DeadlineLine(c, d)
        for c in cases or ()
        for d in c.deadlines
        if not (d.met or d.done_on or d.passed_before_identification)
    ]
    return sorted(
        lines, key=lambda line: (line.deadline.due is None, line.deadline.due, line.case.id)
    )


def _deadline_bars(lines: list[DeadlineLine]) -> list[charts.Bar]:
    bars = []
    for line in lines[:12]:
        left = line.deadline.days_left
        risky = line.deadline.at_risk or (left is not None and left < 0)
        bars.append(
            charts.Bar(
                f"{line.case.id} {line.deadline.legal_basis_short}",
                left or 0,
                charts.RISK if risky else charts.CALM,
                "overdue" if left is not None and left < 0 else ("at risk" if risky else ""),
            )
        )
    return bars


def _trend(data: ReportData) -> Markup:
    points = [
        (f"{s.finished_at:%Y-%m-%d}" + (f"\n{s.label}" if s.label else ""), len(s.sightings))
        for s in data.scans
    ]
    return charts.columns(points, "Findings seen in each scan")


def context(data: ReportData) -> dict[str, Any]:
    active = data.active()
    deadlines = _deadlines(data.cases)
    statuses = Counter(r["status"] for r in data.findings)
    numbers = {
        "active findings": len(active),
        "in force": sum(1 for r in active if not r["historical"]),
        "assets affected": len({r["asset_key"] for r in active}),
        "covered entities": len({r["entity"] for r in active}),
        "waived": statuses["waived"],
        "gone (removed)": statuses["gone"],
        "scans": len(data.scans),
        "inputs not read": len(facts.failed_inputs(data)),
    }
    return {
        "data": data,
        "version": __version__,
        "numbers": numbers,
        "notes": json_report.notes(data),
        "by_entity": charts.hbars(
            charts.colored(facts.count_by(active, "entity", data.catalog)),
            "Active findings by covered entity",
        ),
        "by_basis": charts.hbars(
            charts.colored(facts.count_by(active, "basis", data.catalog)),
            "Active findings by basis",
        ),
        "trend": _trend(data),
        "deadline_chart": charts.hbars(_deadline_bars(deadlines), "Days left per deadline")
        if deadlines
        else None,
        "deadlines": deadlines,
        "at_risk": [d for d in deadlines if d.deadline.at_risk],
        "products": _products(active, data),
        "formats": facts.formats_read(data),
        "failed": facts.failed_inputs(data),
        "fmt_time": facts.fmt_time,
        "scope": data.scope.describe(),
    }


def render(data: ReportData) -> str:
    return templating.render("executive.html.j2", **context(data))


def render_pdf(data: ReportData) -> bytes:
    from rootout.report.pdf import html_to_pdf

    return html_to_pdf(render(data))
