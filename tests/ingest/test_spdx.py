"""SPDX readers: 2.2 tag-value, 2.3 JSON, 3.0 JSON-LD; the package tree; hostile input; fuzzing."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rootout.errors import InputError
from rootout.ingest.base import detect
from rootout.ingest.formats._spdx_map import Party, parse_party
from rootout.ingest.formats.spdx import SpdxJsonReader, SpdxTagValueReader
from rootout.model.observation import AssetKind, Observation, ObservationKind

REPO = Path(__file__).resolve().parents[2]
SBOMS = REPO.parent / "shared" / "data" / "sbom" / "spdx"
EXAMPLE1 = SBOMS / "example1" / "example1.spdx"
ACME = SBOMS / "SBOMS-SPDX-Now-and-Future" / "ACME-v2.3.spdx.json"
APPBOMINATION = SBOMS / "example9" / "appbomination.spdx3.json"
SUITE = REPO / "tests" / "fixtures" / "inputs" / "spdx" / "endpoint-suite.spdx"

Reader = type[SpdxJsonReader | SpdxTagValueReader]


def read(path: Path) -> list[Observation]:
    reader = detect(path, path.read_bytes()[: 64 * 1024])
    assert reader is not None, f"{path} not detected"
    with path.open("rb") as stream:
        return list(reader().read(path, stream))


def read_bytes(reader: Reader, data: bytes, name: str = "x") -> list[Observation]:
    return list(reader().read(Path(name), io.BytesIO(data)))


def by_name(observations: list[Observation]) -> dict[str, Observation]:
    return {o.get("name") or "": o for o in observations}


def independent_count(path: Path) -> int:
    """Packages counted from the raw text, without the readers."""
    raw = path.read_bytes()
    if path.suffix == ".spdx":
        return sum(line.startswith(b"PackageName:") for line in raw.splitlines())
    doc = json.loads(raw)
    if "@graph" in doc:
        return sum(e.get("type") == "software_Package" for e in doc["@graph"])
    return len(doc["packages"])


@pytest.mark.parametrize(
    ("path", "format_name"),
    [
        (EXAMPLE1, "spdx-tag-value"),
        (ACME, "spdx-json"),
        (APPBOMINATION, "spdx-json"),
        (SUITE, "spdx-tag-value"),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else v,
)
def test_every_document_is_detected_and_every_package_read(path: Path, format_name: str) -> None:
    observations = read(path)
    assert len(observations) == independent_count(path)
    assert {o.source.format for o in observations} == {format_name}
    assert all(o.kind is ObservationKind.SBOM_COMPONENT for o in observations)
    assert all(o.asset.kind is AssetKind.SBOM for o in observations)


def test_tag_value_example_without_supplier() -> None:
    (hello,) = read(EXAMPLE1)
    assert hello.get("name") == "hello"
    assert hello.get("supplier") is None
    assert hello.source.line == 13  # the PackageName line
    assert hello.parents == ()
    assert hello.asset.name == "hello"  # the one described package
    namespace = "https://swinslow.net/spdx-examples/example1/hello-v3"
    assert ("bom_serial", namespace) in hello.asset.identifiers
    assert hello.observed_at is not None
    assert hello.observed_at.year == 2021


def test_acme_json_supplier_originator_and_contains_tree() -> None:
    found = by_name(read(ACME))
    acme = found["Acme Applcation"]
    assert acme.get("supplier") == "Jane Doe"
    assert acme.extra["supplier_type"] == "Person"
    assert acme.get("manufacturer") == "ExampleCodeInspect"  # originator, an Organization
    assert acme.extra["originator_email"] == "contact@example.com"
    assert acme.source.pointer == "/packages/0"
    assert acme.parents == ()
    for child in ("elliptic", "alpine", "OpenSSL"):
        assert found[child].parents == ("Acme Applcation@2.3",)
    assert found["elliptic"].get("purl") == "pkg:npm/elliptic@6.5.2"
    assert found["elliptic"].get("ecosystem") == "npm"
    assert found["OpenSSL"].get("cpe") is None  # advisory references are not identifiers
    assert acme.asset.name == "Acme Applcation@2.3"


def test_spdx3_supplier_is_resolved_through_the_graph() -> None:
    found = by_name(read(APPBOMINATION))
    root = found["App-BOM-ination"]
    assert root.get("supplier") == "ACT Project"
    assert root.extra["supplier_type"] == "Organization"
    assert root.asset.name == "App-BOM-ination@1.0"
    assert found["junit"].get("purl") == "pkg:maven/junit/junit@4.12"
    # junit is a (test-scoped) dependency of the root; hamcrest a dependency of junit.
    assert found["junit"].parents == ("App-BOM-ination@1.0",)
    assert found["hamcrest-core"].parents == ("App-BOM-ination@1.0", "junit@4.12")
    assert found["Gradle"].parents == ()  # nothing links it to the root
    assert found["junit"].source.pointer.startswith("/@graph/")


def test_kaspersky_package_in_a_tag_value_tree_with_a_cycle() -> None:
    found = by_name(read(SUITE))
    agent = found["Kaspersky Endpoint Agent"]
    assert agent.get("supplier") == "AO Kaspersky Lab"
    assert agent.get("manufacturer") == "AO Kaspersky Lab"
    assert agent.get("cpe") == "cpe:2.3:a:kaspersky:endpoint_agent:3.16:*:*:*:*:*:*:*"
    assert agent.extra["hash:SHA256"].startswith("0b7c1f6e")
    assert agent.parents == ("Example Endpoint Suite@4.1",)
    # openssl DEPENDS_ON the suite closes a cycle: the suite stays the root.
    assert found["Example Endpoint Suite"].parents == ()
    assert found["openssl"].parents == (
        "Example Endpoint Suite@4.1",
        "Kaspersky Endpoint Agent@3.16",
    )
    # zlib DEPENDENCY_OF the agent (inverse): the shortest path wins over CONTAINED_BY openssl.
    assert found["zlib"].parents == ("Example Endpoint Suite@4.1", "Kaspersky Endpoint Agent@3.16")
    assert found["zlib"].get("supplier") is None  # NOASSERTION
    assert found["zlib"].get("author") == "Jean-loup Gailly"  # originator, a Person
    assert found["Example Reporting Plugin"].parents == ()
    suite = found["Example Endpoint Suite"]
    assert suite.get("description") == "Endpoint management suite\nbundling third-party agents."
    assert suite.extra["supplier_email"] == "sbom@example.com"


def test_contained_by_points_from_child_to_parent() -> None:
    text = SUITE.read_text().replace(
        "Relationship: SPDXRef-Package-zlib DEPENDENCY_OF SPDXRef-Package-kea\n", ""
    )
    zlib = by_name(read_bytes(SpdxTagValueReader, text.encode()))["zlib"]
    assert zlib.parents == (
        "Example Endpoint Suite@4.1",
        "Kaspersky Endpoint Agent@3.16",
        "openssl@3.0.13",
    )


def _spdx3(*elements: dict[str, Any]) -> bytes:
    context = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    return json.dumps({"@context": context, "@graph": list(elements)}).encode()


def test_spdx3_embedded_supplier_originator_and_identifiers() -> None:
    data = _spdx3(
        {"type": "SpdxDocument", "spdxId": "urn:doc", "rootElement": ["urn:pkg:gw"]},
        {"type": "Organization", "spdxId": "urn:org:kl", "name": "AO Kaspersky Lab"},
        {"type": "software_Package", "spdxId": "urn:pkg:gw", "name": "gateway", "suppliedBy":
            {"type": "Organization", "name": "Example Networks Inc."}},
        {"type": "software_Package", "spdxId": "urn:pkg:kes", "name": "kes",
         "software_packageVersion": "12.4", "originatedBy": ["urn:org:kl"],
         "externalIdentifier": [
             {"type": "ExternalIdentifier", "externalIdentifierType": "cpe23",
              "identifier": "cpe:2.3:a:kaspersky:endpoint_security:12.4:*:*:*:*:windows:*:*"},
             {"type": "ExternalIdentifier", "externalIdentifierType": "packageUrl",
              "identifier": "pkg:generic/kaspersky/kes@12.4"}]},
        {"type": "Relationship", "spdxId": "urn:rel", "from": "urn:pkg:gw",
         "relationshipType": "contains", "to": ["urn:pkg:kes"]},
    )  # fmt: skip
    found = by_name(read_bytes(SpdxJsonReader, data))
    assert found["gateway"].get("supplier") == "Example Networks Inc."
    kes = found["kes"]
    assert kes.get("manufacturer") == "AO Kaspersky Lab"
    assert kes.get("cpe") == "cpe:2.3:a:kaspersky:endpoint_security:12.4:*:*:*:*:windows:*:*"
    assert kes.get("purl") == "pkg:generic/kaspersky/kes@12.4"
    assert kes.parents == ("gateway",)
    assert kes.asset.name == "gateway"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Organization: ExampleCodeInspect ()", Party("Organization", "ExampleCodeInspect")),
        ("Person: Jane Doe (jane.doe@example.com)", Party("Person", "Jane Doe", "jane.doe@example.com")),
        ("Organization: AO Kaspersky Lab", Party("Organization", "AO Kaspersky Lab")),
        ("Organization: Foo (Europe) GmbH (info@foo.example)", Party("Organization", "Foo (Europe) GmbH", "info@foo.example")),
        ("NOASSERTION", None),
        ("", None),
        ("Acme Corp", Party("", "Acme Corp")),
    ],
)  # fmt: skip
def test_parse_party(value: str, expected: Party | None) -> None:
    assert parse_party(value) == expected


def test_spdx2_json_cpe23_is_preferred_and_all_are_kept() -> None:
    doc = json.loads(ACME.read_bytes())
    doc["packages"][3]["externalRefs"] = [
        {"referenceCategory": "SECURITY", "referenceType": "cpe22Type",
         "referenceLocator": "cpe:/a:openssl:openssl:3.0.4"},
        {"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
         "referenceLocator": "cpe:2.3:a:openssl:openssl:3.0.4:*:*:*:*:*:*:*"},
    ]  # fmt: skip
    openssl = by_name(read_bytes(SpdxJsonReader, json.dumps(doc).encode()))["OpenSSL"]
    assert openssl.get("cpe") == "cpe:2.3:a:openssl:openssl:3.0.4:*:*:*:*:*:*:*"
    assert openssl.extra["cpes"].split() == [
        "cpe:/a:openssl:openssl:3.0.4",
        "cpe:2.3:a:openssl:openssl:3.0.4:*:*:*:*:*:*:*",
    ]


# Detection


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("sbom.json", b'{ "spdxVersion": "SPDX-2.3" }', "spdx-json"),
        ("x.json", b'{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"}', "spdx-json"),
        ("a.spdx.json", b"{}", "spdx-json"),
        ("a.spdx3.json", b"{}", "spdx-json"),
        ("sbom.txt", b"## comment\nSPDXVersion: SPDX-2.2\n", "spdx-tag-value"),
        ("a.spdx", b"", "spdx-tag-value"),
    ],
)
def test_detection(name: str, head: bytes, expected: str) -> None:
    reader = detect(Path(name), head)
    assert reader is not None
    assert reader.name == expected


# Hostile and malformed input


def test_malformed_json_names_the_line() -> None:
    text = ACME.read_text().replace('"name" : "elliptic",', '"name" : elliptic,')
    line = text[: text.index("elliptic,")].count("\n") + 1
    with pytest.raises(InputError, match="malformed JSON") as caught:
        read_bytes(SpdxJsonReader, text.encode())
    assert caught.value.location.line == line


def test_deeply_nested_json_is_an_input_error() -> None:
    data = b'{"spdxVersion": "SPDX-2.3", "packages": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(InputError, match="nested"):
        read_bytes(SpdxJsonReader, data)


@pytest.mark.parametrize(
    ("reader", "data", "message"),
    [
        (SpdxJsonReader, b'{"bomFormat": "CycloneDX"}', "not an SPDX 2"),
        (SpdxJsonReader, b'{"@context": "x", "@graph": {}}', "no @graph"),
        (SpdxJsonReader, b"\xff\xfe\x00", "JSON"),
        (SpdxTagValueReader, b"PackageName: x\n", "no SPDXVersion"),
        (SpdxTagValueReader, b"SPDXVersion: SPDX-2.2\nnot a tag line\n", "expected 'Tag: value'"),
        (SpdxTagValueReader, b"SPDXVersion: SPDX-2.2\nPackageName: x\nPackageComment: <text>open\n", "never closed"),
        (SpdxTagValueReader, b"SPDXVersion: SPDX-2.2\n\xff\xfe\xfd\n", "not utf-8"),
    ],
)  # fmt: skip
def test_wrong_documents_are_input_errors(reader: Reader, data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_bytes(reader, data)


def test_tag_value_error_names_the_line() -> None:
    with pytest.raises(InputError) as caught:
        read_bytes(SpdxTagValueReader, b"SPDXVersion: SPDX-2.2\n\nPackageName: x\nbroken\n")
    assert caught.value.location.line == 4


# Fuzzing

SEEDS: dict[Reader, list[bytes]] = {
    SpdxJsonReader: [ACME.read_bytes(), APPBOMINATION.read_bytes()[:6000]],
    SpdxTagValueReader: [SUITE.read_bytes(), EXAMPLE1.read_bytes()],
}
FUZZ_EXAMPLES = int(os.environ.get("ROOTOUT_FUZZ_EXAMPLES", "0") or 0)
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutations(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
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
            piece = [
                b"{",
                b"[",
                b'"',
                b"<text>",
                b"\n",
                b":",
                b"\xff",
                b"Relationship: a CONTAINS a\n",
            ]
            data[at:at] = draw(st.sampled_from(piece))
    return bytes(data)


def _survives(reader: Reader, data: bytes) -> None:
    reader.sniff(Path("fuzz"), data)  # must never raise
    try:
        observations = read_bytes(reader, data, "fuzz")
    except InputError:
        return
    assert all(isinstance(o, Observation) for o in observations)


def _check(reader: Reader, examples: int) -> None:
    @settings(FUZZ, max_examples=examples)
    @given(data=st.one_of(st.binary(max_size=2048), mutations(SEEDS[reader])))
    def check(data: bytes) -> None:
        _survives(reader, data)

    check()


@pytest.mark.parametrize("reader", [SpdxJsonReader, SpdxTagValueReader])
def test_fuzz_random_and_mutated_input(reader: Reader) -> None:
    _check(reader, 200)


@pytest.mark.slow
@pytest.mark.skipif(not FUZZ_EXAMPLES, reason="set ROOTOUT_FUZZ_EXAMPLES to scale fuzzing")
@pytest.mark.parametrize("reader", [SpdxJsonReader, SpdxTagValueReader])
def test_fuzz_scaled(reader: Reader) -> None:
    _check(reader, FUZZ_EXAMPLES)
