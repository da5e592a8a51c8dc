"""Turn the verified hits of one asset into findings with bases and legal status.

Rules, in order:

* A hit resolves to every designated entity its entity reaches (ownership walk),
  or, for a third-party product, to the covered technology it embeds on that date.
* One finding per observation and covered entity: the most specific hit wins
  (a product signature over an entity-wide one, higher confidence, exact over
  tokens); the others are kept in the explanation as corroboration.
* Artifacts (drivers, services, certificates, folders) of an entity whose product
  is present on the asset support that product's finding; without the product
  they are ``residual`` findings of their own.
* A covered component inside an SBOM tree also makes the top-level component
  that contains it a finding (``embedded``), with the component path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from rootout.catalog.catalog import Catalog
from rootout.catalog.dates import in_interval
from rootout.catalog.model import Confidence, Embedding, EmbeddingKind, Evidence, MatchMode
from rootout.match.explain import chain
from rootout.match.hit import Hit
from rootout.match.ownership import Applicable, applicable_designations
from rootout.model.finding import (
    CONFIDENCE_RANK,
    Basis,
    Finding,
    LegalBasisRef,
    Step,
    finding_id,
    weakest,
)
from rootout.model.observation import AssetKind, Observation, ObservationKind

_MODE_RANK = {
    MatchMode.EXACT: 3,
    MatchMode.NAME: 3,
    MatchMode.PREFIX: 2,
    MatchMode.SUFFIX: 2,
    MatchMode.GLOB: 1,
    MatchMode.REGEX: 1,
    MatchMode.TOKENS: 0,
}
_SUPPORTING = frozenset({Evidence.ARTIFACT})
_HARDWARE_EMBEDDINGS = frozenset({EmbeddingKind.ODM_HARDWARE, EmbeddingKind.WHITE_LABEL})


@dataclass(frozen=True, slots=True)
class Route:
    """How one hit reaches one covered entity."""

    hit: Hit
    covered: str
    applicable: tuple[Applicable, ...]
    embedding: Embedding | None


def routes(catalog: Catalog, hit: Hit) -> list[Route]:
    matched = catalog.signature_entity(hit.signature)
    found: list[Route] = []
    by_target: dict[str, list[Applicable]] = {}
    for applicable in applicable_designations(catalog, matched, hit.on):
        by_target.setdefault(applicable.designation.entity, []).append(applicable)
    for target, items in sorted(by_target.items()):
        found.append(Route(hit, target, tuple(items), None))
    if not found or hit.signature.product:
        for embedding in _embeddings_of(catalog, hit):
            by_tech: dict[str, list[Applicable]] = {}
            for applicable in applicable_designations(catalog, embedding.technology_entity, hit.on):
                by_tech.setdefault(applicable.designation.entity, []).append(applicable)
            for target, items in sorted(by_tech.items()):
                found.append(Route(hit, target, tuple(items), embedding))
    return found


def _embeddings_of(catalog: Catalog, hit: Hit) -> list[Embedding]:
    """Embeddings that apply to a hit on the observation date.

    A product hit uses its product's embeddings. A hardware hit on an entity (a MAC
    prefix, a device vendor) uses the hardware embeddings (ODM hardware, white label)
    of that entity's products: a device from an OEM whose products carry covered
    hardware.
    """
    product = hit.signature.product
    if product is not None:
        hosts = {product}
        kinds = None
    elif hit.evidence is Evidence.HARDWARE:
        entity = catalog.signature_entity(hit.signature)
        hosts = {p.id for p in catalog.products.values() if p.entity == entity}
        kinds = _HARDWARE_EMBEDDINGS
    else:
        return []
    return [
        e
        for e in catalog.embeddings.values()
        if e.host_product in hosts
        and (kinds is None or e.kind in kinds)
        and in_interval(hit.on, e.valid_from, e.valid_to)
    ]


def _rank(route: Route) -> tuple[int, int, int, int]:
    signature = route.hit.signature
    return (
        int(route.embedding is None),
        int(signature.product is not None),
        _MODE_RANK[signature.match],
        CONFIDENCE_RANK[signature.confidence],
    )


def findings_for_asset(catalog: Catalog, hits: Iterable[Hit]) -> list[Finding]:
    all_routes = [route for hit in hits for route in routes(catalog, hit)]
    with_product = {
        r.covered for r in all_routes if r.embedding is None and r.hit.evidence not in _SUPPORTING
    }
    best: dict[tuple[int, str], Route] = {}
    support: dict[str, list[Route]] = {}
    also: dict[tuple[int, str], list[Route]] = {}
    for route in all_routes:
        evidence = route.hit.evidence
        if evidence in _SUPPORTING and route.covered in with_product and route.embedding is None:
            support.setdefault(route.covered, []).append(route)
            continue
        key = (
            id(route.hit.observation),
            route.covered + (route.embedding.id if route.embedding else ""),
        )
        current = best.get(key)
        if current is None or _rank(route) > _rank(current):
            if current is not None:
                also.setdefault(key, []).append(current)
            best[key] = route
        else:
            also.setdefault(key, []).append(route)
    findings: dict[str, Finding] = {}
    for key, route in best.items():
        finding = build(
            catalog, route, with_product, also.get(key, []), support.get(route.covered, [])
        )
        _keep(findings, finding)
        for extra in embedded_in_parents(finding):
            _keep(findings, extra)
    return sorted(findings.values(), key=lambda f: f.id)


def _keep(findings: dict[str, Finding], finding: Finding) -> None:
    current = findings.get(finding.id)
    if current is None or CONFIDENCE_RANK[finding.confidence] > CONFIDENCE_RANK[current.confidence]:
        findings[finding.id] = finding


def basis_of(route: Route, with_product: set[str]) -> Basis:
    evidence = route.hit.evidence
    observation = route.hit.observation
    if observation.kind is ObservationKind.CONTRACT_AWARD:
        removal = observation.extra.get("purpose") == "removal"
        return Basis.PROCUREMENT_REMOVAL if removal else Basis.PROCUREMENT
    if route.embedding is not None:
        return Basis.EMBEDDED
    if evidence in (Evidence.HARDWARE, Evidence.TRAFFIC):
        return Basis.NETWORK
    if evidence in _SUPPORTING and route.covered not in with_product:
        return Basis.RESIDUAL
    if route.applicable and route.applicable[0].path:
        return Basis.AFFILIATE
    return Basis.DIRECT


def build(
    catalog: Catalog,
    route: Route,
    with_product: set[str],
    also: list[Route],
    support: list[Route],
) -> Finding:
    hit = route.hit
    signature = hit.signature
    basis = basis_of(route, with_product)
    path = route.applicable[0].path if route.applicable else ()
    levels: list[Confidence] = [signature.confidence, *(r.confidence for r in path)]
    if route.embedding is not None:
        levels.append(route.embedding.confidence)
    confidence = weakest(*levels)
    legal = tuple(
        LegalBasisRef(
            a.designation.legal_basis,
            a.designation.id,
            a.status,
            catalog.legal_bases[a.designation.legal_basis].short,
        )
        for a in route.applicable
    )
    target = signature.product or catalog.signature_entity(signature)
    steps = chain(catalog, route, also, support)
    return Finding(
        id=finding_id(
            hit.observation.asset.key,
            basis,
            f"{route.covered}/{target}",
            f"{hit.field}:{hit.verdict.key}",
        ),
        basis=basis,
        confidence=confidence,
        entity=route.covered,
        matched_entity=catalog.signature_entity(signature),
        product=signature.product,
        signature=signature.id,
        evidence=hit.evidence.value,
        observation=hit.observation,
        matched_field=hit.field,
        matched_value=hit.verdict.raw,
        legal=legal,
        explanation=steps,
        observed_on=hit.on,
    )


def embedded_in_parents(finding: Finding) -> list[Finding]:
    """A covered SBOM component makes the product that contains it a finding too.

    The containing product is the SBOM's subject (its asset) when the input is an
    SBOM, else the outermost enclosing component. The explanation carries the
    whole component path, outermost first.
    """
    observation = finding.observation
    if finding.basis is Basis.EMBEDDED:
        return []
    chain = list(observation.parents)
    if observation.asset.kind is AssetKind.SBOM:
        if observation.extra.get("sbom_role") == "subject" or not _is_component(observation, chain):
            return []
        top = observation.asset.name
        if not chain or chain[0] != top:
            chain.insert(0, top)
    elif chain:
        top = chain[0]
    else:
        return []
    label = observation.fields.get("name") or finding.matched_value
    if observation.fields.get("version"):
        label += f"@{observation.fields['version']}"
    path_text = " > ".join((*chain, f"{label} ({finding.matched_field} {finding.matched_value!r})"))
    steps = (
        Step("note", f"{top!r} contains a covered component"),
        Step("component", f"component path: {path_text}"),
    )
    return [
        replace(
            finding,
            id=finding_id(observation.asset.key, Basis.EMBEDDED, f"{finding.entity}/{top}", top),
            basis=Basis.EMBEDDED,
            explanation=steps + finding.explanation,
        )
    ]


def _is_component(observation: Observation, chain: list[str]) -> bool:
    """False for the SBOM's own subject when a reader did not label it."""
    name = observation.fields.get("name", "")
    version = observation.fields.get("version")
    label = f"{name}@{version}" if version else name
    return bool(chain) or label != observation.asset.name
