"""``rootout catalog explain TEXT``: which signatures a string would hit, and why not.

The text is tried as every kind of field it could be seen in (a product name,
a publisher, a process, a domain...). Hits name the signature, its pattern, the
normalised key and the entity; a miss lists the closest things that did *not*
fire and the reason (a guard, a hard negative, a near name below threshold).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from rootout.catalog.catalog import Catalog
from rootout.catalog.model import SignatureKind
from rootout.match import normalize as norm
from rootout.match.verify import Verdict, guard_hits, verify

TEXT_KINDS: tuple[SignatureKind, ...] = tuple(k for k in SignatureKind)
NEAR_THRESHOLD = 60.0


@dataclass(frozen=True)
class Near:
    """Something that resembles the text but does not match, with the reason."""

    object_id: str
    what: str
    reason: str
    score: float = 0.0


@dataclass
class Explanation:
    text: str
    keys: dict[str, str] = field(default_factory=dict)
    hits: list[tuple[Verdict, str, str | None]] = field(default_factory=list)  # verdict, entity, product
    near: list[Near] = field(default_factory=list)


def explain_text(catalog: Catalog, text: str, *, kinds: tuple[SignatureKind, ...] = TEXT_KINDS) -> Explanation:
    result = Explanation(
        text=text,
        keys={
            "product name": norm.product_name(text),
            "organisation name": norm.org_name(text),
            "tokens": " ".join(norm.tokens(text)),
        },
    )
    for signature in catalog.signatures.values():
        if signature.kind not in kinds:
            continue
        verdict = verify(signature, text)
        if verdict.hit:
            result.hits.append((verdict, catalog.signature_entity(signature), signature.product))
        elif verdict.pattern is not None:  # a pattern matched but a guard vetoed it
            result.near.append(Near(signature.id, f"signature ({signature.kind.value})", verdict.reason))
    for negative in catalog.hard_negatives.values():
        if norm.simplify(negative.value) in norm.simplify(text) or fuzz.token_set_ratio(
            norm.simplify(negative.value), norm.simplify(text)
        ) >= 90:
            target = f" (not {negative.not_entity})" if negative.not_entity else ""
            result.near.append(Near(negative.id, f"known trap{target}", negative.reason, 100.0))
    if not result.hits:
        result.near.extend(_near_names(catalog, text))
    return result


def _near_names(catalog: Catalog, text: str) -> list[Near]:
    """Entity and product names that resemble the text, and why they did not match."""
    folded = norm.simplify(text)
    text_tokens = set(folded.split())
    found: dict[str, Near] = {}
    names: list[tuple[str, str, str]] = []
    for entity in catalog.entities.values():
        names.extend((entity.id, "entity", n) for n in (entity.name, *entity.aliases))
    for product in catalog.products.values():
        names.extend((product.id, "product", n) for n in (product.name, *product.aliases))
    for object_id, what, name in names:
        simple = norm.simplify(name)
        score = fuzz.partial_ratio(folded, simple)
        if score < NEAR_THRESHOLD:
            continue
        shared = [t for t in simple.split() if any(w.startswith(t[:4]) for w in text_tokens) and len(t) >= 4]
        missing = [t for t in simple.split() if t not in text_tokens]
        reason = f"resembles {name!r} (similarity {score:.0f})"
        if shared and missing:
            reason += f", but the token(s) {', '.join(repr(t) for t in missing)} do not occur as whole words"
        best = found.get(object_id)
        if best is None or best.score < score:
            found[object_id] = Near(object_id, what, reason, score)
    return sorted(found.values(), key=lambda n: -n.score)[:5]


def guard_reason(catalog: Catalog, signature_id: str, text: str) -> list[str]:
    """Reasons the guards of one signature give for ``text`` (for ``catalog show``)."""
    signature = catalog.signatures[signature_id]
    return [g.reason for g in signature.guards if guard_hits(g, signature.kind, text)]
