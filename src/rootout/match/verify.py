"""Exact verification of one signature against one observed value.

This is the second matching stage: whatever produced the candidate, the
decision and its explanation come from here. Pure functions only.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import lru_cache

from rootout.catalog.model import Guard, MatchMode, Signature, SignatureKind
from rootout.match import normalize as norm


@dataclass(frozen=True)
class Verdict:
    """Outcome of checking one signature: a hit, or a miss with its reason."""

    hit: bool
    signature_id: str
    raw: str
    key: str
    pattern: str | None = None
    reason: str = ""


_ORG_KINDS = frozenset({SignatureKind.PUBLISHER, SignatureKind.SIGNER})


def key_for(kind: SignatureKind, value: str, mode: MatchMode) -> str:
    """The normalised key a value is compared on, for a signature kind and mode."""
    if kind is SignatureKind.MAC_PREFIX:
        return norm.hex_only(value)
    if kind is SignatureKind.DNS_DOMAIN:
        return norm.domain(value)
    if kind is SignatureKind.CPE:
        return cpe23(value)
    if kind is SignatureKind.CERT_FINGERPRINT:
        return norm.hex_only(value)
    if mode is MatchMode.NAME:
        return norm.org_name(value) if kind in _ORG_KINDS else norm.product_name(value)
    if mode is MatchMode.TOKENS:
        return " ".join(norm.tokens(value))
    if mode is MatchMode.REGEX:
        return value
    return norm.fold(value).strip()


def pattern_key(kind: SignatureKind, pattern: str, mode: MatchMode) -> str:
    """The normalised form of a signature pattern (regular expressions are left as written:
    they run case-insensitively, and folding could change their meaning)."""
    if mode is MatchMode.REGEX:
        return pattern
    if kind is SignatureKind.CPE:
        return cpe23(pattern)
    if mode is MatchMode.GLOB and kind is not SignatureKind.DNS_DOMAIN:
        return norm.fold(pattern)
    return key_for(kind, pattern, mode)


def compare(mode: MatchMode, kind: SignatureKind, key: str, pattern: str) -> bool:
    """Whether a normalised key matches a normalised pattern in ``mode``."""
    if not key:
        return False
    if mode in (MatchMode.EXACT, MatchMode.NAME):
        return key == pattern
    if mode is MatchMode.PREFIX:
        return key.startswith(pattern)
    if mode is MatchMode.SUFFIX:
        if kind is SignatureKind.DNS_DOMAIN:
            return key == pattern or key.endswith("." + pattern.lstrip("."))
        return key.endswith(pattern)
    if mode is MatchMode.GLOB:
        return fnmatch.fnmatchcase(key, pattern)
    if mode is MatchMode.REGEX:
        return compiled(pattern).search(key) is not None
    if mode is MatchMode.TOKENS:
        return f" {pattern} " in f" {key} "
    raise AssertionError(mode)  # pragma: no cover


@lru_cache(maxsize=4096)
def compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def guard_hits(guard: Guard, kind: SignatureKind, value: str) -> bool:
    return compare(
        guard.match,
        kind,
        key_for(kind, value, guard.match),
        pattern_key(kind, guard.pattern, guard.match),
    )


def verify(signature: Signature, value: str) -> Verdict:
    """Check ``value`` against every pattern of ``signature``, then its guards."""
    key = key_for(signature.kind, value, signature.match)
    for pattern in signature.patterns:
        if compare(
            signature.match,
            signature.kind,
            key,
            pattern_key(signature.kind, pattern, signature.match),
        ):
            return _guarded(signature, value, key, pattern, f"{signature.match.value} match")
    return Verdict(False, signature.id, value, key, None, "no pattern matches")


def _guarded(signature: Signature, raw: str, key: str, pattern: str, reason: str) -> Verdict:
    """A pattern matched: the hit stands unless one of the signature's guards holds."""
    for guard in signature.guards:
        if guard_hits(guard, signature.kind, raw):
            why = f"guard {guard.pattern!r} ({guard.match.value}) holds: {guard.reason}"
            return Verdict(False, signature.id, raw, key, pattern, why)
    return Verdict(True, signature.id, raw, key, pattern, reason)


_CPE22 = re.compile(r"^cpe:/([aoh]?)(?::(.*))?$", re.IGNORECASE)


def cpe23(value: str) -> str:
    """A CPE in 2.3 formatted-string form, lower case; 2.2 URIs are converted.

    A 2.2 URI ``cpe:/part:vendor:product:version:update:edition:language`` maps to
    the first seven 2.3 components; a packed edition (``~ed~sw_ed~t_sw~t_hw~other``)
    is unpacked into the four extended components.
    """
    text = norm.fold(value).strip()
    match = _CPE22.match(text)
    if not match:
        return text
    part = match.group(1) or "*"
    rest = (match.group(2) or "").split(":")
    base = [f or "*" for f in rest[:6]]
    base += ["*"] * (6 - len(base))
    extended = ["*"] * 4
    if base[4].startswith("~"):
        packed = base[4].split("~")[1:]
        base[4] = packed[0] or "*" if packed else "*"
        for position, item in enumerate(packed[1:5]):
            extended[position] = item or "*"
    return ":".join(["cpe", "2.3", part, *base, *extended])


def verify_in_text(signature: Signature, words: tuple[str, ...], raw: str) -> Verdict:
    """Whether a ``name`` or ``tokens`` pattern occurs as a run of whole words in free text.

    Used for fields such as contract descriptions ("KASPERSKY ENDPOINT SECURITY
    LICENSES"), where the product name is part of a sentence.
    """
    text = f" {' '.join(words)} "
    key = text.strip()
    if signature.match not in (MatchMode.NAME, MatchMode.TOKENS):
        return Verdict(False, signature.id, raw, key, None, "mode not searched in free text")
    for pattern in signature.patterns:
        if f" {pattern_key(signature.kind, pattern, signature.match)} " in text:
            return _guarded(signature, raw, key, pattern, "found as whole words in text")
    return Verdict(False, signature.id, raw, key, None, "no pattern occurs in the text")
