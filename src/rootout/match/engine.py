"""Observations in, findings out: candidates, verification, resolution, explanation.

:class:`Matcher` is the in-process engine. Per observation it looks up candidate
signatures for each canonical field (cached per distinct value: inventories
repeat the same names across thousands of hosts), verifies them, and keeps the
hits. Per asset it then applies what needs the whole asset (``requires``
corroboration, residual artifacts, SBOM component paths) and resolves each hit
through the ownership walk to designated entities and legal bases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from rootout.catalog.catalog import Catalog
from rootout.catalog.dates import in_interval
from rootout.catalog.model import MatchMode, Signature, SignatureKind
from rootout.match import normalize as norm
from rootout.match.hit import Hit
from rootout.match.index import CompiledIndex
from rootout.match.orgname import IDENTIFIER_FIELDS, OrgNameIndex, distinctive
from rootout.match.resolve import findings_for_asset
from rootout.match.verify import Verdict, verify, verify_in_text
from rootout.model.finding import Finding
from rootout.model.observation import FIELD_KINDS, TEXT_FIELDS, Observation

LOCAL_BIT = 0x02
MULTICAST_BIT = 0x01


Verified = tuple[tuple[Signature, Verdict], ...]
TEXT_KEY = "\0text\0"
ORG_KINDS = frozenset({SignatureKind.PUBLISHER, SignatureKind.SIGNER})


class Matcher:
    """The in-process matcher over a loaded catalog."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        index: CompiledIndex | None = None,
        today: dt.date | None = None,
        org_names: OrgNameIndex | None = None,
    ) -> None:
        self.catalog = catalog
        self.index = index or CompiledIndex(catalog)
        self.today = today or dt.date.today()
        self.org_names = org_names or OrgNameIndex(catalog)
        self._cache: dict[tuple[SignatureKind, str], Verified] = {}
        kinds = self.index.kinds() | ORG_KINDS
        self._field_kinds = {name: kind for name, kind in FIELD_KINDS.items() if kind in kinds}

    # -- stage one and two, per observation ----------------------------------------
    def verified(self, kind: SignatureKind, value: str) -> Verified:
        """Signatures that verify on ``value`` as ``kind``, cached per distinct value.

        Organisation names that no signature matches go on to the fuzzy
        organisation-name stage (:mod:`rootout.match.orgname`).
        """
        cache_key = (kind, value)
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        hits: list[tuple[Signature, Verdict]] = []
        for signature_id in sorted(self.index.candidates(kind, value)):
            signature = self.catalog.signatures[signature_id]
            verdict = verify(signature, value)
            if verdict.hit:
                hits.append((signature, verdict))
        if kind is SignatureKind.MAC_PREFIX and len(hits) > 1:
            # a MAC belongs to the registrant of its longest matching prefix (MA-S > MA-M > MA-L)
            longest = max(len(v.pattern or "") for _, v in hits)
            hits = [(sig, v) for sig, v in hits if len(v.pattern or "") == longest]
        if kind in ORG_KINDS and all(sig.match is MatchMode.TOKENS for sig, _ in hits):
            # Only word-level hits so far ("huawei" in "Huawei Symantec Technologies"): the
            # entity whose own name this is, if any, is the more specific answer.
            hits.extend(self._alias_org(value, {sig.entity for sig, _ in hits}))
            if not hits:
                hits = self._fuzzy_org(value)
        result = tuple(hits)
        if len(self._cache) > 500_000:
            self._cache.clear()
        self._cache[cache_key] = result
        return result

    def verified_text(self, kind: SignatureKind, value: str) -> Verified:
        """Signatures whose names occur in free text (cached under a separate key)."""
        cache_key = (kind, TEXT_KEY + value)
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        words = norm.tokens(value)
        hits: list[tuple[Signature, Verdict]] = []
        for signature_id in sorted(self.index.text_candidates(kind, words)):
            signature = self.catalog.signatures[signature_id]
            verdict = verify_in_text(signature, words, value)
            if verdict.hit:
                hits.append((signature, verdict))
        result = tuple(hits)
        self._cache[cache_key] = result
        return result

    def _alias_org(self, value: str, already: set[str | None]) -> list[tuple[Signature, Verdict]]:
        """Exact matches of an entity's own name or alias (the most specific organisation)."""
        index = self.org_names
        key = norm.org_name(value)
        return [
            (
                index.alias_signatures[entity],
                Verdict(True, f"alias.{entity}", value, key, key, "name match"),
            )
            for entity in index.exact_entities(value)
            if entity not in already
        ]

    def _fuzzy_org(self, value: str) -> list[tuple[Signature, Verdict]]:
        index = self.org_names
        return [
            (
                index.signatures[match.entity],
                Verdict(
                    True,
                    f"org.{match.entity}",
                    value,
                    " ".join(distinctive(value)),
                    match.name,
                    f"fuzzy organisation name, score {match.score:.0f} >= {index.name_threshold:.0f} "
                    f"(distinctive tokens {match.detail})",
                ),
            )
            for match in index.match(value)
        ]

    def _identifier_hits(self, observation: Observation, on: dt.date) -> list[Hit]:
        found = []
        for field_name, scheme in IDENTIFIER_FIELDS.items():
            value = observation.fields.get(field_name)
            entity = self.org_names.by_identifier(scheme, value) if value else None
            if entity is not None and value:
                signature = self.org_names.id_signatures[entity]
                verdict = Verdict(
                    True,
                    signature.id,
                    value,
                    value,
                    value,
                    f"{scheme.upper()} listed for the entity",
                )
                found.append(Hit(observation, field_name, signature, verdict, on))
        return found

    def hits(self, observation: Observation) -> list[Hit]:
        """Verified hits on every matchable field. The common case (no hit) is three
        dictionary look-ups per field: kind, then the per-value cache."""
        found: list[Hit] = []
        cache = self._cache
        for field_name, value in observation.fields.items():
            kind = self._field_kinds.get(field_name)
            if kind is None or not value:
                if field_name in IDENTIFIER_FIELDS and self.org_names.identifiers:
                    on = observation.observed_at.date() if observation.observed_at else self.today
                    found.extend(
                        h for h in self._identifier_hits(observation, on) if h.field == field_name
                    )
                continue
            text = field_name in TEXT_FIELDS
            verified = cache.get((kind, TEXT_KEY + value if text else value))
            if verified is None:
                verified = self.verified_text(kind, value) if text else self.verified(kind, value)
            if not verified:
                continue
            if kind is SignatureKind.MAC_PREFIX and not attributable_mac(value):
                continue
            on = observation.observed_at.date() if observation.observed_at else self.today
            for signature, verdict in verified:
                if self._applies(signature, observation, on):
                    found.append(Hit(observation, field_name, signature, verdict, on))
        return found

    def _applies(self, signature: Signature, observation: Observation, on: dt.date) -> bool:
        if not in_interval(on, signature.valid_from, signature.valid_to):
            return False
        ecosystem = observation.fields.get("ecosystem")
        return not (
            signature.ecosystem is not None
            and ecosystem
            and ecosystem.lower() != signature.ecosystem.value
        )

    # -- whole inputs ----------------------------------------------------------------
    def session(self) -> MatchSession:
        """An accumulator that takes observations one at a time (bounded memory)."""
        return MatchSession(self)

    def match(self, observations: Iterable[Observation]) -> Iterator[Finding]:
        """Findings for a stream of observations, asset by asset."""
        session = self.session()
        for observation in observations:
            session.add(observation)
        yield from session.findings()


class MatchSession:
    """Hits collected per asset while observations stream past.

    Only observations with hits are kept; findings are resolved once the stream
    ends, because residual and corroboration rules look at everything an asset
    holds.
    """

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        self.by_asset: dict[str, list[Hit]] = {}

    def add(self, observation: Observation) -> None:
        hits = self.matcher.hits(observation)
        if hits:
            self.by_asset.setdefault(observation.asset.key, []).extend(hits)

    def findings(self) -> Iterator[Finding]:
        catalog = self.matcher.catalog
        for asset_key in sorted(self.by_asset):
            yield from findings_for_asset(catalog, corroborated(catalog, self.by_asset[asset_key]))


def attributable_mac(value: str) -> bool:
    """False for locally administered (randomised, virtual) and multicast addresses."""
    digits = "".join(ch for ch in value if ch in "0123456789abcdefABCDEF")
    if len(digits) < 2:
        return False
    first = int(digits[:2], 16)
    return not (first & LOCAL_BIT or first & MULTICAST_BIT)


def corroborated(catalog: Catalog, hits: list[Hit]) -> list[Hit]:
    """Drop hits whose signature ``requires`` other kinds that did not hit the same entity."""
    kinds_by_entity: dict[str, set[SignatureKind]] = {}
    for hit in hits:
        kinds_by_entity.setdefault(catalog.signature_entity(hit.signature), set()).add(
            hit.signature.kind
        )
    return [
        hit
        for hit in hits
        if not hit.signature.requires
        or set(hit.signature.requires) & kinds_by_entity[catalog.signature_entity(hit.signature)]
    ]
