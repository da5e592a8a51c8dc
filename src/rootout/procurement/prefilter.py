"""The candidate stage of the DuckDB path, built from the catalog and the matcher.

Only rows that *might* hit are turned into observations and given to the
matcher; this module decides which, without ever dropping a row the matcher
would find:

* organisation names (recipient, parent, DBA): every distinct value in the
  file is checked once with the matcher's own verification
  (:meth:`Matcher.verified`, signatures then the fuzzy organisation-name
  stage), so the set of names that hit is exact, not approximate;
* identifiers (UEI, DUNS, CAGE): every distinct value is looked up in the
  catalog's identifier index, as the matcher does;
* descriptions: a regular expression over whole words. For every product-name
  signature the matcher searches in free text (``name`` and ``tokens`` patterns),
  the longest word of its normalised pattern must occur as a whole word; any
  text with a non-ASCII character passes too (the matcher folds Unicode and
  transliterates Cyrillic, which plain lower-casing in SQL does not). A run of
  words can only occur where each of its words does, and the purchase and
  removal parts of a description are made of its whole words, so the filter
  is a superset of what the matcher finds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy
from rapidfuzz import fuzz, process

from rootout.catalog.catalog import Catalog
from rootout.catalog.model import MatchMode, SignatureKind
from rootout.match import normalize as norm
from rootout.match.engine import Matcher
from rootout.match.orgname import GENERIC_WORDS, distinctive
from rootout.match.verify import pattern_key
from rootout.model.observation import FIELD_KINDS, TEXT_FIELDS

NAME_KEYS = ("supplier", "parent_name", "dba_name")
IDENTIFIER_KEYS = ("uei", "duns", "cage")
TEXT_KEYS = ("description", "base_description")
NON_ASCII = "[^\\x00-\\x7f]"
WORD_MODES = (MatchMode.EXACT, MatchMode.NAME, MatchMode.TOKENS)
NEAR_BLOCK = 50_000
"""Tokens scored at once by :meth:`NameFilter.near` (a block times the vocabulary, in bytes)."""
NEAR_CACHE = 1_000_000
_ASCII_WORD = re.compile(r"^[a-z0-9]+$")
GENERIC = GENERIC_WORDS | frozenset(
    [
        "security",
        "endpoint",
        "protection",
        "connect",
        "connection",
        "administration",
        "intelligence",
        "express",
        "suite",
        "browser",
        "meeting",
        "antivirus",
        "anti",
        "virus",
        "cybersecurity",
        "internet",
        "total",
        "server",
        "center",
        "centre",
        "mobile",
        "client",
        "manager",
        "management",
        "agent",
        "mail",
        "web",
        "app",
        "assistant",
        "studio",
        "tool",
        "tools",
        "for",
        "windows",
        "mac",
        "linux",
        "android",
        "business",
        "small",
        "office",
        "free",
        "plus",
        "premium",
        "standard",
        "edition",
        "advanced",
        "select",
        "lite",
        "pro",
        "secure",
        "console",
        "kit",
        "microsoft",
        "exchange",
    ]
)
"""Words too common in contract descriptions to pick as a pattern's filter word (any word of a
pattern is correct; a distinctive one keeps the candidate set small)."""


def text_words(matcher: Matcher) -> list[str]:
    """The words one of which every free-text hit must contain (sorted, ASCII only)."""
    kinds = {FIELD_KINDS[name] for name in TEXT_FIELDS}
    keys = [
        pattern_key(signature.kind, pattern, signature.match).split()
        for signature in matcher.catalog.signatures.values()
        if signature.kind in kinds and signature.match in (MatchMode.NAME, MatchMode.TOKENS)
        for pattern in signature.patterns
    ]
    brands = brand_words(matcher.catalog)
    # any word of a pattern is correct; a covered company's name word, else the longest
    # uncommon word, keeps the candidate rows few
    words = {
        min(key, key=lambda w: (w not in brands, w in GENERIC, w.isdigit(), -len(w), w))
        for key in keys
        if key
    }
    return sorted(w for w in words if _ASCII_WORD.match(w))


def brand_words(catalog: Catalog) -> set[str]:
    """Distinctive name words of designated entities and of entities one relation away."""
    designated = {d.entity for d in catalog.designations.values()}
    near = set(designated)
    for relation in catalog.relations.values():
        if relation.object in designated or relation.subject in designated:
            near |= {relation.subject, relation.object}
    return {
        word
        for entity_id in near
        if (entity := catalog.entities.get(entity_id)) is not None
        for name in (entity.name, *entity.aliases)
        for word in distinctive(name)
    }


def text_regex(words: Iterable[str]) -> str:
    """A whole-word regular expression (RE2) for lower-cased text; '' when there are no words."""
    alternatives = "|".join(sorted(set(words), key=lambda w: (-len(w), w)))
    return f"(^|[^a-z0-9])({alternatives})([^a-z0-9]|$)" if alternatives else ""


class NameFilter:
    """Which organisation names could verify at all (a superset); the matcher then decides.

    A name the matcher verifies must, by the matcher's own rules, contain a word of
    some ``exact``/``name``/``tokens`` publisher pattern or of an entity's own name
    (all of its words are in the name; one chosen word is checked), or hold a word
    within the fuzzy token threshold of an entity-name word (the fuzzy stage's
    candidates come only from such words). A ``prefix``/``suffix``/``glob``/``regex``
    publisher pattern, or one without words, sends every name to the matcher
    (``pass_all``). Names that pass go to :meth:`Matcher.verified`;
    ``tests/procurement/test_bulk.py`` checks the filter never drops a name the
    matcher verifies. The DuckDB path runs the same test in SQL (words of ASCII
    names; non-ASCII names always pass).
    """

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        self.org_names = matcher.org_names
        kind = SignatureKind.PUBLISHER
        signatures = [s for s in matcher.catalog.signatures.values() if s.kind is kind]
        brands = brand_words(matcher.catalog)
        self.words: set[str] = set()
        self.empty_pattern = False
        self.others = [s for s in signatures if s.match not in WORD_MODES]
        for signature in signatures:
            if signature.match not in WORD_MODES:
                continue
            for pattern in signature.patterns:
                key = (
                    norm.simplify(pattern)
                    if signature.match is MatchMode.EXACT
                    else pattern_key(kind, pattern, signature.match)
                ).split()
                if not key:
                    self.empty_pattern = True
                    continue
                self.words.add(_pick(key, brands))
        for entity in matcher.catalog.entities.values():  # an entity's own name (alias stage)
            for name in (entity.name, *entity.aliases):
                key = norm.org_name(name).split()
                if key:
                    self.words.add(_pick(key, brands))
                else:
                    self.empty_pattern = True
        self._near: dict[str, bool] = {}

    @property
    def pass_all(self) -> bool:
        """Some pattern cannot be reduced to a word: every name must go to the matcher."""
        return bool(self.others) or self.empty_pattern

    def near(self, tokens: Iterable[str]) -> set[str]:
        """The tokens within the fuzzy stage's token threshold of an entity-name word.

        Tokens are scored against the whole vocabulary in blocks
        (:func:`rapidfuzz.process.cdist`, the same ``fuzz.ratio`` and cutoff as the
        fuzzy stage): the 107,698 distinct tokens of the 5 GiB bench file take 0.15 s,
        where a call per token took 0.36 s. Answers are cached.
        """
        tokens = [t for t in tokens if t]
        todo = sorted(set(tokens) - self._near.keys())
        if len(self._near) + len(todo) > NEAR_CACHE:
            self._near.clear()
        vocabulary = sorted(self.org_names.vocabulary)
        cutoff = self.org_names.token_threshold
        for start in range(0, len(todo), NEAR_BLOCK):
            block = todo[start : start + NEAR_BLOCK]
            if not vocabulary:
                self._near.update(dict.fromkeys(block, False))
                continue
            # a score under the cutoff is set to 0, so any score left is at least the cutoff
            scores = process.cdist(
                block, vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=numpy.uint8
            )
            self._near.update(zip(block, (scores.max(axis=1) > 0).tolist(), strict=True))
        return {t for t in tokens if self._near.get(t)}

    def could_hit(self, value: str) -> bool:
        return self._could_hit(norm.simplify(value).split())

    def _could_hit(self, tokens: list[str]) -> bool:
        if self.pass_all or self.words.intersection(tokens):
            return True
        return bool(self.near(tokens))

    def hits(self, values: Iterable[str]) -> list[str]:
        """The names among ``values`` the matcher verifies (exactly its own test)."""
        tokens = {v: norm.simplify(v).split() for v in values if v}
        self.near(token for split in tokens.values() for token in split)  # one batch
        verified = self.matcher.verified
        return [
            v
            for v, split in tokens.items()
            if self._could_hit(split) and verified(SignatureKind.PUBLISHER, v)
        ]


def _pick(key: list[str], brands: set[str]) -> str:
    return min(key, key=lambda w: (w not in brands, w in GENERIC, -len(w), w))


def hit_names(matcher: Matcher, values: Iterable[str]) -> list[str]:
    """The organisation names, among ``values``, the matcher verifies (exactly its own test)."""
    return NameFilter(matcher).hits(values)


def identifier_keys(matcher: Matcher) -> set[str]:
    """The catalog's registry identifiers as the matcher compares them (upper-case letters and
    digits); an observed identifier can hit only if it reduces to one of these."""
    return {value for _scheme, value in matcher.org_names.identifiers}
