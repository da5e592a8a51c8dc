"""Deadlines of a case, derived from the catalog's obligations and the case policy.

Pure functions. Which obligations apply:

* the legal bases in force on the case's findings (the stored ``legal`` refs with
  status ``in_force``), narrowed by the policy's ``legal_bases``;
* of each basis, the obligations that carry a deadline and whose version is valid
  on the clause date the policy gives for that basis, else on the identification
  date (FAR 52.204-23: 1 business day under the Jul 2018 clause, 3 under Dec 2023);
* plus the organisation's own deadlines from the policy.

When each clock starts: ``identification``/``notification`` at the identification
date; ``issuance`` at the basis's issue date; ``effective`` at the listing date of
the case's designation under that basis (unless the policy anchors the basis at
identification); ``obligation:<id>`` when that obligation was recorded as done,
else at its due date (the latest it can start).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rootout.cases.businessdays import Calendar, add_days
from rootout.cases.model import CaseStatus, DeadlineView
from rootout.cases.policy import ORGANISATION_SHORT, Policy
from rootout.catalog.catalog import Catalog
from rootout.catalog.dates import in_interval
from rootout.catalog.model import DayUnit, LegalBasis, Obligation

IN_FORCE = "in_force"
_CLOCK_AT_IDENTIFICATION = frozenset({"identification", "notification"})
_REMOVAL_DONE = frozenset({CaseStatus.REMOVED, CaseStatus.VERIFIED})


@dataclass(frozen=True)
class Rule:
    """One deadline to track: an obligation with a resolved fixed start, if it has one."""

    id: str
    legal_basis: str
    short: str
    action: str
    days: int
    unit: DayUnit
    from_event: str
    repeat_every: int | None
    report: str | None
    anchor: dt.date | None
    """Start of the clock when it does not depend on another obligation."""

    @property
    def ends_with_removal(self) -> bool:
        """Removal work and repeating status reports are met once the item is removed."""
        return self.report is None or self.repeat_every is not None


def in_force_bases(legal_refs: Iterable[Mapping[str, str]]) -> dict[str, set[str]]:
    """Legal basis id -> designation ids, for refs in force on their observation date."""
    bases: dict[str, set[str]] = {}
    for ref in legal_refs:
        if ref["status"] == IN_FORCE:
            bases.setdefault(ref["legal_basis"], set()).add(ref["designation"])
    return bases


def _anchor(
    catalog: Catalog,
    basis: LegalBasis,
    obligation: Obligation,
    designations: set[str],
    identified_on: dt.date,
    policy: Policy,
) -> dt.date | None:
    assert obligation.deadline is not None
    event = obligation.deadline.from_event
    if event in _CLOCK_AT_IDENTIFICATION:
        return identified_on
    if event.startswith("obligation:"):
        return None
    if basis.id in policy.anchor_at_identification:
        return identified_on
    if event == "issuance":
        return (basis.issued or basis.effective_from).start()
    listed = [
        catalog.designations[d].effective_from.start()
        for d in designations
        if d in catalog.designations
    ]
    return min(listed) if listed else basis.effective_from.start()


def catalog_rules(
    catalog: Catalog,
    legal_refs: Iterable[Mapping[str, str]],
    identified_on: dt.date,
    policy: Policy,
) -> list[Rule]:
    rules: list[Rule] = []
    for basis_id, designations in sorted(in_force_bases(legal_refs).items()):
        basis = catalog.legal_bases.get(basis_id)
        if basis is None or (policy.legal_bases is not None and basis_id not in policy.legal_bases):
            continue
        version_date = policy.clause_date(basis_id) or identified_on
        for obligation in basis.obligations:
            deadline = obligation.deadline
            if (
                deadline is None
                or obligation.id in policy.exclude_obligations
                or not in_interval(version_date, obligation.valid_from, obligation.valid_to)
            ):
                continue
            rules.append(
                Rule(
                    id=obligation.id,
                    legal_basis=basis_id,
                    short=basis.short,
                    action=" ".join(obligation.action.split()),
                    days=deadline.days,
                    unit=deadline.unit,
                    from_event=deadline.from_event,
                    repeat_every=deadline.repeat_every,
                    report=obligation.report,
                    anchor=_anchor(catalog, basis, obligation, designations, identified_on, policy),
                )
            )
    return rules


def organisation_rules(policy: Policy, entity: str, identified_on: dt.date) -> list[Rule]:
    return [
        Rule(
            id=o.id,
            legal_basis="",
            short=ORGANISATION_SHORT,
            action=o.action,
            days=o.days,
            unit=o.unit,
            from_event=o.from_event,
            repeat_every=o.repeat_every,
            report=None,
            anchor=identified_on if o.from_event == "identification" else None,
        )
        for o in policy.obligations
        if o.applies_to(entity) and o.id not in policy.exclude_obligations
    ]


def rules_for_case(
    catalog: Catalog,
    legal_refs: Iterable[Mapping[str, str]],
    entity: str,
    identified_on: dt.date,
    policy: Policy,
) -> list[Rule]:
    return [
        *catalog_rules(catalog, legal_refs, identified_on, policy),
        *organisation_rules(policy, entity, identified_on),
    ]


def _occurrence(rule: Rule, start: dt.date, k: int, calendar: Calendar) -> dt.date:
    return add_days(start, rule.days + k * (rule.repeat_every or 0), rule.unit, calendar)


def due_dates(
    rules: Sequence[Rule], done: Mapping[str, Sequence[dt.date]], calendar: Calendar
) -> dict[str, dt.date]:
    """Rule id -> next due date; rules whose clock depends on an absent rule are left out."""
    by_id = {r.id: r for r in rules}
    result: dict[str, dt.date] = {}
    resolving: set[str] = set()

    def start_of(rule: Rule) -> dt.date | None:
        if rule.anchor is not None:
            return rule.anchor
        before = rule.from_event.removeprefix("obligation:")
        if done.get(before):
            return max(done[before])
        return due_of(before)

    def due_of(rule_id: str) -> dt.date | None:
        if rule_id in result:
            return result[rule_id]
        rule = by_id.get(rule_id)
        if rule is None or rule_id in resolving:
            return None
        resolving.add(rule_id)
        start = start_of(rule)
        resolving.discard(rule_id)
        if start is None:
            return None
        due = _occurrence(rule, start, 0, calendar)
        last_done = max(done.get(rule_id, ()), default=None)
        if rule.repeat_every and last_done is not None:
            k = 0
            while due <= last_done:
                k += 1
                due = _occurrence(rule, start, k, calendar)
        result[rule_id] = due
        return due

    for rule in rules:
        due_of(rule.id)
    return result


def deadline_views(
    rules: Sequence[Rule],
    *,
    done: Mapping[str, Sequence[dt.date]],
    status: CaseStatus,
    today: dt.date,
    identified_on: dt.date,
    policy: Policy,
) -> tuple[DeadlineView, ...]:
    """What is due when, how many days are left, and what is at risk.

    A deadline is at risk when it is not met and ``policy.at_risk_days`` or fewer days
    are left (overdue included), unless it had already passed on the identification
    date. Removal work and repeating status reports are met once the case is removed
    or verified, and accepted while it is waived; reports are met when recorded done.
    """
    if status is CaseStatus.FALSE_POSITIVE:
        return ()
    dues = due_dates(rules, done, policy.calendar)
    views = []
    for rule in rules:
        if rule.id not in dues:
            continue
        due = dues[rule.id]
        done_on = max(done.get(rule.id, ()), default=None)
        met = (done_on is not None and not rule.repeat_every) or (
            rule.ends_with_removal and status in _REMOVAL_DONE
        )
        accepted = rule.ends_with_removal and status is CaseStatus.WAIVED
        days_left = (due - today).days
        missed_before = due < identified_on
        views.append(
            DeadlineView(
                obligation_id=rule.id,
                legal_basis_short=rule.short,
                action=rule.action,
                due=due,
                days_left=days_left,
                at_risk=not (met or accepted or missed_before) and days_left <= policy.at_risk_days,
                report_id=rule.report,
                done_on=done_on,
                legal_basis=rule.legal_basis,
                met=met,
                passed_before_identification=missed_before,
            )
        )
    return tuple(sorted(views, key=lambda v: (v.due, v.obligation_id)))
