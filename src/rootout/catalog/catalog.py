"""The assembled catalog: every object by id, with its location, evaluable at a date."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rootout.catalog.dates import in_interval
from rootout.catalog.loader import (
    BUILTIN_PACKS,
    Located,
    PackFile,
    ReadResult,
    pack_paths,
    read_packs,
)
from rootout.catalog.model import (
    Designation,
    Disable,
    Embedding,
    Entity,
    Extend,
    HardNegative,
    LegalBasis,
    Product,
    Relation,
    Signature,
    Source,
)
from rootout.errors import CatalogError, Location, NotFoundError, Problem


@dataclass
class Catalog:
    """All catalog objects by id. Built by :func:`assemble`; treat as read-only."""

    sources: dict[str, Source] = field(default_factory=dict)
    legal_bases: dict[str, LegalBasis] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    relations: dict[str, Relation] = field(default_factory=dict)
    designations: dict[str, Designation] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    signatures: dict[str, Signature] = field(default_factory=dict)
    embeddings: dict[str, Embedding] = field(default_factory=dict)
    hard_negatives: dict[str, HardNegative] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    disabled: dict[str, str] = field(default_factory=dict)
    packs: list[PackFile] = field(default_factory=list)
    base: str = "built-in packs"
    """Where the base packs came from: the built-in packs or an installed bundle."""

    # -- lookup ---------------------------------------------------------------
    def get(self, object_id: str) -> Any:
        kind = self.kinds.get(object_id)
        if kind is None:
            raise NotFoundError(f"no catalog object with id {object_id!r}")
        table: dict[str, Any] = getattr(self, kind)
        return table[object_id]

    def __contains__(self, object_id: object) -> bool:
        return object_id in self.kinds

    def signature_entity(self, signature: Signature) -> str:
        """The entity a signature points to (directly or through its product)."""
        if signature.entity:
            return signature.entity
        assert signature.product is not None
        return self.products[signature.product].entity

    @property
    def version(self) -> str:
        """A short hash of every loaded pack: changes whenever any pack changes."""
        digest = hashlib.sha256()
        for pack in sorted(self.packs, key=lambda p: p.sha256):
            digest.update(pack.sha256.encode())
        for object_id, reason in sorted(self.disabled.items()):
            digest.update(f"{object_id}\0{reason}".encode())
        return digest.hexdigest()[:16]

    # -- time -------------------------------------------------------------------
    def relations_at(self, on: dt.date) -> Iterator[Relation]:
        for relation in self.relations.values():
            if in_interval(on, relation.valid_from, relation.valid_to):
                yield relation

    def designations_at(self, entity_id: str, on: dt.date) -> list[Designation]:
        """Designations naming ``entity_id`` itself that are in force on ``on``."""
        return [
            d
            for d in self.designations.values()
            if d.entity == entity_id and in_interval(on, d.effective_from, d.effective_to)
        ]

    def parents_at(self, entity_id: str, on: dt.date) -> list[Relation]:
        """Relations valid on ``on`` whose subject is ``entity_id``."""
        return [
            r
            for r in self._by_subject.get(entity_id, ())
            if in_interval(on, r.valid_from, r.valid_to)
        ]

    @property
    def _by_subject(self) -> dict[str, list[Relation]]:
        cache: dict[str, list[Relation]] | None = self.__dict__.get("_subject_cache")
        if cache is None:
            cache = defaultdict(list)
            for relation in self.relations.values():
                cache[relation.subject].append(relation)
            self.__dict__["_subject_cache"] = cache
        return cache


TABLES = (
    "sources",
    "legal_bases",
    "entities",
    "relations",
    "designations",
    "products",
    "signatures",
    "embeddings",
    "hard_negatives",
)
"""The catalog's tables of objects by id, in the order they are assembled."""


def assemble(result: ReadResult) -> tuple[Catalog, list[Problem]]:
    """Index objects by id, apply ``disable`` and ``extend``, and check references."""
    catalog = Catalog(packs=list(result.packs))
    problems = list(result.problems)
    disables: list[Located] = []
    extends: list[Located] = []
    for item in result.objects():
        if item.kind == "disable":
            disables.append(item)
            continue
        if item.kind == "extend":
            extends.append(item)
            continue
        object_id = item.obj.id
        if object_id in catalog.kinds:
            problems.append(
                Problem(
                    item.location,
                    "duplicate-id",
                    f"id {object_id!r} is already defined at {catalog.locations[object_id]}",
                )
            )
            continue
        catalog.kinds[object_id] = item.kind
        catalog.locations[object_id] = item.location
        getattr(catalog, item.kind)[object_id] = item.obj
        for nested in _nested_ids(item.obj):
            if nested in catalog.kinds:
                problems.append(
                    Problem(item.location, "duplicate-id", f"id {nested!r} is already defined")
                )
            else:
                catalog.kinds[nested] = "nested"
                catalog.locations[nested] = item.location
    for item in extends:
        problems.extend(_apply_extend(catalog, item))
    for item in disables:
        problems.extend(_apply_disable(catalog, item))
    problems.extend(check_references(catalog))
    return catalog, problems


def _nested_ids(obj: Any) -> Iterator[str]:
    if isinstance(obj, LegalBasis):
        yield from (o.id for o in obj.obligations)
        yield from (r.id for r in obj.reports)
    if isinstance(obj, Designation):
        yield from (e.id for e in obj.exceptions)


def _apply_extend(catalog: Catalog, item: Located) -> list[Problem]:
    extend: Extend = item.obj
    entity = catalog.entities.get(extend.entity)
    if entity is None:
        return [
            Problem(item.location, "dangling-ref", f"extend names unknown entity {extend.entity!r}")
        ]
    catalog.entities[extend.entity] = entity.model_copy(
        update={
            "aliases": entity.aliases + extend.aliases,
            "identifiers": entity.identifiers + extend.identifiers,
        }
    )
    return []


def _apply_disable(catalog: Catalog, item: Located) -> list[Problem]:
    disable: Disable = item.obj
    kind = catalog.kinds.get(disable.id)
    if kind is None or kind == "nested":
        return [
            Problem(item.location, "dangling-ref", f"disable names unknown object {disable.id!r}")
        ]
    if kind == "sources":
        return [
            Problem(
                item.location, "invalid", "sources cannot be disabled; disable the facts instead"
            )
        ]
    del getattr(catalog, kind)[disable.id]
    del catalog.kinds[disable.id]
    catalog.disabled[disable.id] = disable.reason
    return []


def check_references(catalog: Catalog) -> list[Problem]:
    """Every id an object names must exist and be of the right kind."""
    problems: list[Problem] = []

    def need(owner: str, ref: str | None, table: str, what: str) -> None:
        if ref is None or ref in getattr(catalog, table):
            return
        where = catalog.locations[owner]
        if ref in catalog.disabled:
            msg = f"{what} {ref!r} is disabled ({catalog.disabled[ref]}); disable {owner!r} too"
        else:
            msg = f"{what} {ref!r} does not exist"
        problems.append(Problem(where, "dangling-ref", msg))

    for table in TABLES:
        for object_id, obj in getattr(catalog, table).items():
            for source_id in cited_sources(obj):
                need(object_id, source_id, "sources", "source")
    for rid, relation in catalog.relations.items():
        need(rid, relation.subject, "entities", "subject entity")
        need(rid, relation.object, "entities", "object entity")
    for did, designation in catalog.designations.items():
        need(did, designation.entity, "entities", "entity")
        need(did, designation.legal_basis, "legal_bases", "legal basis")
    for pid, product in catalog.products.items():
        need(pid, product.entity, "entities", "entity")
    for sid, signature in catalog.signatures.items():
        need(sid, signature.product, "products", "product")
        need(sid, signature.entity, "entities", "entity")
    for eid, embedding in catalog.embeddings.items():
        need(eid, embedding.host_product, "products", "host product")
        need(eid, embedding.technology_entity, "entities", "technology entity")
        need(eid, embedding.technology_product, "products", "technology product")
    for hid, negative in catalog.hard_negatives.items():
        need(hid, negative.not_entity, "entities", "entity")
    for lid, basis in catalog.legal_bases.items():
        report_ids = {r.id for r in basis.reports}
        for obligation in basis.obligations:
            if obligation.report and obligation.report not in report_ids:
                problems.append(
                    Problem(
                        catalog.locations[lid],
                        "dangling-ref",
                        f"obligation {obligation.id!r} names report {obligation.report!r}, "
                        f"which {lid!r} does not define",
                    )
                )
    return problems


def cited_sources(obj: Any) -> Iterator[str]:
    """Every source id an object cites, its nested identifiers, obligations, exceptions
    and removal guidance included."""
    yield from getattr(obj, "sources", ()) or ()
    for attr in ("identifiers", "obligations", "exceptions"):
        for nested in getattr(obj, attr, ()) or ():
            yield from nested.sources
    removal = getattr(obj, "removal", None)
    if removal is not None:
        yield from removal.sources


@dataclass(frozen=True)
class BasePacks:
    """The packs every catalog starts from: an installed bundle's, else the built-in ones."""

    folder: Path
    label: str
    """``built-in packs`` or ``bundle <version> (created <date>)``."""
    manifest: dict[str, str] = field(default_factory=dict)
    """For a bundle: ``packs/<name>`` -> SHA-256 as its signed manifest lists them."""
    manifest_sha256: str = ""

    @property
    def paths(self) -> list[Path]:
        return pack_paths([self.folder])


def base_packs() -> BasePacks:
    """The installed bundle under the catalog home (``rootout catalog install``), if any."""
    from rootout.catalog.bundle import MANIFEST, catalog_home, installed_manifest

    current = catalog_home() / "current"
    manifest = installed_manifest("current")
    if manifest is None:
        return BasePacks(BUILTIN_PACKS, "built-in packs")
    return BasePacks(
        current / "packs",
        f"bundle {manifest.catalog_version} (created {manifest.created})",
        {k: v for k, v in manifest.files.items() if k.startswith("packs/")},
        hashlib.sha256((current / MANIFEST).read_bytes()).hexdigest(),
    )


def bundle_problems(base: BasePacks, packs: Iterable[PackFile]) -> list[Problem]:
    """Installed packs that differ from, or are missing against, the bundle's signed manifest."""
    if not base.manifest:
        return []
    seen = {"packs/" + p.path.relative_to(base.folder).as_posix(): p.sha256 for p in packs}
    return [
        Problem(
            Location(str(base.folder / name.removeprefix("packs/"))),
            "bundle-modified",
            f"{what}; reinstall the bundle or run `rootout catalog rollback`",
        )
        for name, what in _manifest_mismatches(base.manifest, seen)
    ]


def _manifest_mismatches(
    expected: dict[str, str], seen: dict[str, str]
) -> Iterator[tuple[str, str]]:
    for name in sorted(set(expected) | set(seen)):
        if name not in seen:
            yield name, "listed in the installed bundle's manifest but missing"
        elif name not in expected:
            yield name, "not part of the installed bundle"
        elif seen[name] != expected[name]:
            yield name, "changed since the bundle was installed"


def load_catalog(extra: Iterable[Path] = (), *, builtin: bool = True) -> Catalog:
    """Load the base packs plus ``extra`` packs; raise :class:`CatalogError` on any error.

    The base packs are those of the bundle installed with ``rootout catalog install``
    when there is one, else the built-in packs; ``builtin=False`` loads ``extra`` alone.
    """
    base = base_packs() if builtin else None
    result = read_packs(base.paths) if base is not None else ReadResult([], [])
    for pack in result.packs:
        pack.builtin = True
    if base is not None:
        result.problems.extend(bundle_problems(base, result.packs))
    extra_result = read_packs(list(extra))
    result.packs.extend(extra_result.packs)
    result.problems.extend(extra_result.problems)
    catalog, problems = assemble(result)
    catalog.base = base.label if base is not None else "no base packs"
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CatalogError(errors)
    return catalog
