"""Deadlines derived from the built-in catalog's obligations and a case policy."""

from __future__ import annotations

import datetime as dt

import pytest

from rootout.cases.deadlines import deadline_views, rules_for_case
from rootout.cases.model import CaseStatus, DeadlineView
from rootout.cases.policy import OrgObligation, Policy
from rootout.catalog import Catalog, load_catalog
from rootout.catalog.model import DayUnit

D = dt.date.fromisoformat
KASPERSKY = "kaspersky.ao-kaspersky-lab"
HUAWEI = "huawei.huawei-technologies"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def refs(catalog: Catalog, entity: str, status: str = "in_force") -> list[dict[str, str]]:
    """The legal refs a finding of ``entity`` carries: one per designation of the entity."""
    return [
        {
            "legal_basis": d.legal_basis,
            "short": catalog.legal_bases[d.legal_basis].short,
            "designation": d.id,
            "status": status,
        }
        for d in catalog.designations.values()
        if d.entity == entity
    ]


def deadlines(
    catalog: Catalog,
    entity: str,
    identified: str,
    *,
    policy: Policy | None = None,
    today: str | None = None,
    status: CaseStatus = CaseStatus.OPEN,
    done: dict[str, list[dt.date]] | None = None,
    legal_status: str = "in_force",
) -> dict[str, DeadlineView]:
    policy = policy or Policy()
    rules = rules_for_case(
        catalog, refs(catalog, entity, legal_status), entity, D(identified), policy
    )
    views = deadline_views(
        rules,
        done=done or {},
        status=status,
        today=D(today or identified),
        identified_on=D(identified),
        policy=policy,
    )
    return {v.obligation_id: v for v in views}


def test_far_52_204_23_clause_version_follows_the_identification_date(catalog: Catalog) -> None:
    before = deadlines(catalog, KASPERSKY, "2023-12-01")  # Friday, Jul 2018 clause: 1 day
    initial = before["obl.far-52.204-23.initial-report-2018"]
    assert initial.due == D("2023-12-04")
    assert initial.report_id == "far_52_204_23_initial"
    assert "obl.far-52.204-23.initial-report-2023" not in before
    assert before["obl.far-52.204-23.followup-report-2018"].due == D("2023-12-18")

    after = deadlines(catalog, KASPERSKY, "2023-12-04")  # Monday, Dec 2023 clause: 3 days
    assert after["obl.far-52.204-23.initial-report-2023"].due == D("2023-12-07")
    assert after["obl.far-52.204-23.followup-report-2023"].due == D("2023-12-21")
    assert "obl.far-52.204-23.initial-report-2018" not in after


def test_the_contract_clause_date_overrides_the_identification_date(catalog: Catalog) -> None:
    old_contract = Policy(clause_dates=(("law.far-52.204-23", D("2019-05-01")),))
    found = deadlines(catalog, KASPERSKY, "2025-03-03", policy=old_contract)
    assert found["obl.far-52.204-23.initial-report-2018"].due == D("2025-03-04")
    assert "obl.far-52.204-23.initial-report-2023" not in found


def test_far_52_204_25_one_and_ten_business_days(catalog: Catalog) -> None:
    found = deadlines(catalog, HUAWEI, "2020-07-02")  # Friday 07-03 observes July 4
    assert found["obl.far-52.204-25.initial-report"].due == D("2020-07-06")
    assert found["obl.far-52.204-25.followup-report"].due == D("2020-07-20")
    assert found["obl.far-52.204-25.followup-report"].legal_basis_short == "FAR 52.204-25"


def test_follow_up_counts_from_the_recorded_submission(catalog: Catalog) -> None:
    submitted = {"obl.far-52.204-25.initial-report": [D("2025-03-03")]}
    found = deadlines(catalog, HUAWEI, "2025-03-03", done=submitted)
    initial = found["obl.far-52.204-25.initial-report"]
    assert (initial.done_on, initial.met, initial.at_risk) == (D("2025-03-03"), True, False)
    assert found["obl.far-52.204-25.followup-report"].due == D("2025-03-17")


def test_bod_17_01_counts_calendar_days_from_issuance(catalog: Catalog) -> None:
    found = deadlines(catalog, KASPERSKY, "2017-09-20")
    assert [found[f"obl.bod-17-01.{k}"].due for k in ("identify", "plan", "begin-removal")] == [
        D("2017-10-13"),
        D("2017-11-12"),
        D("2017-12-12"),
    ]
    assert found["obl.bod-17-01.status"].due == D("2018-01-11")  # day 90 + 30


def test_status_reports_repeat_every_30_days_after_the_last_one(catalog: Catalog) -> None:
    done = {"obl.bod-17-01.status": [D("2018-01-11"), D("2018-02-10")]}
    found = deadlines(catalog, KASPERSKY, "2017-09-20", done=done, today="2018-03-01")
    status = found["obl.bod-17-01.status"]
    assert (status.due, status.days_left, status.met) == (D("2018-03-12"), 11, False)


def test_deadlines_past_before_identification_are_never_at_risk(catalog: Catalog) -> None:
    found = deadlines(catalog, KASPERSKY, "2025-03-03", today="2025-03-05")
    identify = found["obl.bod-17-01.identify"]
    assert identify.passed_before_identification
    assert identify.days_left < 0
    assert not identify.at_risk
    initial = found["obl.far-52.204-23.initial-report-2023"]
    assert (initial.due, initial.days_left, initial.at_risk) == (D("2025-03-06"), 1, True)


def test_a_basis_can_be_anchored_at_identification(catalog: Catalog) -> None:
    policy = Policy(anchor_at_identification=frozenset({"law.bod-17-01"}))
    found = deadlines(catalog, KASPERSKY, "2025-03-03", policy=policy)
    assert found["obl.bod-17-01.identify"].due == D("2025-04-02")
    assert found["obl.bod-17-01.begin-removal"].due == D("2025-06-01")


def test_fcc_removal_window_counts_from_the_listing_date(catalog: Catalog) -> None:
    found = deadlines(catalog, KASPERSKY, "2022-04-01")
    window = found["obl.fcc-covered-list.remove-within-60-days"]
    assert window.due == D("2022-05-24")  # AO Kaspersky Lab listed 2022-03-25
    huawei = deadlines(catalog, HUAWEI, "2021-04-01")
    assert huawei["obl.fcc-covered-list.remove-within-60-days"].due == D("2021-05-11")


def test_policy_narrows_rules_and_adds_its_own(catalog: Catalog) -> None:
    policy = Policy(
        legal_bases=frozenset({"law.far-52.204-23"}),
        exclude_obligations=frozenset({"obl.far-52.204-23.followup-report-2023"}),
        obligations=(
            OrgObligation(
                "internal.remove",
                "Remove within 15 business days",
                15,
                DayUnit.BUSINESS,
                "identification",
                None,
                frozenset({KASPERSKY}),
            ),
            OrgObligation(
                "internal.cameras",
                "Only for cameras",
                5,
                DayUnit.BUSINESS,
                "identification",
                None,
                frozenset({"hikvision.hangzhou-hikvision"}),
            ),
        ),
    )
    found = deadlines(catalog, KASPERSKY, "2025-03-03", policy=policy)
    assert sorted(found) == ["internal.remove", "obl.far-52.204-23.initial-report-2023"]
    internal = found["internal.remove"]
    assert (internal.due, internal.legal_basis_short, internal.report_id) == (
        D("2025-03-24"),
        "Organisation policy",
        None,
    )


def test_removal_meets_removal_work_but_not_reports(catalog: Catalog) -> None:
    found = deadlines(catalog, KASPERSKY, "2025-03-03", status=CaseStatus.REMOVED)
    assert found["obl.fcc-covered-list.remove-within-60-days"].met
    assert found["obl.bod-17-01.status"].met
    report = found["obl.far-52.204-23.initial-report-2023"]
    assert not report.met
    assert report.at_risk is False  # 3 days left > 2
    late = deadlines(
        catalog, KASPERSKY, "2025-03-03", status=CaseStatus.REMOVED, today="2025-03-10"
    )
    assert late["obl.far-52.204-23.initial-report-2023"].at_risk  # overdue report


def test_false_positives_have_no_deadlines_and_historical_refs_none(catalog: Catalog) -> None:
    assert deadlines(catalog, KASPERSKY, "2025-03-03", status=CaseStatus.FALSE_POSITIVE) == {}
    assert deadlines(catalog, KASPERSKY, "2025-03-03", legal_status="historical") == {}


def test_waived_cases_keep_report_deadlines_at_risk(catalog: Catalog) -> None:
    found = deadlines(
        catalog,
        KASPERSKY,
        "2025-03-03",
        status=CaseStatus.WAIVED,
        today="2025-06-01",
        policy=Policy(anchor_at_identification=frozenset({"law.fcc-covered-list"})),
    )
    assert found["obl.far-52.204-23.initial-report-2023"].at_risk
    removal = found["obl.fcc-covered-list.remove-within-60-days"]
    assert removal.days_left < 0  # overdue, but the waiver accepts the item staying
    assert (removal.met, removal.at_risk) == (False, False)
