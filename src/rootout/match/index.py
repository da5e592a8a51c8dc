"""The compiled index: cheap candidate generation over normalised keys.

Stage one of matching. For each signature kind the index holds hash maps for
``exact`` and ``name`` patterns, token n-gram maps for ``tokens``, length-bucketed
prefix maps (MAC MA-L/MA-M/MA-S is a longest-prefix lookup in three buckets),
label-suffix maps for DNS, and an Aho-Corasick automaton over the literal parts
of ``glob`` patterns. Regular expressions, and globs without a literal of at least
three characters, are always candidates. Stage two (:mod:`rootout.match.verify`)
decides.
"""

from __future__ import annotations

import importlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from rootout.catalog.catalog import Catalog
from rootout.catalog.model import MatchMode, SignatureKind
from rootout.match.normalize import fold
from rootout.match.verify import key_for, pattern_key

MIN_LITERAL = 3
# CPython's own parse of a pattern (no public API, no type stubs), to find its literals
_parser: Any = importlib.import_module("re._parser")
_constants: Any = importlib.import_module("re._constants")


@dataclass
class _KindIndex:
    modes: set[MatchMode] = field(default_factory=set)
    equal: dict[MatchMode, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(dict))
    tokens: dict[str, set[str]] = field(default_factory=dict)
    max_tokens: int = 0
    max_name_tokens: int = 0
    prefix: dict[int, dict[str, set[str]]] = field(default_factory=dict)
    suffix: dict[int, dict[str, set[str]]] = field(default_factory=dict)
    labels: dict[str, set[str]] = field(default_factory=dict)
    automaton: ahocorasick.Automaton | None = None
    literals: dict[str, set[str]] = field(default_factory=dict)
    always: set[str] = field(default_factory=set)


def _add(table: dict[str, set[str]], key: str, signature_id: str) -> None:
    table.setdefault(key, set()).add(signature_id)


class CompiledIndex:
    """Candidate signature ids for a value of a given kind."""

    def __init__(self, catalog: Catalog) -> None:
        self._kinds: dict[SignatureKind, _KindIndex] = defaultdict(_KindIndex)
        for signature in catalog.signatures.values():
            index = self._kinds[signature.kind]
            index.modes.add(signature.match)
            for pattern in signature.patterns:
                self._add_pattern(index, signature.kind, signature.match, pattern, signature.id)
        for index in self._kinds.values():
            if index.literals:
                automaton = ahocorasick.Automaton()
                for literal in index.literals:
                    automaton.add_word(literal, literal)
                automaton.make_automaton()
                index.automaton = automaton

    @staticmethod
    def _add_pattern(
        index: _KindIndex, kind: SignatureKind, mode: MatchMode, pattern: str, signature_id: str
    ) -> None:
        key = pattern_key(kind, pattern, mode)
        if mode in (MatchMode.EXACT, MatchMode.NAME):
            _add(index.equal[mode], key, signature_id)
            if mode is MatchMode.NAME:
                index.max_name_tokens = max(index.max_name_tokens, len(key.split()))
        elif mode is MatchMode.TOKENS:
            _add(index.tokens, key, signature_id)
            index.max_tokens = max(index.max_tokens, len(key.split()))
        elif mode is MatchMode.PREFIX:
            _add(index.prefix.setdefault(len(key), {}), key, signature_id)
        elif mode is MatchMode.SUFFIX and kind is SignatureKind.DNS_DOMAIN:
            _add(index.labels, key.lstrip("."), signature_id)
        elif mode is MatchMode.SUFFIX:
            _add(index.suffix.setdefault(len(key), {}), key, signature_id)
        elif mode is MatchMode.GLOB:
            literal = max(re.split(r"[*?\[\]]", key), key=len)
            if len(literal) >= MIN_LITERAL:
                _add(index.literals, literal, signature_id)
            else:
                index.always.add(signature_id)
        else:  # regex: prefilter on a literal every match must contain, when there is one
            literal = required_literal(pattern)
            if len(literal) >= MIN_LITERAL:
                _add(index.literals, literal, signature_id)
            else:
                index.always.add(signature_id)

    def kinds(self) -> frozenset[SignatureKind]:
        return frozenset(self._kinds)

    def candidates(self, kind: SignatureKind, value: str) -> set[str]:
        index = self._kinds.get(kind)
        if index is None or not value:
            return set()
        found: set[str] = set(index.always)
        for mode in index.modes:
            key = key_for(kind, value, mode)
            if not key:
                continue
            if mode in (MatchMode.EXACT, MatchMode.NAME):
                found |= index.equal[mode].get(key, set())
            elif mode is MatchMode.TOKENS:
                found |= _ngram_hits(index, key)
            elif mode is MatchMode.PREFIX:
                for length, table in index.prefix.items():
                    found |= table.get(key[:length], set())
            elif mode is MatchMode.SUFFIX and kind is SignatureKind.DNS_DOMAIN:
                labels = key.split(".")
                for start in range(len(labels)):
                    found |= index.labels.get(".".join(labels[start:]), set())
            elif mode is MatchMode.SUFFIX:
                for length, table in index.suffix.items():
                    found |= table.get(key[-length:], set())
            elif mode in (MatchMode.GLOB, MatchMode.REGEX) and index.automaton is not None:
                text = key if mode is MatchMode.GLOB else fold(key)
                for _, literal in index.automaton.iter(text):
                    found |= index.literals[literal]
        return found

    def text_candidates(self, kind: SignatureKind, words: tuple[str, ...]) -> set[str]:
        """Signatures whose ``tokens`` or ``name`` pattern occurs as a run of words in free text."""
        index = self._kinds.get(kind)
        if index is None:
            return set()
        tables = (index.tokens, index.equal.get(MatchMode.NAME, {}))
        longest = max(index.max_tokens, index.max_name_tokens)
        found: set[str] = set()
        for size in range(1, min(longest, len(words)) + 1):
            for start in range(len(words) - size + 1):
                gram = " ".join(words[start : start + size])
                for table in tables:
                    hit = table.get(gram)
                    if hit:
                        found |= hit
        return found


def required_literal(pattern: str) -> str:
    """The longest run of plain characters that every match of ``pattern`` contains.

    Only top-level literals count (not those inside alternations, groups or
    repeats, which a match may skip); returned case-folded, since signatures
    match case-insensitively. Empty when the pattern does not parse or has none.
    """
    try:
        parsed = _parser.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return ""
    best = current = ""
    for op, value in parsed:
        if op is _constants.LITERAL:
            current += chr(value)
            best = max(best, current, key=len)
        else:
            current = ""
    return fold(best)


def _ngram_hits(index: _KindIndex, key: str) -> set[str]:
    words = key.split()
    found: set[str] = set()
    for size in range(1, min(index.max_tokens, len(words)) + 1):
        for start in range(len(words) - size + 1):
            hit = index.tokens.get(" ".join(words[start : start + size]))
            if hit:
                found |= hit
    return found
