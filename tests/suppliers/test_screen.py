"""Screening the fixture register (pure: no store): each planted case, and nothing else."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from rootout.catalog.cache import load_compiled
from rootout.catalog.catalog import Catalog
from rootout.config import load_settings
from rootout.match.engine import Matcher
from rootout.scanning import matcher_for
from rootout.suppliers.evidence import delivery_evidence, gather
from rootout.suppliers.lists import read_list_file
from rootout.suppliers.model import (
    AccessAgreement,
    Delivery,
    DeliveryKind,
    ListEntry,
    Register,
    Representation,
    Severity,
    Supplier,
    SupplierFinding,
)
from rootout.suppliers.model import SupplierFindingKind as Kind
from rootout.suppliers.register import read_register_file
from rootout.suppliers.representations import reminders
from rootout.suppliers.screen import screen

FIXTURES = Path(__file__).parent / "fixtures"
REGISTER = FIXTURES / "register"
TODAY = dt.date(2026, 11, 28)


def _records(name: str) -> tuple[object, ...]:
    with (REGISTER / name).open("rb") as stream:
        return read_register_file(stream, name).records


def _register() -> Register:
    deliveries = tuple(
        dataclasses.replace(d, path=str(REGISTER / d.path))
        for d in _records("deliveries.csv")
        if isinstance(d, Delivery)
    )
    return Register(
        suppliers=tuple(s for s in _records("suppliers.csv") if isinstance(s, Supplier)),
        representations=tuple(
            r for r in _records("representations.csv") if isinstance(r, Representation)
        ),
        access=tuple(a for a in _records("access.csv") if isinstance(a, AccessAgreement)),
        deliveries=deliveries,
    )


def _lists() -> tuple[ListEntry, ...]:
    entries: list[ListEntry] = []
    for name in ("csl.csv", "sam-exclusions.csv"):
        with (FIXTURES / "lists" / name).open("rb") as stream:
            entries.extend(read_list_file(stream, name).entries)
    return tuple(entries)


@pytest.fixture(scope="module")
def compiled() -> tuple[Catalog, Matcher]:
    settings = load_settings()
    catalog, index = load_compiled(list(settings.catalog_dirs))
    return catalog, matcher_for(catalog, index, TODAY, settings)


@pytest.fixture(scope="module")
def findings(compiled: tuple[Catalog, Matcher]) -> list[SupplierFinding]:
    catalog, matcher = compiled
    register = _register()
    evidence = gather(register.deliveries, matcher)
    return screen(
        register, catalog, today=TODAY, lists=_lists(), evidence=evidence, matcher=matcher
    )


def _by(findings: list[SupplierFinding], supplier: str, kind: Kind) -> SupplierFinding:
    (found,) = [f for f in findings if f.supplier_id == supplier and f.kind is kind]
    return found


def test_each_planted_case_is_found_and_nothing_else(findings: list[SupplierFinding]) -> None:
    assert sorted((f.supplier_id, f.kind.value) for f in findings) == [
        ("SUP-001", "covered_delivery"),
        ("SUP-001", "representation_contradicted"),
        ("SUP-002", "covered_parent"),
        ("SUP-002", "representation_contradicted"),
        ("SUP-004", "representation_missing"),
        ("SUP-005", "representation_lapsed"),
        ("SUP-006", "covered_entity"),
        ("SUP-007", "screening_list"),
        ("SUP-008", "covered_delivery"),
        ("SUP-009", "screening_list"),
    ]


def test_contradictions_come_first_and_are_critical(findings: list[SupplierFinding]) -> None:
    assert [f.kind for f in findings[:2]] == [Kind.REPRESENTATION_CONTRADICTED] * 2
    assert {f.severity for f in findings[:2]} == {Severity.CRITICAL}
    assert all(f.severity is not Severity.CRITICAL for f in findings[2:])


def test_a_contradiction_names_the_representation_and_the_evidence(
    findings: list[SupplierFinding],
) -> None:
    found = _by(findings, "SUP-001", Kind.REPRESENTATION_CONTRADICTED)
    text = "\n".join(step.text for step in found.explanation)
    # Kaspersky evidence contradicts the 52.204-23 attestation, not the §889 representation
    assert "FAR 52.204-23 attestation signed 2026-02-01 by Dana Whitfield" in text
    assert "does not provide, does not use at representations.csv:8" in text
    assert "FAR 52.204-26 representation" not in text
    assert "mail-gateway.cdx.json: sbom_component 'Kaspersky Anti-Virus SDK'" in text
    assert "matched publisher = 'AO Kaspersky Lab'" in text
    assert found.entity == "kaspersky.ao-kaspersky-lab"
    sourced = [s for s in found.explanation if s.kind == "signature"]
    assert sourced
    assert all(s.sources for s in sourced)  # the catalog facts cite their sources
    assert "a corrected FAR 52.204-23 attestation" in found.ask
    assert "FAR 52.204-23(c)(1)" in found.ask
    assert "52.204-26" not in found.ask


def test_a_covered_parent_contradicts_a_does_not_answer(findings: list[SupplierFinding]) -> None:
    found = _by(findings, "SUP-002", Kind.REPRESENTATION_CONTRADICTED)
    text = "\n".join(step.text for step in found.explanation)
    assert "signed 2026-01-15 by Lee Park" in text
    assert "parent_name = 'Huawei Technologies Co., Ltd.'" in text
    assert found.entity == "huawei.huawei-technologies"


def test_an_honest_does_use_with_disclosure_is_not_a_contradiction(
    findings: list[SupplierFinding],
) -> None:
    delivery = _by(findings, "SUP-008", Kind.COVERED_DELIVERY)
    assert "sup-008-programs.json" in delivery.explanation[1].text
    assert not [
        f for f in findings if f.supplier_id == "SUP-008" and f.kind.value.startswith("rep")
    ]


def test_an_affiliate_resolves_to_the_designated_parent(findings: list[SupplierFinding]) -> None:
    found = _by(findings, "SUP-006", Kind.COVERED_ENTITY)
    assert found.entity == "kaspersky.ao-kaspersky-lab"
    kinds = [step.kind for step in found.explanation]
    assert "relation" in kinds  # Kaspersky Labs Limited -> AO Kaspersky Lab


def test_screening_lists_match_identifiers_first_then_names(
    findings: list[SupplierFinding],
) -> None:
    by_uei = _by(findings, "SUP-009", Kind.SCREENING_LIST)
    assert "uei 'P6HJ9VW4LC8H' matched, UEI equal" in by_uei.explanation[1].text
    by_name = _by(findings, "SUP-007", Kind.SCREENING_LIST)
    assert "normalised name 'litware trading' equal" in by_name.explanation[1].text
    assert by_name.severity is Severity.HIGH


def test_screening_is_judged_on_its_date(compiled: tuple[Catalog, Matcher]) -> None:
    catalog, matcher = compiled
    register = _register()

    def on(day: dt.date) -> set[tuple[str, Kind]]:
        found = screen(register, catalog, today=day, lists=_lists(), matcher=matcher)
        return {(f.supplier_id, f.kind) for f in found}

    earlier = on(dt.date(2025, 6, 1))
    assert ("SUP-005", Kind.REPRESENTATION_LAPSED) not in earlier  # it expires 2026-01-10
    assert ("SUP-004", Kind.REPRESENTATION_MISSING) not in earlier  # access from 2026-01-01
    assert ("SUP-007", Kind.SCREENING_LIST) in earlier  # CSL t-001 listed from 2025-03-01
    assert ("SUP-007", Kind.SCREENING_LIST) not in on(dt.date(2025, 2, 1))
    # CSL t-003 "Wingtip Couriers Holding" was listed 2019-2020 only
    assert ("SUP-005", Kind.SCREENING_LIST) in on(dt.date(2019, 6, 1))
    assert ("SUP-005", Kind.SCREENING_LIST) not in on(TODAY)


def test_evidence_delivered_before_the_representation_does_not_contradict_it(
    compiled: tuple[Catalog, Matcher],
) -> None:
    catalog, matcher = compiled
    register = _register()
    item = delivery_evidence(register.deliveries[0], matcher)
    backdated = dataclasses.replace(item, delivered_on=dt.date(2025, 12, 1))
    kinds = {
        (f.supplier_id, f.kind)
        for f in screen(register, catalog, today=TODAY, evidence=[backdated], matcher=matcher)
    }
    assert ("SUP-001", Kind.COVERED_DELIVERY) in kinds
    assert ("SUP-001", Kind.REPRESENTATION_CONTRADICTED) not in kinds


def test_an_unreadable_delivery_is_evidence_with_its_reason(
    compiled: tuple[Catalog, Matcher], tmp_path: Path
) -> None:
    _, matcher = compiled
    missing = delivery_evidence(
        Delivery("S1", str(tmp_path / "gone.json"), DeliveryKind.SBOM), matcher
    )
    assert missing.findings == ()
    assert missing.error == f"delivered file not found: {tmp_path / 'gone.json'}"
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01 not an inventory")
    unread = delivery_evidence(Delivery("S1", str(junk), DeliveryKind.INVENTORY), matcher)
    assert unread.error is not None
    assert "junk.bin" in unread.error


def test_reminders_list_lapsed_and_soon_expiring_latest_representations() -> None:
    reps = list(_register().representations)
    due = reminders(reps, TODAY, within=30)
    assert [(r.supplier_id, r.days_left) for r in due] == [("SUP-005", -322), ("SUP-008", 17)]
    assert [r.supplier_id for r in reminders(reps, TODAY, within=0)] == ["SUP-005"]


def test_finding_ids_are_stable_across_runs(
    compiled: tuple[Catalog, Matcher], findings: list[SupplierFinding]
) -> None:
    catalog, matcher = compiled
    register = _register()
    again = screen(
        register,
        catalog,
        today=TODAY,
        lists=_lists(),
        evidence=gather(register.deliveries, matcher),
        matcher=matcher,
    )
    assert [f.id for f in again] == [f.id for f in findings]


# -- identity against a small fictional catalog (tests/fixtures/catalog/engine) -----------


@pytest.fixture(scope="module")
def fictional(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    from rootout.catalog.catalog import load_catalog

    root = Path(__file__).parents[1] / "fixtures" / "catalog" / "engine" / "engine.yaml"
    pack = root.read_text().replace(
        "  - {id: e.sub, name: Subco Devices, sources: [src.t]}",
        "  - {id: e.sub, name: Subco Devices, sources: [src.t],\n"
        "     identifiers: [{scheme: uei, value: QWERTY123456, sources: [src.t]}]}",
    )
    path = tmp_path_factory.mktemp("pack") / "p.yaml"
    path.write_text(pack)
    return load_catalog([path], builtin=False)


def _identity(catalog: Catalog, *suppliers: Supplier) -> dict[str, list[SupplierFinding]]:
    found = screen(Register(suppliers=suppliers), catalog, today=TODAY)
    result: dict[str, list[SupplierFinding]] = {}
    for f in found:
        result.setdefault(f.supplier_id, []).append(f)
    return result


def test_identifiers_outrank_names(fictional: Catalog) -> None:
    found = _identity(
        fictional,
        Supplier("A", "Totally Different Name LLC", uei="QWERTY123456"),
        Supplier("B", "Some Reseller Inc", parent_uei="QWERTY123456"),
        Supplier("C", "Subco Devices Inc."),
        Supplier("D", "Unrelated Widgets"),
    )
    (a,) = found["A"]
    assert (a.kind, a.entity) == (Kind.COVERED_ENTITY, "e.parent")  # through the subsidiary
    texts = [s.text for s in a.explanation]
    assert any("UEI listed for the entity" in t for t in texts)
    assert any("Subco Devices subsidiary of Parentco Lab" in t for t in texts)
    (b,) = found["B"]
    assert (b.kind, b.entity) == (Kind.COVERED_PARENT, "e.parent")
    (c,) = found["C"]
    assert c.kind is Kind.COVERED_ENTITY
    assert "D" not in found


def test_fuzzy_names_carry_their_scores(fictional: Catalog) -> None:
    found = _identity(fictional, Supplier("F", "Parentco Labs Ltd"), Supplier("G", "Parentcoin"))
    (f,) = found["F"]
    assert f.kind is Kind.COVERED_ENTITY
    assert any("score" in s.text for s in f.explanation)
    assert "G" not in found


def test_a_listed_product_in_provides_is_found(fictional: Catalog) -> None:
    found = _identity(
        fictional,
        Supplier("P", "Reseller Co", provides=("endpoint licences: Parentco Antivirus", "support")),
        Supplier("Q", "Other Reseller", provides=("antivirus licences",)),
        Supplier("R", "Remover LLC", provides=("removal of Parentco Antivirus from endpoints",)),
    )
    (p,) = found["P"]
    assert (p.kind, p.entity) == (Kind.PROVIDES_COVERED, "e.parent")
    assert "Q" not in found
    assert "R" not in found  # removing a product is not offering it


def test_a_relation_ended_before_today_is_not_followed(fictional: Catalog) -> None:
    # Spunco was a brand of Parentco Lab until 2020-11 (engine.yaml r.spun)
    assert _identity(fictional, Supplier("S", "Spunco")) == {}
    earlier = screen(
        Register(suppliers=(Supplier("S", "Spunco"),)), fictional, today=dt.date(2020, 6, 1)
    )
    assert [(f.kind, f.entity) for f in earlier] == [(Kind.COVERED_ENTITY, "e.parent")]


def test_what_comes_later_does_not_exist_yet(compiled: tuple[Catalog, Matcher]) -> None:
    catalog, matcher = compiled
    register = _register()
    evidence = gather(register.deliveries, matcher)

    def on(day: dt.date) -> set[Kind]:
        found = screen(register, catalog, today=day, evidence=evidence, matcher=matcher)
        return {f.kind for f in found if f.supplier_id == "SUP-001"}

    # SUP-001 signed its representation 2026-02-01; its SBOM arrived 2026-03-10
    assert on(dt.date(2026, 1, 20)) == {Kind.REPRESENTATION_MISSING}
    assert on(dt.date(2026, 2, 15)) == set()
    assert on(dt.date(2026, 3, 10)) == {
        Kind.COVERED_DELIVERY,
        Kind.REPRESENTATION_CONTRADICTED,
    }
