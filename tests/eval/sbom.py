"""Components of the shared SBOM files, as the canonical fields a reader would fill.

The evaluation reads the SBOMs itself (stdlib only) rather than through the
ingest readers, so that it measures the matcher and nothing else. The mapping
follows the CycloneDX and SPDX readers: ``publisher``, ``author``, ``supplier``
and ``manufacturer`` are organisation fields; ``purl`` and ``cpe`` are kept;
``group`` and ``version`` are descriptive.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SPDX_AGENT = re.compile(r"^\s*(?:Person|Organization|Tool)\s*:\s*(.*?)\s*(?:\([^)]*\))?\s*$")


@dataclass(frozen=True)
class Component:
    """One SBOM component: its fields, the enclosing components' labels, and its bom-ref."""

    fields: Mapping[str, str]
    parents: tuple[str, ...]
    ref: str

    @property
    def label(self) -> str:
        name = self.fields.get("name", self.ref)
        version = self.fields.get("version")
        return f"{name}@{version}" if version else name


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _org(value: Any) -> str:
    return _text(value.get("name")) if isinstance(value, dict) else _text(value)


def _purl_type(purl: str) -> str:
    return purl[4:].partition("/")[0].lower() if purl.startswith("pkg:") else ""


def _put(fields: dict[str, str], name: str, value: str) -> None:
    if value:
        fields[name] = value


def cyclonedx_fields(comp: Mapping[str, Any]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for key in ("name", "version", "group", "publisher", "author", "purl", "cpe"):
        _put(fields, key, _text(comp.get(key)))
    _put(fields, "supplier", _org(comp.get("supplier")))
    _put(fields, "manufacturer", _org(comp.get("manufacturer")))
    _put(fields, "ecosystem", _purl_type(fields.get("purl", "")))
    return fields


def _cyclonedx(doc: Mapping[str, Any]) -> Iterator[Component]:
    def walk(comps: Any, parents: tuple[str, ...]) -> Iterator[Component]:
        for comp in comps if isinstance(comps, list) else []:
            if not isinstance(comp, dict):
                continue
            item = Component(cyclonedx_fields(comp), parents, _text(comp.get("bom-ref")))
            yield item
            yield from walk(comp.get("components"), (*parents, item.label))

    yield from walk(doc.get("components"), ())


def spdx_agent(value: Any) -> str:
    """ "Organization: ExampleCodeInspect (contact@example.com)" -> "ExampleCodeInspect"."""
    text = _text(value)
    if text.upper() == "NOASSERTION":
        return ""
    match = _SPDX_AGENT.match(text)
    return match.group(1) if match else text


def _spdx2(doc: Mapping[str, Any]) -> Iterator[Component]:
    for package in doc.get("packages", []):
        fields: dict[str, str] = {}
        _put(fields, "name", _text(package.get("name")))
        _put(fields, "version", _text(package.get("versionInfo")))
        _put(fields, "supplier", spdx_agent(package.get("supplier")))
        _put(fields, "author", spdx_agent(package.get("originator")))
        for ref in package.get("externalRefs") or []:
            kind, locator = ref.get("referenceType"), _text(ref.get("referenceLocator"))
            if kind == "purl":
                _put(fields, "purl", locator)
            elif kind in ("cpe23Type", "cpe22Type"):
                _put(fields, "cpe", locator)
        _put(fields, "ecosystem", _purl_type(fields.get("purl", "")))
        yield Component(fields, (), _text(package.get("SPDXID")))


def _spdx3(doc: Mapping[str, Any]) -> Iterator[Component]:
    graph = [item for item in doc.get("@graph", []) if isinstance(item, dict)]
    names = {_text(item.get("spdxId")): _text(item.get("name")) for item in graph}
    for item in graph:
        if item.get("type") != "software_Package":
            continue
        fields: dict[str, str] = {}
        _put(fields, "name", _text(item.get("name")))
        _put(fields, "version", _text(item.get("software_packageVersion")))
        _put(fields, "purl", _text(item.get("software_packageUrl")))
        _put(fields, "supplier", names.get(_text(item.get("suppliedBy")), ""))
        _put(fields, "ecosystem", _purl_type(fields.get("purl", "")))
        yield Component(fields, (), _text(item.get("spdxId")))


def _spdx_tag_value(text: str) -> Iterator[Component]:
    fields: dict[str, str] = {}
    keys = {
        "PackageName": "name",
        "PackageVersion": "version",
        "PackageSupplier": "supplier",
        "PackageOriginator": "author",
    }
    for line in [*text.splitlines(), "PackageName: "]:
        key, _, value = line.partition(":")
        if key == "PackageName" and fields.get("name"):
            yield Component(dict(fields), (), fields["name"])
            fields = {}
        if key in keys:
            value = spdx_agent(value) if key in ("PackageSupplier", "PackageOriginator") else value
            _put(fields, keys[key], value.strip())


def components(path: Path) -> list[Component]:
    """Every component of one SBOM file (CycloneDX JSON, SPDX 2.x JSON or tag-value, SPDX 3)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".spdx":
        return list(_spdx_tag_value(text))
    doc = json.loads(text)
    if doc.get("bomFormat") == "CycloneDX":
        return list(_cyclonedx(doc))
    if "@graph" in doc:
        return list(_spdx3(doc))
    return list(_spdx2(doc))


def dependency_path(path: Path, depth: int) -> list[Component]:
    """A real chain of ``depth + 1`` components from a CycloneDX ``dependencies`` graph.

    The first chain in sorted order: deterministic for a given file. The last
    component is ``depth`` levels below the first.
    """
    doc = json.loads(path.read_text(encoding="utf-8"))
    by_ref = {c.ref: c for c in _cyclonedx(doc)}
    edges = {
        d["ref"]: sorted(d.get("dependsOn", []))
        for d in doc.get("dependencies", [])
        if isinstance(d, dict) and "ref" in d
    }

    def extend(chain: list[str]) -> list[str] | None:
        if len(chain) == depth + 1:
            return chain
        for child in edges.get(chain[-1], []):
            if child in by_ref and child not in chain:
                found = extend([*chain, child])
                if found:
                    return found
        return None

    for start in sorted(edges):
        chain = extend([start]) if start in by_ref else None
        if chain:
            return [by_ref[ref] for ref in chain]
    raise ValueError(f"{path.name}: no dependency chain {depth} levels deep")
