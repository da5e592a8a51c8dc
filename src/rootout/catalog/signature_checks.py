"""Lint checks on signatures: regexes, pattern shapes, hard negatives, corroboration.

Each is a pure function of the catalog that yields :class:`Problem` values and
never raises; ``docs/catalog.md`` lists every code."""

from __future__ import annotations

import re
import warnings
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache

from rootout.catalog.catalog import Catalog
from rootout.catalog.lint import check
from rootout.catalog.model import MatchMode, Signature, SignatureKind
from rootout.catalog.redos import hazards
from rootout.errors import Problem
from rootout.match import normalize as norm
from rootout.match.verify import pattern_key, verify

# -- regular expressions ---------------------------------------------------------------


def _regexes(signature: Signature) -> Iterator[tuple[str, str]]:
    """(what, pattern as verify compiles it) for every regex of a signature."""
    if signature.match is MatchMode.REGEX:
        for pattern in signature.patterns:
            yield "pattern", pattern_key(signature.kind, pattern, MatchMode.REGEX)
    for guard in signature.guards:
        if guard.match is MatchMode.REGEX:
            yield "guard", pattern_key(signature.kind, guard.pattern, MatchMode.REGEX)


@lru_cache(maxsize=4096)
def regex_trouble(pattern: str) -> tuple[str, str] | None:
    """(code, reason) when ``pattern`` does not compile or can backtrack catastrophically."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        return "bad-regex", f"does not compile: {exc}"
    found = hazards(pattern)
    if found:
        return "catastrophic-regex", (
            f"can backtrack catastrophically ({found[0]}); use an atomic group (?>...), "
            "a possessive quantifier, or a simpler match mode"
        )
    return None


@check
def bad_regexes(catalog: Catalog) -> Iterator[Problem]:
    """Regex patterns and guards that do not compile or can backtrack catastrophically."""
    for sid, signature in catalog.signatures.items():
        for what, pattern in _regexes(signature):
            trouble = regex_trouble(pattern)
            if trouble is not None:
                code, reason = trouble
                yield Problem(catalog.locations[sid], code, f"{sid}: {what} {pattern!r} {reason}")


# -- pattern shapes ------------------------------------------------------------------

_MAC_CHARS = re.compile(r"^[0-9A-Fa-f]+(?:[-:.\s]?[0-9A-Fa-f]+)*$")
_NEEDS_ECOSYSTEM = (SignatureKind.PACKAGE, SignatureKind.BROWSER_EXTENSION)


@check
def bad_patterns(catalog: Catalog) -> Iterator[Problem]:
    """Patterns that can never match or are malformed for their kind."""
    for sid, signature in catalog.signatures.items():
        where = catalog.locations[sid]
        for pattern in signature.patterns:
            reason = pattern_problem(signature.kind, signature.match, pattern)
            if reason is not None:
                yield Problem(where, reason[0], f"{sid}: pattern {pattern!r} {reason[1]}")
        for guard in signature.guards:
            reason = _generic_problem(signature.kind, guard.match, guard.pattern)
            if reason is not None:
                yield Problem(where, reason[0], f"{sid}: guard {guard.pattern!r} {reason[1]}")
        if signature.kind in _NEEDS_ECOSYSTEM and signature.ecosystem is None:
            yield Problem(
                where,
                "no-ecosystem",
                f"{sid}: a {signature.kind.value} signature should name its ecosystem "
                "(deb, rpm, msi, winget, chrome, ...)",
                "warning",
            )


def pattern_problem(kind: SignatureKind, mode: MatchMode, pattern: str) -> tuple[str, str] | None:
    """(code, reason) when a signature pattern is malformed for its kind and mode."""
    problem = _generic_problem(kind, mode, pattern)
    if problem is not None or mode is MatchMode.REGEX:
        return problem
    text = pattern.strip()
    if kind is SignatureKind.MAC_PREFIX and mode is not MatchMode.GLOB and not _mac_prefix(text):
        return "bad-mac-prefix", "is not a MAC prefix of 6, 7 or 9 hex digits"
    if kind is SignatureKind.DNS_DOMAIN and ("/" in text or ":" in text or " " in text):
        return "bad-domain", "is not a host name: drop the scheme, port and path"
    if kind is SignatureKind.CPE and not text.casefold().startswith("cpe:2.3:"):
        if text.casefold().startswith("cpe:/"):
            return (
                "bad-cpe",
                "is a CPE 2.2 URI; values are compared as CPE 2.3, write 'cpe:2.3:...'",
            )
        return "bad-cpe", "does not start with 'cpe:2.3:'"
    return None


def _mac_prefix(text: str) -> bool:
    return bool(_MAC_CHARS.match(text)) and len(norm.hex_only(text)) in (6, 7, 9)


def _generic_problem(kind: SignatureKind, mode: MatchMode, pattern: str) -> tuple[str, str] | None:
    if mode is MatchMode.REGEX:
        return None  # checked by bad_regexes
    key = pattern_key(kind, pattern, mode)
    if not key.strip():
        return "empty-pattern", "normalises to nothing, so it can never match"
    if mode is MatchMode.GLOB:
        return glob_problem(key)
    return None


def glob_problem(pattern: str) -> tuple[str, str] | None:
    """(code, reason) for a glob with an unclosed ``[`` or that matches any value."""
    if not pattern.strip("*?"):
        return "bad-glob", "matches every value"
    i = 0
    while i < len(pattern):
        if pattern[i] == "[":
            end = _class_end(pattern, i)
            if end < 0:
                return "bad-glob", f"has an unclosed '[' at position {i + 1}"
            i = end
        i += 1
    return None


def _class_end(pattern: str, start: int) -> int:
    """Index of the ``]`` closing the class opened at ``start`` (fnmatch rules), or -1."""
    j = start + 1
    if j < len(pattern) and pattern[j] == "!":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    return pattern.find("]", j)


# -- hard negatives --------------------------------------------------------------------


def _entity_of(catalog: Catalog, signature: Signature) -> str | None:
    if signature.entity:
        return signature.entity
    product = catalog.products.get(signature.product or "")
    return product.entity if product else None


def _runnable(signature: Signature) -> bool:
    """False when running the signature could raise or hang (its regex is reported)."""
    return all(regex_trouble(p) is None for _, p in _regexes(signature))


@check
def signatures_hit_hard_negatives(catalog: Catalog) -> Iterator[Problem]:
    """A signature that matches one of the catalog's own known traps."""
    by_kind: dict[SignatureKind, list[Signature]] = defaultdict(list)
    for signature in catalog.signatures.values():
        if _runnable(signature):
            by_kind[signature.kind].append(signature)
    for nid, negative in catalog.hard_negatives.items():
        for signature in by_kind[negative.kind]:
            verdict = verify(signature, negative.value)
            if not verdict.hit:
                continue
            entity = _entity_of(catalog, signature)
            if negative.not_entity is not None and entity != negative.not_entity:
                continue
            yield Problem(
                catalog.locations[signature.id],
                "hits-hard-negative",
                f"signature {signature.id!r} (pattern {verdict.pattern!r}) matches hard negative "
                f"{nid!r} ({negative.value!r}, at {catalog.locations[nid]}): {negative.reason}",
            )


@check
def unsatisfiable_requires(catalog: Catalog) -> Iterator[Problem]:
    """A signature requiring a kind of signature its entity does not have."""
    kinds: dict[str | None, set[SignatureKind]] = defaultdict(set)
    for signature in catalog.signatures.values():
        kinds[_entity_of(catalog, signature)].add(signature.kind)
    for sid, signature in catalog.signatures.items():
        entity = _entity_of(catalog, signature)
        missing = [k.value for k in signature.requires if k not in kinds[entity]]
        if missing and entity is not None:
            yield Problem(
                catalog.locations[sid],
                "unsatisfiable-requires",
                f"{sid} requires {', '.join(missing)} signature(s) of {entity}, which has none, "
                "so it can never fire",
                "warning",
            )
