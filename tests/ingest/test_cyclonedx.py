"""CycloneDX readers: the real example SBOMs, synthetic positives, hostile inputs, fuzzing."""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rootout.errors import InputError
from rootout.ingest.base import detect
from rootout.ingest.formats.cyclonedx import CycloneDxJsonReader, CycloneDxXmlReader
from rootout.model.observation import AssetKind, Observation, ObservationKind

REPO = Path(__file__).resolve().parents[2]
SBOMS = REPO.parent / "shared" / "data" / "sbom" / "cyclonedx"
FIXTURES = REPO / "tests" / "fixtures" / "inputs" / "cyclonedx"
LARAVEL = SBOMS / "laravel-7.12.0"
MAIL_GATEWAY = FIXTURES / "mail-gateway.cdx.json"
DOOR_PANEL = FIXTURES / "door-entry-panel.hbom.cdx.xml"
SHARED_FILES = sorted(p for p in SBOMS.rglob("*") if p.suffix in (".json", ".xml"))
SUBJECT = "/metadata/component"


def read(path: Path) -> list[Observation]:
    reader = detect(path, path.read_bytes()[: 64 * 1024])
    assert reader is not None, f"{path} not detected"
    with path.open("rb") as stream:
        return list(reader().read(path, stream))


def read_bytes(
    reader: type[CycloneDxJsonReader | CycloneDxXmlReader], data: bytes, name: str
) -> list[Observation]:
    return list(reader().read(Path(name), io.BytesIO(data)))


def components(observations: list[Observation]) -> list[Observation]:
    """Observations of the component tree (the subject excluded)."""
    return [o for o in observations if not o.source.pointer.endswith(SUBJECT)]


# Independent counters: plain JSON / ElementTree walking, no reader code.


def count_json(node: dict[str, Any]) -> int:
    return sum(1 + count_json(child) for child in node.get("components", []))


def count_xml(elem: ET.Element) -> int:
    return sum(
        1 + count_xml(child)
        for group in elem.findall("{*}components")
        for child in group.findall("{*}component")
    )


def independent_count(path: Path) -> int:
    """Components in the tree plus the subject and anything nested in it."""
    if path.suffix == ".json":
        doc = json.loads(path.read_bytes())
        subject = doc.get("metadata", {}).get("component")
        return count_json(doc) + (1 + count_json(subject) if subject else 0)
    root = ET.parse(path).getroot()
    subject_elem = root.find("{*}metadata/{*}component")
    extra = 1 + count_xml(subject_elem) if subject_elem is not None else 0
    return count_xml(root) + extra


@pytest.mark.parametrize("path", SHARED_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shared_sbom_is_detected_and_every_component_read(path: Path) -> None:
    observations = read(path)
    assert len(observations) == independent_count(path)
    assert all(o.kind is ObservationKind.SBOM_COMPONENT for o in observations)
    assert all(o.asset.kind is AssetKind.SBOM for o in observations)
    assert all(o.source.format.startswith("cyclonedx-") and o.source.pointer for o in observations)


def _tuple(o: Observation) -> tuple[str | None, ...]:
    return tuple(o.get(k) for k in ("group", "name", "version", "author", "purl"))


def test_laravel_gives_the_same_62_components_in_every_spec_version() -> None:
    tuples = {p.name: [_tuple(o) for o in components(read(p))] for p in LARAVEL.iterdir()}
    assert len(tuples) == 7
    assert all(len(found) == 62 for found in tuples.values())
    # 1.2-1.4, JSON and XML: identical (group, name, version, author, purl).
    modern = [found for name, found in tuples.items() if name != "bom.1.1.xml"]
    assert all(found == modern[0] for found in modern)
    # ... and equal to what the JSON itself says, read here without the reader.
    raw = json.loads((LARAVEL / "bom.1.4.json").read_bytes())["components"]
    keys = ("group", "name", "version", "author", "purl")
    assert modern[0] == [tuple(c.get(k) for k in keys) for c in raw]
    assert sum(t[3] is not None for t in modern[0]) == 59
    # Spec 1.1 has no <author>: the same components otherwise.
    legacy = tuples["bom.1.1.xml"]
    assert [t[:3] + t[4:] for t in legacy] == [t[:3] + t[4:] for t in modern[0]]
    assert all(t[3] is None for t in legacy)


def test_laravel_json_and_xml_agree_on_every_field() -> None:
    as_json = read(LARAVEL / "bom.1.4.json")
    as_xml = read(LARAVEL / "bom.1.4.xml")
    assert [dict(o.fields) for o in as_json] == [dict(o.fields) for o in as_xml]
    assert [dict(o.extra) for o in as_json] == [dict(o.extra) for o in as_xml]
    assert as_json[0].asset == as_xml[0].asset
    assert as_json[0].asset.name == "cyclonedx-php-composer-demo@dev-master"


def test_legacy_xml_without_metadata_is_named_after_the_file() -> None:
    observations = read(LARAVEL / "bom.1.1.xml")
    assert {o.asset.name for o in observations} == {"bom.1.1.xml"}
    first = observations[0]
    assert first.source.pointer == "/bom/components/component[1]"
    assert first.source.line == 4  # <component type="library"> of asm89/stack-cors


def test_dropwizard_publishers_match_the_json() -> None:
    path = SBOMS / "dropwizard-1.3.15" / "bom.json"
    found = Counter(o.get("publisher") for o in components(read(path)) if o.get("publisher"))
    raw = json.loads(path.read_bytes())["components"]
    assert found == Counter(c["publisher"] for c in raw if c.get("publisher"))
    assert sum(found.values()) == 90
    assert found["Oracle Corporation"] == 21
    assert found["FasterXML"] == 14


def test_hbom_devices_keep_their_suppliers() -> None:
    observations = read(SBOMS / "PCIe-SATA-adapter-board" / "bom.json")
    devices = components(observations)
    assert len(devices) == 6
    assert {o.get("component_type") for o in devices} == {"device"}
    assert {o.get("supplier") for o in devices} == {
        "Samtec",
        "Molex",
        "3M",
        "Multicomp",
        "TE Connectivity",
    }
    assert devices[0].extra["property:cdx:device:function"] == "connector"
    asset = devices[0].asset
    assert asset.name == "pcie-sata-adaptor-board@rev-1"
    assert ("bom_serial", "urn:uuid:e8c355aa-2142-4084-a8c7-6d42c8610ba2") in asset.identifiers


def test_obom_subject_is_an_observation_and_the_os_keeps_its_cpe() -> None:
    observations = read(SBOMS / "Example-1-Decoupled" / "obom.json")
    subject = next(o for o in observations if o.source.pointer == SUBJECT)
    assert subject.get("name") == "Keycloak"
    assert subject.asset.name == "Keycloak@10.0.2"
    assert subject.extra["property:internal.deployment.cloud.region"] == (
        "us-east-1; us-west-1; eu-west-2; eu-north-1"
    )
    (rhel,) = components(observations)
    assert rhel.get("cpe") == "cpe:2.3:o:redhat:enterprise_linux:8.0:*:*:*:*:*:*:*"
    assert rhel.get("supplier") == "Red Hat"
    assert rhel.get("component_type") == "operating-system"
    assert rhel.observed_at is not None
    assert rhel.observed_at.year == 2022


def test_kaspersky_sdk_three_levels_deep_is_found_with_its_path() -> None:
    observations = read(MAIL_GATEWAY)
    assert len(observations) == independent_count(MAIL_GATEWAY)
    sdk = next(o for o in observations if o.get("supplier") == "AO Kaspersky Lab")
    assert sdk.get("name") == "Kaspersky Anti-Virus SDK"
    assert sdk.get("publisher") == "AO Kaspersky Lab"
    assert sdk.get("purl") == "pkg:generic/kaspersky/kav-sdk@8.0"
    assert sdk.parents == ("mailgw-core@7.2.0", "content-filter@7.2.0")
    assert sdk.source.pointer == "/components/0/components/0/components/0"
    assert sdk.extra["hash:SHA-256"].startswith("4e1b9a7c")
    assert sdk.asset.name == "Example Mail Security Gateway@7.2.0"
    subject = observations[0]
    assert subject.source.pointer == SUBJECT
    assert subject.get("manufacturer") == "Example Networks Inc."  # metadata.manufacture (1.5)
    debian = next(o for o in observations if o.get("component_type") == "operating-system")
    assert debian.extra["swid_tag_id"] == "debian"


def test_hikvision_camera_module_in_a_1_6_xml_hbom() -> None:
    observations = read(DOOR_PANEL)
    assert len(observations) == independent_count(DOOR_PANEL)
    text = DOOR_PANEL.read_text().splitlines()
    camera, firmware = (o for o in observations if "hikvision" in (o.get("cpe") or ""))
    assert camera.get("manufacturer") == "Hangzhou Hikvision Digital Technology Co.,Ltd."
    assert camera.get("name") == "DS-2CD2026G2-IU"
    assert camera.get("supplier") == "Example Distribution GmbH"
    assert camera.parents == ("panel-mainboard@rev-C",)
    assert camera.source.pointer == "/bom/components/component[1]/components/component[1]"
    assert 'bom-ref="camera-module"' in text[camera.source.line - 1]
    assert firmware.parents == ("panel-mainboard@rev-C", "DS-2CD2026G2-IU")
    assert firmware.get("component_type") == "firmware"
    subject = observations[0]
    assert subject.get("manufacturer") == "Example Integrator LLC"
    assert subject.extra["bom_manufacturer"] == "Example Integrator LLC"
    reader = next(o for o in observations if o.get("name") == "card-reader-13.56")
    assert reader.get("author") == "Jane Engineer"
    assert reader.extra["authors"] == "Jane Engineer; John Technician"
    assert reader.extra["swid_tag_id"] == "com.example.cards.reader-2.1"
    assert camera.asset == subject.asset
    assert (
        "bom_serial",
        "urn:uuid:7b0e4f52-1c3d-4a8e-9f26-0d5c8e3b6a17",
    ) in subject.asset.identifiers


def _view(observations: list[Observation]) -> list[tuple[Any, ...]]:
    return [(dict(o.fields), o.parents, o.source.pointer, o.asset) for o in observations]


def test_metadata_written_after_components_gives_the_same_result() -> None:
    doc = json.loads(MAIL_GATEWAY.read_bytes())
    filler = [{"type": "library", "name": f"filler-{i}", "version": "1.0"} for i in range(3000)]
    reordered = {"components": doc.pop("components") + filler, **doc}
    data = json.dumps(reordered).encode()
    assert data.index(b'"metadata"') > 64 * 1024  # beyond the first chunk the parser sees
    late = read_bytes(CycloneDxJsonReader, data, MAIL_GATEWAY.name)
    original = read(MAIL_GATEWAY)
    assert len(late) == len(original) + len(filler)
    assert {o.asset for o in late} == {original[0].asset}
    assert sorted(map(repr, _view(late[: len(original)]))) == sorted(map(repr, _view(original)))


def test_components_nested_in_the_subject_have_it_as_parent() -> None:
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "metadata": {
            "component": {
                "type": "device",
                "name": "nvr",
                "version": "4.0",
                "components": [{"type": "firmware", "name": "nvr-fw", "version": "4.0.1"}],
            },
            "supplier": {"name": "Example Integrator LLC"},
        },
    }
    subject, firmware = read_bytes(CycloneDxJsonReader, json.dumps(doc).encode(), "nvr.json")
    assert subject.get("supplier") == "Example Integrator LLC"  # from metadata.supplier
    assert firmware.parents == ("nvr@4.0",)
    assert firmware.source.pointer == "/metadata/component/components/0"


def test_utf16_json_with_bom_is_read() -> None:
    data = "\ufeff" + MAIL_GATEWAY.read_text(encoding="utf-8")
    observations = read_bytes(CycloneDxJsonReader, data.encode("utf-16-le"), "x.json")
    assert _view(observations) == _view(read(MAIL_GATEWAY))


def test_components_are_streamed_before_the_document_ends() -> None:
    comps = ",".join(json.dumps({"name": f"lib{i}", "version": "1"}) for i in range(3000))
    data = ('{"bomFormat":"CycloneDX","metadata":{},"components":[' + comps + "]}").encode()

    class Broken(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            if self.tell() > len(data) // 2:
                raise OSError("disk went away")
            return super().read(size)

    seen: list[Observation] = []
    with pytest.raises(OSError, match="disk went away"):
        seen.extend(CycloneDxJsonReader().read(Path("big.json"), Broken(data)))
    assert len(seen) > 500
    assert seen[0].get("name") == "lib0"


# Detection


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("bom.json", b'{"bomFormat": "CycloneDX", "specVersion": "1.6"}', "cyclonedx-json"),
        ("app.cdx.json", b"{}", "cyclonedx-json"),
        (
            "bom.xml",
            b'<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5">',
            "cyclonedx-xml",
        ),
        ("x.cdx.xml", b"<bom/>", "cyclonedx-xml"),
    ],
)
def test_detection_by_content_and_name(name: str, head: bytes, expected: str) -> None:
    reader = detect(Path(name), head)
    assert reader is not None
    assert reader.name == expected


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("package.json", b'{"name": "left-pad", "version": "1.3.0"}'),
        ("pom.xml", b'<project xmlns="http://maven.apache.org/POM/4.0.0">'),
    ],
)
def test_other_json_and_xml_are_not_taken_for_cyclonedx(name: str, head: bytes) -> None:
    assert not CycloneDxJsonReader.sniff(Path(name), head)
    assert not CycloneDxXmlReader.sniff(Path(name), head)


# Hostile and malformed input

XML_HEAD = b'<?xml version="1.0"?>\n'
BOM_OPEN = b'<bom xmlns="http://cyclonedx.org/schema/bom/1.4">'


@pytest.mark.parametrize(
    "doctype",
    [
        b'<!DOCTYPE bom [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        b'<!DOCTYPE bom [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    ],
    ids=["entity-expansion", "external-entity"],
)
def test_xml_entities_are_refused(doctype: bytes) -> None:
    data = XML_HEAD + doctype + b"\n" + BOM_OPEN + b"<components><component><name>&b;</name>"
    data += b"</component></components></bom>"
    with pytest.raises(InputError, match="DTD") as caught:
        read_bytes(CycloneDxXmlReader, data, "bomb.xml")
    assert caught.value.location.line == 2


def test_deeply_nested_json_is_an_input_error() -> None:
    data = b'{"bomFormat":"CycloneDX","components":[' + b"[" * 100_000 + b"]" * 100_000 + b"]}"
    with pytest.raises(InputError, match="nested deeper"):
        read_bytes(CycloneDxJsonReader, data, "deep.json")


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    name = json.dumps('[[[{{{\\"' * 200)
    data = ('{"bomFormat":"CycloneDX","components":[{"name":' + name + "}]}").encode()
    (only,) = read_bytes(CycloneDxJsonReader, data, "strings.json")
    assert only.get("name") == json.loads(name)


def test_deeply_nested_components_are_an_input_error() -> None:
    data = b'{"bomFormat":"CycloneDX","components":['
    data += b'{"name":"a","components":[' * 300 + b"]}" * 300 + b"]}"
    with pytest.raises(InputError):
        read_bytes(CycloneDxJsonReader, data, "deep.json")


def test_deeply_nested_xml_is_an_input_error() -> None:
    data = BOM_OPEN + b"<components>" + b"<component><components>" * 300
    data += b"</components></component>" * 300 + b"</components></bom>"
    with pytest.raises(InputError, match="nested deeper"):
        read_bytes(CycloneDxXmlReader, data, "deep.xml")


def test_malformed_json_names_the_line() -> None:
    text = MAIL_GATEWAY.read_text()
    broken = text.replace('"publisher": "QOS.ch"', '"publisher": QOS.ch')
    line = text[: text.index('"publisher": "QOS.ch"')].count("\n") + 1
    with pytest.raises(InputError, match="malformed JSON") as caught:
        read_bytes(CycloneDxJsonReader, broken.encode(), "broken.json")
    assert caught.value.location.line == line


def test_truncated_xml_names_the_line() -> None:
    data = DOOR_PANEL.read_bytes()[:2000]
    with pytest.raises(InputError, match="malformed XML") as caught:
        read_bytes(CycloneDxXmlReader, data, "cut.xml")
    assert caught.value.location.line == data.count(b"\n") + 1


@pytest.mark.parametrize(
    ("reader", "data", "message"),
    [
        (CycloneDxJsonReader, b'{"bomFormat": "SPDX"}', "bomFormat"),
        (CycloneDxJsonReader, b"[1, 2, 3]", "not a CycloneDX"),
        (CycloneDxJsonReader, b"", "malformed JSON"),
        (CycloneDxXmlReader, b"<project/>", "not a CycloneDX"),
        (CycloneDxXmlReader, b"", "malformed XML"),
    ],
)
def test_wrong_documents_are_input_errors(
    reader: type[CycloneDxJsonReader | CycloneDxXmlReader], data: bytes, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        read_bytes(reader, data, "x")


# Fuzzing: random bytes and mutations of the fixtures

SEEDS = {
    CycloneDxJsonReader: MAIL_GATEWAY.read_bytes(),
    CycloneDxXmlReader: DOOR_PANEL.read_bytes(),
}
FUZZ_EXAMPLES = int(os.environ.get("ROOTOUT_FUZZ_EXAMPLES", "0") or 0)


@st.composite
def mutations(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "truncate", "duplicate", "delete", "insert"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "truncate":
            del data[at:]
        elif op == "duplicate":
            end = draw(st.integers(at, len(data)))
            data[at:at] = data[at:end]
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        else:
            data[at:at] = draw(st.sampled_from([b"{", b"[", b"<", b'"', b"&x;", b"\xff", b"\x00"]))
    return bytes(data)


def inputs(reader: type) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=2048), mutations(SEEDS[reader]))


def _survives(reader: type[CycloneDxJsonReader | CycloneDxXmlReader], data: bytes) -> None:
    reader.sniff(Path("fuzz"), data)  # must never raise
    try:
        observations = read_bytes(reader, data, "fuzz")
    except InputError:
        return
    assert all(isinstance(o, Observation) for o in observations)


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("reader", [CycloneDxJsonReader, CycloneDxXmlReader])
def test_fuzz_random_and_mutated_input(reader: type) -> None:
    @FUZZ
    @given(data=inputs(reader))
    def check(data: bytes) -> None:
        _survives(reader, data)

    check()


@pytest.mark.slow
@pytest.mark.skipif(not FUZZ_EXAMPLES, reason="set ROOTOUT_FUZZ_EXAMPLES to scale fuzzing")
@pytest.mark.parametrize("reader", [CycloneDxJsonReader, CycloneDxXmlReader])
def test_fuzz_scaled(reader: type) -> None:
    @settings(FUZZ, max_examples=FUZZ_EXAMPLES)
    @given(data=inputs(reader))
    def check(data: bytes) -> None:
        _survives(reader, data)

    check()
