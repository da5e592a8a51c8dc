"""Signature patterns as SQLite predicates (the dialect osquery runs).

The predicates approximate :mod:`rootout.match.verify`; where they differ, they
err towards returning more rows, because results come back through ``rootout
scan``, which verifies every value again with the catalog's own matching.

- exact: ``lower(col) = 'x'`` (SQLite's ``lower`` folds ASCII only).
- prefix / suffix: ``LIKE 'x%'`` / ``LIKE '%x'``.
- glob: ``*`` → ``%``, ``?`` → ``_``, a bracket class ``[..]`` → ``_`` (any one character:
  broader than the class).
- name, for publishers and signers: the normalised organisation name as whole words
  anywhere in the value (as tokens below), so "AO Kaspersky Lab" and "Kaspersky Lab JSC"
  both select; broader than rootout, which drops only legal-form words.
- name, for other kinds: the pattern's normalised key, equal to the lower-cased value or followed by a
  space (``'kaspersky endpoint security %'``), standing in for rootout's dropping of
  version and platform tails. Legal forms and punctuation are not normalised: a value
  that only matches after that normalisation is missed.
- tokens: the value with common punctuation replaced by spaces, padded with spaces,
  must contain the pattern's tokens padded with spaces. Runs of several spaces and
  punctuation outside ``PUNCTUATION`` are not collapsed: such values are missed.
- regex: not exported (osquery's ``regex_match`` uses C++ std::regex, whose syntax and
  case handling differ from Python's).
"""

from __future__ import annotations

import re

from rootout.catalog.model import Guard, MatchMode, Signature, SignatureKind
from rootout.match.verify import pattern_key

ESCAPE = "\\"
PUNCTUATION = ".,-_()/\\:;'\"&+=@"
"""Characters the tokens predicate turns into spaces, as rootout's tokeniser does with all
punctuation. Kept short: each is one nested ``replace()``, and SQLite's parser stack limits
the nesting (about 30 levels overflow it)."""

_ORG_KINDS = frozenset({SignatureKind.PUBLISHER, SignatureKind.SIGNER})
_BRACKET = re.compile(r"\[[^\]]*\]")


def quote(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def like_escape(text: str) -> str:
    """``text`` with LIKE's wildcards and the escape character taken literally."""
    return text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")


def glob_to_like(pattern: str) -> str:
    """A shell glob as a LIKE pattern (bracket classes become ``_``)."""
    out: list[str] = []
    for piece in _BRACKET.split(pattern):
        out.append(like_escape(piece).replace("*", "%").replace("?", "_"))
    return "_".join(out)


def _like(column: str, pattern: str) -> str:
    return f"lower({column}) LIKE {quote(pattern)} ESCAPE {quote(ESCAPE)}"


def tokens_column(column: str) -> str:
    """``' ' || lower(col) || ' '`` with the punctuation rootout splits on made spaces."""
    expr = f"lower({column})"
    for char in PUNCTUATION:
        expr = f"replace({expr}, {quote(char)}, ' ')"
    return f"(' ' || {expr} || ' ')"


def predicate(column: str, kind: SignatureKind, mode: MatchMode, pattern: str) -> str | None:
    """One pattern as a predicate on ``column``; ``None`` when the mode is not exported."""
    if mode is MatchMode.REGEX:
        return None
    key = pattern_key(kind, pattern, mode)
    if mode is MatchMode.EXACT:
        return f"lower({column}) = {quote(key)}"
    if mode is MatchMode.PREFIX:
        return _like(column, like_escape(key) + "%")
    if mode is MatchMode.SUFFIX:
        return _like(column, "%" + like_escape(key))
    if mode is MatchMode.GLOB:
        return _like(column, glob_to_like(key))
    if mode is MatchMode.NAME and kind in _ORG_KINDS:
        return _tokens(column, key)
    if mode is MatchMode.NAME:
        return f"(lower({column}) = {quote(key)} OR {_like(column, like_escape(key) + ' %')})"
    return _tokens(column, key)


def _tokens(column: str, key: str) -> str:
    padded = f"% {like_escape(key)} %"
    return f"{tokens_column(column)} LIKE {quote(padded)} ESCAPE {quote(ESCAPE)}"


def guard_predicate(column: str, kind: SignatureKind, guard: Guard) -> str | None:
    return predicate(column, kind, guard.match, guard.pattern)


def signature_predicate(column: str, signature: Signature) -> str | None:
    """Any pattern of ``signature`` on ``column``, unless a guard holds; ``None`` when
    nothing of it can be expressed (regular expressions)."""
    if signature.match is MatchMode.EXACT and len(signature.patterns) > 1:
        keys = sorted({pattern_key(signature.kind, p, signature.match) for p in signature.patterns})
        matches = [f"lower({column}) IN ({', '.join(quote(k) for k in keys)})"]
    else:
        parts = [predicate(column, signature.kind, signature.match, p) for p in signature.patterns]
        matches = [p for p in parts if p is not None]
    if not matches:
        return None
    expr = matches[0] if len(matches) == 1 else "(" + " OR ".join(matches) + ")"
    guards = [guard_predicate(column, signature.kind, g) for g in signature.guards]
    exclusions = [g for g in guards if g is not None]
    if exclusions:
        expr = f"({expr} AND NOT ({' OR '.join(exclusions)}))"
    return expr
