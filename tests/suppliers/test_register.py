"""Reading the register CSV files: kinds, identifiers, bad rows with line and reason."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rootout.errors import InputError
from rootout.suppliers.model import Clause, DeliveryKind, Representation, Supplier
from rootout.suppliers.register import (
    ReadResult,
    RegisterKind,
    RowError,
    check_uei,
    country_alpha2,
    derive_id,
    parse_map,
    read_register_file,
)

REGISTER = Path(__file__).parent / "fixtures" / "register"


def read(text: str, **kwargs: Any) -> ReadResult:
    return read_register_file(io.BytesIO(text.encode()), "in.csv", **kwargs)


def test_every_fixture_file_is_read_whole_with_its_kind_from_the_header() -> None:
    expected = {
        "suppliers.csv": (RegisterKind.SUPPLIERS, 9),
        "representations.csv": (RegisterKind.REPRESENTATIONS, 7),
        "access.csv": (RegisterKind.ACCESS, 7),
        "deliveries.csv": (RegisterKind.DELIVERIES, 2),
    }
    for name, (kind, count) in expected.items():
        with (REGISTER / name).open("rb") as stream:
            result = read_register_file(stream, name)
        assert (result.kind, len(result.records), result.problems) == (kind, count, ()), name


def test_supplier_rows_are_normalised() -> None:
    with (REGISTER / "suppliers.csv").open("rb") as stream:
        suppliers = read_register_file(stream, "suppliers.csv").records
    contoso = next(s for s in suppliers if isinstance(s, Supplier) and s.id == "SUP-002")
    assert isinstance(contoso, Supplier)
    assert contoso.country == "US"  # given as alpha-3 "USA"
    assert contoso.parent_name == "Huawei Technologies Co., Ltd."
    assert contoso.line == 3
    northwind = suppliers[0]
    assert isinstance(northwind, Supplier)
    assert northwind.provides == ("managed email filtering", "mail security gateway appliances")


def test_bad_rows_are_reported_with_line_and_reason_and_the_rest_is_read() -> None:
    text = (
        "supplier_id,name,uei,cage,duns,country,parent_name,parent_uei,provides\n"
        "S1,Good One Inc,G4RT7KQ2MN5A,1AB23,123456789,us,,,\n"
        "S2,,G4RT7KQ2MN5B,,,US,,,\n"
        "S3,Zero Start,0ABCD2345678,,,US,,,\n"
        "S4,Has Letter O,ABCDO2345678,,,US,,,\n"
        "S5,Short Cage,G4RT7KQ2MN5C,12-4,,US,,,\n"
        "S6,Short Duns,,,12345,US,,,\n"
        "S7,Nowhere Ltd,,,,ZZ,,,\n"
        "S8,Good Two Ltd,,,,GBR,,,\n"
    )
    result = read(text)
    assert [r.id for r in result.records] == ["S1", "S8"]
    reasons = {p.line: p.reason for p in result.problems}
    assert set(reasons) == {3, 4, 5, 6, 7, 8}
    assert reasons[3] == "missing name"
    assert reasons[4].startswith("malformed UEI '0ABCD2345678'")
    assert reasons[5].startswith("malformed UEI 'ABCDO2345678'")
    assert reasons[6].startswith("malformed CAGE code '12-4'")
    assert reasons[7].startswith("malformed DUNS '12345'")
    assert reasons[8].startswith("unknown country code 'ZZ'")
    assert str(result.problems[0]) == "in.csv:3: missing name"


def test_a_missing_supplier_id_is_derived_stably_from_uei_or_name() -> None:
    text = (
        "supplier_id,name,uei,cage,duns,country,parent_name,parent_uei,provides\n"
        ",Acme Widgets LLC,g4rt7kq2mn5a,,,,,,\n"
        ',"Acme Widgets, Inc.",,,,,,,\n'
    )
    first, second = read(text).records
    assert first.id == "uei-G4RT7KQ2MN5A"
    assert first.uei == "G4RT7KQ2MN5A"
    assert second.id == derive_id("Acme Widgets, Inc.", None) == "name-acme-widgets"


def test_a_sam_entity_extract_is_read_through_a_column_map() -> None:
    text = (
        "Unique Entity ID,CAGE Code,Legal Business Name,Physical Address Country Code\n"
        "G4RT7KQ2MN5A,1AB23,Example Federal Services LLC,USA\n"
    )
    mapping = parse_map(
        [
            "Unique Entity ID=uei",
            "CAGE Code=cage",
            "Legal Business Name=name",
            "Physical Address Country Code=country",
        ]
    )
    result = read(text, column_map=mapping)
    (supplier,) = result.records
    assert result.kind is RegisterKind.SUPPLIERS
    assert (supplier.id, supplier.cage, supplier.country) == ("uei-G4RT7KQ2MN5A", "1AB23", "US")


def test_an_unknown_header_is_refused_with_a_hint() -> None:
    with pytest.raises(InputError, match="--kind"):
        read("a,b,c\n1,2,3\n")
    with pytest.raises(InputError, match="lacks columns"):
        read("name,uei\nx,y\n", kind=RegisterKind.ACCESS)


def test_representation_answers_follow_the_clause() -> None:
    header = "supplier_id,clause,provides,uses,disclosure,signed_on,signer,expires_on\n"
    text = header + (
        "S1,52.204-24,will not,does not,,2026-01-02,Ann Lee,\n"
        "S2,52.204-24,does not,does not,,2026-01-02,Ann Lee,\n"
        "S3,52.204-26,does not,does,,2026-01-02,Ann Lee,\n"
        "S4,52.204-26,does not,does,Camera system at depot,2026-01-02,Ann Lee,2027-01-02\n"
        "S5,52.204-99,does not,does not,,2026-01-02,Ann Lee,\n"
        "S6,52.204-26,does not,does not,,02/01/2026,Ann Lee,\n"
    )
    result = read(text)
    good = result.records
    assert [r.supplier_id for r in good] == ["S1", "S4"]
    s4 = good[1]
    assert isinstance(s4, Representation)
    assert (s4.clause, s4.provides, s4.uses) == (Clause.FAR_52_204_26, False, True)
    assert s4.expires_on == dt.date(2027, 1, 2)
    reasons = {p.line: p.reason for p in result.problems}
    assert "expected one of will, will not" in reasons[3]
    assert reasons[4] == "a 'does' answer needs its disclosure text"
    assert "expected 52.204-23, 52.204-24 or 52.204-26" in reasons[6]
    assert "not an ISO date" in reasons[7]


def test_a_52_204_23_row_is_an_attestation_about_kaspersky() -> None:
    header = "supplier_id,clause,provides,uses,disclosure,signed_on,signer,expires_on\n"
    text = header + (
        "S1,FAR 52.204-23,does not,does not,,2026-01-02,Ann Lee,\n"
        "S2,52.204-23,will not,does not,,2026-01-02,Ann Lee,\n"
        "S3,52.204-23,does not,does,,2026-01-02,Ann Lee,\n"
        "S4,52.204-23,does not,does,Reported under 52.204-23(c) on 2026-01-05,2026-01-02,"
        "Ann Lee,\n"
    )
    result = read(text)
    s1, s4 = result.records
    assert isinstance(s1, Representation)
    assert isinstance(s4, Representation)
    assert (s1.clause, s1.provides, s1.uses, s1.expires_on) == (
        Clause.FAR_52_204_23,
        False,
        False,
        None,  # no annual expiry unless given
    )
    assert s1.clause.is_attestation
    assert s4.uses is True
    reasons = {p.line: p.reason for p in result.problems}
    assert "expected one of does, does not" in reasons[3]
    assert reasons[4] == "a 'does' answer needs the 52.204-23(c) report"


def test_delivery_paths_must_stay_under_the_csv_folder() -> None:
    text = (
        "supplier_id,path,kind,delivered_on\n"
        "S1,sboms/a.cdx.json,sbom,2026-01-01\n"
        "S1,../etc/passwd,inventory,\n"
        "S1,/etc/passwd,inventory,\n"
        "S1,x.json,spreadsheet,\n"
    )
    result = read(text)
    (good,) = result.records
    assert (good.path, good.kind) == ("sboms/a.cdx.json", DeliveryKind.SBOM)
    assert [p.line for p in result.problems] == [3, 4, 5]


def test_access_end_before_start_is_a_bad_row() -> None:
    text = "supplier_id,system,tenant,start,end\nS1,crm,,2026-05-01,2026-04-01\n"
    (problem,) = read(text).problems
    assert problem.reason == "end 2026-04-01 is before start 2026-05-01"


UEI_FIRST = "123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
UEI_REST = "0" + UEI_FIRST


@given(st.text(UEI_FIRST, min_size=1, max_size=1), st.text(UEI_REST, min_size=11, max_size=11))
def test_every_uei_of_the_gsa_shape_is_accepted_case_insensitively(first: str, rest: str) -> None:
    uei = first + rest
    assert check_uei(uei.lower()) == uei


@given(st.text(min_size=0, max_size=14))
def test_a_uei_is_accepted_only_in_the_gsa_shape(value: str) -> None:
    candidate = value.strip().upper()
    shaped = (
        len(candidate) == 12
        and candidate[0] in UEI_FIRST
        and all(ch in UEI_REST for ch in candidate[1:])
    )
    try:
        check_uei(value)
    except RowError:
        assert not shaped
    else:
        assert shaped


def test_country_codes_are_iso_3166_alpha_2_or_alpha_3() -> None:
    assert [country_alpha2(c) for c in ("cn", "CHN", "gb", "DEU")] == ["CN", "CN", "GB", "DE"]
    for bad in ("UK", "XXX", "China", "C"):
        with pytest.raises(RowError):
            country_alpha2(bad)


def test_a_second_row_with_the_same_key_is_reported_not_merged() -> None:
    text = (
        "supplier_id,name,uei,cage,duns,country,parent_name,parent_uei,provides\n"
        "S1,First Name Inc,,,,,,,\n"
        "S1,Second Name Inc,,,,,,,\n"
    )
    result = read(text)
    assert [r.name for r in result.records] == ["First Name Inc"]
    assert [(p.line, p.reason) for p in result.problems] == [(3, "the same key as line 2: S1")]
