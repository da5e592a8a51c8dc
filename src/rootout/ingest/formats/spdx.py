"""SPDX SBOMs: 2.2/2.3 JSON, 2.x tag-value, and 3.0 JSON-LD: every package.

Each package becomes one ``sbom_component`` observation; its ``parents`` are the
path through CONTAINS / DEPENDS_ON (and their inverses) from the described root
(see ``_spdx_map``). SPDX files are not observations; they only name the steps
of a path. SPDX documents are read whole (the tree needs every relationship).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, ClassVar, NoReturn

from rootout.errors import InputError, Location
from rootout.ingest.base import Reader, register
from rootout.ingest.formats._cyclonedx_map import text
from rootout.ingest.formats._spdx3 import spdx3_document
from rootout.ingest.formats._spdx_map import (
    Document,
    Package,
    add_ref,
    observations,
    parse_party,
)
from rootout.ingest.textio import head_text, iter_lines
from rootout.model.observation import Observation

LINE_KEY = "\x00line"
_TAG_VALUE = re.compile(r"^\s*SPDXVersion\s*:", re.MULTILINE)
_PACKAGE_TAGS = {
    "PackageVersion": "versionInfo",
    "PackageSupplier": "supplier",
    "PackageOriginator": "originator",
    "PackageDescription": "description",
    "PackageSummary": "summary",
    "PackageHomePage": "homepage",
    "PackageDownloadLocation": "downloadLocation",
    "PrimaryPackagePurpose": "primaryPackagePurpose",
}


@register
class SpdxJsonReader(Reader):
    name: ClassVar[str] = "spdx-json"
    description: ClassVar[str] = "SPDX SBOM, JSON (2.2/2.3) or JSON-LD (3.0), packages and tree"
    priority: ClassVar[int] = 20

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        try:
            start = head_text(head)
            if '"spdxVersion"' in start:
                return True
            if '"@context"' in start and "spdx.org/rdf/3" in start:
                return True
            return path.name.lower().endswith((".spdx.json", ".spdx3.json"))
        except Exception:  # sniff must never raise
            return False

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        data = _load_json(str(path), stream)
        if isinstance(data, dict) and ("@graph" in data or "@context" in data):
            doc = spdx3_document(data, str(path))
        else:
            doc = spdx2_document(data, str(path), pointers=True)
        yield from observations(doc, str(path), self.name, path.name)


@register
class SpdxTagValueReader(Reader):
    name: ClassVar[str] = "spdx-tag-value"
    description: ClassVar[str] = "SPDX SBOM, tag-value (2.x), packages and tree"
    priority: ClassVar[int] = 20

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        try:
            if _TAG_VALUE.search(head_text(head)):
                return True
            return path.name.lower().endswith(".spdx")
        except Exception:  # sniff must never raise
            return False

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        data = tag_value_to_json(iter_lines(stream, str(path)), str(path))
        doc = spdx2_document(data, str(path), pointers=False)
        yield from observations(doc, str(path), self.name, path.name)


def _fail(path: str, line: int, message: str) -> NoReturn:
    raise InputError(Location(path, line), message)


def _load_json(path: str, stream: BinaryIO) -> Any:
    try:
        return json.loads(stream.read())
    except json.JSONDecodeError as exc:
        _fail(path, exc.lineno, f"malformed JSON: {exc.msg}")
    except RecursionError:
        _fail(path, 0, "malformed JSON: nested too deeply")
    except (UnicodeError, ValueError) as exc:
        _fail(path, 0, f"unreadable JSON: {exc}")


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def spdx2_document(data: Any, path: str, *, pointers: bool) -> Document:
    """An SPDX 2.x document in its JSON shape (the tag-value reader converts to it)."""
    if not isinstance(data, dict) or not text(data.get("spdxVersion")).startswith("SPDX-"):
        _fail(path, 0, "not an SPDX 2 document: no spdxVersion 'SPDX-2.x'")
    info = data.get("creationInfo")
    doc = Document(
        spdx_id=text(data.get("SPDXID")) or "SPDXRef-DOCUMENT",
        name=text(data.get("name")),
        namespace=text(data.get("documentNamespace")),
        created=text(info.get("created")) if isinstance(info, dict) else "",
    )
    packages = data.get("packages")
    for index, item in enumerate(packages if isinstance(packages, list) else []):
        if isinstance(item, dict):
            doc.packages.append(_spdx2_package(item, f"/packages/{index}" if pointers else ""))
    for item in _dicts(data.get("files")):
        doc.labels[text(item.get("SPDXID"))] = text(item.get("fileName"))
    described = data.get("documentDescribes")
    for target in described if isinstance(described, list) else []:
        doc.relate(doc.spdx_id, "DESCRIBES", text(target))
    for rel in _dicts(data.get("relationships")):
        source, kind = text(rel.get("spdxElementId")), text(rel.get("relationshipType"))
        doc.relate(source, kind, text(rel.get("relatedSpdxElement")))
    return doc


def _spdx2_package(item: dict[str, Any], pointer: str) -> Package:
    originator = parse_party(item.get("originator"))
    line = item.get(LINE_KEY)
    package = Package(
        spdx_id=text(item.get("SPDXID")),
        name=text(item.get("name")),
        version=text(item.get("versionInfo")),
        supplier=parse_party(item.get("supplier")),
        originators=[originator] if originator else [],
        purpose=text(item.get("primaryPackagePurpose")),
        description=text(item.get("description")) or text(item.get("summary")),
        pointer=pointer,
        line=line if isinstance(line, int) else 0,
    )
    for ref in _dicts(item.get("externalRefs")):
        add_ref(package, text(ref.get("referenceType")), text(ref.get("referenceLocator")))
    for checksum in _dicts(item.get("checksums")):
        algorithm, value = text(checksum.get("algorithm")), text(checksum.get("checksumValue"))
        if algorithm and value:
            package.extra[f"hash:{algorithm}"] = value
    for key, extra_key in (("downloadLocation", "download_location"), ("homepage", "homepage")):
        value = text(item.get(key))
        if value and value.upper() not in ("NOASSERTION", "NONE"):
            package.extra[extra_key] = value
    return package


def tag_value_to_json(lines: Iterator[str], path: str) -> dict[str, Any]:
    """SPDX 2.x tag-value into the SPDX JSON shape (packages keep their line)."""
    data: dict[str, Any] = {"packages": [], "files": [], "relationships": []}
    section, current = "document", None
    for line, tag, value in _tags(lines, path):
        if tag == "PackageName":
            current = {"name": value, LINE_KEY: line, "externalRefs": [], "checksums": []}
            data["packages"].append(current)
            section = "package"
        elif tag == "FileName":
            current = {"fileName": value}
            data["files"].append(current)
            section = "file"
        elif tag in ("SnippetSPDXID", "LicenseID"):
            section, current = "other", None
        elif tag == "SPDXID":
            target = data if section == "document" else current
            if target is not None:
                target["SPDXID"] = value
        elif tag == "Relationship":
            parts = value.split()
            if len(parts) >= 3:
                data["relationships"].append(
                    {
                        "spdxElementId": parts[0],
                        "relationshipType": parts[1],
                        "relatedSpdxElement": parts[2],
                    }
                )
        elif section == "document":
            _document_tag(data, tag, value)
        elif section == "package" and current is not None:
            _package_tag(current, tag, value)
    if "spdxVersion" not in data:
        _fail(path, 0, "no SPDXVersion tag: not an SPDX tag-value document")
    return data


def _document_tag(data: dict[str, Any], tag: str, value: str) -> None:
    if tag == "SPDXVersion":
        data["spdxVersion"] = value
    elif tag == "DocumentName":
        data["name"] = value
    elif tag == "DocumentNamespace":
        data["documentNamespace"] = value
    elif tag == "Created":
        data["creationInfo"] = {"created": value}


def _package_tag(package: dict[str, Any], tag: str, value: str) -> None:
    if tag in _PACKAGE_TAGS:
        package[_PACKAGE_TAGS[tag]] = value
    elif tag == "ExternalRef":
        parts = value.split(None, 2)
        if len(parts) == 3:
            package["externalRefs"].append(
                {
                    "referenceCategory": parts[0],
                    "referenceType": parts[1],
                    "referenceLocator": parts[2],
                }
            )
    elif tag == "PackageChecksum":
        algorithm, _, checksum = value.partition(":")
        package["checksums"].append(
            {"algorithm": algorithm.strip(), "checksumValue": checksum.strip()}
        )


def _tags(lines: Iterator[str], path: str) -> Iterator[tuple[int, str, str]]:
    """``(line, tag, value)`` for every ``Tag: value``; ``<text>...</text>`` may span lines."""
    pending: tuple[int, str, list[str]] | None = None
    for number, raw in enumerate(lines, 1):
        if pending is not None:
            end = raw.find("</text>")
            pending[2].append(raw if end < 0 else raw[:end])
            if end >= 0:
                yield pending[0], pending[1], "\n".join(pending[2]).strip()
                pending = None
            continue
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        tag, sep, value = line.partition(":")
        tag, value = tag.strip(), value.strip()
        if not sep or not tag or not tag.isalnum():
            _fail(path, number, f"expected 'Tag: value', found {line[:60]!r}")
        if value.startswith("<text>"):
            body = value[len("<text>") :]
            end = body.find("</text>")
            if end >= 0:
                yield number, tag, body[:end].strip()
            else:
                pending = (number, tag, [body])
            continue
        yield number, tag, value
    if pending is not None:
        _fail(path, pending[0], f"{pending[1]}: <text> is never closed with </text>")
