"""Totals over contract actions: by agency and fiscal year, recipient, channel, vendor and rule.

Pure functions over :class:`~rootout.procurement.actions.Action` records.
Rules of counting:

* an action is counted once: transactions repeated across the numbered parts
  of a download (same ``contract_transaction_unique_key``) are dropped after the
  first and listed as duplicates; an award summary is dropped when the same
  award's transactions were read too (they carry the same money, action by
  action);
* purchase totals count actions that buy from or of a covered vendor, under
  their channel (direct > affiliate > reseller); removal work is totalled apart;
* an amount that is not a number counts the action but adds nothing (and the
  reader reported the row);
* "after prohibition": some rule naming the vendor was in force on the action
  date (the findings' legal status, judged at that date). These come first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rootout.catalog.catalog import Catalog
from rootout.model.finding import LegalStatus
from rootout.procurement.actions import Action

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Total:
    key: tuple[str, ...]
    actions: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Duplicate:
    key: str
    kept: str
    dropped: str


@dataclass(frozen=True, slots=True)
class FirstPurchase:
    agency: str
    on: dt.date | None
    vendor: str
    recipient: str
    channel: str
    description: str


@dataclass(frozen=True, slots=True)
class RuleDate:
    """One rule naming a covered vendor: when it took effect, and the actions after it."""

    short: str
    vendors: tuple[str, ...]
    effective_from: str
    actions_after: int
    amount_after: Decimal


@dataclass(frozen=True, slots=True)
class Summary:
    actions: tuple[Action, ...]
    """Every counted action, those after a prohibition first, then by date."""
    duplicates: tuple[Duplicate, ...]
    superseded_awards: int
    by_agency_year: tuple[Total, ...]
    by_recipient: tuple[Total, ...]
    by_channel: tuple[Total, ...]
    by_vendor: tuple[Total, ...]
    first_purchases: tuple[FirstPurchase, ...]
    rules: tuple[RuleDate, ...]
    unreadable_amounts: int

    @property
    def purchases(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.purchases)

    @property
    def after_prohibition(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.in_force)


def dedupe(actions: Iterable[Action]) -> tuple[list[Action], list[Duplicate], int]:
    """Actions counted once (see the module docstring), duplicates, award summaries superseded."""
    ordered = sorted(actions, key=lambda a: (a.path, a.row))
    with_transactions = {a.get("award_key") for a in ordered if a.record == "transaction"}
    seen: dict[str, Action] = {}
    duplicates, superseded = [], 0
    for action in ordered:
        if action.record == "award" and action.get("award_key") in with_transactions:
            superseded += 1
            continue
        first = seen.get(action.key)
        if first is not None:
            duplicates.append(Duplicate(action.key, _where(first), _where(action)))
            continue
        seen[action.key] = action
    return list(seen.values()), duplicates, superseded


def _where(action: Action) -> str:
    return f"{action.path}:{action.line}" if action.line else f"{action.path} row {action.row}"


def _order(action: Action) -> tuple[int, dt.date, str]:
    return (0 if action.in_force else 1, action.on or dt.date.min, action.key)


def _sum(actions: Sequence[Action]) -> Decimal:
    return sum((a.amount or ZERO for a in actions), ZERO)


def _totals(groups: dict[tuple[str, ...], list[Action]]) -> tuple[Total, ...]:
    rows = [Total(key, len(items), _sum(items)) for key, items in groups.items()]
    return tuple(sorted(rows, key=lambda t: (-t.amount, t.key)))


def _vendors(action: Action, *, removal: bool = False) -> set[str]:
    chosen = action.removals if removal else action.purchases
    return {i.entity_name for i in chosen}


def summarise(actions: Iterable[Action], catalog: Catalog) -> Summary:
    counted, duplicates, superseded = dedupe(actions)
    counted.sort(key=_order)
    purchases = [a for a in counted if a.purchases]
    by_agency_year: dict[tuple[str, ...], list[Action]] = defaultdict(list)
    by_recipient: dict[tuple[str, ...], list[Action]] = defaultdict(list)
    by_channel: dict[tuple[str, ...], list[Action]] = defaultdict(list)
    by_vendor: dict[tuple[str, ...], list[Action]] = defaultdict(list)
    for action in counted:
        by_channel[(action.channel,)].append(action)
        for vendor in _vendors(action) or _vendors(action, removal=True):
            by_vendor[(vendor, "purchase" if action.purchases else "removal")].append(action)
    for action in purchases:
        agency = action.get("agency") or action.get("sub_agency") or "(no agency)"
        by_agency_year[(agency, action.get("fiscal_year"))].append(action)
        by_recipient[(action.get("recipient") or "(no recipient)", action.channel)].append(action)
    return Summary(
        actions=tuple(counted),
        duplicates=tuple(duplicates),
        superseded_awards=superseded,
        by_agency_year=tuple(sorted(_totals(by_agency_year), key=lambda t: (t.key[0], t.key[1]))),
        by_recipient=_totals(by_recipient),
        by_channel=_totals(by_channel),
        by_vendor=_totals(by_vendor),
        first_purchases=_first_purchases(purchases),
        rules=_rules(counted, catalog),
        unreadable_amounts=sum(1 for a in counted if a.get("amount") and a.amount is None),
    )


def _first_purchases(purchases: Sequence[Action]) -> tuple[FirstPurchase, ...]:
    first: dict[str, Action] = {}
    for action in purchases:
        agency = action.get("agency") or "(no agency)"
        current = first.get(agency)
        if current is None or (action.on or dt.date.max) < (current.on or dt.date.max):
            first[agency] = action
    return tuple(
        FirstPurchase(
            agency,
            action.on,
            ", ".join(sorted(_vendors(action))),
            action.get("recipient"),
            action.channel,
            action.get("description") or action.get("base_description"),
        )
        for agency, action in sorted(first.items(), key=lambda kv: (kv[1].on or dt.date.max, kv[0]))
    )


def _rules(actions: Sequence[Action], catalog: Catalog) -> tuple[RuleDate, ...]:
    """Per rule that names a vendor in these actions: its date and the purchases after it."""
    vendors: dict[str, set[str]] = defaultdict(set)
    starts: dict[str, str] = {}
    after: dict[str, dict[str, Action]] = defaultdict(dict)
    for action in actions:
        for involvement in action.purchases:
            for ref in involvement.legal:
                vendors[ref.short].add(involvement.entity_name)
                designation = catalog.designations.get(ref.designation)
                if designation is not None:
                    date = str(designation.effective_from)
                    starts[ref.short] = min(starts.get(ref.short, date), date)
                if ref.status is LegalStatus.IN_FORCE:
                    after[ref.short][action.key] = action
    return tuple(
        RuleDate(
            short,
            tuple(sorted(vendors[short])),
            starts.get(short, ""),
            len(after[short]),
            _sum(list(after[short].values())),
        )
        for short in sorted(vendors, key=lambda s: (starts.get(s, ""), s))
    )
