"""CycloneDX SBOMs (1.0-1.6), JSON and XML: every component of the tree.

Each component, at any depth, becomes one ``sbom_component`` observation whose
``parents`` are the enclosing components (``name@version``, outermost first)
and whose pointer is a JSON pointer (``/components/3/components/0``) or an XML
element path (``/bom/components/component[4]/components/component[1]``).
``metadata.component`` is the asset (kind SBOM, with the serial number) and is
also an observation (pointer ``/metadata/component``), so a covered product
that *is* the subject of an SBOM is found too.

JSON is streamed with ijson: one top-level component in memory at a time (see
``_json_stream``); XML with defusedxml (see ``_cyclonedx_xml``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from rootout.ingest.base import Reader, register
from rootout.ingest.formats._cyclonedx_map import Assembler, json_step, text, walk
from rootout.ingest.formats._cyclonedx_xml import XmlRun
from rootout.ingest.formats._json_stream import JsonFeed, Sink, items_sink, utf8_chunks
from rootout.ingest.textio import head_text
from rootout.model.observation import Observation

_NAMESPACE = "cyclonedx.org/schema/bom/"


@register
class CycloneDxJsonReader(Reader):
    name: ClassVar[str] = "cyclonedx-json"
    description: ClassVar[str] = "CycloneDX SBOM, JSON (spec 1.2-1.6), nested components"
    priority: ClassVar[int] = 20

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        try:
            start = head_text(head)
            if '"bomFormat"' in start and "CycloneDX" in start:
                return True
            return path.name.lower().endswith(".cdx.json")
        except Exception:  # sniff must never raise
            return False

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        yield from _JsonRun(str(path), self.name, path.name, stream).observations()


@register
class CycloneDxXmlReader(Reader):
    name: ClassVar[str] = "cyclonedx-xml"
    description: ClassVar[str] = "CycloneDX SBOM, XML (spec 1.0-1.6), nested components"
    priority: ClassVar[int] = 20

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        try:
            start = head_text(head).lstrip()
            if start.startswith("<") and _NAMESPACE in start:
                return True
            return path.name.lower().endswith(".cdx.xml")
        except Exception:  # sniff must never raise
            return False

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        yield from XmlRun(str(path), self.name, path.name).observations(stream.read)


class _JsonRun:
    """One CycloneDX JSON document: top-level components streamed, small fields beside.

    ``metadata``, ``serialNumber`` and ``bomFormat`` are read by their own push
    parsers, which are dropped as soon as each has its value (producers write
    them before ``components``, so normally within the first chunk).
    """

    def __init__(self, path: str, fmt: str, fallback_name: str, stream: BinaryIO) -> None:
        self.path, self.stream = path, stream
        self.feed = JsonFeed(path, stream)
        self.components: list[Any] = []
        self.main = items_sink("components.item", self.components)
        self.heads: dict[str, tuple[Sink, list[Any]]] = {}
        for prefix in ("metadata", "serialNumber", "bomFormat"):
            found: list[Any] = []
            self.heads[prefix] = (items_sink(prefix, found), found)
        self.assembler = Assembler(path, fmt, fallback_name, "/metadata/component", json_step)
        self.count = 0
        self.cyclonedx = False

    def observations(self) -> Iterator[Observation]:
        for chunk in utf8_chunks(self.stream, self.path):
            self.feed.feed(chunk, self._sinks())
            self._take_heads()
            yield from self._drain()
        self.feed.close(self._sinks())
        self._take_heads()
        yield from self._drain()
        if not (self.cyclonedx or self.count or self.assembler.metadata is not None):
            self.feed.fail("not a CycloneDX JSON document: no bomFormat, metadata or components")
        yield from self.assembler.finish()

    def _sinks(self) -> list[Sink]:
        return [sink for sink, _ in self.heads.values()] + [self.main]

    def _take_heads(self) -> None:
        for prefix, (_, found) in list(self.heads.items()):
            if not found:
                continue
            del self.heads[prefix]
            value = found[0]
            if prefix == "metadata":
                self.assembler.metadata = value if isinstance(value, dict) else {}
            elif prefix == "serialNumber":
                self.assembler.serial = text(value)
            elif text(value) != "CycloneDX":
                self.feed.fail(f"bomFormat is {text(value)!r}, not 'CycloneDX'")
            else:
                self.cyclonedx = True

    def _drain(self) -> Iterator[Observation]:
        ready = list(self.components)
        self.components.clear()
        for comp in ready:
            pointer = f"/components/{self.count}"
            self.count += 1
            yield from self.assembler.add(walk(comp, pointer, (), json_step))
        if self.assembler.asset is not None:
            self.heads.clear()  # the asset is fixed; later header fields cannot change it
