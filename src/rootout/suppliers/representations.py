"""Representation checks for suppliers with access, and lapse reminders.

A supplier with an access agreement active on the screening date must have a
current FAR 52.204-24 or -26 representation (the §889 representations; a FAR 52.204-23
attestation does not stand in for one):

- ``representation_missing`` (medium): it has none;
- ``representation_lapsed`` (medium): every one it has expired before today;
- ``representation_contradicted`` (critical): the latest representation or attestation
  of a clause answers "does not use" (or "will not"/"does not provide") and
  * a delivered inventory or SBOM shows a covered product ("does not use"), or a
    delivered SBOM does ("will not provide"), delivered on or after the signing date
    (or undated); or
  * the supplier or its parent is itself a covered entity (either answer);
  in both cases only when the covered entity falls under the legal bases the clause
  implements (:mod:`rootout.suppliers.clauses`): Kaspersky evidence contradicts a
  52.204-23 attestation, never a 52.204-24/-26 representation.

The explanation names the representation (clause, answer, signer, date, file:line)
and each piece of evidence (file, component, matched value, catalog sources).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from rootout.model.finding import Finding, Step
from rootout.suppliers.build import evidence_steps, in_force, make_finding
from rootout.suppliers.clauses import contradiction_ask, in_scope, outside_scope_step
from rootout.suppliers.model import (
    AccessAgreement,
    Clause,
    DeliveryKind,
    Evidence,
    Representation,
    Severity,
    Supplier,
    SupplierFinding,
)
from rootout.suppliers.model import SupplierFindingKind as Kind

ASK_MISSING = (
    "a current FAR 52.204-26 representation in SAM (or a FAR 52.204-24 representation with "
    "its offer) covering whether it provides or uses covered equipment or services"
)
ASK_LAPSED = "a current SAM representation: FAR 52.204-26 is made annually"
LEAD_DAYS = 30


@dataclass(frozen=True, slots=True)
class Reminder:
    supplier_id: str
    representation: Representation
    days_left: int
    """Negative when the representation has already lapsed."""


def answer_text(rep: Representation) -> str:
    def word(value: bool | None, yes: str, no: str) -> str:
        return "(no answer)" if value is None else (yes if value else no)

    provide_yes = "will" if rep.clause is Clause.FAR_52_204_24 else "does"
    return (
        f"{word(rep.provides, provide_yes, provide_yes + ' not')} provide, "
        f"{word(rep.uses, 'does', 'does not')} use"
    )


def representation_step(rep: Representation) -> Step:
    where = f" at {rep.source}:{rep.line}" if rep.source else ""
    expiry = f", expires {rep.expires_on}" if rep.expires_on else ""
    what = "attestation" if rep.clause.is_attestation else "representation"
    return Step(
        "representation",
        f"FAR {rep.clause.value} {what} signed {rep.signed_on} by {rep.signer}"
        f"{expiry}: {answer_text(rep)}{where}",
        ref=f"FAR {rep.clause.value}",
    )


def access_step(agreements: Sequence[AccessAgreement]) -> Step:
    systems = "; ".join(
        f"{a.system}"
        + (f" ({a.tenant})" if a.tenant else "")
        + f" from {a.start}"
        + (f" to {a.end}" if a.end else " (open)")
        for a in agreements
    )
    return Step("access", f"active access agreement(s): {systems}")


def latest_per_clause(reps: Sequence[Representation]) -> list[Representation]:
    latest: dict[Clause, Representation] = {}
    for rep in reps:
        current = latest.get(rep.clause)
        if current is None or (rep.signed_on, rep.line) > (current.signed_on, current.line):
            latest[rep.clause] = rep
    return [latest[c] for c in sorted(latest)]


def representation_findings(
    supplier: Supplier,
    reps: Sequence[Representation],
    access: Sequence[AccessAgreement],
    evidence: Sequence[Evidence],
    covered_self: Sequence[SupplierFinding],
    today: dt.date,
) -> list[SupplierFinding]:
    active = [a for a in access if a.active(today)]
    if not active:
        return []
    head = access_step(active)
    representations = [r for r in reps if not r.clause.is_attestation]
    if not representations:
        return [
            make_finding(
                supplier,
                Kind.REPRESENTATION_MISSING,
                today,
                (head, Step("note", "no FAR 52.204-24 or -26 representation on file")),
                severity=Severity.MEDIUM,
                ask=ASK_MISSING,
                title="supplier with access has no representation",
            )
        ]
    result = []
    latest = latest_per_clause(reps)
    if all(rep.lapsed(today) for rep in representations):
        steps = [head, *(representation_step(r) for r in latest_per_clause(representations))]
        steps.append(Step("note", f"every representation expired before {today}"))
        result.append(
            make_finding(
                supplier,
                Kind.REPRESENTATION_LAPSED,
                today,
                steps,
                severity=Severity.MEDIUM,
                ask=ASK_LAPSED,
                title="supplier with access has a lapsed representation",
            )
        )
    contradicted = contradiction(supplier, latest, evidence, covered_self, today, head)
    if contradicted is not None:
        result.append(contradicted)
    return result


def contradiction(
    supplier: Supplier,
    latest: Sequence[Representation],
    evidence: Sequence[Evidence],
    covered_self: Sequence[SupplierFinding],
    today: dt.date,
    head: Step,
) -> SupplierFinding | None:
    steps: list[Step] = []
    shown: list[Finding] = []
    clauses: list[Clause] = []
    for rep in latest:
        against: list[Step] = []
        for item in evidence:
            if not _contradicts(rep, item):
                continue
            for finding in in_force(item.findings):
                if in_scope(rep.clause, finding):
                    against.extend(evidence_steps(item, finding))
                    shown.append(finding)
        if rep.uses is False or rep.provides is False:
            for own in covered_self:
                scoped = [f for f in own.evidence if in_scope(rep.clause, f)]
                if not scoped:
                    continue
                against.append(Step("evidence", f"{own.title} ({own.entity})"))
                against.extend(own.explanation[1:])
                shown.extend(scoped)
        if against:
            steps.extend([representation_step(rep), *against])
            clauses.append(rep.clause)
    if not steps:
        return None
    steps.append(Step("note", "the representation is contradicted by the evidence above"))
    return make_finding(
        supplier,
        Kind.REPRESENTATION_CONTRADICTED,
        today,
        [head, *steps],
        severity=Severity.CRITICAL,
        evidence=shown,
        ask=contradiction_ask(clauses),
        title="supplier's representation is contradicted by evidence",
    )


def outside_scope(
    reps: Sequence[Representation],
    access: Sequence[AccessAgreement],
    evidence: Sequence[Evidence],
    today: dt.date,
) -> list[Step]:
    """For a supplier with active access, why delivered evidence that a "not" answer
    would otherwise meet does not contradict it: the evidence is outside the clause."""
    if not any(a.active(today) for a in access):
        return []
    steps: list[Step] = []
    for rep in latest_per_clause(reps):
        if rep.uses is not False and rep.provides is not False:
            continue
        for item in evidence:
            if not _contradicts(rep, item):
                continue
            for finding in in_force(item.findings):
                if not in_scope(rep.clause, finding):
                    step = outside_scope_step(rep.clause, finding)
                    if step not in steps:
                        steps.append(step)
    return steps


def _contradicts(rep: Representation, item: Evidence) -> bool:
    delivered = item.delivered_on
    if delivered is not None and delivered < rep.signed_on:
        return False
    if rep.uses is False:
        return True
    return rep.provides is False and item.kind is DeliveryKind.SBOM


def reminders(
    reps: Sequence[Representation], today: dt.date, within: int = LEAD_DAYS
) -> list[Reminder]:
    """The latest representation per supplier and clause that expires within ``within``
    days of ``today`` or has already lapsed, soonest first."""
    by_supplier: dict[str, list[Representation]] = {}
    for rep in reps:
        by_supplier.setdefault(rep.supplier_id, []).append(rep)
    result = [
        Reminder(supplier_id, rep, (rep.expires_on - today).days)
        for supplier_id, own in by_supplier.items()
        for rep in latest_per_clause(own)
        if rep.expires_on is not None and (rep.expires_on - today).days <= within
    ]
    return sorted(result, key=lambda r: (r.days_left, r.supplier_id, r.representation.clause))
