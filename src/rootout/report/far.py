"""FAR 52.204-23 and 52.204-25 incident reports, as data.

The fields come from the catalog's report specs for the clause (the initial and
follow-up lists), so the field list lives in one place (``packs/legal.yaml``).
Each field is pre-filled only from evidence rootout holds and says where the
value came from; every blank a person must fill is flagged, and UEI and CAGE are
never filled in. Markdown, JSON and PDF renderings are in ``far_render``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rootout.catalog.model import LegalBasis, ReportSpec
from rootout.report import facts
from rootout.report.cases_view import CaseLike, DeadlineInfo
from rootout.report.data import ReportData

FILL = "fill"  # the rule asks for it and rootout cannot know it
OPTIONAL = "optional"  # "if known" / "if applicable": fill it when it applies
CHECK = "check"  # pre-filled from evidence: a person must confirm it


@dataclass(frozen=True)
class Clause:
    format: str
    legal_basis: str
    where_to_report: tuple[str, ...]


CLAUSES = {
    "far-52.204-23": Clause(
        "far-52.204-23",
        "law.far-52.204-23",
        (
            "(c)(1): report in writing to the Contracting Officer.",
            "DoD contracts: report at https://dibnet.dod.mil.",
            "IDIQ contracts: report to the Contracting Officer of the IDIQ and to the Contracting "
            "Officer(s) of the affected orders; on DIBNet, name both the IDIQ and the orders.",
            "The duty covers covered articles you identify and those reported to you by a "
            "subcontractor at any tier or by any other source.",
            "The clause date written in the contract decides the initial-report deadline: 1 "
            "business day (Jul 2018 clause) or 3 business days (Dec 2023 clause).",
            "The DIBNet form may ask for more than the clause does (its fields: UNCONFIRMED).",
        ),
    ),
    "far-52.204-25": Clause(
        "far-52.204-25",
        "law.far-52.204-25",
        (
            "(d)(1): report to the Contracting Officer.",
            "DoD contracts: report at https://dibnet.dod.mil.",
            "IDIQ contracts: report both the contract and the order.",
            "Supplier UEI and CAGE code are asked for only if known: rootout leaves them blank.",
            "The DIBNet form may ask for more than the clause does (its fields: UNCONFIRMED).",
        ),
    ),
}


@dataclass(frozen=True)
class FieldValue:
    name: str
    label: str
    value: str
    fill: str | None
    origin: str


@dataclass(frozen=True)
class Section:
    spec_id: str
    title: str
    rule: tuple[str, ...]
    """What the catalog says about when it is due (each obligation's action)."""
    deadlines: tuple[DeadlineInfo, ...]
    fields: tuple[FieldValue, ...]


@dataclass(frozen=True)
class Item:
    title: str
    case_id: str | None
    finding_ids: tuple[str, ...]
    assets: tuple[str, ...]
    purposes: tuple[str, ...]
    """Use purposes the designation is limited to (Hytera, Hikvision, Dahua under §889)."""
    identified: str | None
    """When and how the organisation learned of it (the clock starts there), from the case."""
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class FarReport:
    format: str
    short: str
    title: str
    citation: str
    generated_on: str
    tenant: str
    scope: str
    where_to_report: tuple[str, ...]
    items: tuple[Item, ...]
    empty_reason: str | None


@dataclass(frozen=True)
class _Group:
    title: str
    case: CaseLike | None
    rows: tuple[dict[str, Any], ...]


Prefill = Callable[[_Group, ReportData], tuple[str, str]]


def _distinct(values: Sequence[str]) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))


def _first_field(row: dict[str, Any], names: Sequence[str]) -> tuple[str, str] | None:
    fields = row["observation"]["fields"]
    for name in names:
        if fields.get(name):
            return name, str(fields[name])
    return None


def _supplier(group: _Group, data: ReportData) -> tuple[str, str]:
    seen, origins = [], []
    for row in group.rows:
        hit = _first_field(row, ("supplier", "vendor", "publisher", "manufacturer"))
        if hit:
            seen.append(hit[1])
            origins.append(f"observation field {hit[0]} ({facts.where(row)})")
        else:
            seen.append(facts.entity_name(data.catalog, row["matched_entity"]))
            origins.append("catalog entity the evidence names")
    return _distinct(seen), _distinct(origins)


def _brand(group: _Group, data: ReportData) -> tuple[str, str]:
    names = [facts.entity_name(data.catalog, r["matched_entity"]) for r in group.rows]
    return _distinct(names), "catalog entity the evidence names"


def _model(group: _Group, data: ReportData) -> tuple[str, str]:
    seen, origins = [], []
    labels = {"model": "model", "product_code": "product code", "version": "version", "cpe": "CPE"}
    for row in group.rows:
        hit = _first_field(row, tuple(labels))
        if hit:
            seen.append(f"{labels[hit[0]]} {hit[1]}")
            origins.append(f"observation field {hit[0]} ({facts.where(row)})")
    return _distinct(seen), _distinct(origins)


def _description(group: _Group, data: ReportData) -> tuple[str, str]:
    kinds = _distinct([r["observation"]["kind"].replace("_", " ") for r in group.rows])
    whats = list(dict.fromkeys(facts.what(r, data.catalog) for r in group.rows))
    named = "; ".join(whats[:4]) + (f"; and {len(whats) - 4} more" if len(whats) > 4 else "")
    assets = sorted({facts.asset_name(r) for r in group.rows})
    embedded = [r for r in group.rows if r["basis"] == "embedded"]
    inside = (
        f"; contains technology of {facts.entity_name(data.catalog, embedded[0]['entity'])}"
        if embedded
        else ""
    )
    return (
        f"{named} ({kinds}){inside}; seen on {len(assets)} asset(s): {', '.join(assets)}",
        "catalog product or observed name, observation kind, assets",
    )


def _removal(group: _Group, data: ReportData) -> list[str]:
    said = []
    for product_id in sorted({r["product"] for r in group.rows if r["product"]}):
        product = data.catalog.products.get(product_id)
        if product is None or product.removal is None:
            continue
        removal = product.removal
        steps = []
        if removal.uninstall_tool:
            steps.append(f"remove it with {removal.uninstall_tool}")
        if removal.replacement:
            steps.append(f"replace it with another {removal.replacement}")
        if removal.leftovers:
            steps.append("then check for leftovers: " + ", ".join(removal.leftovers))
        if steps:
            said.append(f"Recommended for {product.name} (catalog guidance): " + ", ".join(steps))
    return said


def _status_text(group: _Group) -> list[str]:
    gone = sorted({r["gone_in_scan"] for r in group.rows if r["status"] == "gone"})
    live = sorted({facts.asset_name(r) for r in group.rows if r["status"] != "gone"})
    said = []
    if live:
        said.append(f"Still seen on {', '.join(live)} in the latest scan")
    if gone:
        said.append(f"No longer seen since scan(s) {', '.join(gone)}")
    if any(r["status"] == "waived" for r in group.rows):
        said.append("An internal exception waives part of it (not a FAR 4.2104 waiver)")
    return said


def _case_text(case: CaseLike | None) -> list[str]:
    if case is None:
        return []
    said = [f"Case {case.id} is {case.status}" + (f", owner {case.owner}" if case.owner else "")]
    if case.waiver:
        said.append(f"waiver: {case.waiver}")
    if case.false_positive_reason:
        said.append(f"marked false positive: {case.false_positive_reason}")
    if case.removed_scan:
        said.append(f"removal seen in scan {case.removed_scan}")
    if case.verified_scan:
        said.append(f"removal verified by scan {case.verified_scan}")
    if case.residual_reason:
        said.append(f"residual: {case.residual_reason}")
    return said


def _mitigation(group: _Group, data: ReportData) -> tuple[str, str]:
    parts = _case_text(group.case) + _status_text(group) + _removal(group, data)
    return ". ".join(parts) + (
        "." if parts else ""
    ), "case status, scan results, catalog removal guidance"


def _further(group: _Group, data: ReportData) -> tuple[str, str]:
    parts = _case_text(group.case) + _status_text(group)
    return ". ".join(parts) + ("." if parts else ""), "case status and scan results"


PREFILL: dict[str, Prefill] = {
    "supplier_name": _supplier,
    "brand": _brand,
    "model_number": _model,
    "item_description": _description,
    "mitigation_readily_available": _mitigation,
    "further_mitigation": _further,
}


def _blank_kind(spec_required: bool) -> str:
    return FILL if spec_required else OPTIONAL


NEVER_PREFILLED = {
    "supplier_uei": "never pre-filled: rootout does not know who supplied the item to you",
    "supplier_cage_code": "never pre-filled: rootout does not know who supplied the item to you",
}


def _fields(spec: ReportSpec, group: _Group, data: ReportData) -> tuple[FieldValue, ...]:
    values = []
    for field in spec.fields:
        prefill = PREFILL.get(field.name)
        value, origin = prefill(group, data) if prefill else ("", "")
        if value:
            values.append(FieldValue(field.name, field.label, value, CHECK, origin))
        else:
            why = NEVER_PREFILLED.get(
                field.name, "not pre-filled: rootout holds no evidence for it"
            )
            values.append(FieldValue(field.name, field.label, "", _blank_kind(field.required), why))
    return tuple(values)


def _section(spec: ReportSpec, law: LegalBasis, group: _Group, data: ReportData) -> Section:
    rule = tuple(
        o.action + (f" (applies {o.valid_from or '…'} to {o.valid_to or 'today'})")
        for o in law.obligations
        if o.report == spec.id
    )
    deadlines = tuple(
        d
        for d in (group.case.deadlines if group.case else ())
        if d.report_id == spec.id and d.legal_basis_short == law.short
    )
    return Section(spec.id, spec.title, rule, deadlines, _fields(spec, group, data))


def _purposes(rows: Sequence[dict[str, Any]], law: LegalBasis, data: ReportData) -> tuple[str, ...]:
    found: list[str] = []
    for row in rows:
        for ref in row["legal"]:
            designation = data.catalog.designations.get(ref["designation"])
            if ref["legal_basis"] == law.id and designation is not None:
                found.extend(designation.purposes)
    return tuple(dict.fromkeys(found))


def _identified(case: CaseLike | None) -> str | None:
    if case is None or not case.identified_at:
        return None
    return case.identified_at + (f" ({case.identified_how})" if case.identified_how else "")


def _groups(rows: list[dict[str, Any]], data: ReportData) -> list[_Group]:
    groups: list[_Group] = []
    claimed: set[str] = set()
    for case in data.cases or ():
        in_case = set(case.finding_ids)
        mine = tuple(r for r in rows if r["id"] in in_case)
        if mine:
            groups.append(_Group(case.title, case, mine))
            claimed.update(r["id"] for r in mine)
    loose: dict[tuple[str, str, bool], list[dict[str, Any]]] = {}
    for row in rows:
        if row["id"] not in claimed:
            key = (facts.what(row, data.catalog), row["matched_entity"], row["basis"] == "embedded")
            loose.setdefault(key, []).append(row)
    for (what, entity, embedded), members in sorted(
        loose.items(), key=lambda kv: (kv[0][0].lower(), kv[0][1], kv[0][2])
    ):
        inside = ", embedded in another product" if embedded else ""
        title = f"{what} ({facts.entity_name(data.catalog, entity)}{inside})"
        groups.append(_Group(title, None, tuple(members)))
    return groups


def build(data: ReportData, clause: Clause) -> FarReport:
    law = data.catalog.legal_bases[clause.legal_basis]
    rows = [r for r in data.findings if facts.under(r, law.id)]
    items = tuple(
        Item(
            title=group.title,
            case_id=group.case.id if group.case else None,
            finding_ids=tuple(r["id"] for r in group.rows),
            assets=tuple(sorted({facts.asset_name(r) for r in group.rows})),
            purposes=_purposes(group.rows, law, data),
            identified=_identified(group.case),
            sections=tuple(_section(spec, law, group, data) for spec in law.reports),
        )
        for group in _groups(rows, data)
    )
    empty = None
    if data.empty_store:
        empty = "No scans are stored: nothing was inspected, so nothing can be reported."
    elif not items:
        empty = f"No finding in this scope falls under {law.short}: there is nothing to report."
    return FarReport(
        format=clause.format,
        short=law.short,
        title=law.title,
        citation=law.citation or "",
        generated_on=data.generated_on.isoformat(),
        tenant=data.tenant,
        scope=data.scope.describe(),
        where_to_report=clause.where_to_report,
        items=items,
        empty_reason=empty,
    )
