"""``--format bod-17-01``: the BOD 17-01 identification report, removal plan and status.

Historical: DHS issued BOD 17-01 on 2017-09-13 and its milestones passed in
2017. The field lists are the catalog's report specs for ``law.bod-17-01``;
each field is labelled with how its requirement is known (the FCW press summary
of the directive text, or UNCONFIRMED), as the catalog records it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rootout.catalog.model import LegalBasis, ReportSpec
from rootout.report import facts, md
from rootout.report.cases_view import CaseLike
from rootout.report.data import ReportData

LEGAL_BASIS = "law.bod-17-01"
BASIS_LABEL = {
    "official": "directive text",
    "press": "press summary of the directive text (FCW)",
    "code": "public code",
    "unconfirmed": "UNCONFIRMED",
}


@dataclass(frozen=True)
class ProductRow:
    what: str
    rows: tuple[dict[str, Any], ...]
    cases: tuple[CaseLike, ...]

    @property
    def endpoints(self) -> list[str]:
        return sorted({facts.asset_name(r) for r in self.rows})

    @property
    def remaining(self) -> list[str]:
        return sorted({facts.asset_name(r) for r in self.rows if r["status"] != "gone"})


def _products(rows: list[dict[str, Any]], data: ReportData) -> list[ProductRow]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(facts.what(row, data.catalog), []).append(row)
    result = []
    for what, members in sorted(grouped.items(), key=lambda kv: kv[0].lower()):
        ids = {r["id"] for r in members}
        cases = tuple(c for c in data.cases or () if ids & set(c.finding_ids))
        result.append(ProductRow(what, tuple(members), cases))
    return result


def _spec(law: LegalBasis, spec_id: str) -> ReportSpec | None:
    return next((s for s in law.reports if s.id == spec_id), None)


def _header(law: LegalBasis, data: ReportData) -> list[str]:
    issued = str(law.issued) if law.issued else "unknown"
    return [
        f"# {md.esc(law.short)}: identification report, removal plan and status",
        f"{md.esc(law.title)} ({md.esc(law.citation or '')}).",
        "",
        f"Prepared {data.generated_on.isoformat()} for tenant {md.code(data.tenant)}; scope: "
        f"{md.esc(data.scope.describe())}.",
        "",
        f"> **Historical template.** {md.esc(law.short)} was issued {issued}; its day-30, day-60 "
        "and day-90 milestones passed in 2017. Whether CISA still lists it as active is "
        "UNCONFIRMED. Each field below says how its requirement is known.",
    ]


def _identification(
    spec: ReportSpec | None, products: list[ProductRow], data: ReportData
) -> list[str]:
    title = spec.title if spec else "Identification report"
    lines = [f"## {md.esc(title)}"]
    if spec:
        lines += md.bullets(
            f"{md.esc(f.label)} (basis: {BASIS_LABEL[f.basis.value]})" for f in spec.fields
        )
        lines.append("")
    lines.append("### Products found")
    if data.empty_store:
        lines.append("Nothing was inspected: no scans are stored.")
    elif not products:
        lines.append("**None found** in the inputs listed under the methods below.")
    else:
        lines += md.table(
            ["product", "basis", "endpoints", "still present", "endpoint names"],
            (
                [
                    md.esc(p.what),
                    md.esc(", ".join(sorted({r["basis"] for r in p.rows}))),
                    str(len(p.endpoints)),
                    str(len(p.remaining)),
                    md.esc(", ".join(p.endpoints)),
                ]
                for p in products
            ),
        )
    rows = [r for p in products for r in p.rows]
    lines += ["", "### Methods used to arrive at the count", *_methods(data, rows)]
    return lines


def _methods(data: ReportData, rows: list[dict[str, Any]]) -> list[str]:
    kinds = sorted(
        {
            data.catalog.signatures[r["signature"]].kind.value
            for r in rows
            if r["signature"] in data.catalog.signatures
        }
    )
    lines = md.bullets(
        [
            f"{len(data.scans)} scan(s) by rootout, catalog {md.code(data.catalog_info.version)}"
            + (f" dated {data.catalog_info.date}" if data.catalog_info.date else ""),
            "signature kinds that matched: " + (", ".join(kinds) or "none"),
        ]
    )
    formats = facts.formats_read(data)
    if formats:
        lines += [
            "",
            *md.table(
                ["input format", "inputs", "observations"],
                ([md.esc(f), str(i), str(o)] for f, i, o in formats),
            ),
        ]
    failed = facts.failed_inputs(data)
    if not data.scans:
        return lines
    lines += ["", "Inputs not read, or read in part:" if failed else "Every input was read."]
    lines += md.bullets(f"{md.esc(path)}: {md.esc(why)}" for _scan, path, why in failed)
    return lines


def _owner(product: ProductRow) -> str:
    owners = sorted({c.owner for c in product.cases if c.owner})
    return md.esc(", ".join(owners)) if owners else md.FILL


def _timeline(product: ProductRow) -> str:
    dues = sorted(d.due for c in product.cases for d in c.deadlines if d.due)
    return f"first due {dues[0].isoformat()} (case deadlines)" if dues else md.FILL


def _replacement(product: ProductRow, data: ReportData) -> str:
    found = sorted(
        {
            p.removal.replacement
            for r in product.rows
            if r["product"]
            and (p := data.catalog.products.get(r["product"]))
            and p.removal
            and p.removal.replacement
        }
    )
    return f"another {md.esc(', '.join(found))} {md.CHECK}" if found else md.FILL


def _plan(spec: ReportSpec | None, products: list[ProductRow], data: ReportData) -> list[str]:
    lines = [f"## {md.esc(spec.title if spec else 'Plan of action')}", "### Per product"]
    if not products:
        lines.append("No products to remove.")
    else:
        lines += md.table(
            ["product", "owner", "timeline", "estimated cost", "replacement"],
            (
                [md.esc(p.what), _owner(p), _timeline(p), md.FILL, _replacement(p, data)]
                for p in products
            ),
        )
    if spec:
        lines += [
            "",
            "### Plan topics",
            *md.table(
                ["topic", "basis", "answer"],
                ([md.esc(f.label), BASIS_LABEL[f.basis.value], md.FILL] for f in spec.fields),
            ),
        ]
    return lines


def _status(spec: ReportSpec | None, products: list[ProductRow]) -> list[str]:
    lines = [f"## {md.esc(spec.title if spec else 'Status report')}"]
    if spec:
        lines += md.bullets(
            f"{md.esc(f.label)} (basis: {BASIS_LABEL[f.basis.value]})" for f in spec.fields
        )
        lines.append("")
    if not products:
        return [*lines, "Nothing found, nothing to remove."]
    return lines + md.table(
        ["product", "endpoints found", "removed (not seen again)", "remaining", "cases"],
        (
            [
                md.esc(p.what),
                str(len(p.endpoints)),
                str(len(p.endpoints) - len(p.remaining)),
                str(len(p.remaining)),
                md.esc(", ".join(f"{c.id} ({c.status})" for c in p.cases) or "none"),
            ]
            for p in products
        ),
    )


def _embedded(rows: list[dict[str, Any]], data: ReportData) -> Iterator[str]:
    if not rows:
        return
    yield "## Embedded Kaspersky technology (outside BOD 17-01)"
    yield (
        "BOD 17-01 did not reach Kaspersky code embedded in other companies' products (FCW); "
        "NDAA FY2018 §1634 and FAR 52.204-23 do. Listed for information:"
    )
    yield ""
    yield from md.bullets(
        f"{md.esc(facts.what(r, data.catalog))} on {md.esc(facts.asset_name(r))} ({md.code(r['id'])})"
        for r in rows
    )


def render(data: ReportData) -> str:
    law = data.catalog.legal_bases[LEGAL_BASIS]
    rows = [r for r in data.findings if facts.under(r, LEGAL_BASIS)]
    products = _products([r for r in rows if r["basis"] != "embedded"], data)
    return md.join(
        [
            _header(law, data),
            _identification(_spec(law, "bod_17_01_30_day"), products, data),
            _plan(_spec(law, "bod_17_01_60_day_plan"), products, data),
            _status(_spec(law, "bod_17_01_status_report"), products),
            list(_embedded([r for r in rows if r["basis"] == "embedded"], data)),
        ]
    )
