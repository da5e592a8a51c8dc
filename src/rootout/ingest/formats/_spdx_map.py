"""SPDX packages and their relationship tree to observations (shared by every SPDX form).

Each SPDX form (2.x JSON, 2.x tag-value, 3.0 JSON-LD) is first read into
:class:`Package` records, the ``(parent, child)`` edges of its CONTAINS /
DEPENDS_ON tree and the document facts; :func:`observations` does the rest.

The tree: the document is the start; its described elements (DESCRIBES,
``documentDescribes``, ``rootElement``) are the roots; CONTAINS and DEPENDS_ON
point from parent to child, CONTAINED_BY and the ``*DEPENDENCY_OF`` family from
child to parent. A package's ``parents`` is the shortest path to it from the
document (breadth-first, first root first), cycles ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from rootout.ingest.formats._cyclonedx_map import purl_type, text
from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind, SourceRef

FORWARD = frozenset({"CONTAINS", "DEPENDS_ON", "DESCRIBES", "contains", "dependsOn", "describes"})
INVERSE = frozenset(
    {
        "CONTAINED_BY",
        "DESCRIBED_BY",
        "DEPENDENCY_OF",
        "DEV_DEPENDENCY_OF",
        "BUILD_DEPENDENCY_OF",
        "RUNTIME_DEPENDENCY_OF",
        "OPTIONAL_DEPENDENCY_OF",
        "PROVIDED_DEPENDENCY_OF",
        "TEST_DEPENDENCY_OF",
    }
)
_PARTY = re.compile(r"^(Organization|Person|Tool)\s*:\s*(.*?)\s*(?:\(([^()]*)\))?\s*$", re.DOTALL)
_NO_VALUE = frozenset({"", "NOASSERTION", "NONE"})


@dataclass(frozen=True, slots=True)
class Party:
    """A supplier/originator: 'Organization', 'Person', 'Tool' (or '' when untyped)."""

    kind: str
    name: str
    email: str = ""


def parse_party(value: object) -> Party | None:
    """``"Organization: Name (email)"`` → Party; NOASSERTION / NONE / empty → None."""
    raw = text(value)
    if raw.upper() in _NO_VALUE:
        return None
    match = _PARTY.match(raw)
    if match is None:
        return Party("", raw)
    return Party(match[1], match[2], (match[3] or "").strip()) if match[2] else None


@dataclass(slots=True)
class Package:
    """One SPDX package as read, before the tree is known."""

    spdx_id: str
    name: str
    version: str = ""
    supplier: Party | None = None
    originators: list[Party] = field(default_factory=list)
    purls: list[str] = field(default_factory=list)
    cpes: list[str] = field(default_factory=list)
    purpose: str = ""
    description: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    pointer: str = ""
    line: int = 0

    @property
    def label(self) -> str:
        name = self.name or self.spdx_id or "(unnamed)"
        return f"{name}@{self.version}" if self.version else name


@dataclass(slots=True)
class Document:
    """What one SPDX document says, in form-neutral terms."""

    spdx_id: str
    name: str = ""
    namespace: str = ""
    created: str = ""
    packages: list[Package] = field(default_factory=list)
    edges: list[tuple[str, str]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    """Names of non-package elements (files) that may appear in a path."""

    def relate(self, source: str, kind: str, target: str) -> None:
        if not source or not target:
            return
        if kind in FORWARD:
            self.edges.append((source, target))
        elif kind in INVERSE:
            self.edges.append((target, source))


def add_ref(package: Package, ref_type: str, locator: str) -> None:
    """An external reference / identifier: purl or CPE into the package, others ignored."""
    kind = ref_type.strip().lower()
    if not locator:
        return
    if kind in ("purl", "packageurl"):
        package.purls.append(locator)
    elif kind in ("cpe23type", "cpe23", "cpe22type", "cpe22"):
        package.cpes.append(locator)
    elif kind == "swid":
        package.extra.setdefault("swid_tag_id", locator)


def fields_of(package: Package) -> tuple[dict[str, str], dict[str, str]]:
    """Canonical and descriptive fields of a package, and its extras.

    The supplier's name goes to ``supplier``. An originator that is an
    Organization goes to ``manufacturer`` (the organisation the package comes
    from), a Person to ``author``; a Tool or untyped originator stays in extra.
    """
    fields: dict[str, str] = {}
    extra = dict(package.extra)
    pairs = (
        ("name", package.name),
        ("version", package.version),
        ("purl", package.purls[0] if package.purls else ""),
        ("cpe", _preferred_cpe(package.cpes)),
        ("component_type", package.purpose),
        ("description", package.description),
        ("bom_ref", package.spdx_id),
    )
    fields.update((key, value) for key, value in pairs if value)
    if package.purls and purl_type(package.purls[0]):
        fields["ecosystem"] = purl_type(package.purls[0])
    if package.supplier is not None:
        fields["supplier"] = package.supplier.name
        _party_extra(extra, "supplier", package.supplier)
    for party in package.originators:
        slot = {"Organization": "manufacturer", "Person": "author"}.get(party.kind, "")
        if slot and slot not in fields:
            fields[slot] = party.name
        elif "originator" not in extra:
            extra["originator"] = party.name
        _party_extra(extra, "originator", party)
    if len(package.purls) > 1:
        extra["purls"] = " ".join(package.purls)
    if len(package.cpes) > 1:
        extra["cpes"] = " ".join(package.cpes)
    return fields, extra


def _preferred_cpe(cpes: list[str]) -> str:
    """The first CPE 2.3 string, else the first CPE (2.2 URI form)."""
    return next((c for c in cpes if c.startswith("cpe:2.3:")), cpes[0] if cpes else "")


def _party_extra(extra: dict[str, str], role: str, party: Party) -> None:
    if party.kind:
        extra.setdefault(f"{role}_type", party.kind)
    if party.email:
        extra.setdefault(f"{role}_email", party.email)


def parent_paths(
    start: str, edges: Iterable[tuple[str, str]], labels: Mapping[str, str]
) -> dict[str, tuple[str, ...]]:
    """Shortest labelled path from ``start`` to every reachable element (cycle-safe)."""
    children: dict[str, list[str]] = {}
    for parent, child in edges:
        children.setdefault(parent, []).append(child)
    paths: dict[str, tuple[str, ...]] = {start: ()}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        label = labels.get(node)
        inner = (*paths[node], label) if label and node != start else paths[node]
        for child in children.get(node, ()):
            if child not in paths:
                paths[child] = inner
                queue.append(child)
    return paths


def observations(doc: Document, path: str, fmt: str, fallback_name: str) -> Iterator[Observation]:
    labels = {**doc.labels, **{p.spdx_id: p.label for p in doc.packages if p.spdx_id}}
    paths = parent_paths(doc.spdx_id, doc.edges, labels)
    asset = _asset(doc, fallback_name)
    observed_at = _timestamp(doc.created)
    for package in doc.packages:
        fields, extra = fields_of(package)
        yield Observation(
            kind=ObservationKind.SBOM_COMPONENT,
            fields=fields,
            asset=asset,
            source=SourceRef(path, package.line, package.pointer, fmt),
            observed_at=observed_at,
            parents=paths.get(package.spdx_id, ()) if package.spdx_id else (),
            extra=extra,
        )


def _asset(doc: Document, fallback_name: str) -> Asset:
    """The single described package (name@version), else the document name, else the file."""
    by_id = {p.spdx_id: p for p in doc.packages}
    described = {c for parent, c in doc.edges if parent == doc.spdx_id and c in by_id}
    name = by_id[described.pop()].label if len(described) == 1 else ""
    identifiers = (("bom_serial", doc.namespace),) if doc.namespace else ()
    return Asset(AssetKind.SBOM, name or doc.name or fallback_name, identifiers)


def _timestamp(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
