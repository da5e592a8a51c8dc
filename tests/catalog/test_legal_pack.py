"""The legal and FCC packs: deadlines by clause version, report fields, dated designations.

The packs are read on their own (``read_packs`` + ``assemble``), so these tests hold
whatever state the other packs are in. The expected report fields are copied from
shared/reference/regulations.md section 12, which is the reference for them.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from pathlib import Path

import pytest

from rootout.catalog import Catalog, assemble, load_catalog
from rootout.catalog.dates import in_interval
from rootout.catalog.loader import BUILTIN_PACKS, read_packs
from rootout.catalog.model import DayUnit, LegalBasis, Obligation, Reliability
from rootout.errors import Problem
from rootout.match.normalize import org_name
from rootout.match.verify import verify

OWN_PACKS = (BUILTIN_PACKS / "legal.yaml", BUILTIN_PACKS / "fcc.yaml")

# Ids these packs may name that other packs define (packs.md fixed ids).
OTHER_PACK_IDS = {
    "kaspersky.ao-kaspersky-lab",
    "kaspersky.kaspersky-lab-inc",
    "kaspersky.kaspersky-labs-limited",
    "kaspersky.ooo-kaspersky-group",
    "huawei.huawei-technologies",
    "zte.zte-corporation",
    "hytera.hytera-communications",
    "hikvision.hangzhou-hikvision",
    "dahua.zhejiang-dahua",
    "src.fr-2024-13695",  # Entity List FR notice, defined with the Kaspersky entities
    "src.ieee-oui-arp-scan",  # IEEE registry file, defined in mac-prefixes.yaml
}

# regulations.md section 12, field names in order.
SECTION_12: dict[str, list[str]] = {
    "far_52_204_23_initial": [
        "contract_number", "order_numbers", "supplier_name", "brand", "model_number",
        "item_description", "mitigation_readily_available",
    ],
    "far_52_204_23_followup": [
        "further_mitigation", "efforts_to_prevent_use_or_submission",
        "reasons_for_use_or_submission", "additional_efforts_to_prevent_future_use",
    ],
    "far_52_204_25_initial": [
        "contract_number", "order_numbers", "supplier_name", "supplier_uei",
        "supplier_cage_code", "brand", "model_number", "item_description",
        "mitigation_readily_available",
    ],
    "far_52_204_25_followup": [
        "further_mitigation", "efforts_to_prevent_use_or_submission",
        "additional_efforts_to_prevent_future_use",
    ],
    "far_52_204_24_disclosure_equipment": [
        "producer_name", "producer_uei", "producer_cage_code", "producer_is_oem_or_distributor",
        "brand", "model_number", "item_description", "proposed_use_explanation",
    ],
    "far_52_204_24_disclosure_service": [
        "maintained_item_brand_model_description", "product_service_code",
        "proposed_use_explanation",
    ],
    "bod_17_01_30_day": ["products_found", "endpoint_count_per_product", "identification_methods"],
    "bod_17_01_60_day_plan": [
        "compliance_impact_of_removal", "data_loss_or_leakage_risk", "malware_and_spam_exposure",
        "patch_management_impact", "whitelisting_impact", "web_content_filtering_impact",
        "proposed_replacements", "agency_name", "poc_name_phone_email", "timeline",
        "estimated_costs",
    ],
    "bod_17_01_status_report": ["removal_progress"],
}  # fmt: skip

# Section 12 marks these "if known" / "if applicable" / alternatives.
OPTIONAL_FIELDS = {
    ("far_52_204_23_initial", "order_numbers"),
    ("far_52_204_25_initial", "order_numbers"),
    ("far_52_204_25_initial", "supplier_uei"),
    ("far_52_204_25_initial", "supplier_cage_code"),
    ("far_52_204_24_disclosure_equipment", "producer_is_oem_or_distributor"),
    ("far_52_204_24_disclosure_service", "maintained_item_brand_model_description"),
    ("far_52_204_24_disclosure_service", "product_service_code"),
}
# BOD 17-01 fields are known from a press summary, or not at all.
PRESS_FIELDS = {
    "bod_17_01_30_day": {"products_found", "endpoint_count_per_product", "identification_methods"},
    "bod_17_01_60_day_plan": set(SECTION_12["bod_17_01_60_day_plan"][:7]),
}
UNCONFIRMED_FIELDS = {
    "bod_17_01_60_day_plan": set(SECTION_12["bod_17_01_60_day_plan"][7:]),
    "bod_17_01_status_report": {"removal_progress"},
}


@pytest.fixture(scope="module")
def packs() -> tuple[Catalog, list[Problem]]:
    return assemble(read_packs(OWN_PACKS))


@pytest.fixture(scope="module")
def catalog(packs: tuple[Catalog, list[Problem]]) -> Catalog:
    return packs[0]


def in_force(basis: LegalBasis, on: dt.date) -> list[Obligation]:
    return [o for o in basis.obligations if in_interval(on, o.valid_from, o.valid_to)]


def one_for_report(basis: LegalBasis, report: str, on: dt.date) -> Obligation:
    found = [o for o in in_force(basis, on) if o.report == report]
    assert len(found) == 1, f"{report} on {on}: {[o.id for o in found]}"
    return found[0]


def test_packs_have_no_problems_of_their_own(packs: tuple[Catalog, list[Problem]]) -> None:
    own = [p for p in packs[1] if not any(f"'{ref}'" in p.message for ref in OTHER_PACK_IDS)]
    assert own == []


@pytest.mark.parametrize(
    ("on", "days"),
    [
        (dt.date(2018, 7, 16), 1),
        (dt.date(2020, 3, 2), 1),
        (dt.date(2023, 12, 3), 1),
        (dt.date(2023, 12, 4), 3),
        (dt.date(2024, 5, 6), 3),
    ],
)
def test_far_52_204_23_initial_report_follows_the_clause_version(
    catalog: Catalog, on: dt.date, days: int
) -> None:
    basis = catalog.legal_bases["law.far-52.204-23"]
    initial = one_for_report(basis, "far_52_204_23_initial", on)
    assert initial.deadline is not None
    assert (initial.deadline.days, initial.deadline.unit) == (days, DayUnit.BUSINESS)
    assert initial.deadline.from_event == "identification"
    followup = one_for_report(basis, "far_52_204_23_followup", on)
    assert followup.deadline is not None
    assert (followup.deadline.days, followup.deadline.unit) == (10, DayUnit.BUSINESS)
    assert followup.deadline.from_event == f"obligation:{initial.id}"


def test_far_52_204_23_reporting_does_not_exist_before_the_interim_rule(catalog: Catalog) -> None:
    basis = catalog.legal_bases["law.far-52.204-23"]
    assert not [o for o in in_force(basis, dt.date(2018, 7, 15)) if o.report]


def test_far_52_204_25_deadlines(catalog: Catalog) -> None:
    basis = catalog.legal_bases["law.far-52.204-25"]
    on = dt.date(2024, 5, 6)
    initial = one_for_report(basis, "far_52_204_25_initial", on)
    followup = one_for_report(basis, "far_52_204_25_followup", on)
    assert initial.deadline is not None
    assert followup.deadline is not None
    assert (initial.deadline.days, initial.deadline.unit) == (1, DayUnit.BUSINESS)
    assert (followup.deadline.days, followup.deadline.unit) == (10, DayUnit.BUSINESS)
    assert followup.deadline.from_event == f"obligation:{initial.id}"


@pytest.mark.parametrize("basis_id", ["law.ndaa-fy2019-889", "law.far-52.204-25"])
def test_889_part_b_applies_from_2020_08_13(catalog: Catalog, basis_id: str) -> None:
    basis = catalog.legal_bases[basis_id]
    assert str(basis.effective_from) == "2019-08-13"
    before = {o.id for o in in_force(basis, dt.date(2020, 8, 12))}
    after = {o.id for o in in_force(basis, dt.date(2020, 8, 13))}
    added = after - before
    assert len(added) == 1
    assert "uses" in next(o for o in basis.obligations if o.id in added).action
    assert not in_force(basis, dt.date(2019, 8, 12))


def test_report_fields_equal_regulations_section_12(catalog: Catalog) -> None:
    reports = {r.id: r for b in catalog.legal_bases.values() for r in b.reports}
    assert {rid: [f.name for f in r.fields] for rid, r in reports.items()} == SECTION_12


def test_report_fields_mark_if_known_and_their_basis(catalog: Catalog) -> None:
    for basis in catalog.legal_bases.values():
        for report in basis.reports:
            for field in report.fields:
                key = (report.id, field.name)
                assert field.required is (key not in OPTIONAL_FIELDS), key
                if field.name in PRESS_FIELDS.get(report.id, set()):
                    expected = Reliability.PRESS
                elif field.name in UNCONFIRMED_FIELDS.get(report.id, set()):
                    expected = Reliability.UNCONFIRMED
                else:
                    expected = Reliability.OFFICIAL
                assert field.basis is expected, key


def test_every_report_is_produced_by_an_obligation(catalog: Catalog) -> None:
    for basis in catalog.legal_bases.values():
        produced = {o.report for o in basis.obligations if o.report}
        assert produced == {r.id for r in basis.reports}, basis.id


@pytest.mark.parametrize(
    ("obligation", "due"),
    [
        ("obl.bod-17-01.identify", dt.date(2017, 10, 13)),
        ("obl.bod-17-01.plan", dt.date(2017, 11, 12)),
        ("obl.bod-17-01.begin-removal", dt.date(2017, 12, 12)),
    ],
)
def test_bod_17_01_milestones_fall_on_the_reference_dates(
    catalog: Catalog, obligation: str, due: dt.date
) -> None:
    basis = catalog.legal_bases["law.bod-17-01"]
    found = next(o for o in basis.obligations if o.id == obligation)
    assert found.deadline is not None
    assert basis.issued is not None
    assert found.deadline.unit is DayUnit.CALENDAR
    assert found.deadline.from_event == "issuance"
    assert basis.issued.start() + timedelta(days=found.deadline.days) == due


def test_bod_17_01_status_reports_repeat_and_are_unconfirmed(catalog: Catalog) -> None:
    status = next(
        o
        for o in catalog.legal_bases["law.bod-17-01"].obligations
        if o.report == "bod_17_01_status_report"
    )
    assert status.deadline is not None
    assert status.deadline.repeat_every == 30
    assert status.deadline.from_event == "obligation:obl.bod-17-01.begin-removal"
    assert "UNCONFIRMED" in status.action


def test_kaspersky_fcc_listing_starts_2022_03_25(catalog: Catalog) -> None:
    def listed(on: dt.date) -> bool:
        designations = catalog.designations_at("kaspersky.ao-kaspersky-lab", on)
        return any(d.legal_basis == "law.fcc-covered-list" for d in designations)

    assert not listed(dt.date(2022, 3, 24))
    assert listed(dt.date(2022, 3, 25))


def test_icts_cutoff_obligation_starts_2024_09_29(catalog: Catalog) -> None:
    basis = catalog.legal_bases["law.bis-icts-kaspersky-2024"]
    assert str(basis.issued) == "2024-06-24"
    assert str(basis.effective_from) == "2024-07-20"
    new = {o.id for o in in_force(basis, dt.date(2024, 9, 29))} - {
        o.id for o in in_force(basis, dt.date(2024, 9, 28))
    }
    assert len(new) == 1
    cutoff = next(o for o in basis.obligations if o.id in new)
    assert "updates" in cutoff.action
    assert "integration" in cutoff.action


def test_icts_designations_except_threat_intelligence_and_training(catalog: Catalog) -> None:
    designations = [
        d for d in catalog.designations.values() if d.legal_basis == "law.bis-icts-kaspersky-2024"
    ]
    assert {d.entity for d in designations} >= {"kaspersky.kaspersky-lab-inc"}
    for designation in designations:
        text = " ".join(e.description for e in designation.exceptions)
        assert "Threat Intelligence" in text
        assert "Security Training" in text


def test_only_hytera_hikvision_dahua_carry_the_security_purposes(catalog: Catalog) -> None:
    purposed = {
        "hytera.hytera-communications",
        "hikvision.hangzhou-hikvision",
        "dahua.zhejiang-dahua",
    }
    for basis_id in ("law.ndaa-fy2019-889", "law.far-52.204-25", "law.fcc-covered-list"):
        named = {d.entity: d for d in catalog.designations.values() if d.legal_basis == basis_id}
        assert purposed | {"huawei.huawei-technologies", "zte.zte-corporation"} <= named.keys()
        for entity, designation in named.items():
            assert bool(designation.purposes) is (entity in purposed), (basis_id, entity)


def test_ofac_designates_no_entity(catalog: Catalog) -> None:
    basis = catalog.legal_bases["law.ofac-eo14024-2024"]
    assert not [d for d in catalog.designations.values() if d.legal_basis == basis.id]
    assert basis.notes is not None
    assert "NOT an SDN" in basis.notes


def test_fcc_listing_dates(catalog: Catalog) -> None:
    expected = {
        "fcc.china-mobile-international-usa": "2022-03-25",
        "fcc.china-telecom-americas": "2022-03-25",
        "fcc.pacific-networks": "2022-09-20",
        "fcc.comnet-usa": "2022-09-20",
        "fcc.china-unicom-americas": "2022-09-20",
        "fcc.dji": "2025-12-22",
        "fcc.autel-robotics": "2025-12-22",
        "fcc.category.foreign-uas": "2025-12-22",
        "fcc.category.foreign-routers": "2026-03-23",
        "fcc.digitalsystem-technology": "2026-07-07",
        "fcc.category.foreign-power-inverters": "2026-07-28",
        "fcc.category.foreign-robotic-devices": "2026-07-28",
    }
    listed = {
        d.entity: str(d.effective_from)
        for d in catalog.designations.values()
        if d.legal_basis == "law.fcc-covered-list" and d.entity.startswith("fcc.")
    }
    assert listed == expected


def test_comnet_is_reached_through_pacific_networks(catalog: Catalog) -> None:
    parents = catalog.parents_at("fcc.comnet-usa", dt.date(2023, 1, 1))
    assert [(r.kind.value, r.object) for r in parents] == [
        ("subsidiary_of", "fcc.pacific-networks")
    ]
    assert "subsidiary_of" in {k.value for k in catalog.legal_bases["law.fcc-covered-list"].reaches}


def ieee_registrants(shared_data: Path) -> set[str]:
    lines = (shared_data / "oui" / "ieee-oui.txt").read_text(encoding="utf-8").splitlines()
    return {line.split("\t", 1)[1] for line in lines if line and not line.startswith("#")}


def test_ieee_spellings_and_traps_are_real_registrants(catalog: Catalog, shared_data: Path) -> None:
    registrants = ieee_registrants(shared_data)
    assert "SZ DJI TECHNOLOGY CO.,LTD" in catalog.entities["fcc.dji"].aliases
    assert "Autel Robotics USA LLC" in catalog.entities["fcc.autel-robotics"].aliases
    assert {"SZ DJI TECHNOLOGY CO.,LTD", "Autel Robotics USA LLC"} <= registrants
    traps = {n.value for n in catalog.hard_negatives.values() if n.kind.value == "mac_prefix"}
    assert {"China Mobile Group Device Co.,Ltd.", "China Mobile IOT Company Limited"} <= traps
    assert traps <= registrants


def test_no_trap_normalises_to_the_entity_it_must_not_resolve_to(catalog: Catalog) -> None:
    for negative in catalog.hard_negatives.values():
        assert negative.not_entity is not None
        entity = catalog.entities[negative.not_entity]
        names = {org_name(n) for n in (entity.name, *entity.aliases)}
        assert org_name(negative.value) not in names, negative.id


def test_carrier_name_signatures_hit_legal_names_not_device_traps(catalog: Catalog) -> None:
    signatures = [s for s in catalog.signatures.values() if s.id.startswith("sig.fcc.")]
    assert len(signatures) == 6
    for signature in signatures:
        assert signature.entity is not None
        assert verify(signature, catalog.entities[signature.entity].name).hit, signature.id
        for negative in catalog.hard_negatives.values():
            assert not verify(signature, negative.value).hit, (signature.id, negative.id)


def test_builtin_catalog_loads_and_resolves_every_designation(catalog: Catalog) -> None:
    builtin = load_catalog()  # raises CatalogError on any error in any built-in pack
    for designation_id, designation in catalog.designations.items():
        assert builtin.designations[designation_id] == designation
        assert designation.entity in builtin.entities, designation_id
