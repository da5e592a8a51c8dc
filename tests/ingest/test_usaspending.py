"""USAspending readers: real headers, older headers, TSV, API pages; bad rows reported, not fatal."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings

from rootout.errors import InputError
from rootout.ingest.base import detect
from rootout.ingest.formats.usaspending import (
    UsaspendingApiReader,
    UsaspendingAwardsReader,
    UsaspendingTransactionsReader,
)
from rootout.ingest.scan import read_inputs
from rootout.procurement.columns import RECORD_COLUMNS, column_plan
from tests.ingest._endpoint_fuzz import FUZZ_EXAMPLES, inputs, survives

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data" / "usaspending"
FIXTURES = REPO / "tests" / "fixtures" / "inputs" / "usaspending"
AWARDS_HEADER = (
    (SHARED / "contracts_prime_award_summaries.header.csv").read_text().strip().split(",")
)
TRANSACTIONS_HEADER = (
    (SHARED / "contracts_prime_transactions.header.csv").read_text().strip().split(",")
)


def write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


ROW = {
    "contract_transaction_unique_key": "1549_-NONE-_Q1_0_-NONE-_0",
    "contract_award_unique_key": "CONT_AWD_Q1_1549_-NONE-_-NONE-",
    "award_id_piid": "Q1",
    "recipient_name": "KASPERSKY LAB, INC.",
    "recipient_uei": "ABCDEF123456",
    "cage_code": "1AB23",
    "recipient_parent_name": "KASPERSKY LAB, INC.",
    "recipient_doing_business_as_name": "KASPERSKY",
    "awarding_agency_name": "Department of Justice",
    "awarding_sub_agency_name": "Federal Bureau of Investigation",
    "awarding_office_name": "FBIHQ CONTRACTING OFFICE",
    "action_date": "2016-06-28",
    "award_base_action_date": "2016-06-28",
    "federal_action_obligation": "71500.00",
    "total_obligated_amount": "71500.00",
    "transaction_description": "KASPERSKY ENDPOINT SECURITY RENEWAL",
    "prime_award_base_transaction_description": "KASPERSKY ENDPOINT SECURITY RENEWAL",
    "product_or_service_code": "7030",
    "naics_code": "511210",
}


@pytest.mark.parametrize(
    ("header", "reader", "amount_column"),
    [
        (TRANSACTIONS_HEADER, UsaspendingTransactionsReader, "federal_action_obligation"),
        (AWARDS_HEADER, UsaspendingAwardsReader, "total_obligated_amount"),
    ],
)
def test_real_headers_are_detected_and_read(
    tmp_path: Path, header: list[str], reader: type, amount_column: str
) -> None:
    path = write(tmp_path / "x.csv", header, [ROW])
    assert detect(path, path.read_bytes()[:65536]) is reader
    (observation,) = reader().read(path, path.open("rb"))
    fields = observation.fields
    assert (fields["supplier"], fields["uei"], fields["cage"], fields["dba_name"]) == (
        "KASPERSKY LAB, INC.",
        "ABCDEF123456",
        "1AB23",
        "KASPERSKY",
    )
    assert (fields["agency"], fields["sub_agency"], fields["office"]) == (
        "Department of Justice",
        "Federal Bureau of Investigation",
        "FBIHQ CONTRACTING OFFICE",
    )
    assert fields["amount"] == ROW[amount_column]
    assert (fields["psc"], fields["naics"], fields["piid"]) == ("7030", "511210", "Q1")
    assert observation.source == (str(path), 2, "row 1", reader.name)
    plan = column_plan(header)
    assert set(RECORD_COLUMNS) - set(plan) <= {
        "transaction_key",
        "modification",
        "base_description",
    }


def test_older_header_names_are_read_through_the_aliases() -> None:
    path = FIXTURES / "awards_2018_headers.csv"
    observations = list(UsaspendingAwardsReader().read(path, path.open("rb")))
    first = observations[0].fields
    assert (first["amount"], first["item_description"]) == (
        "41200.00",
        "KASPERSKY ENDPOINT SECURITY LICENSE RENEWAL",
    )
    assert observations[1].fields["parent_piid"] == "GS35F0000X"
    assert [o.extra["purpose"] for o in observations[2:]] == ["purchase", "removal"]


def test_tsv_with_a_bom_and_a_newline_inside_a_field() -> None:
    path = FIXTURES / "transactions_with_bom.tsv"
    assert detect(path, path.read_bytes()[:65536]) is UsaspendingTransactionsReader
    observations = list(UsaspendingTransactionsReader().read(path, path.open("rb")))
    assert [(o.source.line, o.source.pointer) for o in observations] == [
        (2, "row 1"),
        (5, "row 2"),
        (5, "row 2 base"),
        (7, "row 3"),
    ]
    assert observations[0].fields["item_description"].endswith("\nFOR 400 WORKSTATIONS")


def _messy(tmp_path: Path) -> Path:
    path = write(tmp_path / "messy.csv", TRANSACTIONS_HEADER, [ROW])
    good = path.read_text().splitlines()[1]
    cells = next(csv.reader([good]))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells[:-3])
    short = buffer.getvalue()
    bad_date = good.replace("2016-06-28", "2016-02-30")
    bad_amount = good.replace("71500.00", "71.5OO")
    with path.open("ab") as handle:
        handle.write(f"{short}\n{bad_date}\n{bad_amount}\n".encode())
        handle.write(
            good.replace("KASPERSKY LAB, INC.", "KASPERSKY LAB\xe9").encode("latin-1") + b"\n"
        )
        unread = TRANSACTIONS_HEADER.index("recipient_phone_number")
        cells[unread] = "555\u2013"
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(cells)
        handle.write(buffer.getvalue().encode("utf-8").replace("\u2013".encode(), b"\x96"))
        handle.write(f"{good}\n".encode())
    return path


def test_bad_rows_are_reported_with_their_lines_and_the_rest_is_read(tmp_path: Path) -> None:
    path = _messy(tmp_path)
    result = read_inputs([path])
    (record,) = result.inputs
    assert record.status.value == "read"
    assert record.bad_records == 4
    assert "4 bad record(s), 3 skipped, 1 read in part" in record.error
    for line, what in (
        (3, "row has 294 fields"),
        (4, "not a date"),
        (5, "not a number"),
        (6, "not text"),
    ):
        assert f"{path}:{line}: " in record.error
        assert what in record.error
    pointers = [o.source.pointer for o in result.observations]
    assert pointers == [
        "row 1",
        "row 3",
        "row 4",
        "row 5",
    ]  # a bad byte in a column not read is fine
    assert not result.coverage.complete
    assert result.coverage.bad_records == 4
    assert result.problems == result.inputs


def test_without_a_listener_a_skipped_row_raises(tmp_path: Path) -> None:
    path = _messy(tmp_path)
    with pytest.raises(InputError, match=r"messy.csv:3: row has 294 fields"):
        list(UsaspendingTransactionsReader().read(path, path.open("rb")))


def test_api_pages() -> None:
    one = FIXTURES / "spending_by_award.json"
    assert detect(one, one.read_bytes()) is UsaspendingApiReader
    observations = list(UsaspendingApiReader().read(one, one.open("rb")))
    assert [o.source.pointer for o in observations] == ["/results/0", "/results/1", "/results/2"]
    first = observations[0].fields
    assert (first["supplier"], first["naics"], first["psc_description"], first["amount"]) == (
        "CONTOSO FEDERAL SOLUTIONS LLC",
        "423430",
        "ADP SOFTWARE",
        "64000.0",
    )
    assert observations[0].asset.name == "CONT_AWD_TEST15P00011_1549_-NONE-_-NONE-"
    pages = FIXTURES / "spending_by_award_pages.json"
    pointers = [o.source.pointer for o in UsaspendingApiReader().read(pages, pages.open("rb"))]
    assert pointers[-2:] == ["/1/results/0", "/1/results/0 removal"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"results": [1, 2', "not JSON"),
        (b'{"page_metadata": {}}', "no 'results' array"),
        (b'\xff{"results": []}', "not UTF-8"),
    ],
)
def test_api_errors_name_the_file(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        list(UsaspendingApiReader().read(Path("api.json"), io.BytesIO(data)))


SEEDS = [p.read_bytes() for p in sorted(FIXTURES.iterdir())]


@settings(max_examples=200, deadline=None)
@given(inputs(SEEDS))
def test_fuzz(data: bytes) -> None:
    for reader in (UsaspendingTransactionsReader, UsaspendingAwardsReader, UsaspendingApiReader):
        survives(reader, Path("fuzz.csv"), data)


@pytest.mark.slow
@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(inputs(SEEDS))
def test_fuzz_scaled(data: bytes) -> None:
    for reader in (UsaspendingTransactionsReader, UsaspendingAwardsReader, UsaspendingApiReader):
        survives(reader, Path("fuzz.csv"), data)
