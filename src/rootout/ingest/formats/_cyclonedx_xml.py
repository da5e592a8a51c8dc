"""CycloneDX XML (1.0-1.6) streamed with defusedxml into JSON-shaped dicts.

Every schema version's namespace (``http://cyclonedx.org/schema/bom/1.x``) is
accepted: elements are matched on their local name. Only ``bom/metadata`` and
each top-level ``bom/components/component`` are built as element trees, one at
a time, and converted to the dict shape of CycloneDX JSON, so one mapping
(``_cyclonedx_map``) serves both forms. DTDs are refused outright, which also
refuses entity declarations (expansion bombs) and external entities.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from rootout.errors import InputError, Location
from rootout.ingest.formats._cyclonedx_map import LINE_KEY, Assembler, walk, xml_step
from rootout.model.observation import Observation

CHUNK = 64 * 1024
MAX_DEPTH = 256
"""Deepest element nesting accepted."""

_TEXT = frozenset({"name", "version", "group", "publisher", "author", "purl", "cpe", "description"})
_ENTITIES = frozenset({"supplier", "manufacturer", "manufacture"})
_CAPTURED = (("bom", "metadata"), ("bom", "components", "component"))


class _Refused(Exception):
    """Raised from inside the parser callbacks; turned into InputError with the line."""


def local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _child_text(elem: Element, name: str) -> str:
    for child in elem:
        if local(child.tag) == name:
            return child.text or ""
    return ""


def component_dict(elem: Element, lines: dict[int, int]) -> dict[str, Any]:
    """A ``<component>`` element in the shape of a CycloneDX JSON component."""
    comp: dict[str, Any] = {key: elem.get(key, "") for key in ("type", "bom-ref")}
    comp[LINE_KEY] = lines.get(id(elem), 0)
    for child in elem:
        name = local(child.tag)
        if name in _TEXT:
            comp[name] = child.text or ""
        elif name in _ENTITIES:
            comp[name] = {"name": _child_text(child, "name")}
        elif name == "authors":
            comp[name] = [
                {"name": _child_text(a, "name")} for a in child if local(a.tag) == "author"
            ]
        elif name == "hashes":
            comp[name] = [{"alg": h.get("alg", ""), "content": h.text or ""} for h in child]
        elif name == "properties":
            comp[name] = [{"name": p.get("name", ""), "value": p.text or ""} for p in child]
        elif name == "swid":
            comp[name] = {"tagId": child.get("tagId", ""), "name": child.get("name", "")}
        elif name == "components":
            comp[name] = [component_dict(c, lines) for c in child if local(c.tag) == "component"]
    return comp


def metadata_dict(elem: Element, lines: dict[int, int]) -> dict[str, Any]:
    """A ``<metadata>`` element in the shape of CycloneDX JSON ``metadata``."""
    meta: dict[str, Any] = {}
    for child in elem:
        name = local(child.tag)
        if name == "timestamp":
            meta[name] = child.text or ""
        elif name == "component":
            meta[name] = component_dict(child, lines)
        elif name in _ENTITIES:
            meta[name] = {"name": _child_text(child, "name")}
    return meta


class _Target:
    """Parser target: builds only the captured subtrees and queues them as dicts."""

    def __init__(self) -> None:
        self.line_of: Callable[[], int] = lambda: 0
        self.serial = ""
        self.ready: list[tuple[str, dict[str, Any]]] = []
        self._path: list[str] = []
        self._builder: TreeBuilder | None = None
        self._lines: dict[int, int] = {}

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name = local(tag)
        if not self._path:
            if name != "bom":
                raise _Refused(f"root element is <{name}>, not a CycloneDX <bom>")
            self.serial = attrib.get("serialNumber", "").strip()
        if len(self._path) >= MAX_DEPTH:
            raise _Refused(f"elements nested deeper than {MAX_DEPTH} levels")
        self._path.append(name)
        if self._builder is None and tuple(self._path) in _CAPTURED:
            self._builder = TreeBuilder()
        if self._builder is not None:
            elem = self._builder.start(tag, attrib)
            if name == "component":
                self._lines[id(elem)] = self.line_of()

    def data(self, data: str) -> None:
        if self._builder is not None:
            self._builder.data(data)

    def end(self, tag: str) -> None:
        if self._builder is not None:
            elem = self._builder.end(tag)
            if tuple(self._path) in _CAPTURED:
                if self._path[-1] == "metadata":
                    self.ready.append(("metadata", metadata_dict(elem, self._lines)))
                else:
                    self.ready.append(("component", component_dict(elem, self._lines)))
                self._builder = None
                self._lines.clear()
        self._path.pop()

    def close(self) -> None:
        return None


class XmlRun:
    """One CycloneDX XML document read into observations."""

    def __init__(self, path: str, fmt: str, fallback_name: str) -> None:
        self.path = path
        self.target = _Target()
        self.parser = DefusedXMLParser(target=self.target, forbid_dtd=True)
        self.target.line_of = self._line
        self.assembler = Assembler(path, fmt, fallback_name, "/bom/metadata/component", xml_step)
        self.count = 0

    def _line(self) -> int:
        line = self.parser.parser.CurrentLineNumber
        return line if isinstance(line, int) else 0

    def observations(self, read: Callable[[int], bytes]) -> Iterator[Observation]:
        try:
            while chunk := read(CHUNK):
                self.parser.feed(chunk)
                yield from self._drain()
            self.parser.close()
        except ParseError as exc:
            line = exc.position[0] if exc.position else 0
            raise InputError(Location(self.path, line), f"malformed XML: {exc}") from None
        except DefusedXmlException as exc:
            message = f"XML with a DTD or entity declaration is refused ({type(exc).__name__})"
            raise InputError(Location(self.path, self._line()), message) from None
        except _Refused as exc:
            raise InputError(Location(self.path, self._line()), str(exc)) from None
        except (ValueError, LookupError, RecursionError) as exc:
            raise InputError(Location(self.path, self._line()), f"unreadable XML: {exc}") from None
        yield from self._drain()
        yield from self.assembler.finish()

    def _drain(self) -> Iterator[Observation]:
        ready, self.target.ready = self.target.ready, []
        self.assembler.serial = self.target.serial
        for kind, value in ready:
            if kind == "metadata":
                self.assembler.metadata = value
                continue
            if self.assembler.metadata is None:
                self.assembler.metadata = {}  # the schema puts <metadata> before <components>
            self.count += 1
            pointer = f"/bom/components/component[{self.count}]"
            yield from self.assembler.add(walk(value, pointer, (), xml_step))
