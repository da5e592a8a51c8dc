"""Match a supplier against imported screening-list entries: identifiers first, then names.

1. A UEI, CAGE or DUNS equal to the entry's: exact, high confidence.
2. The supplier's normalised name (legal forms dropped,
   :func:`rootout.match.normalize.org_name`) equal to the entry's name or one of
   its alternative names: high confidence.
3. Otherwise a fuzzy name match under the same rule the catalog's organisation
   names use (:mod:`rootout.match.orgname`): every distinctive token on each side
   has a counterpart scoring at least ``TOKEN_THRESHOLD``, the mean is at least
   ``NAME_THRESHOLD`` and the whole names are at least ``FULL_NAME_FLOOR`` alike:
   medium confidence, with the compared tokens and scores in the detail.

Entries whose listing ended before, or starts after, the screening date are not
matched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from rootout.catalog.model import Confidence
from rootout.match import normalize as norm
from rootout.match.orgname import FULL_NAME_FLOOR, distinctive
from rootout.suppliers.model import ListEntry, Supplier

NAME_THRESHOLD = 90.0
TOKEN_THRESHOLD = 85.0


@dataclass(frozen=True, slots=True)
class ListMatch:
    entry: ListEntry
    confidence: Confidence
    field: str
    """The supplier field that matched: uei, cage, duns or name."""
    value: str
    detail: str


def listed_on(entry: ListEntry, today: dt.date) -> bool:
    return (entry.start is None or entry.start <= today) and (
        entry.end is None or today <= entry.end
    )


def match_entry(supplier: Supplier, entry: ListEntry) -> ListMatch | None:
    for field in ("uei", "cage", "duns"):
        ours: str | None = getattr(supplier, field)
        theirs: str | None = getattr(entry, field)
        if ours and theirs and _ident(ours) == _ident(theirs):
            return ListMatch(entry, Confidence.HIGH, field, ours, f"{field.upper()} equal")
    key = norm.org_name(supplier.name)
    for listed in (entry.name, *entry.alt_names):
        if key and norm.org_name(listed) == key:
            return ListMatch(
                entry, Confidence.HIGH, "name", supplier.name, f"normalised name {key!r} equal"
            )
    for listed in (entry.name, *entry.alt_names):
        detail = fuzzy_name(supplier.name, listed)
        if detail is not None:
            return ListMatch(entry, Confidence.MEDIUM, "name", supplier.name, detail)
    return None


def fuzzy_name(ours: str, listed: str) -> str | None:
    """A detail string when the names match fuzzily (module docstring, rule 3), else None."""
    a, b = distinctive(ours), distinctive(listed)
    if not a or not b:
        return None
    pairs = [_best(token, b) for token in a]
    back = [_best(token, a) for token in b]
    if min(s for _, _, s in (*pairs, *back)) < TOKEN_THRESHOLD:
        return None
    score = sum(s for _, _, s in pairs) / len(pairs)
    whole = fuzz.token_sort_ratio(norm.org_name(ours), norm.org_name(listed))
    if score < NAME_THRESHOLD or whole < FULL_NAME_FLOOR:
        return None
    tokens = ", ".join(f"{x!r}~{y!r} {s:.0f}" for x, y, s in pairs)
    return (
        f"fuzzy name {listed!r}: score {score:.0f} >= {NAME_THRESHOLD:.0f}, "
        f"whole names {whole:.0f} >= {FULL_NAME_FLOOR:.0f} (distinctive tokens {tokens})"
    )


def matches(
    supplier: Supplier, entries: Sequence[ListEntry], today: dt.date
) -> tuple[ListMatch, ...]:
    """Entries the supplier matches on ``today``, identifier matches first."""
    found = [m for e in entries if listed_on(e, today) and (m := match_entry(supplier, e))]
    rank = {"uei": 0, "cage": 1, "duns": 2, "name": 3}
    return tuple(
        sorted(found, key=lambda m: (rank[m.field], m.confidence != Confidence.HIGH, m.entry.name))
    )


def _best(token: str, others: tuple[str, ...]) -> tuple[str, str, float]:
    other, score = max(((o, fuzz.ratio(token, o)) for o in others), key=lambda p: p[1])
    return token, other, score


def _ident(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())
