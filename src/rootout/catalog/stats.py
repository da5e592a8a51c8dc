"""Counts of what the catalog holds (``rootout catalog list --stats``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rootout.catalog.catalog import Catalog
from rootout.catalog.model import SignatureKind


@dataclass(frozen=True)
class CatalogStats:
    version: str
    base: str
    packs: int
    counts: dict[str, int]
    signatures_by_kind: dict[str, int]
    patterns_by_kind: dict[str, int]
    mac_prefixes_by_entity: dict[str, int]
    disabled: int


def catalog_stats(catalog: Catalog) -> CatalogStats:
    by_kind: Counter[str] = Counter()
    patterns: Counter[str] = Counter()
    mac: Counter[str] = Counter()
    for signature in catalog.signatures.values():
        by_kind[signature.kind.value] += 1
        patterns[signature.kind.value] += len(signature.patterns)
        if signature.kind is SignatureKind.MAC_PREFIX:
            mac[catalog.signature_entity(signature)] += len(signature.patterns)
    counts = {
        "sources": len(catalog.sources),
        "legal bases": len(catalog.legal_bases),
        "entities": len(catalog.entities),
        "relations": len(catalog.relations),
        "designations": len(catalog.designations),
        "products": len(catalog.products),
        "signatures": len(catalog.signatures),
        "embeddings": len(catalog.embeddings),
        "hard negatives": len(catalog.hard_negatives),
    }
    return CatalogStats(
        version=catalog.version,
        base=catalog.base,
        packs=len(catalog.packs),
        counts=counts,
        signatures_by_kind=dict(sorted(by_kind.items())),
        patterns_by_kind=dict(sorted(patterns.items())),
        mac_prefixes_by_entity=dict(sorted(mac.items(), key=lambda kv: (-kv[1], kv[0]))),
        disabled=len(catalog.disabled),
    )
