"""SPDX 3.0 JSON-LD (``@context`` + ``@graph``) into the form-neutral SPDX document.

Elements refer to each other by ``spdxId`` (blank nodes by ``@id``): a package's
``suppliedBy`` / ``originatedBy`` name an Organization or Person element whose
``name`` is the supplier, and relationships have one ``from`` and a list ``to``.
A reference may also be an embedded element object; both are accepted.
"""

from __future__ import annotations

from typing import Any, NoReturn

from rootout.errors import InputError, Location
from rootout.ingest.formats._cyclonedx_map import text
from rootout.ingest.formats._spdx_map import Document, Package, Party, add_ref

_PACKAGE_TYPES = frozenset({"software_Package", "Package"})
_FILE_TYPES = frozenset({"software_File", "File"})
_RELATIONSHIP_TYPES = frozenset({"Relationship", "LifecycleScopedRelationship"})
_PARTY_KINDS = {"Organization": "Organization", "Person": "Person", "Tool": "Tool"}


def _fail(path: str, message: str) -> NoReturn:
    raise InputError(Location(path), message)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


def type_of(elem: Any) -> str:
    return text(elem.get("type") or elem.get("@type")) if isinstance(elem, dict) else ""


def id_of(elem: Any) -> str:
    if isinstance(elem, dict):
        return text(elem.get("spdxId") or elem.get("@id"))
    return text(elem)


def spdx3_document(data: dict[str, Any], path: str) -> Document:
    graph = data.get("@graph")
    if not isinstance(graph, list):
        _fail(path, "not an SPDX 3 JSON-LD document: no @graph array")
    elements = [elem for elem in graph if isinstance(elem, dict)]
    by_id = {id_of(elem): elem for elem in elements if id_of(elem)}
    head = next((e for e in elements if type_of(e) == "SpdxDocument"), {})
    doc = Document(
        spdx_id=id_of(head) or "(document)",
        name=text(head.get("name")),
        namespace=id_of(head),
        created=_created(head, by_id),
    )
    for index, elem in enumerate(graph):
        if not isinstance(elem, dict):
            continue
        kind, elem_id = type_of(elem), id_of(elem)
        for root in _list(elem.get("rootElement")):
            doc.relate(elem_id, "describes", id_of(root))
        if kind in _PACKAGE_TYPES:
            doc.packages.append(_package(elem, by_id, f"/@graph/{index}"))
        elif kind in _FILE_TYPES and elem_id:
            doc.labels[elem_id] = text(elem.get("name"))
        elif kind in _RELATIONSHIP_TYPES:
            source, relation = id_of(elem.get("from")), text(elem.get("relationshipType"))
            for target in _list(elem.get("to")):
                doc.relate(source, relation, id_of(target))
    return doc


def _created(head: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> str:
    info = head.get("creationInfo")
    info = by_id.get(info) if isinstance(info, str) else info
    return text(info.get("created")) if isinstance(info, dict) else ""


def _party(ref: Any, by_id: dict[str, dict[str, Any]]) -> Party | None:
    """The Organization / Person / agent an id (or embedded element) stands for."""
    elem = by_id.get(ref) if isinstance(ref, str) else ref
    if not isinstance(elem, dict):
        return None
    name = text(elem.get("name"))
    return Party(_PARTY_KINDS.get(type_of(elem), ""), name) if name else None


def _package(elem: dict[str, Any], by_id: dict[str, dict[str, Any]], pointer: str) -> Package:
    originators = [_party(ref, by_id) for ref in _list(elem.get("originatedBy"))]
    package = Package(
        spdx_id=id_of(elem),
        name=text(elem.get("name")),
        version=text(elem.get("software_packageVersion")),
        supplier=_party(elem.get("suppliedBy"), by_id),
        originators=[party for party in originators if party is not None],
        purpose=text(elem.get("software_primaryPurpose")),
        description=text(elem.get("description")) or text(elem.get("summary")),
        pointer=pointer,
    )
    add_ref(package, "purl", text(elem.get("software_packageUrl")))
    for ident in _list(elem.get("externalIdentifier")):
        if isinstance(ident, dict):
            kind, value = text(ident.get("externalIdentifierType")), text(ident.get("identifier"))
            add_ref(package, kind, value)
    for digest in _list(elem.get("verifiedUsing")):
        if type_of(digest) == "Hash":
            algorithm, value = text(digest.get("algorithm")), text(digest.get("hashValue"))
            if algorithm and value:
                package.extra[f"hash:{algorithm}"] = value
    for key, extra_key in (
        ("software_downloadLocation", "download_location"),
        ("software_homePage", "homepage"),
    ):
        value = text(elem.get(key))
        if value and value.upper() not in ("NOASSERTION", "NONE"):
            package.extra[extra_key] = value
    return package
