"""Explanation chains: raw value → key → signature → product → entity → relations
→ designation → legal basis, each step citing its sources. Output, not logging."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rootout.catalog.catalog import Catalog
from rootout.catalog.model import Relation
from rootout.model.finding import LegalStatus, Step

if TYPE_CHECKING:
    from rootout.match.resolve import Route


def _interval(start: object, end: object) -> str:
    if start is None and end is None:
        return "no end date"
    return f"{start or '…'} to {end or 'today'}"


def relation_step(catalog: Catalog, relation: Relation) -> Step:
    subject = catalog.entities[relation.subject].name
    obj = catalog.entities[relation.object].name
    return Step(
        "relation",
        f"{subject} {relation.kind.value.replace('_', ' ')} {obj} "
        f"(valid {_interval(relation.valid_from, relation.valid_to)}; confidence {relation.confidence.value})",
        relation.id,
        relation.sources,
    )


def chain(
    catalog: Catalog, route: Route, also: list[Route], support: list[Route]
) -> tuple[Step, ...]:
    hit = route.hit
    signature = hit.signature
    observation = hit.observation
    steps: list[Step] = [
        Step(
            "raw",
            f"{hit.field} = {hit.verdict.raw!r} in {observation.kind.value} at {observation.source}",
        ),
        Step("key", f"normalised for {signature.match.value} matching: {hit.verdict.key!r}"),
        Step(
            "signature",
            f"{signature.kind.value} signature {signature.id}: {signature.match.value} "
            f"{hit.verdict.pattern!r} (confidence {signature.confidence.value}, "
            f"evidence {hit.evidence.value}"
            + (f"; registry dated {signature.registry_date}" if signature.registry_date else "")
            + ")"
            + ("" if hit.verdict.reason.endswith(" match") else f": {hit.verdict.reason}"),
            # the organisation-name stage's rules (org.*, alias.*, ident.*) are derived from an
            # entity's names and identifiers: the step points at that entity
            signature.id
            if signature.id in catalog.signatures
            else catalog.signature_entity(signature),
            signature.sources,
        ),
    ]
    steps.extend(_tail(catalog, route))
    for other in also:
        said = f"also matched {other.hit.signature.id} ({other.hit.signature.match.value} "
        steps.append(_note(other, f"{said}{other.hit.verdict.pattern!r})"))
    for item in support[:20]:
        seen = item.hit
        steps.append(
            _note(
                item,
                f"supporting artifact {seen.field} = {seen.verdict.raw!r} "
                f"({seen.signature.id}) at {seen.observation.source}",
            )
        )
    return tuple(steps)


TAIL_CACHE = 50_000


def _note(route: Route, text: str) -> Step:
    return Step("note", text, route.hit.signature.id, route.hit.signature.sources)


def _tail(catalog: Catalog, route: Route) -> tuple[Step, ...]:
    """The steps from the product to the legal bases. They depend only on the product, the
    matched entity, the embedding, the covered entity and the date (which decide the route's
    designations), so they are built once per such route and kept on the catalog."""
    hit = route.hit
    signature = hit.signature
    embedding_id = route.embedding.id if route.embedding is not None else None
    key = (
        signature.product,
        catalog.signature_entity(signature),
        embedding_id,
        route.covered,
        hit.on,
    )
    cache: dict[object, tuple[Step, ...]] | None = catalog.__dict__.get("_chain_tail_cache")
    if cache is None:
        cache = catalog.__dict__["_chain_tail_cache"] = {}
    found = cache.get(key)
    if found is None:
        if len(cache) >= TAIL_CACHE:
            cache.clear()
        found = cache[key] = _build_tail(catalog, route)
    return found


def _build_tail(catalog: Catalog, route: Route) -> tuple[Step, ...]:
    hit = route.hit
    signature = hit.signature
    steps: list[Step] = []
    if signature.product:
        product = catalog.products[signature.product]
        steps.append(Step("product", f"product {product.name}", product.id, product.sources))
    matched = catalog.entities[catalog.signature_entity(signature)]
    steps.append(
        Step("entity", f"made or published by {matched.name}", matched.id, matched.sources)
    )
    if route.embedding is not None:
        embedding = route.embedding
        tech = catalog.entities[embedding.technology_entity]
        steps.append(
            Step(
                "embedding",
                f"embeds {tech.name} technology ({embedding.kind.value}"
                f"{'; ' + embedding.detail if embedding.detail else ''}; "
                f"valid {_interval(embedding.valid_from, embedding.valid_to)}; "
                f"confidence {embedding.confidence.value})",
                embedding.id,
                embedding.sources,
            )
        )
    if route.applicable:
        steps.extend(relation_step(catalog, r) for r in route.applicable[0].path)
    for applicable in route.applicable:
        designation = applicable.designation
        basis = catalog.legal_bases[designation.legal_basis]
        scope = ", ".join(s.value for s in designation.scope)
        status = "in force" if applicable.status is LegalStatus.IN_FORCE else "NOT in force"
        purposes = f"; only for: {'; '.join(designation.purposes)}" if designation.purposes else ""
        steps.append(
            Step(
                "designation",
                f"{catalog.entities[designation.entity].name} designated under {basis.short} "
                f"from {designation.effective_from} (scope: {scope}{purposes}) — {status} on {hit.on}",
                designation.id,
                designation.sources,
            )
        )
        steps.append(Step("legal_basis", f"{basis.short}: {basis.title}", basis.id, basis.sources))
    return tuple(steps)
