"""FPDS-NG ATOM feed reader: element paths, award keys, hostile XML refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings

from rootout.errors import InputError
from rootout.ingest.base import detect
from rootout.ingest.formats.fpds import FpdsAtomReader
from rootout.model.observation import AssetKind
from tests.ingest._endpoint_fuzz import FUZZ_EXAMPLES, inputs, survives

FEED = Path(__file__).resolve().parents[1] / "fixtures" / "inputs" / "fpds" / "feed.xml"


def test_entries_become_contract_actions() -> None:
    assert detect(FEED, FEED.read_bytes()[:65536]) is FpdsAtomReader
    first, second, third = FpdsAtomReader().read(FEED, FEED.open("rb"))
    assert first.fields["supplier"] == "CONTOSO FEDERAL SOLUTIONS LLC"
    assert (first.fields["duns"], first.fields["cage"]) == ("987654321", "9ZZ01")
    assert (
        first.fields["item_description"]
        == "KASPERSKY SECURITY FOR MAIL SERVER AND ENDPOINT RENEWAL"
    )
    assert (first.fields["agency"], first.fields["sub_agency"], first.fields["office"]) == (
        "JUSTICE, DEPARTMENT OF",
        "FEDERAL BUREAU OF INVESTIGATION",
        "FBIHQ CONTRACTING OFFICE",
    )
    assert (first.fields["amount"], first.fields["action_date"], first.fields["fiscal_year"]) == (
        "71500.00",
        "2016-06-28",
        "2016",
    )
    assert (first.fields["psc"], first.fields["naics"]) == ("7030", "423430")
    assert first.source.pointer == "/feed/entry[1]/award"
    assert second.asset.kind is AssetKind.CONTRACT
    assert second.asset.name == "CONT_AWD_TEST19F00022_8000_GS07F0000T_4732"
    assert second.fields["parent_piid"] == "GS07F0000T"
    assert third.fields["dba_name"] == "COHO CLEANING"


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:ns1="https://www.fpds.gov/FPDS">&b;</feed>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BOMB, "refused"),
        (FEED.read_bytes()[:900], "not well-formed XML"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "no FPDS award"),
    ],
)
def test_hostile_or_broken_feeds_raise_input_errors(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        list(FpdsAtomReader().read(Path("feed.xml"), io.BytesIO(data)))


def test_an_entry_without_a_piid_is_reported_and_skipped() -> None:
    data = FEED.read_bytes().replace(b"<ns1:PIID>TEST18P00023</ns1:PIID>", b"", 1)
    reader = FpdsAtomReader()
    reported: list[str] = []
    reader.on_bad_record = lambda error, skipped: reported.append(str(error))
    observations = list(reader.read(Path("feed.xml"), io.BytesIO(data)))
    assert len(observations) == 2
    assert reported == ["feed.xml: /feed/entry[3]/award: no award key and no PIID"]


@settings(max_examples=200, deadline=None)
@given(inputs([FEED.read_bytes()]))
def test_fuzz(data: bytes) -> None:
    survives(FpdsAtomReader, Path("feed.xml"), data)


@pytest.mark.slow
@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(inputs([FEED.read_bytes()]))
def test_fuzz_scaled(data: bytes) -> None:
    survives(FpdsAtomReader, Path("feed.xml"), data)
