"""BOD 17-01: identification, plan and status, labelled historical, each field's basis shown."""

from __future__ import annotations

from rootout.report import bod
from rootout.report.data import ReportData
from tests.report import estate


def test_labelled_historical_with_the_issue_date(data: ReportData) -> None:
    text = bod.render(data)
    assert "**Historical template.** BOD 17-01 was issued 2017-09-13" in text


def test_endpoint_counts_per_product_and_what_is_left(data: ReportData) -> None:
    lines = bod.render(data).splitlines()
    agent = next(
        line for line in lines if line.startswith("| Kaspersky Security Center Network Agent")
    )
    # seen on two hosts; removed from uninstall-ws0422 in the rescan
    assert agent.split(" | ")[2:4] == ["2", "1"]


def test_fields_carry_their_basis_press_or_unconfirmed(data: ReportData) -> None:
    text = bod.render(data)
    assert (
        "| Effect on patch management | press summary of the directive text (FCW) | **[FILL IN]** |"
        in text
    )
    assert "| Estimated costs | UNCONFIRMED | **[FILL IN]** |" in text


def test_embedded_code_is_listed_apart(data: ReportData) -> None:
    text = bod.render(data)
    embedded = text.split("## Embedded Kaspersky technology (outside BOD 17-01)")[1]
    assert "Example Mail Security Gateway@7.2.0" in embedded
    products = text.split("### Products found")[1].split("###")[0]
    assert "| embedded" not in products


def test_methods_name_formats_and_unread_inputs(data: ReportData) -> None:
    text = bod.render(data)
    assert "| powershell-csv | 2 | 6 |" in text
    assert "estate/README.txt: format not recognised; nothing read" in text


def test_nothing_found_is_said(empty: estate.Store) -> None:
    text = bod.render(empty.data())
    assert "Nothing was inspected: no scans are stored." in text
