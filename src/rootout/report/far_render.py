"""FAR incident reports as Markdown (the default), JSON, and PDF (via HTML)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from rootout.report import far, md, templating
from rootout.report.cases_view import DeadlineInfo
from rootout.report.data import ReportData

LEGEND = (
    "Draft for a person to complete and check before sending; not legal advice. "
    f"{md.FILL} marks what the clause requires and rootout cannot know. "
    "**[IF KNOWN]** / **[IF APPLICABLE]** marks what the clause asks for only when it applies "
    "(UEI and CAGE are never guessed). "
    f"{md.CHECK} marks a value pre-filled from the evidence, which a person must confirm."
)


def marker(field: far.FieldValue) -> str:
    if field.fill == far.FILL:
        return "[FILL IN]"
    if field.fill == far.OPTIONAL:
        label = field.label.lower()
        return "[IF KNOWN]" if "if known" in label else "[IF APPLICABLE]"
    return "[CHECK]" if field.fill == far.CHECK else ""


def deadline_text(deadline: DeadlineInfo) -> str:
    due = deadline.due.isoformat() if deadline.due else "date unknown"
    days = deadline.days_left
    left = (
        ""
        if days is None
        else f", {days} day(s) left"
        if days >= 0
        else f", overdue by {-days} day(s)"
    )
    if deadline.done_on:
        return f"{deadline.action} Due {due}; done {deadline.done_on.isoformat()}."
    if deadline.met:
        return f"{deadline.action} Due {due}; met."
    if deadline.passed_before_identification:
        return f"{deadline.action} Due {due}, which passed before the case was identified."
    risk = " AT RISK" if deadline.at_risk else ""
    return f"{deadline.action} Due {due}{left}.{risk}"


def _value_cell(field: far.FieldValue) -> str:
    mark = marker(field)
    if not field.value:
        return f"**{mark}**"
    return f"{md.esc(field.value)} {mark}".strip()


def _section(section: far.Section) -> list[str]:
    lines = [f"#### {md.esc(section.title)}"]
    if section.deadlines:
        lines += md.bullets("Due: " + md.esc(deadline_text(d)) for d in section.deadlines)
    else:
        lines += md.bullets(f"Rule: {md.esc(r)}" for r in section.rule)
        lines.append("- No case deadline yet: open a removal case to compute the due date.")
    lines.append("")
    lines += md.table(
        ["field", "value", "where the value came from"],
        ([md.esc(f.label), _value_cell(f), md.esc(f.origin)] for f in section.fields),
    )
    return lines


def _item(number: int, item: far.Item) -> list[str]:
    lines = [f"### Item {number}: {md.esc(item.title)}"]
    lines.append(f"- Case: {md.code(item.case_id)}" if item.case_id else "- Case: none opened")
    if item.identified:
        lines.append(f"- Identified: {md.esc(item.identified)}")
    lines.append("- Findings: " + ", ".join(md.code(f) for f in item.finding_ids))
    lines.append("- Assets: " + ", ".join(md.esc(a) for a in item.assets))
    if item.purposes:
        lines.append(
            "- Covered only when used for: "
            + "; ".join(md.esc(p) for p in item.purposes)
            + ". Record each device's purpose so a reviewer can decide."
        )
    for section in item.sections:
        lines += ["", *_section(section)]
    return lines


def markdown(report: far.FarReport) -> str:
    blocks: list[list[str]] = [
        [
            f"# {md.esc(report.short)} report (draft pre-filled by rootout)",
            f"{md.esc(report.title)} ({md.esc(report.citation)}).",
            "",
            f"Prepared {report.generated_on} for tenant {md.code(report.tenant)}; scope: "
            f"{md.esc(report.scope)}.",
            "",
            f"> {LEGEND}",
        ],
        ["## Where to report", *md.bullets(md.esc(n) for n in report.where_to_report)],
    ]
    if report.empty_reason:
        blocks.append(["## Items", md.esc(report.empty_reason)])
    else:
        blocks.append([f"## Items ({len(report.items)})"])
        blocks += [_item(n, item) for n, item in enumerate(report.items, 1)]
    return md.join(blocks)


def document(report: far.FarReport) -> dict[str, Any]:
    body = asdict(report)
    for item in body["items"]:
        for section in item["sections"]:
            for deadline in section["deadlines"]:
                deadline["due"] = deadline["due"].isoformat() if deadline["due"] else None
            for field in section["fields"]:
                field["marker"] = marker(far.FieldValue(**field))
    return {"schema": "rootout/far-report/1", **body}


def _build(data: ReportData, name: str) -> far.FarReport:
    return far.build(data, far.CLAUSES[name])


def render_md(data: ReportData, name: str) -> str:
    return markdown(_build(data, name))


def render_json(data: ReportData, name: str) -> str:
    return json.dumps(document(_build(data, name)), indent=2, ensure_ascii=False) + "\n"


def render_html(data: ReportData, name: str) -> str:
    report = _build(data, name)
    return templating.render(
        "far.html.j2",
        report=report,
        legend=LEGEND.replace("**", ""),
        marker=marker,
        deadline_text=deadline_text,
    )


def render_pdf(data: ReportData, name: str) -> bytes:
    from rootout.report.pdf import html_to_pdf

    return html_to_pdf(render_html(data, name))
