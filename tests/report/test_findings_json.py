from __future__ import annotations

import csv
import io

import pytest

from rootout.report.csvsafe import safe_cell, write_csv
from rootout.report.findings_json import FINDING_FIELDS
from tests.conftest import REPO


def test_every_json_key_is_documented() -> None:
    text = (REPO / "docs" / "findings.md").read_text()
    missing = [key for key in FINDING_FIELDS if f"`{key}`" not in text]
    assert missing == []


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_formula_triggers_are_neutralised(value: str) -> None:
    assert safe_cell(value) == "'" + value


def test_csv_round_trips_plain_values_and_quotes_hostile_ones() -> None:
    text = write_csv(["name", "note"], [['Kaspersky, "Endpoint"', "=cmd|' /C calc'!A0"]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["name", "note"], ['Kaspersky, "Endpoint"', "'=cmd|' /C calc'!A0"]]
