"""Screen the supplier register: pure functions over the register, catalog and evidence.

:func:`screen` is the entry point::

    screen(register, catalog, *, today, lists=(), evidence=(), matcher=None)
        -> list[SupplierFinding]

It returns at most one :class:`SupplierFinding` per supplier and kind, most severe
first:

- ``covered_entity`` (high): the supplier's UEI/CAGE/DUNS or name matches a covered
  entity, or an affiliate or brand the ownership walk ties to one (the matcher's
  organisation-name stages, identifiers first, time-aware at ``today``);
- ``covered_parent`` (high): its registered parent (name or UEI) does;
- ``provides_covered`` (high): a product or service it lists names a covered product;
- ``screening_list`` (high; medium on a fuzzy name): it matches an imported CSL or SAM
  exclusions entry listed on ``today`` (:mod:`rootout.suppliers.listmatch`);
- ``covered_delivery`` (high): a delivered SBOM or inventory contains covered technology
  (what to ask follows the clause the technology falls under: the 52.204-23(c)(1) report
  for Kaspersky, a 52.204-24(e) disclosure for §889 equipment);
- for a supplier with an access agreement active on ``today``
  (:mod:`rootout.suppliers.representations`): ``representation_contradicted``
  (critical, clause-scoped: :mod:`rootout.suppliers.clauses`), ``representation_missing``
  and ``representation_lapsed`` (medium).

Only findings whose legal bases are in force on ``today`` count; what was covered
only at another time is history, not a supplier risk. Representations signed and
files delivered after ``today`` do not exist yet on that day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from rootout.catalog.catalog import Catalog
from rootout.catalog.model import Confidence
from rootout.match.engine import Matcher
from rootout.model.finding import Finding, Step
from rootout.suppliers import listmatch
from rootout.suppliers.build import (
    ENTITY_FIELDS,
    PARENT_FIELDS,
    PROVIDES_FIELD,
    TITLES,
    entity_text,
    evidence_steps,
    in_force,
    make_finding,
    strongest,
    supplier_observation,
)
from rootout.suppliers.clauses import delivery_ask
from rootout.suppliers.model import (
    SEVERITY_RANK,
    Evidence,
    ListEntry,
    Register,
    Severity,
    Supplier,
    SupplierFinding,
)
from rootout.suppliers.model import SupplierFindingKind as Kind
from rootout.suppliers.representations import outside_scope, representation_findings


def screen(
    register: Register,
    catalog: Catalog,
    *,
    today: dt.date,
    lists: Sequence[ListEntry] = (),
    evidence: Sequence[Evidence] = (),
    matcher: Matcher | None = None,
) -> list[SupplierFinding]:
    """Every supplier finding of the register on ``today`` (module docstring)."""
    matcher = matcher or Matcher(catalog, today=today)
    delivered = delivered_by(evidence, today)
    result: list[SupplierFinding] = []
    for supplier in register.suppliers:
        own = tuple(delivered.get(supplier.id, ()))
        result.extend(screen_supplier(supplier, register, matcher, today, lists, own))
    return sorted(result, key=lambda f: (-SEVERITY_RANK[f.severity], f.supplier_id, f.kind.value))


def delivered_by(evidence: Sequence[Evidence], today: dt.date) -> dict[str, list[Evidence]]:
    """Evidence delivered by ``today`` (or undated), by supplier id, in the given order."""
    result: dict[str, list[Evidence]] = defaultdict(list)
    for item in evidence:
        if item.delivered_on is None or item.delivered_on <= today:
            result[item.supplier_id].append(item)
    return result


def screen_supplier(
    supplier: Supplier,
    register: Register,
    matcher: Matcher,
    today: dt.date,
    lists: Sequence[ListEntry],
    evidence: Sequence[Evidence],
) -> list[SupplierFinding]:
    identity = in_force(matcher.match([supplier_observation(supplier, today)]))
    reps = [r for r in register.representations_of(supplier.id) if r.signed_on <= today]
    access = register.access_of(supplier.id)
    notes = outside_scope(reps, access, evidence, today)
    found = [
        *identity_findings(supplier, identity, today),
        *list_findings(supplier, lists, today),
        *delivery_findings(supplier, evidence, today, notes),
    ]
    covered_self = [f for f in found if f.kind in (Kind.COVERED_ENTITY, Kind.COVERED_PARENT)]
    found.extend(representation_findings(supplier, reps, access, evidence, covered_self, today))
    return found


# -- the kinds -------------------------------------------------------------------------


def identity_findings(
    supplier: Supplier, findings: Sequence[Finding], today: dt.date
) -> list[SupplierFinding]:
    groups = (
        (Kind.COVERED_ENTITY, ENTITY_FIELDS),
        (Kind.COVERED_PARENT, PARENT_FIELDS),
        (Kind.PROVIDES_COVERED, frozenset({PROVIDES_FIELD})),
    )
    result = []
    for kind, fields in groups:
        chosen = [f for f in findings if f.matched_field in fields]
        best = strongest(chosen)
        if best is None:
            continue
        others = sorted({entity_text(f) for f in chosen if f.entity != best.entity})
        also = [Step("note", f"also reaches {text}") for text in others]
        conclusion = Step("note", f"{TITLES[kind]}: {entity_text(best)}")
        steps = (*best.explanation, *also, conclusion)
        result.append(make_finding(supplier, kind, today, steps, evidence=chosen))
    return result


def list_findings(
    supplier: Supplier, lists: Sequence[ListEntry], today: dt.date
) -> list[SupplierFinding]:
    found = listmatch.matches(supplier, lists, today)
    if not found:
        return []
    steps = [
        Step(
            "list_entry",
            f"{m.entry.list_name} entry {m.entry.entry_id} {m.entry.name!r} ({m.entry.source}"
            + (f"; {m.entry.detail}" if m.entry.detail else "")
            + f") at line {m.entry.line}: {m.field} {m.value!r} matched, {m.detail}",
            ref=f"{m.entry.list_name}:{m.entry.entry_id}",
        )
        for m in found
    ]
    best = found[0]
    return [
        make_finding(
            supplier,
            Kind.SCREENING_LIST,
            today,
            steps,
            severity=Severity.HIGH if best.confidence is Confidence.HIGH else Severity.MEDIUM,
            confidence=best.confidence,
            entity=None,
        )
    ]


def delivery_findings(
    supplier: Supplier,
    evidence: Sequence[Evidence],
    today: dt.date,
    notes: Sequence[Step] = (),
) -> list[SupplierFinding]:
    """``covered_delivery``; ``notes`` say why a representation the evidence falls outside
    of is not contradicted. What to ask follows the clauses the evidence falls under."""
    covered = [(e, f) for e in evidence for f in in_force(e.findings)]
    if not covered:
        return []
    steps = [step for item, finding in covered for step in evidence_steps(item, finding)]
    shown = [f for _, f in covered]
    return [
        make_finding(
            supplier,
            Kind.COVERED_DELIVERY,
            today,
            [*steps, *notes],
            evidence=shown,
            ask=delivery_ask(shown),
        )
    ]
