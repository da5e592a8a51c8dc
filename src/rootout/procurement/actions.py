"""Contract actions and the covered vendors in them, from the matcher's own hits.

Stored findings are per award (one finding per award, covered entity, basis and
matched value, whatever the number of modifications). Totals and "first
purchase" need every action, so :class:`ActionCollector` keeps the matcher's
hits per action (one CSV row, API result or FPDS entry: the observations that
share ``extra["row"]`` in one input) and resolves each action on its own with
the matcher's resolution (:func:`rootout.match.resolve.findings_for_asset`),
judged at that action's date. Nothing is matched twice and nothing is matched
here: the hits are :meth:`Matcher.hits`.

How each covered vendor got into the action (:class:`Via`):

* ``recipient``: the recipient (name, DBA name, UEI, DUNS, CAGE) is the covered
  entity itself: a purchase from the manufacturer;
* ``affiliate``: the recipient is tied to it by a catalog relation (a
  subsidiary, a brand), or the recipient's parent is it;
* ``description``: only the description names its product, the recipient is
  unrelated: a purchase through a reseller or integrator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from rootout.catalog.catalog import Catalog
from rootout.catalog.model import Confidence
from rootout.match.engine import Matcher, corroborated
from rootout.match.hit import Hit
from rootout.match.resolve import findings_for_asset, routes
from rootout.model.finding import CONFIDENCE_RANK, Finding, LegalBasisRef, LegalStatus
from rootout.model.observation import Observation
from rootout.procurement.records import parse_amount

RECIPIENT = frozenset({"supplier", "dba_name", "uei", "duns", "cage"})


class Via(StrEnum):
    RECIPIENT = "recipient"
    AFFILIATE = "affiliate"
    DESCRIPTION = "description"


VIA_RANK = {Via.RECIPIENT: 2, Via.AFFILIATE: 1, Via.DESCRIPTION: 0}


@dataclass(frozen=True, slots=True)
class Involvement:
    """One covered entity in one action: bought (or removed), and how it got in."""

    entity: str
    entity_name: str
    via: Via
    removal: bool
    product: str | None
    confidence: Confidence
    legal: tuple[LegalBasisRef, ...]
    finding_id: str
    matched_field: str
    matched_value: str

    @property
    def in_force(self) -> tuple[str, ...]:
        """Short names of the rules in force on the action date."""
        return tuple(ref.short for ref in self.legal if ref.status is LegalStatus.IN_FORCE)


@dataclass(frozen=True, slots=True)
class Action:
    """One contract action (a transaction, or an award summary) with its covered vendors."""

    path: str
    row: int
    line: int
    record: str
    """'transaction', 'award', 'api' or 'fpds'."""
    fields: Mapping[str, str]
    on: dt.date | None
    involvements: tuple[Involvement, ...]

    def get(self, key: str) -> str:
        return self.fields.get(key, "")

    @property
    def key(self) -> str:
        """The transaction's unique key; for an award summary, the award key."""
        return self.get("transaction_key") or f"{self.get('award_key')}#{self.record}"

    @property
    def amount(self) -> Decimal | None:
        return parse_amount(self.get("amount"))

    @property
    def purchases(self) -> tuple[Involvement, ...]:
        return tuple(i for i in self.involvements if not i.removal)

    @property
    def removals(self) -> tuple[Involvement, ...]:
        return tuple(i for i in self.involvements if i.removal)

    @property
    def channel(self) -> str:
        """direct, affiliate, reseller (purchases, by the strongest way in), or removal."""
        if not self.purchases:
            return "removal"
        best = max(self.purchases, key=lambda i: VIA_RANK[i.via]).via
        return {Via.RECIPIENT: "direct", Via.AFFILIATE: "affiliate"}.get(best, "reseller")

    @property
    def in_force(self) -> tuple[str, ...]:
        """Rules in force on the action date for a covered vendor it buys from or of."""
        return tuple(sorted({rule for i in self.purchases for rule in i.in_force}))


class ActionCollector:
    """Keeps the observations that hit, grouped by action, as they stream past."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        self.kept: list[Observation] = []
        self._hits: dict[tuple[str, str], list[Hit]] = {}
        self._main: dict[tuple[str, str], Observation] = {}
        self._last: tuple[tuple[str, str], Observation] | None = None

    def add(self, observation: Observation) -> None:
        """Match one observation; keep it when it hits (a row's parts arrive together)."""
        extra = observation.extra
        group = (observation.source.path, extra.get("row", observation.source.pointer))
        if extra.get("part") == "transaction" and extra.get("purpose") == "purchase":
            self._last = (group, observation)
        hits = self.matcher.hits(observation)
        if hits:
            self.kept.append(observation)
            self._hits.setdefault(group, []).extend(hits)
            main = self._last[1] if self._last and self._last[0] == group else observation
            self._main.setdefault(group, main)

    def actions(self) -> list[Action]:
        catalog = self.matcher.catalog
        result = []
        for group, hits in self._hits.items():
            action = _action(catalog, self._main[group], corroborated(catalog, hits))
            if (
                action.involvements
            ):  # a hit that reaches no covered entity on that date is no action
                result.append(action)
        return result


def _action(catalog: Catalog, main: Observation, hits: list[Hit]) -> Action:
    findings = findings_for_asset(catalog, hits)
    best: dict[tuple[str, bool], Involvement] = {}
    for finding in findings:
        removal = finding.observation.extra.get("purpose") == "removal"
        via = Via.DESCRIPTION if removal else _via(catalog, finding.entity, hits)
        involvement = _involvement(catalog, finding, via, removal)
        key = (finding.entity, removal)
        current = best.get(key)
        if current is None or _rank(involvement) > _rank(current):
            best[key] = involvement
    row = main.extra.get("row", "0")
    return Action(
        path=main.source.path,
        row=int(row) if row.isdigit() else 0,
        line=main.source.line,
        record=main.extra.get("record", ""),
        fields=main.fields,
        on=main.observed_at.date() if main.observed_at else None,
        involvements=tuple(sorted(best.values(), key=lambda i: (i.entity, i.removal))),
    )


def _via(catalog: Catalog, covered: str, hits: Iterable[Hit]) -> Via:
    best = Via.DESCRIPTION
    for hit in hits:
        if hit.observation.extra.get("purpose") == "removal":
            continue
        for route in routes(catalog, hit):
            if route.covered != covered or route.embedding is not None:
                continue
            path = route.applicable[0].path if route.applicable else ()
            if hit.field in RECIPIENT and not path:
                return Via.RECIPIENT
            if hit.field in RECIPIENT or hit.field == "parent_name":
                best = Via.AFFILIATE
    return best


def _involvement(catalog: Catalog, finding: Finding, via: Via, removal: bool) -> Involvement:
    entity = catalog.entities.get(finding.entity)
    return Involvement(
        entity=finding.entity,
        entity_name=entity.name if entity else finding.entity,
        via=via,
        removal=removal,
        product=finding.product,
        confidence=finding.confidence,
        legal=finding.legal,
        finding_id=finding.id,
        matched_field=finding.matched_field,
        matched_value=finding.matched_value,
    )


def _rank(involvement: Involvement) -> tuple[int, int]:
    return VIA_RANK[involvement.via], CONFIDENCE_RANK[involvement.confidence]
