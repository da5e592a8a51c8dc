"""What each supplier clause is about: the legal bases it implements, and what to ask for.

A representation or attestation speaks only about what its clause covers, so evidence
contradicts it only when the evidence's covered entity falls under the legal bases the
clause implements:

- FAR 52.204-24 and 52.204-26 are about "covered telecommunications equipment or
  services" as FAR 52.204-25 defines them (NDAA FY2019 §889);
- FAR 52.204-23 is about Kaspersky Lab covered articles (NDAA FY2018 §1634).

The decision uses the catalog's own data: each matcher finding carries the legal bases
of the designations that reach its entity (``Finding.legal``), and a finding is in a
clause's scope when one of those bases, in force on the observation date, is among the
clause's legal-basis ids below (catalog ids of ``packs/legal.yaml``; a test checks they
exist). No entity names are listed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from rootout.model.finding import Finding, LegalStatus, Step
from rootout.suppliers.model import Clause


@dataclass(frozen=True, slots=True)
class ClauseScope:
    clause: Clause
    legal_bases: frozenset[str]
    """Catalog legal-basis ids the clause implements."""
    covers: str
    """What the clause is about, in a sentence's object position."""


_SECTION_889 = frozenset(
    {"law.far-52.204-24", "law.far-52.204-25", "law.far-52.204-26", "law.ndaa-fy2019-889"}
)
_SECTION_889_TEXT = (
    "covered telecommunications equipment or services as FAR 52.204-25 defines them "
    "(NDAA FY2019 §889 telecommunications and video surveillance equipment and services)"
)
SCOPES = MappingProxyType(
    {
        Clause.FAR_52_204_23: ClauseScope(
            Clause.FAR_52_204_23,
            frozenset({"law.far-52.204-23", "law.ndaa-fy2018-1634"}),
            "Kaspersky Lab covered articles (NDAA FY2018 §1634)",
        ),
        Clause.FAR_52_204_24: ClauseScope(Clause.FAR_52_204_24, _SECTION_889, _SECTION_889_TEXT),
        Clause.FAR_52_204_26: ClauseScope(Clause.FAR_52_204_26, _SECTION_889, _SECTION_889_TEXT),
    }
)

ASK_SECTION_889_DISCLOSURE = (
    "a disclosure under FAR 52.204-24(e) for the covered component (brand, model number, "
    "item description) and a replacement or removal plan for the delivered product"
)
ASK_KASPERSKY_REPORT = (
    "the report FAR 52.204-23(c)(1) requires of a contractor that identifies a Kaspersky Lab "
    "covered article (to the Contracting Officer; for DoD at https://dibnet.dod.mil): the "
    "(c)(2)(i) initial report (contract and order numbers, supplier name, brand, model number, "
    "item description, mitigation) within 3 business days of identification (1 under the "
    "Jul 2018 clause), then the (c)(2)(ii) follow-up within 10 business days, and a removal "
    "plan for the delivered product"
)
ASK_OTHER_DELIVERY = (
    "a description of the covered component (brand, model number, item description) and a "
    "replacement or removal plan for the delivered product"
)
ASK_CONTRADICTED = MappingProxyType(
    {
        Clause.FAR_52_204_23: ("a corrected FAR 52.204-23 attestation and " + ASK_KASPERSKY_REPORT),
        Clause.FAR_52_204_24: (
            "a corrected FAR 52.204-24 representation and a disclosure under FAR 52.204-24(e) "
            "(producer, brand, model number, item description, proposed use) of the covered "
            "equipment or service the evidence shows"
        ),
        Clause.FAR_52_204_26: (
            "a corrected FAR 52.204-26 representation and a disclosure under FAR 52.204-24(e) "
            "(producer, brand, model number, item description, proposed use) of the covered "
            "equipment or service the evidence shows"
        ),
    }
)


def in_force_bases(finding: Finding) -> frozenset[str]:
    return frozenset(r.legal_basis for r in finding.legal if r.status is LegalStatus.IN_FORCE)


def in_scope(clause: Clause, finding: Finding) -> bool:
    """Whether ``finding``'s covered entity falls under a legal basis ``clause`` implements."""
    return bool(in_force_bases(finding) & SCOPES[clause].legal_bases)


def clauses_for(finding: Finding) -> list[Clause]:
    """The supplier clauses whose scope ``finding`` falls in."""
    return [clause for clause in SCOPES if in_scope(clause, finding)]


def outside_scope_step(clause: Clause, finding: Finding) -> Step:
    """Why ``finding`` does not bear on a ``clause`` representation."""
    what = finding.observation.fields.get("name") or finding.matched_value
    rules = ", ".join(sorted({r.short for r in finding.legal if r.status is LegalStatus.IN_FORCE}))
    others = [c for c in clauses_for(finding) if c is not clause]
    see = (
        "see " + " and ".join(f"FAR {c.value}" for c in others)
        if others
        else "no supplier clause covers it"
    )
    return Step(
        "note",
        f"no contradiction of the FAR {clause.value} {_noun(clause)}: FAR {clause.value} "
        f"covers {SCOPES[clause].covers}; {what!r} ({finding.entity}; "
        f"{rules}) is outside it, {see}",
        ref=f"FAR {clause.value}",
    )


def _noun(clause: Clause) -> str:
    return "attestation" if clause.is_attestation else "representation"


def delivery_ask(findings: Sequence[Finding]) -> str:
    """What to ask a supplier for about covered technology it delivered, by the clauses the
    findings fall under: the 52.204-23(c)(1) report for Kaspersky, the 52.204-24(e)
    disclosure for §889 equipment, a description otherwise."""
    clauses = {c for f in findings for c in clauses_for(f)}
    asks = []
    if clauses & {Clause.FAR_52_204_24, Clause.FAR_52_204_26}:
        asks.append(ASK_SECTION_889_DISCLOSURE)
    if Clause.FAR_52_204_23 in clauses:
        asks.append(ASK_KASPERSKY_REPORT)
    return "; and ".join(asks) or ASK_OTHER_DELIVERY


def contradiction_ask(clauses: Iterable[Clause]) -> str:
    return "; and ".join(ASK_CONTRADICTED[c] for c in sorted(set(clauses)))
