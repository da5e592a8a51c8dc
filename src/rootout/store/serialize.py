"""Findings as plain JSON data: the documented, stable shape (docs/findings.md)."""

from __future__ import annotations

from typing import Any

from rootout.catalog.catalog import Catalog
from rootout.model.finding import Finding
from rootout.model.observation import Observation

SCHEMA_VERSION = 1


def observation_json(observation: Observation) -> dict[str, Any]:
    source = observation.source
    return {
        "kind": observation.kind.value,
        "fields": dict(observation.fields),
        "extra": dict(observation.extra),
        "source": {
            "path": source.path,
            "line": source.line,
            "pointer": source.pointer,
            "format": source.format,
        },
        "observed_at": observation.observed_at.isoformat() if observation.observed_at else None,
        "parents": list(observation.parents),
        "asset": {
            "key": observation.asset.key,
            "kind": observation.asset.kind.value,
            "name": observation.asset.name,
            "identifiers": [list(pair) for pair in observation.asset.identifiers],
            "tags": [list(pair) for pair in observation.asset.tags],
        },
    }


def explanation_json(finding: Finding, catalog: Catalog) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    for step in finding.explanation:
        sources = []
        for source_id in step.sources:
            source = catalog.sources.get(source_id)
            sources.append(
                {
                    "id": source_id,
                    "url": source.url if source else None,
                    "title": source.title if source else None,
                    "reliability": source.reliability.value if source else None,
                }
            )
        steps.append({"kind": step.kind, "text": step.text, "ref": step.ref, "sources": sources})
    return steps


def legal_json(finding: Finding) -> list[dict[str, str]]:
    return [
        {
            "legal_basis": ref.legal_basis,
            "short": ref.short,
            "designation": ref.designation,
            "status": ref.status.value,
        }
        for ref in finding.legal
    ]


def entity_name(catalog: Catalog, entity_id: str | None) -> str | None:
    if entity_id is None:
        return None
    entity = catalog.entities.get(entity_id)
    return entity.name if entity else None


def product_name(catalog: Catalog, product_id: str | None) -> str | None:
    if product_id is None:
        return None
    product = catalog.products.get(product_id)
    return product.name if product else None
