"""One contract record into observations: asset, dates, amounts, parts, and what is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rootout.model.observation import AssetKind, ObservationKind, SourceRef
from rootout.procurement.records import (
    RecordError,
    award_key,
    build,
    fiscal_year,
    parse_amount,
    parse_date,
)

SOURCE = SourceRef("part_1.csv", 12, format="usaspending-transactions")


def record(**values: str) -> dict[str, str]:
    base = {
        "award_key": "CONT_AWD_X1_1540_-NONE-_-NONE-",
        "piid": "X1",
        "action_date": "2016-10-03",
        "supplier": "CONTOSO FEDERAL SOLUTIONS LLC",
        "uei": "ABCDEF123456",
        "agency": "Department of Justice",
        "amount": "1500.00",
        "description": "KASPERSKY ENDPOINT SECURITY RENEWAL",
    }
    return {**base, **values}


def test_a_purchase_row_is_one_observation_of_the_award() -> None:
    (observation,) = build(record(), SOURCE, row=7, kind="transaction").observations
    assert observation.kind is ObservationKind.CONTRACT_AWARD
    assert observation.asset.kind is AssetKind.CONTRACT
    assert observation.asset.name == "CONT_AWD_X1_1540_-NONE-_-NONE-"
    assert ("piid", "X1") in observation.asset.identifiers
    assert observation.observed_at == dt.datetime(2016, 10, 3, tzinfo=dt.UTC)
    assert observation.fields["fiscal_year"] == "2017"  # October starts the next fiscal year
    assert observation.fields["supplier"] == observation.fields["recipient"]
    assert observation.fields["item_description"] == "KASPERSKY ENDPOINT SECURITY RENEWAL"
    assert observation.extra["purpose"] == "purchase"
    assert (observation.source.line, observation.source.pointer) == (12, "row 7")


def test_removal_work_is_its_own_observation_without_the_recipient() -> None:
    built = build(
        record(description="REMOVE KASPERSKY AND INSTALL DEFENDER"),
        SOURCE,
        row=1,
        kind="transaction",
    )
    main, removal = built.observations
    assert main.fields["item_description"] == "AND INSTALL DEFENDER"
    assert main.fields["supplier"] == "CONTOSO FEDERAL SOLUTIONS LLC"
    assert removal.fields["item_description"] == "KASPERSKY"
    assert "supplier" not in removal.fields
    assert "uei" not in removal.fields
    assert removal.extra["purpose"] == "removal"
    assert removal.extra["purpose_cue"] == "remove"
    assert removal.source.pointer == "row 1 removal"
    assert removal.fields["description"] == "REMOVE KASPERSKY AND INSTALL DEFENDER"


def test_a_modification_is_searched_by_its_award_description_too() -> None:
    built = build(
        record(description="EXERCISE OPTION YEAR 1", base_description="KASPERSKY ANTI-VIRUS"),
        SOURCE,
        row=3,
        kind="transaction",
    )
    texts = [(o.extra["part"], o.fields.get("item_description")) for o in built.observations]
    assert texts == [("transaction", "EXERCISE OPTION YEAR 1"), ("base", "KASPERSKY ANTI-VIRUS")]
    same = build(
        record(base_description="kaspersky endpoint security renewal"),
        SOURCE,
        row=3,
        kind="transaction",
    )
    assert len(same.observations) == 1


def test_an_award_key_is_built_from_the_piid_when_missing() -> None:
    (observation,) = build(
        record(award_key="", sub_agency_code="7529"), SOURCE, row=1, kind="api"
    ).observations
    assert observation.asset.name == award_key("X1", "7529") == "CONT_AWD_X1_7529_-NONE-_-NONE-"
    with pytest.raises(RecordError, match="no award key"):
        build(record(award_key="", piid=""), SOURCE, row=1, kind="api")


def test_a_bad_date_refuses_the_row_and_a_bad_amount_keeps_it() -> None:
    with pytest.raises(RecordError, match="not a date"):
        build(record(action_date="2015-13-45"), SOURCE, row=1, kind="transaction")
    built = build(record(amount="12,5OO.00"), SOURCE, row=1, kind="transaction")
    assert built.observations
    assert built.warnings == ("amount '12,5OO.00' is not a number",)
    undated = build(record(action_date=""), SOURCE, row=1, kind="api")
    assert undated.observations[0].observed_at is None
    assert undated.warnings == ("no action date: judged at the scan date",)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1234.5", Decimal("1234.5")),
        ("-3100.00", Decimal("-3100.00")),
        ("$1,250.00", Decimal("1250.00")),
        ("(12.00)", Decimal("-12.00")),
        ("", None),
        ("12,5OO.00", None),
        ("1e5", None),
    ],
)
def test_amounts(text: str, amount: Decimal | None) -> None:
    assert parse_amount(text) == amount


def test_dates_and_fiscal_years() -> None:
    assert parse_date("2021-04-23 00:00:00") == dt.date(2021, 4, 23)  # FPDS
    assert parse_date("09/30/2014") == dt.date(2014, 9, 30)
    assert (fiscal_year(dt.date(2014, 9, 30)), fiscal_year(dt.date(2014, 10, 1))) == (2014, 2015)
    with pytest.raises(ValueError, match="not a date"):
        parse_date("yesterday")
