"""``rootout catalog explain TEXT``: which signatures a string would hit, and why not.

The text is tried as every kind of field it could be seen in (a product name,
a publisher, a process, a domain...). Hits name the signature, its pattern, the
normalised key and the entity; a miss lists the closest things that did *not*
fire and the reason: a guard, a known trap, or a catalog name that resembles the
text word for word. Near names are compared on whole tokens (rapidfuzz), names
shorter than four characters are ignored (three letters resemble too much), and
a word that only shares a prefix with a catalog word says so.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from rootout.catalog.catalog import Catalog
from rootout.catalog.model import Confidence, MatchMode, SignatureKind
from rootout.match import normalize as norm
from rootout.match.verify import Verdict, verify

TEXT_KINDS: tuple[SignatureKind, ...] = tuple(k for k in SignatureKind)
NEAR_THRESHOLD = 70.0
"""Least token-set similarity (0-100) for a catalog name to count as near."""
MIN_NAME = 4
"""Names, and words compared for a shared prefix, shorter than this are ignored."""
MIN_PREFIX = 4
"""Least shared prefix for a word to be reported as a prefix near miss."""
MAX_NEAR = 5


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
    hits: list[tuple[Verdict, str, str | None]] = field(
        default_factory=list
    )  # verdict, entity, product
    near: list[Near] = field(default_factory=list)


def explain_text(
    catalog: Catalog, text: str, *, kinds: tuple[SignatureKind, ...] = TEXT_KINDS
) -> Explanation:
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
            result.near.append(
                Near(signature.id, f"signature ({signature.kind.value})", verdict.reason)
            )
    result.near.extend(_known_traps(catalog, text))
    if not result.hits:
        result.near.extend(prefix_misses(catalog, text, kinds))
        result.near.extend(near_names(catalog, text))
    result.hits.sort(key=lambda hit: _specificity(catalog, hit[0].signature_id))
    return result


def _specificity(catalog: Catalog, signature_id: str) -> tuple[int, int, int, str]:
    """Most specific hits first: product signatures, exact or name matches, high confidence."""
    signature = catalog.signatures[signature_id]
    exact = signature.match in (MatchMode.EXACT, MatchMode.NAME)
    ranks = {Confidence.HIGH: 0, Confidence.MEDIUM: 1, Confidence.LOW: 2}
    return (signature.product is None, not exact, ranks[signature.confidence], signature_id)


def _known_traps(catalog: Catalog, text: str) -> Iterator[Near]:
    """Hard negatives whose value occurs in the text as whole words."""
    padded = f" {norm.simplify(text)} "
    for negative in catalog.hard_negatives.values():
        value = norm.simplify(negative.value)
        if f" {value} " in padded or fuzz.token_set_ratio(value, padded) >= 90:
            target = f" (not {negative.not_entity})" if negative.not_entity else ""
            yield Near(negative.id, f"known trap{target}", negative.reason, 100.0)


def prefix_misses(catalog: Catalog, text: str, kinds: tuple[SignatureKind, ...]) -> list[Near]:
    """Words of the text that only share a prefix with a word a ``tokens`` signature requires."""
    words = norm.tokens(text)
    found: dict[tuple[str, str, str], set[tuple[int, str]]] = {}
    for signature in catalog.signatures.values():
        if signature.match is not MatchMode.TOKENS or signature.kind not in kinds:
            continue
        rank = kinds.index(signature.kind)  # product names first
        for pattern in signature.patterns:
            for shared in shared_prefixes(words, norm.tokens(pattern)):
                found.setdefault(shared, set()).add((rank, signature.id))
    result = []
    for (word, catalog_word, prefix), ranked in found.items():
        ids = [signature_id for _, signature_id in sorted(ranked)]
        more = f", and {len(ids) - 1} more" if len(ids) > 1 else ""
        reason = (
            f"{word!r} shares the prefix {prefix!r} with {catalog_word!r} "
            f"but whole-token matching requires {catalog_word!r}"
        )
        result.append(
            Near(ids[0], f"tokens signature{more}", reason, fuzz.ratio(word, catalog_word))
        )
    return sorted(result, key=lambda n: (-n.score, n.object_id))[:MAX_NEAR]


def shared_prefixes(
    words: tuple[str, ...], catalog_words: tuple[str, ...]
) -> Iterator[tuple[str, str, str]]:
    """(word, catalog word, shared prefix) for each text word that starts like a catalog word
    of at least :data:`MIN_NAME` letters that is itself absent from the text."""
    present = set(words)
    for catalog_word in catalog_words:
        if len(catalog_word) < MIN_NAME or catalog_word in present:
            continue
        for word in words:
            prefix = os.path.commonprefix([word, catalog_word])  # noqa: RUF071 - characters wanted
            if len(prefix) >= MIN_PREFIX:
                yield word, catalog_word, prefix


def _names(catalog: Catalog) -> Iterator[tuple[str, str, str, str]]:
    """(object id, what, name as written, normalised name) for every entity and product name."""
    for entity in catalog.entities.values():
        for name in (entity.name, *entity.aliases):
            yield entity.id, "entity", name, norm.org_name(name)
    for product in catalog.products.values():
        for name in (product.name, *product.aliases):
            yield product.id, "product", name, norm.product_name(name)


def near_names(catalog: Catalog, text: str) -> list[Near]:
    """Entity and product names that resemble the text word for word, and why they did not match."""
    # Compare like with like: legal forms dropped for entities, versions for products.
    text_keys = {"entity": norm.org_name(text), "product": norm.product_name(text)}
    signed = _signed(catalog)
    best: dict[str, Near] = {}
    for object_id, what, name, key in _names(catalog):
        if len(key) < MIN_NAME:
            continue  # "KES" resembles too much to mean anything
        words = tuple(text_keys[what].split())
        score = fuzz.token_set_ratio(text_keys[what], key)
        if score < NEAR_THRESHOLD or (object_id in best and best[object_id].score >= score):
            continue
        reason = _resemblance(name, key, words, score, object_id in signed)
        best[object_id] = Near(object_id, what, reason, score)
    return sorted(best.values(), key=lambda n: (-n.score, n.object_id))[:MAX_NEAR]


def _signed(catalog: Catalog) -> set[str]:
    """Ids of the entities and products some signature points to (through a product too)."""
    signed: set[str] = set()
    for signature in catalog.signatures.values():
        signed.update(i for i in (signature.product, signature.entity) if i)
        product = catalog.products.get(signature.product or "")
        if product is not None:
            signed.add(product.entity)
    return signed


def _resemblance(name: str, key: str, words: tuple[str, ...], score: float, signed: bool) -> str:
    reason = f"resembles {name!r} (token similarity {score:.0f})"
    missing = [w for w in key.split() if w not in words]
    if not missing:
        why = "none of its signatures matches this text" if signed else "no signature points to it"
        return f"{reason} and contains all its words, but {why}"
    missing = [w for w in missing if len(w) >= MIN_NAME] or missing
    listed = ", ".join(repr(w) for w in missing)
    verb = "does not occur as a whole word" if len(missing) == 1 else "do not occur as whole words"
    reason += f", but {listed} {verb}"
    hints = [f"{w!r} is closest to {c!r}" for w in missing if (c := _closest(w, words))]
    return f"{reason} ({'; '.join(hints)})" if hints else reason


def _closest(word: str, words: tuple[str, ...]) -> str | None:
    scored = [(fuzz.ratio(word, w), w) for w in words if len(w) >= MIN_NAME]
    score, closest = max(scored, default=(0.0, ""))
    return closest if score >= 80 else None
