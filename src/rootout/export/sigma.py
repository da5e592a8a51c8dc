"""The catalog's process and DNS signatures as Sigma rules, one rule per signature.

- process → logsource ``category: process_creation``, ``Image|endswith`` the file name
  after a Windows or POSIX separator;
- dns_domain → logsource ``category: dns``, ``query`` (exact), ``query`` or
  ``query|endswith: .domain`` (suffix, on a label boundary as rootout matches it),
  ``query`` with Sigma wildcards (glob; a bracket class becomes ``?``, one character).

Guards become a ``filter`` selection. Regular expressions are not exported. A rule's
``id`` is a UUID derived from the signature id, so it is stable across exports.
"""

from __future__ import annotations

import re
import uuid

import yaml

from rootout.catalog.catalog import Catalog
from rootout.catalog.model import Confidence, Guard, MatchMode, Signature, SignatureKind
from rootout.match.verify import pattern_key

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/rootout/rootout/signatures")
LEVELS = {Confidence.HIGH: "high", Confidence.MEDIUM: "medium", Confidence.LOW: "low"}
_BRACKET = re.compile(r"\[[^\]]*\]")

Detection = dict[str, list[str]]


def rule_id(signature_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, signature_id))


def sigma_escape(text: str) -> str:
    """A literal value: Sigma's wildcards and backslash escaped."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")


def _glob(pattern: str) -> str:
    pieces = _BRACKET.split(pattern)
    return "?".join(p.replace("\\", "\\\\") for p in pieces)


def dns_items(mode: MatchMode, pattern: str) -> Detection:
    """Field → values for one DNS pattern (keys are Sigma field names with modifiers)."""
    key = pattern_key(SignatureKind.DNS_DOMAIN, pattern, mode)
    if mode is MatchMode.EXACT:
        return {"query": [sigma_escape(key)]}
    if mode is MatchMode.SUFFIX:
        bare = key.lstrip(".")
        return {"query": [sigma_escape(bare)], "query|endswith": ["." + sigma_escape(bare)]}
    if mode is MatchMode.GLOB:
        return {"query": [_glob(key)]}
    return {}


def process_items(mode: MatchMode, pattern: str) -> Detection:
    if mode is not MatchMode.EXACT:
        return {}
    name = sigma_escape(pattern_key(SignatureKind.PROCESS, pattern, mode))
    return {"Image|endswith": ["\\" + name, "/" + name]}


def _merge(items: list[Detection]) -> Detection:
    merged: Detection = {}
    for item in items:
        for field, values in item.items():
            bucket = merged.setdefault(field, [])
            bucket.extend(v for v in values if v not in bucket)
    return merged


def _selections(signature: Signature) -> dict[str, Detection]:
    """Sigma selections: one per field (values in a list are OR'd, fields in a map AND'd)."""
    build = dns_items if signature.kind is SignatureKind.DNS_DOMAIN else process_items
    merged = _merge([build(signature.match, p) for p in signature.patterns])
    return {f"selection_{i}": {f: v} for i, (f, v) in enumerate(sorted(merged.items()))}


def _filters(signature: Signature) -> dict[str, Detection]:
    build = dns_items if signature.kind is SignatureKind.DNS_DOMAIN else process_items
    merged = _merge([build(g.match, g.pattern) for g in signature.guards if _exportable(g)])
    return {f"filter_{i}": {f: v} for i, (f, v) in enumerate(sorted(merged.items()))}


def _exportable(guard: Guard) -> bool:
    return guard.match in (MatchMode.EXACT, MatchMode.SUFFIX, MatchMode.GLOB)


def rule(catalog: Catalog, signature: Signature) -> dict[str, object] | None:
    """One Sigma rule as a mapping, or ``None`` when nothing of the signature is expressible."""
    selections = _selections(signature)
    if not selections:
        return None
    filters = _filters(signature)
    condition = "1 of selection_*" + (" and not 1 of filter_*" if filters else "")
    target = signature.product or catalog.signature_entity(signature)
    dns = signature.kind is SignatureKind.DNS_DOMAIN
    return {
        "title": f"Covered-vendor {'DNS query' if dns else 'process'}: {target}",
        "id": rule_id(signature.id),
        "status": "experimental",
        "description": (
            f"rootout signature {signature.id} ({signature.kind.value}, {signature.match.value} "
            f"match) for {target}. Confirm with `rootout explain`."
        ),
        "references": [catalog.sources[s].url for s in signature.sources if s in catalog.sources],
        "author": "rootout catalog",
        "tags": ["detection.threat-hunting"],
        "logsource": {"category": "dns" if dns else "process_creation"},
        "detection": {**selections, **filters, "condition": condition},
        "falsepositives": [signature.notes or "See the signature's guards and notes."],
        "level": LEVELS[signature.confidence],
    }


def rules(catalog: Catalog) -> dict[str, str]:
    """File name → YAML text, for every process and dns_domain signature that converts."""
    out: dict[str, str] = {}
    for signature in sorted(catalog.signatures.values(), key=lambda s: s.id):
        if signature.kind not in (SignatureKind.PROCESS, SignatureKind.DNS_DOMAIN):
            continue
        built = rule(catalog, signature)
        if built is not None:
            out[f"{signature.id}.yml"] = yaml.safe_dump(built, sort_keys=False, width=100)
    return out
