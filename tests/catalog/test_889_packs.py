"""The §889 vendor packs: huawei, zte, hikvision, dahua and hytera.

The five packs are read on their own (``read_packs`` + ``assemble``), so these tests hold
whatever state the other packs are in; the only problems allowed are references to ids other
packs define. Trap strings are the real IEEE registrant names of data/oui/ieee-oui.txt, and
each test first checks that the string really is in the file.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from rootout.catalog import Catalog, assemble
from rootout.catalog.explain import explain_text
from rootout.catalog.lint import lint_paths
from rootout.catalog.loader import BUILTIN_PACKS, read_packs
from rootout.catalog.model import Evidence, SignatureKind
from rootout.catalog.oui import read_registry
from rootout.catalog.oui_import import name_index, resolution_catalog, resolve
from rootout.match.normalize import org_name, simplify
from rootout.match.verify import verify

PACKS = tuple(
    BUILTIN_PACKS / f"{name}.yaml" for name in ("huawei", "zte", "hikvision", "dahua", "hytera")
)
OUI_FILE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "oui" / "ieee-oui.txt"

# Sources defined by other packs (registry source: mac-prefixes/fcc; FAR clause: legal).
OTHER_PACK_IDS = {"src.ieee-oui-arp-scan", "src.gsa-far-dita-52.204-25"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    catalog, problems = assemble(read_packs(list(PACKS)))
    unexpected = [
        p
        for p in problems
        if not (p.code == "dangling-ref" and any(f"'{i}'" in p.message for i in OTHER_PACK_IDS))
    ]
    assert unexpected == []
    return catalog


@pytest.fixture(scope="module")
def registrants() -> set[str]:
    with OUI_FILE.open(encoding="utf-8") as handle:
        return {
            line.split("\t", 1)[1].strip()
            for line in handle
            if "\t" in line and not line.startswith("#")
        }


def hits(catalog: Catalog, text: str) -> list[tuple[str, str, str | None]]:
    """(signature id, entity, product) of every signature the text hits, as any field kind."""
    return [
        (v.signature_id, entity, product) for v, entity, product in explain_text(catalog, text).hits
    ]


def resolves_to(catalog: Catalog, entity_id: str, on: dt.date) -> set[str]:
    """The entity and every entity its relations valid on ``on`` lead to."""
    seen, todo = {entity_id}, [entity_id]
    while todo:
        for relation in catalog.parents_at(todo.pop(), on):
            if relation.object not in seen:
                seen.add(relation.object)
                todo.append(relation.object)
    return seen


# -- Huawei software: vendor presence ------------------------------------------------------------


@pytest.mark.parametrize("text", ["Huawei HiSuite", "HiSuite", "HiSuite 14.0.0.380"])
def test_hisuite_names_hit_huawei_as_vendor_presence(catalog: Catalog, text: str) -> None:
    found = [h for h in hits(catalog, text) if h[2] == "huawei.hisuite"]
    assert found, f"{text!r} should hit a HiSuite signature"
    for signature_id, entity, _ in found:
        assert entity == "huawei.huawei-technologies"
        assert catalog.signatures[signature_id].effective_evidence is Evidence.VENDOR_PRESENCE


@pytest.mark.parametrize(
    ("package", "product"),
    [
        ("Huawei.HiSuite", "huawei.hisuite"),
        ("Huawei.Cangjie.STS.OHOS", "huawei.cangjie"),
        ("Huawei.PCClone", "huawei.pc-clone"),
    ],
)
def test_huawei_winget_ids_are_vendor_presence(
    catalog: Catalog, package: str, product: str
) -> None:
    packages = [
        s
        for s in catalog.signatures.values()
        if s.kind is SignatureKind.PACKAGE and verify(s, package).hit
    ]
    assert [s.product for s in packages] == [product]
    assert packages[0].effective_evidence is Evidence.VENDOR_PRESENCE


def test_huawei_as_a_device_vendor_is_not_mere_vendor_presence(catalog: Catalog) -> None:
    """Vendor/manufacturer fields map to the publisher kind: a Huawei router must stay hardware-grade."""
    publisher_hits = [
        catalog.signatures[s]
        for s, entity, _ in hits(catalog, "HUAWEI TECHNOLOGIES CO.,LTD")
        if entity == "huawei.huawei-technologies"
    ]
    assert publisher_hits
    assert all(s.effective_evidence is not Evidence.VENDOR_PRESENCE for s in publisher_hits)


def test_third_party_tool_tagged_huawei_does_not_hit(catalog: Catalog) -> None:
    assert hits(catalog, "OpenFreebuds") == []
    assert hits(catalog, "MelianMiko.OpenFreebuds") == []


# -- Dahua: SmartPSS Lite, model numbers, look-alike names --------------------------------------


@pytest.mark.parametrize(
    "text", ["SmartPSS Lite", "SmartPSSLite 1.003.0000006.0", "Dahua.SmartPSSLite"]
)
def test_smartpss_lite_hits_dahua(catalog: Catalog, text: str) -> None:
    assert ("dahua.zhejiang-dahua", "dahua.smartpss-lite") in {
        (e, p) for _, e, p in hits(catalog, text)
    }


def test_smartpss_lite_install_folder_is_an_artifact(catalog: Catalog) -> None:
    signature = catalog.signatures["sig.dahua.smartpss-lite.folder"]
    assert verify(signature, r"C:\Program Files\SmartPSSLite\SmartPSSLite.exe").hit
    assert not verify(signature, r"C:\Program Files\SmartPSS\SmartPSS.exe").hit
    assert signature.effective_evidence is Evidence.ARTIFACT


@pytest.mark.parametrize(
    ("model", "expected"),
    [("DH-IPC-HFW2431S", True), ("DHI-NVR4104HS", True), ("IPC-HFW2431S", False)],
)
def test_dahua_model_prefix(catalog: Catalog, model: str, expected: bool) -> None:
    verdict = verify(catalog.signatures["sig.dahua.model-prefix"], model)
    assert verdict.hit is expected
    if expected:
        assert ("sig.dahua.model-prefix", "dahua.zhejiang-dahua", None) in hits(catalog, model)


def test_shanghai_dahua_scale_factory_is_not_dahua(catalog: Catalog, registrants: set[str]) -> None:
    trap = "Shanghai Dahua Scale Factory"
    assert trap in registrants
    assert not [h for h in hits(catalog, trap) if h[1].startswith("dahua.")]
    assert any(
        n.object_id == "neg.dahua.shanghai-dahua-scale-factory"
        for n in explain_text(catalog, trap).near
    )


def test_both_dahua_registrant_spellings_hit_the_publisher_name(
    catalog: Catalog, registrants: set[str]
) -> None:
    signature = catalog.signatures["sig.dahua.publisher.name"]
    for spelling in ("Zhejiang Dahua Technology Co., Ltd.", "Dahua Technology Co.,Ltd"):
        assert verify(signature, spelling).hit
    assert "ZHEJIANG DAHUA TECHNOLOGYCO.,LTD" in registrants
    assert "ZHEJIANG DAHUA TECHNOLOGYCO.,LTD" in catalog.entities["dahua.zhejiang-dahua"].aliases


def test_jorex_lorex_is_not_lorex(catalog: Catalog, registrants: set[str]) -> None:
    trap = "JOREX LOREX INDIA PRIVATE LIMITED"
    assert trap in registrants
    assert not [h for h in hits(catalog, trap) if h[1] == "dahua.lorex"]
    assert ("sig.dahua.lorex.publisher", "dahua.lorex", None) in hits(
        catalog, "Lorex Technology Inc."
    )


def test_lorex_belongs_to_dahua_only_while_dahua_owned_it(catalog: Catalog) -> None:
    assert "dahua.zhejiang-dahua" not in resolves_to(catalog, "dahua.lorex", dt.date(2017, 6, 1))
    assert "dahua.zhejiang-dahua" in resolves_to(catalog, "dahua.lorex", dt.date(2020, 6, 1))
    assert "dahua.zhejiang-dahua" not in resolves_to(catalog, "dahua.lorex", dt.date(2024, 6, 1))


# -- ZTE: whole words only ---------------------------------------------------------------------


ZTE_LOOKALIKES = (
    "Aztech Electronics Pte Ltd",
    "Aztech Associates Inc.",
    "Naztec, Inc.",
    "Kaztek Systems",
    "Shenztech Ltd",
    "ZTEC Instruments, Inc.",
    "ANHUI WANZTEN P&T CO., LTD",
    "Brähler ICS Konferenztechnik AG",
    "Hella Sonnen- und Wetterschutztechnik GmbH",
)


@pytest.mark.parametrize("registrant", ZTE_LOOKALIKES)
def test_zte_substrings_in_real_registrants_do_not_hit_zte(
    catalog: Catalog, registrants: set[str], registrant: str
) -> None:
    assert registrant in registrants
    assert "zte" in registrant.lower()
    assert not [h for h in hits(catalog, registrant) if h[1].startswith("zte.")]


@pytest.mark.parametrize("text", ["ZTE Corporation", "zte corporation"])
def test_zte_corporation_hits(catalog: Catalog, text: str) -> None:
    assert ("sig.zte.publisher.name", "zte.zte-corporation", None) in hits(catalog, text)


# -- Hikvision --------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["hik-connect.com", "www.hik-connect.com"])
def test_hik_connect_domain_hits_hikvision(catalog: Catalog, host: str) -> None:
    signature = catalog.signatures["sig.hikvision.dns.hik-connect"]
    assert verify(signature, host).hit
    assert catalog.signature_entity(signature) == "hikvision.hangzhou-hikvision"
    assert not verify(signature, "hik-connect.com.example.net").hit


def test_plain_vendor_websites_are_low_confidence(catalog: Catalog) -> None:
    dns = [s for s in catalog.signatures.values() if s.kind is SignatureKind.DNS_DOMAIN]
    for host, expected in [
        ("www.hikvision.com", "sig.hikvision.dns.websites"),
        ("imoulife.com", "sig.dahua.dns.imoulife"),
    ]:
        found = [s for s in dns if verify(s, host).hit]
        assert [s.id for s in found] == [expected]
        assert found[0].confidence.value == "low"


def test_prama_hikvision_resolves_to_prama_not_to_the_token_signature(catalog: Catalog) -> None:
    found = hits(catalog, "Prama Hikvision India Private Limited")
    assert {e for _, e, _ in found} == {"hikvision.prama-hikvision-india"}


def test_diskinternals_tool_tagged_dahua_and_hikvision_does_not_hit(catalog: Catalog) -> None:
    assert hits(catalog, "DiskInternals DVR Recovery") == []
    assert hits(catalog, "DiskInternals.DVRRecovery") == []


# -- Honor: a Huawei subsidiary until the November 2020 sale ------------------------------------


def test_honor_resolves_to_huawei_before_the_sale_only(catalog: Catalog) -> None:
    before = catalog.parents_at("honor.honor-device", dt.date(2019, 6, 1))
    after = catalog.parents_at("honor.honor-device", dt.date(2021, 6, 1))
    assert [r.object for r in before] == ["huawei.huawei-technologies"]
    assert after == []
    assert "huawei.huawei-technologies" in resolves_to(
        catalog, "honor.honor-device", dt.date(2020, 11, 30)
    )
    assert "huawei.huawei-technologies" not in resolves_to(
        catalog, "honor.honor-device", dt.date(2020, 12, 1)
    )


def test_honor_suite_hits_honor_not_huawei(catalog: Catalog) -> None:
    for text in ("Honor.HonorSuite", "HonorSuite", "Honor Device Co., Ltd."):
        entities = {e for _, e, _ in hits(catalog, text)}
        assert entities == {"honor.honor-device"}, text


def test_shenzhen_honor_electronic_is_not_honor(catalog: Catalog, registrants: set[str]) -> None:
    trap = "SHENZHEN HONOR ELECTRONIC CO.,LTD"
    assert trap in registrants
    assert hits(catalog, trap) == []


# -- Hytera: Teltronic look-alikes ---------------------------------------------------------------


def test_teltronic_lookalikes_do_not_hit_teltronic(catalog: Catalog, registrants: set[str]) -> None:
    assert ("sig.hytera.teltronic.publisher", "hytera.teltronic", None) in hits(
        catalog, "Teltronic S.A.U."
    )
    for trap in ("Teltronic AG", "Teltronics, Inc."):
        assert trap in registrants
        assert not [h for h in hits(catalog, trap) if h[1] == "hytera.teltronic"]


def test_teltronic_reaches_hytera_through_sepura_from_2017(catalog: Catalog) -> None:
    assert "hytera.hytera-communications" not in resolves_to(
        catalog, "hytera.teltronic", dt.date(2016, 6, 1)
    )
    assert "hytera.hytera-communications" in resolves_to(
        catalog, "hytera.teltronic", dt.date(2018, 6, 1)
    )


# -- IEEE registrant spellings and the generated MAC prefixes -----------------------------------


def test_every_registrant_spelling_of_an_entity_is_an_alias(
    catalog: Catalog, registrants: set[str]
) -> None:
    """packs.md: copy every distinct registrant spelling; traps excluded."""
    traps = {simplify(n.value) for n in catalog.hard_negatives.values()}
    names = {org_name(n): e.id for e in catalog.entities.values() for n in (e.name, *e.aliases)}
    missing = [
        (r, names[org_name(r)])
        for r in sorted(registrants)
        if org_name(r) in names
        and simplify(r) not in traps
        and r not in _spellings(catalog, names[org_name(r)])
    ]
    assert missing == []


def _spellings(catalog: Catalog, entity_id: str) -> set[str]:
    entity = catalog.entities[entity_id]
    return {entity.name, *entity.aliases}


def test_registry_prefixes_resolve_to_the_right_entities() -> None:
    """Counts from data/SOURCES.md and identifiers.md §2-§6 (arp-scan file, 2025-01-29).

    Resolved against every built-in pack (the importer needs the designations to know which
    entities matter), without the generated MAC pack itself.
    """
    resolution = resolve(read_registry(OUI_FILE).assignments, name_index(resolution_catalog()))
    counts: Counter[str] = Counter()
    for block in resolution.blocks:
        counts[block.entity_id] += len(block.prefixes)
    assert counts["huawei.huawei-technologies"] == 1216 + 1
    assert counts["huawei.huawei-device"] == 550
    assert counts["honor.honor-device"] == 44
    assert counts["zte.zte-corporation"] == 445
    assert counts["zte.shanghai-zte"] == 1
    assert counts["hikvision.hangzhou-hikvision"] == 73
    assert counts["hikvision.prama-hikvision-india"] == 2
    assert counts["hikvision.ezviz"] == 10
    assert counts["hikvision.hikrobot"] == 2
    assert counts["dahua.zhejiang-dahua"] == 30
    assert counts["hytera.hytera-communications"] == 2
    skipped = {s.registrant for s in resolution.skipped}
    assert {
        "Shanghai Dahua Scale Factory",
        "JOREX LOREX INDIA PRIVATE LIMITED",
        "Teltronic AG",
    } <= skipped
    # "Teltronic AG" and "Teltronic S.A.U." normalise alike; only the latter is the Hytera company.
    assert counts["hytera.teltronic"] == 1


# -- lint ---------------------------------------------------------------------------------------


def test_lint_reports_no_error_in_these_packs() -> None:
    _, problems = lint_paths([])
    mine = {pack.name for pack in PACKS}
    errors = [p for p in problems if p.severity == "error" and Path(p.location.path).name in mine]
    assert errors == []
