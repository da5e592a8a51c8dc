"""FAR 52.204-23 and 52.204-25 reports: the clause's fields, pre-filled only from evidence."""

from __future__ import annotations

import json

import pytest

from rootout.report import far, far_render
from rootout.report.data import ReportData, Scope
from tests.report import estate


def _item(report: far.FarReport, title_part: str) -> far.Item:
    return next(item for item in report.items if title_part in item.title)


def _field(item: far.Item, section: int, name: str) -> far.FieldValue:
    return next(f for f in item.sections[section].fields if f.name == name)


@pytest.mark.parametrize("clause", ["far-52.204-23", "far-52.204-25"])
def test_every_field_of_the_catalog_specs_is_in_each_item_in_order(
    clause: str, data: ReportData
) -> None:
    law = data.catalog.legal_bases[far.CLAUSES[clause].legal_basis]
    report = far.build(data, far.CLAUSES[clause])
    assert report.items
    for item in report.items:
        assert [s.spec_id for s in item.sections] == [spec.id for spec in law.reports]
        for section, spec in zip(item.sections, law.reports, strict=True):
            assert [f.name for f in section.fields] == [f.name for f in spec.fields]
            assert [f.label for f in section.fields] == [f.label for f in spec.fields]


def test_only_findings_under_the_clause_are_reported(data: ReportData) -> None:
    kaspersky = far.build(data, far.CLAUSES["far-52.204-23"])
    huawei_etc = far.build(data, far.CLAUSES["far-52.204-25"])
    ids_23 = {f for item in kaspersky.items for f in item.finding_ids}
    ids_25 = {f for item in huawei_etc.items for f in item.finding_ids}
    rows = {r["id"]: r for r in data.findings}
    assert {rows[f]["entity"] for f in ids_23} == {"kaspersky.ao-kaspersky-lab"}
    assert "kaspersky.ao-kaspersky-lab" not in {rows[f]["entity"] for f in ids_25}
    assert ids_23
    assert ids_25
    assert not ids_23 & ids_25


def test_uei_and_cage_are_never_filled_and_flagged_if_known(data: ReportData) -> None:
    report = far.build(data, far.CLAUSES["far-52.204-25"])
    for item in report.items:
        for name in ("supplier_uei", "supplier_cage_code"):
            field = _field(item, 0, name)
            assert field.value == ""
            assert field.fill == far.OPTIONAL
            assert far_render.marker(field) == "[IF KNOWN]"


def test_kes_is_prefilled_from_the_inventory_and_blanks_are_flagged(data: ReportData) -> None:
    report = far.build(data, far.CLAUSES["far-52.204-23"])
    kes = _item(report, "Kaspersky Endpoint Security")
    supplier = _field(kes, 0, "supplier_name")
    assert (supplier.value, supplier.fill) == ("AO Kaspersky Lab", far.CHECK)
    assert "observation field publisher (estate/ws-0417_programs.json:2)" in supplier.origin
    model = _field(kes, 0, "model_number")
    assert model.value == "product code {27534751-4A40-48BD-B393-BC3BF28C876E}"
    assert "ws-0417_programs" in _field(kes, 0, "item_description").value
    assert (
        "remove it with Windows Installer" in _field(kes, 0, "mitigation_readily_available").value
    )
    for name in ("contract_number", "efforts_to_prevent_use_or_submission"):
        section = 0 if name == "contract_number" else 1
        assert (_field(kes, section, name).value, _field(kes, section, name).fill) == ("", far.FILL)
    assert far_render.marker(_field(kes, 0, "order_numbers")) == "[IF APPLICABLE]"


def test_follow_up_lists_differ_as_the_clauses_do(data: ReportData) -> None:
    k23 = far.build(data, far.CLAUSES["far-52.204-23"]).items[0]
    k25 = far.build(data, far.CLAUSES["far-52.204-25"]).items[0]
    assert "reasons_for_use_or_submission" in {f.name for f in k23.sections[1].fields}
    assert "reasons_for_use_or_submission" not in {f.name for f in k25.sections[1].fields}
    assert "supplier_uei" not in {f.name for f in k23.sections[0].fields}


def test_deadlines_come_from_the_case(data: ReportData) -> None:
    report = far.build(data, far.CLAUSES["far-52.204-23"])
    kes = _item(report, "Kaspersky Endpoint Security")
    assert kes.case_id is not None
    initial, followup = (section.deadlines for section in kes.sections)
    assert [d.due.isoformat() for d in initial if d.due] == ["2024-09-19"]  # 3 business days
    assert initial[0].at_risk
    assert [d.due.isoformat() for d in followup if d.due] == ["2024-10-03"]
    text = far_render.markdown(report)
    assert "Due 2024-09-19, 1 day(s) left. AT RISK" in text


def test_a_finding_outside_any_case_shows_the_rule_instead(data: ReportData) -> None:
    report = far.build(data, far.CLAUSES["far-52.204-23"])
    gone = next(item for item in report.items if item.case_id is None)
    assert gone.sections[0].deadlines == ()
    assert any("1 business day" in r and "Jul 2018" in r for r in gone.sections[0].rule)
    assert "No longer seen since scan" in _field(gone, 0, "mitigation_readily_available").value


def test_section_889_scope_qualifier_is_shown_for_video_surveillance(data: ReportData) -> None:
    report = far.build(data, far.CLAUSES["far-52.204-25"])
    hikvision = _item(report, "Hikvision")
    assert any("public safety" in p for p in hikvision.purposes)
    assert "Covered only when used for: public safety" in far_render.markdown(report)


def test_where_to_report_names_dibnet_and_idiq(data: ReportData) -> None:
    text = far_render.render_md(data, "far-52.204-25")
    assert "https://dibnet.dod.mil" in text
    assert "IDIQ contracts: report both the contract and the order." in text


def test_json_variant_carries_markers_and_dates(data: ReportData) -> None:
    document = json.loads(far_render.render_json(data, "far-52.204-23"))
    assert document["schema"] == "rootout/far-report/1"
    fields = document["items"][0]["sections"][0]["fields"]
    assert {f["name"]: f["marker"] for f in fields}["contract_number"] == "[FILL IN]"
    assert document["items"][0]["sections"][0]["deadlines"][0]["due"] == "2024-09-19"


def test_nothing_under_the_clause_is_said_plainly(store: estate.Store) -> None:
    only_cameras = store.data(Scope(asset="44:47:cc"))
    text = far_render.render_md(only_cameras, "far-52.204-23")
    assert "No finding in this scope falls under FAR 52.204-23: there is nothing to report." in text
    assert "### Item" not in text
