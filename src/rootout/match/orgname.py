"""Fuzzy organisation-name matching, with generic words kept from driving a match.

Publisher, signer, vendor, supplier, manufacturer and contract-recipient names
are spelt in many ways ("ZHEJIANG DAHUA TECHNOLOGYCO.,LTD"). Exact signatures
catch the spellings the catalog lists; this stage catches the rest:

1. Both names are normalised (:func:`rootout.match.normalize.org_name`) and split
   into *distinctive* tokens: generic words ("technology", "security",
   "digital", "systems", place names such as "hangzhou"...) are set aside, and
   so is a generic word with a legal form glued on ("technologyco").
2. The whole normalised names must also be similar (token order aside): at
   least ``FULL_NAME_FLOOR``, so one shared word in otherwise unrelated names
   ("Smobile" and "China Mobile International") is not enough.
3. Every distinctive token of the catalog name must have a counterpart in the
   observed name scoring at least ``token_threshold`` (rapidfuzz ratio), and
   every distinctive token of the observed name must have one in the catalog
   name: "Shanghai Dahua Scale Factory" keeps "scale" and "factory" unmatched,
   so it never becomes Dahua.
4. The score is the mean of the best token scores; at or above
   ``name_threshold`` the name matches, with medium confidence and the score and
   compared tokens in the explanation.

Identifiers outrank names: a UEI, CAGE, DUNS or LEI equal to one the catalog
lists for an entity is an exact, high-confidence match.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from rootout.catalog.catalog import Catalog
from rootout.catalog.model import Confidence, MatchMode, Signature, SignatureKind
from rootout.match import normalize as norm

GENERIC_WORDS = frozenset(
    [
        "technology",
        "technologies",
        "tech",
        "security",
        "digital",
        "systems",
        "system",
        "communications",
        "communication",
        "electronics",
        "electronic",
        "electric",
        "software",
        "international",
        "intl",
        "group",
        "holdings",
        "holding",
        "network",
        "networks",
        "solutions",
        "solution",
        "information",
        "science",
        "sciences",
        "industrial",
        "intelligent",
        "device",
        "devices",
        "equipment",
        "products",
        "product",
        "services",
        "service",
        "global",
        "trading",
        "enterprise",
        "enterprises",
        "labs",
        "lab",
        "laboratory",
        "laboratories",
        "research",
        "development",
        "innovation",
        "innovations",
        "computer",
        "computing",
        "cloud",
        "data",
        "telecom",
        "telecommunications",
        "china",
        "chinese",
        "usa",
        "america",
        "american",
        "europe",
        "asia",
        "pacific",
        "hangzhou",
        "shenzhen",
        "zhejiang",
        "shanghai",
        "beijing",
        "guangdong",
        "guangzhou",
        "jiangsu",
        "sichuan",
        "chengdu",
        "wuhan",
        "xiamen",
        "fujian",
        "suzhou",
        "nanjing",
        "ningbo",
        "tianjin",
        "dongguan",
        "hong",
        "kong",
        "of",
        "and",
        "the",
    ]
)
LEGAL_TAILS = ("co", "ltd", "inc", "corp", "llc")
_GLUED = frozenset(word + tail for word in GENERIC_WORDS for tail in LEGAL_TAILS)
"""A generic word with a legal form glued on, as registries write them ("technologyco")."""
FULL_NAME_FLOOR = 80.0
"""Besides the distinctive tokens, the whole normalised names (generic words included,
token order ignored) must be this similar: a lone distinctive token such as "mobile" or
"unicom" is not enough when the rest of the name is unrelated ("Smobile", "Unico")."""
IDENTIFIER_FIELDS = {
    "uei": "uei",
    "cage": "cage",
    "duns": "duns",
    "lei": "lei",
    "parent_uei": "uei",  # a covered parent's identifier on a subsidiary's contract
    "parent_duns": "duns",
}
"""Observation fields holding registry identifiers, and the scheme each is compared under."""


@dataclass(frozen=True)
class OrgMatch:
    entity: str
    name: str
    score: float
    detail: str


def distinctive(name: str) -> tuple[str, ...]:
    """The tokens of a normalised organisation name that can identify it."""
    result = []
    for token in norm.org_name(name).split():
        if token in GENERIC_WORDS or token.isdigit():
            continue
        if token in _GLUED:
            continue
        result.append(token)
    return tuple(result)


class OrgNameIndex:
    """Entity names and identifiers of a catalog, for fuzzy and identifier matching."""

    def __init__(
        self, catalog: Catalog, *, name_threshold: float = 90.0, token_threshold: float = 85.0
    ) -> None:
        self.name_threshold = name_threshold
        self.token_threshold = token_threshold
        self.names: list[tuple[str, str, tuple[str, ...]]] = []
        self.by_token: dict[str, set[int]] = {}
        self.identifiers: dict[tuple[str, str], str] = {}
        self.exact: dict[str, set[str]] = {}
        negatives = [n.value for n in catalog.hard_negatives.values()]
        self.negatives = {norm.simplify(v) for v in negatives}
        for entity in catalog.entities.values():
            for name in (entity.name, *entity.aliases):
                self.exact.setdefault(norm.org_name(name), set()).add(entity.id)
                tokens = distinctive(name)
                if not tokens:
                    continue
                position = len(self.names)
                self.names.append((entity.id, name, tokens))
                for token in tokens:
                    self.by_token.setdefault(token, set()).add(position)
            for identifier in entity.identifiers:
                self.identifiers[(identifier.scheme, _ident(identifier.value))] = entity.id
        self.vocabulary = sorted(self.by_token)
        # A trap's organisation-level name blocks fuzzy matches of its spellings ("Teltronics"
        # for "Teltronics, Inc."), unless it is also an entity's own name ("Teltronic AG" and
        # "Teltronic S.A.U." are both "teltronic": there only the exact trap string blocks).
        self.negative_orgs = {norm.org_name(v) for v in negatives} - set(self.exact)
        self.signatures = {
            entity.id: Signature(
                id=f"org.{entity.id}",
                kind=SignatureKind.PUBLISHER,
                patterns=(entity.name, *entity.aliases),
                match=MatchMode.NAME,
                confidence=Confidence.MEDIUM,
                entity=entity.id,
                sources=entity.sources,
                notes="fuzzy organisation-name match against the entity's names",
            )
            for entity in catalog.entities.values()
        }
        self.alias_signatures = {
            entity.id: Signature(
                id=f"alias.{entity.id}",
                kind=SignatureKind.PUBLISHER,
                patterns=(entity.name, *entity.aliases),
                match=MatchMode.NAME,
                confidence=Confidence.HIGH,
                entity=entity.id,
                sources=entity.sources,
                notes="the entity's own name or one of its listed aliases, after normalisation",
            )
            for entity in catalog.entities.values()
        }
        self.id_signatures = {
            entity.id: Signature(
                id=f"ident.{entity.id}",
                kind=SignatureKind.PUBLISHER,
                patterns=tuple(i.value for i in entity.identifiers) or (entity.name,),
                match=MatchMode.EXACT,
                confidence=Confidence.HIGH,
                entity=entity.id,
                sources=tuple(s for i in entity.identifiers for s in i.sources) or entity.sources,
                notes="registry identifier (UEI, CAGE, DUNS, LEI) listed for the entity",
            )
            for entity in catalog.entities.values()
        }

    def is_trap(self, value: str) -> bool:
        return norm.simplify(value) in self.negatives

    def exact_entities(self, value: str) -> list[str]:
        """Entities one of whose names or aliases normalises to exactly the value's name."""
        if self.is_trap(value):
            return []
        return sorted(self.exact.get(norm.org_name(value), ()))

    def by_identifier(self, scheme: str, value: str) -> str | None:
        return self.identifiers.get((scheme, _ident(value)))

    def match(self, value: str) -> list[OrgMatch]:
        """Entities whose names the value matches fuzzily, best first."""
        if self.is_trap(value) or norm.org_name(value) in self.negative_orgs:
            return []
        observed = distinctive(value)
        if not observed:
            return []
        candidates: set[int] = set()
        for token in observed:
            for hit, _score, _ in process.extract(
                token,
                self.vocabulary,
                scorer=fuzz.ratio,
                score_cutoff=self.token_threshold,
                limit=8,
            ):
                candidates |= self.by_token[hit]
        best: dict[str, OrgMatch] = {}
        for position in candidates:
            entity_id, name, tokens = self.names[position]
            scored = _aligned(tokens, observed, self.token_threshold)
            if scored is None:
                continue
            score, pairs = scored
            if score < self.name_threshold:
                continue
            whole = fuzz.token_sort_ratio(norm.org_name(value), norm.org_name(name))
            if whole < FULL_NAME_FLOOR:
                continue
            detail = ", ".join(f"{a!r}~{b!r} {s:.0f}" for a, b, s in pairs)
            match = OrgMatch(entity_id, name, score, detail)
            if entity_id not in best or best[entity_id].score < score:
                best[entity_id] = match
        return sorted(best.values(), key=lambda m: (-m.score, m.entity))


def _aligned(
    catalog_tokens: Iterable[str], observed: tuple[str, ...], threshold: float
) -> tuple[float, list[tuple[str, str, float]]] | None:
    """Mean best-token score when every token on both sides finds a counterpart."""
    pairs: list[tuple[str, str, float]] = []
    catalog_list = list(catalog_tokens)
    for token in catalog_list:
        other, score = max(((o, fuzz.ratio(token, o)) for o in observed), key=lambda p: p[1])
        if score < threshold:
            return None
        pairs.append((token, other, score))
    for token in observed:
        if max(fuzz.ratio(token, c) for c in catalog_list) < threshold:
            return None
    return sum(p[2] for p in pairs) / len(pairs), pairs


def _ident(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())
