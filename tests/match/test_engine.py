"""The matcher on a small fictional catalog: one test per basis and rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rootout.catalog import Catalog, load_catalog
from rootout.match.engine import Matcher, attributable_mac
from rootout.model.finding import Basis, Finding, LegalStatus
from rootout.model.observation import (
    Asset,
    AssetKind,
    Observation,
    ObservationKind,
    SourceRef,
)
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog([FIXTURES / "catalog" / "engine"], builtin=False)


def obs(
    kind: ObservationKind = ObservationKind.PROGRAM,
    host: str = "host-1",
    when: str = "2025-01-10",
    parents: tuple[str, ...] = (),
    **fields: str,
) -> Observation:
    return Observation(
        kind=kind,
        fields=fields,
        asset=Asset(AssetKind.HOST, host),
        source=SourceRef("inventory.json", 7, "/3", "test"),
        observed_at=dt.datetime.fromisoformat(when),
        parents=parents,
    )


def run(catalog: Catalog, *observations: Observation) -> list[Finding]:
    return list(Matcher(catalog).match(observations))


def test_direct_product_finding_with_full_chain(catalog: Catalog) -> None:
    (finding,) = run(
        catalog, obs(name="Parentco Antivirus 12.4 for Windows (x64)", publisher="Parentco Lab")
    )
    assert finding.basis is Basis.DIRECT
    assert finding.entity == "e.parent"
    assert finding.product == "p.av"
    assert finding.signature == "s.av.name"
    assert [step.kind for step in finding.explanation][:6] == [
        "raw",
        "key",
        "signature",
        "product",
        "entity",
        "designation",
    ]
    assert finding.legal[0].status is LegalStatus.IN_FORCE
    # the publisher and token signatures corroborate instead of making more findings
    notes = [s.ref for s in finding.explanation if s.kind == "note"]
    assert set(notes) == {"s.parent.token", "s.parent.pub"}


def test_affiliate_through_a_relation_keeps_the_path(catalog: Catalog) -> None:
    (finding,) = run(catalog, obs(name="Camera Tool", publisher="Subco Devices Co., Ltd."))
    assert finding.basis is Basis.AFFILIATE
    assert (finding.entity, finding.matched_entity) == ("e.parent", "e.sub")
    assert [s.ref for s in finding.explanation if s.kind == "relation"] == ["r.sub"]
    assert finding.confidence.value == "medium"  # the relation's confidence caps it


def test_relations_are_judged_on_the_observation_date(catalog: Catalog) -> None:
    before = run(catalog, obs(publisher="Spunco", when="2019-06-01"))
    after = run(catalog, obs(publisher="Spunco", when="2021-06-01"))
    assert [f.basis for f in before] == [Basis.AFFILIATE]
    assert after == []


def test_seen_before_the_designation_is_historical(catalog: Catalog) -> None:
    (finding,) = run(catalog, obs(name="Parentco Antivirus", when="2016-03-01"))
    assert finding.historical
    assert finding.legal[0].status is LegalStatus.HISTORICAL


def test_each_finding_is_explained_on_its_own_date(catalog: Catalog) -> None:
    """Designations and explanation steps are kept per (entity, date) on the catalog: two
    sightings of one product on either side of the designation date, in one run, must each
    be judged and explained on their own date."""
    found = run(
        catalog,
        obs(name="Parentco Antivirus", host="old", when="2016-03-01"),
        obs(name="Parentco Antivirus", host="new", when="2025-01-10"),
    )
    by_host = {f.observation.asset.name: f for f in found}
    early, late = by_host["old"], by_host["new"]
    assert (early.legal[0].status, late.legal[0].status) == (
        LegalStatus.HISTORICAL,
        LegalStatus.IN_FORCE,
    )
    (said_early,) = [s.text for s in early.explanation if s.kind == "designation"]
    (said_late,) = [s.text for s in late.explanation if s.kind == "designation"]
    assert said_early.endswith("NOT in force on 2016-03-01")
    assert said_late.endswith("in force on 2025-01-10")
    assert "NOT" not in said_late


def test_artifacts_without_the_product_are_residual(catalog: Catalog) -> None:
    (finding,) = run(catalog, obs(ObservationKind.DRIVER, driver="PCAV.SYS"))
    assert finding.basis is Basis.RESIDUAL


def test_artifacts_with_the_product_support_its_finding(catalog: Catalog) -> None:
    findings = run(
        catalog,
        obs(name="Parentco Antivirus"),
        obs(ObservationKind.DRIVER, driver="pcav.sys"),
    )
    assert [f.basis for f in findings] == [Basis.DIRECT]
    assert any("supporting artifact" in s.text for s in findings[0].explanation)


def test_network_mac_prefix_longest_match_and_random_macs_skipped(catalog: Catalog) -> None:
    findings = run(
        catalog,
        obs(ObservationKind.NETWORK_DEVICE, host="10.0.0.5", mac="a0:b1:c2:11:22:33"),
        obs(ObservationKind.NETWORK_DEVICE, host="10.0.0.6", mac="D4-E5-F6-1A-BB-CC"),
        obs(ObservationKind.NETWORK_DEVICE, host="10.0.0.7", mac="D4:E5:F6:2A:BB:CC"),
        obs(ObservationKind.NETWORK_DEVICE, host="10.0.0.8", mac="a2:b1:c2:11:22:33"),
    )
    assert sorted(f.observation.asset.name for f in findings) == ["10.0.0.5", "10.0.0.6"]
    assert {f.basis for f in findings} == {Basis.NETWORK}


@pytest.mark.parametrize(
    ("mac", "expected"),
    [
        ("00:11:22:33:44:55", True),
        ("02:11:22:33:44:55", False),
        ("01:00:5e:00:00:01", False),
        ("", False),
    ],
)
def test_attributable_mac(mac: str, expected: bool) -> None:
    assert attributable_mac(mac) is expected


def test_dns_suffix_on_label_boundary(catalog: Catalog) -> None:
    findings = run(
        catalog,
        obs(ObservationKind.DNS_QUERY, domain="s01.upd.parentco.example."),
        obs(ObservationKind.DNS_QUERY, host="h2", domain="notupd.parentco.example"),
    )
    assert [(f.basis, f.observation.asset.name) for f in findings] == [(Basis.NETWORK, "host-1")]


def test_embedded_engine_only_within_its_years(catalog: Catalog) -> None:
    (finding,) = run(catalog, obs(name="Hostco Gateway", when="2012-05-05"))
    assert finding.basis is Basis.EMBEDDED
    assert finding.entity == "e.parent"
    assert "emb.gw" in [s.ref for s in finding.explanation]
    assert run(catalog, obs(name="Hostco Gateway", when="2019-05-05")) == []


def test_sbom_component_makes_its_top_product_a_finding(catalog: Catalog) -> None:
    component = obs(
        ObservationKind.SBOM_COMPONENT,
        host="sbom",
        parents=("Acme Suite@4.0", "scanner@2.1"),
        name="engine",
        supplier="Parentco Lab",
    )
    findings = run(catalog, component)
    assert sorted(f.basis for f in findings) == [Basis.DIRECT, Basis.EMBEDDED]
    embedded = next(f for f in findings if f.basis is Basis.EMBEDDED)
    assert embedded.explanation[1].text == (
        "component path: Acme Suite@4.0 > scanner@2.1 > engine (supplier 'Parentco Lab')"
    )


def test_in_an_sbom_the_subject_product_is_the_embedding_finding(catalog: Catalog) -> None:
    subject = Asset(AssetKind.SBOM, "Mail Gateway@7.2")
    source = SourceRef("gw.cdx.json", 0, "/components/0", "cyclonedx-json")
    top_level = Observation(
        ObservationKind.SBOM_COMPONENT,
        {"name": "av-sdk", "version": "8.0", "supplier": "Parentco Lab"},
        subject,
        source,
    )
    itself = Observation(
        ObservationKind.SBOM_COMPONENT,
        {"name": "Parentco Antivirus"},
        subject,
        source,
        extra={"sbom_role": "subject"},
    )
    findings = run(catalog, top_level)
    embedded = next(f for f in findings if f.basis is Basis.EMBEDDED)
    assert embedded.explanation[1].text == (
        "component path: Mail Gateway@7.2 > av-sdk@8.0 (supplier 'Parentco Lab')"
    )
    assert [f.basis for f in run(catalog, itself)] == [Basis.DIRECT]


def test_same_product_on_same_host_from_two_inputs_is_one_finding(catalog: Catalog) -> None:
    findings = run(
        catalog,
        obs(name="Parentco Antivirus 11.0"),
        obs(name="Parentco Antivirus 12.1 for Windows"),
    )
    assert len({f.id for f in findings}) == 1


def test_finding_ids_are_stable_across_runs(catalog: Catalog) -> None:
    first = run(catalog, obs(name="Parentco Antivirus"))
    second = run(catalog, obs(name="Parentco Antivirus", when="2025-06-01"))
    assert [f.id for f in first] == [f.id for f in second]


def test_tokens_never_match_inside_words(catalog: Catalog) -> None:
    assert run(catalog, obs(name="Parentcoin Wallet")) == []


def test_a_mac_belongs_to_its_longest_prefix(tmp_path: Path) -> None:
    pack = (FIXTURES / "catalog" / "engine" / "engine.yaml").read_text()
    longer = (
        "  - {id: s.parent.mas, kind: mac_prefix, patterns: ['A0B1C2D'], match: prefix, confidence: high,\n"
        "     entity: e.parent, sources: [src.t]}\n"
    )
    (tmp_path / "p.yaml").write_text(pack.replace("embeddings:\n", longer + "embeddings:\n"))
    catalog = load_catalog([tmp_path / "p.yaml"], builtin=False)
    (finding,) = run(catalog, obs(ObservationKind.NETWORK_DEVICE, mac="a0:b1:c2:d1:22:33"))
    assert (finding.signature, finding.entity) == ("s.parent.mas", "e.parent")
    (other,) = run(catalog, obs(ObservationKind.NETWORK_DEVICE, mac="a0:b1:c2:e1:22:33"))
    assert other.signature == "s.sub.mac"


def test_identifiers_outrank_names(tmp_path: Path) -> None:
    pack = (FIXTURES / "catalog" / "engine" / "engine.yaml").read_text()
    pack = pack.replace(
        "  - {id: e.sub, name: Subco Devices, sources: [src.t]}",
        "  - {id: e.sub, name: Subco Devices, sources: [src.t],\n"
        "     identifiers: [{scheme: uei, value: QWERTY123456, sources: [src.t]}]}",
    )
    (tmp_path / "p.yaml").write_text(pack)
    catalog = load_catalog([tmp_path / "p.yaml"], builtin=False)
    (finding,) = run(
        catalog, obs(ObservationKind.CONTRACT_AWARD, publisher="Some Reseller", uei="qwerty-123456")
    )
    assert (finding.entity, finding.matched_field, finding.confidence.value) == (
        "e.parent",
        "uei",
        "medium",
    )
    assert finding.signature == "ident.e.sub"


def test_product_names_are_found_inside_contract_descriptions(catalog: Catalog) -> None:
    award = obs(
        ObservationKind.CONTRACT_AWARD,
        host="award-1",
        item_description="PARENTCO ANTIVIRUS 12 LICENSES, 3 YEAR MAINTENANCE",
        publisher="Big Reseller LLC",
    )
    (finding,) = run(catalog, award)
    assert (finding.basis, finding.product, finding.signature) == (
        Basis.PROCUREMENT,
        "p.av",
        "s.av.name",
    )
    removal = award._replace(
        extra={"purpose": "removal"}, asset=Asset(AssetKind.CONTRACT, "award-2")
    )
    assert [f.basis for f in run(catalog, removal)] == [Basis.PROCUREMENT_REMOVAL]
    assert (
        run(catalog, obs(ObservationKind.CONTRACT_AWARD, item_description="PARENTCOIN MINING RIGS"))
        == []
    )


def test_a_product_name_on_a_leftover_service_is_residual_evidence(catalog: Catalog) -> None:
    (finding,) = run(
        catalog, obs(ObservationKind.SERVICE, host="h-left", name="Parentco Antivirus")
    )
    assert (finding.basis, finding.evidence) == (Basis.RESIDUAL, "artifact")


@pytest.mark.parametrize(
    ("pattern", "literal"),
    [
        (r"kaspersky\s+security\s+for\s+windows\s+server", "kaspersky"),
        (r"(a|b)kav4fs", "kav4fs"),
        (r"^KAV\d+ for Check Point", " for check point"),
        (r"(ab)+", ""),
        (r"[", ""),
    ],
)
def test_regex_prefilter_uses_a_literal_every_match_contains(pattern: str, literal: str) -> None:
    from rootout.match.index import required_literal

    assert required_literal(pattern) == literal


def test_a_parent_uei_on_a_contract_reaches_the_covered_parent(tmp_path: Path) -> None:
    pack = (FIXTURES / "catalog" / "engine" / "engine.yaml").read_text()
    pack = pack.replace(
        "  - {id: e.parent, name: Parentco Lab, sources: [src.t]}",
        "  - {id: e.parent, name: Parentco Lab, sources: [src.t],\n"
        "     identifiers: [{scheme: uei, value: PARENT123456, sources: [src.t]}]}",
    )
    (tmp_path / "p.yaml").write_text(pack)
    catalog = load_catalog([tmp_path / "p.yaml"], builtin=False)
    award = obs(
        ObservationKind.CONTRACT_AWARD,
        supplier="Unrelated Subsidiary LLC",
        parent_uei="parent123456",
    )
    (finding,) = run(catalog, award)
    assert (finding.entity, finding.matched_field, finding.basis) == (
        "e.parent",
        "parent_uei",
        Basis.PROCUREMENT,
    )
