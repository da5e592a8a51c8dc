"""CycloneDX components (as JSON-shaped dicts) to observations.

The JSON reader gets these dicts from the parser; the XML reader converts each
``<component>`` element into the same shape first, so the field mapping lives
here once. Nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind, SourceRef

LINE_KEY = "\x00line"
"""Key under which the XML reader stores a component's line (never a CycloneDX key)."""

_TEXT_FIELDS = (
    ("name", "name"),
    ("version", "version"),
    ("group", "group"),
    ("publisher", "publisher"),
    ("author", "author"),
    ("purl", "purl"),
    ("cpe", "cpe"),
    ("type", "component_type"),
    ("bom-ref", "bom_ref"),
    ("description", "description"),
)
_ENTITY_FIELDS = (("supplier", "supplier"), ("manufacturer", "manufacturer"))

Step = Callable[[str, int], str]
"""Pointer of the i-th (0-based) nested component, given the enclosing pointer."""


def text(value: Any) -> str:
    """A scalar as stripped text; anything else (objects, lists, booleans, null) as ''."""
    kind = type(value)  # exact types: fast on the hot path, and excludes bool
    if kind is str:
        return str(value).strip()
    return str(value) if kind is int or kind is float else ""


def entity_name(value: Any) -> str:
    """The ``name`` of an organizationalEntity / organizationalContact."""
    return text(value.get("name")) if isinstance(value, dict) else ""


def _author_names(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [name for name in (entity_name(item) for item in value) if name]


def _put(target: dict[str, str], key: str, value: str) -> None:
    if value:
        target[key] = value


def purl_type(purl: str) -> str:
    """The package type of a purl (``pkg:maven/...`` → ``maven``), '' if not a purl."""
    if not purl.startswith("pkg:"):
        return ""
    return purl[4:].lstrip("/").partition("/")[0].partition("@")[0].lower()


def component_fields(comp: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Canonical and descriptive fields of one component, and its extras."""
    fields: dict[str, str] = {}
    extra: dict[str, str] = {}
    for key, field_name in _TEXT_FIELDS:
        _put(fields, field_name, text(comp.get(key)))
    for key, field_name in _ENTITY_FIELDS:
        _put(fields, field_name, entity_name(comp.get(key)))
    authors = _author_names(comp.get("authors"))
    if authors:
        fields.setdefault("author", authors[0])
        extra["authors"] = "; ".join(authors)
    _put(fields, "ecosystem", purl_type(fields.get("purl", "")))
    swid = comp.get("swid")
    if isinstance(swid, dict):
        _put(extra, "swid_tag_id", text(swid.get("tagId")))
        _put(extra, "swid_name", text(swid.get("name")))
    _collect_pairs(extra, "hash:", comp.get("hashes"), "alg", "content")
    _collect_pairs(extra, "property:", comp.get("properties"), "name", "value")
    return fields, extra


def _collect_pairs(extra: dict[str, str], prefix: str, items: Any, key: str, value: str) -> None:
    """``[{key: k, value: v}, ...]`` into ``extra[prefix + k]``; repeated keys joined with '; '."""
    if not isinstance(items, list):
        return
    for item in items:
        if not isinstance(item, dict):
            continue
        name, content = text(item.get(key)), text(item.get(value))
        if name and content:
            previous = extra.get(prefix + name)
            extra[prefix + name] = f"{previous}; {content}" if previous else content


def label(fields: Mapping[str, str]) -> str:
    """How a component appears in ``parents``: name@version."""
    name = fields.get("name") or fields.get("bom_ref") or "(unnamed)"
    version = fields.get("version")
    return f"{name}@{version}" if version else name


@dataclass(frozen=True, slots=True)
class Draft:
    """An observation whose asset is not known yet."""

    fields: Mapping[str, str]
    extra: Mapping[str, str]
    pointer: str
    line: int
    parents: tuple[str, ...]


def _line_of(comp: Mapping[str, Any]) -> int:
    line = comp.get(LINE_KEY)
    return line if isinstance(line, int) and not isinstance(line, bool) else 0


def draft(comp: Mapping[str, Any], pointer: str, parents: tuple[str, ...]) -> Draft:
    fields, extra = component_fields(comp)
    return Draft(fields, extra, pointer, _line_of(comp), parents)


def walk(comp: Any, pointer: str, parents: tuple[str, ...], step: Step) -> Iterator[Draft]:
    """The component at ``pointer`` and every component nested in it, outermost first.

    Recursion is bounded by the readers' nesting limits (JSON depth guard, XML depth).
    """
    if not isinstance(comp, dict):
        return
    top = draft(comp, pointer, parents)
    yield top
    children = comp.get("components")
    if isinstance(children, list) and children:
        inner = (*parents, label(top.fields))
        for index, child in enumerate(children):
            yield from walk(child, step(pointer, index), inner, step)


def _timestamp(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text(value))
    except ValueError:
        return None


def subject_draft(metadata: Mapping[str, Any], pointer: str) -> Draft | None:
    """metadata.component as an observation, or None when metadata names no subject.

    ``metadata.supplier`` ("the organization that supplied the component that the
    BOM describes") fills ``supplier`` and ``metadata.manufacture`` (1.2-1.5,
    deprecated in 1.6) fills ``manufacturer`` when the component names none.
    ``metadata.manufacturer`` (1.6) is the organisation that created the *BOM*,
    so it stays in extra as ``bom_manufacturer``.
    """
    comp = metadata.get("component")
    comp = comp if isinstance(comp, dict) else {}
    fields, extra = component_fields(comp)
    if "supplier" not in fields:
        _put(fields, "supplier", entity_name(metadata.get("supplier")))
    if "manufacturer" not in fields:
        _put(fields, "manufacturer", entity_name(metadata.get("manufacture")))
    if not fields:
        return None
    _put(extra, "bom_manufacturer", entity_name(metadata.get("manufacturer")))
    extra["sbom_role"] = "subject"
    return Draft(fields, extra, pointer if comp else pointer.rpartition("/")[0], _line_of(comp), ())


class Assembler:
    """Turns drafts into observations once the document's asset is known.

    The asset (metadata.component and serialNumber) is fixed at the first
    component when metadata has been read by then (every producer writes it
    first); otherwise drafts wait until the end of the document.
    """

    def __init__(
        self, path: str, fmt: str, fallback_name: str, subject_pointer: str, step: Step
    ) -> None:
        self.path, self.fmt, self.fallback_name = path, fmt, fallback_name
        self.subject_pointer, self.step = subject_pointer, step
        self.metadata: Mapping[str, Any] | None = None
        self.serial = ""
        self.asset: Asset | None = None
        self.observed_at: dt.datetime | None = None
        self._pending: list[Draft] = []

    def add(self, drafts: Iterable[Draft]) -> Iterator[Observation]:
        if self.asset is None and self.metadata is not None:
            yield from self._resolve()
        if self.asset is None:
            self._pending.extend(drafts)
            return
        for item in drafts:
            yield self._observe(item)

    def finish(self) -> Iterator[Observation]:
        if self.asset is None:
            yield from self._resolve()

    def _resolve(self) -> Iterator[Observation]:
        metadata = self.metadata or {}
        comp = metadata.get("component")
        name = label(component_fields(comp)[0]) if isinstance(comp, dict) else ""
        identifiers = (("bom_serial", self.serial),) if self.serial else ()
        self.asset = Asset(AssetKind.SBOM, name or self.fallback_name, identifiers)
        self.observed_at = _timestamp(metadata.get("timestamp"))
        subject = subject_draft(metadata, self.subject_pointer)
        if subject is not None:
            yield self._observe(subject)
        if isinstance(comp, dict) and subject is not None:
            children = comp.get("components")
            if isinstance(children, list):
                inner = (label(subject.fields),)
                for index, child in enumerate(children):
                    pointer = self.step(self.subject_pointer, index)
                    for item in walk(child, pointer, inner, self.step):
                        yield self._observe(item)
        pending, self._pending = self._pending, []
        for item in pending:
            yield self._observe(item)

    def _observe(self, item: Draft) -> Observation:
        if self.asset is None:  # pragma: no cover - _resolve sets it before any call
            raise RuntimeError("observation before the SBOM asset is known")
        return Observation(
            kind=ObservationKind.SBOM_COMPONENT,
            fields=item.fields,
            asset=self.asset,
            source=SourceRef(self.path, item.line, item.pointer, self.fmt),
            observed_at=self.observed_at,
            parents=item.parents,
            extra=item.extra,
        )


def json_step(pointer: str, index: int) -> str:
    return f"{pointer}/components/{index}"


def xml_step(pointer: str, index: int) -> str:
    return f"{pointer}/components/component[{index + 1}]"
