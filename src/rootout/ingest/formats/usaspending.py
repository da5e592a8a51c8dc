"""USAspending contract data: Prime Award Summaries and Prime Transactions downloads, API results.

* ``usaspending-transactions`` and ``usaspending-awards``: the CSV (or TSV, or
  pipe-separated text) files inside a Custom Award Download or an Award Data
  Archive ZIP, current or older headers (formats.md §9.3). Large files are split
  into numbered parts (``..._1.csv``, ``..._2.csv``); the scanner opens the ZIP
  and reads each part.
* ``usaspending-api``: the JSON response of ``POST /api/v2/search/spending_by_award/``
  (one page, or an array of pages), whose results use display names as keys.

Each row becomes ``contract_award`` observations of the award
(:func:`rootout.procurement.records.build`). A bad row (wrong number of fields,
bytes that are not text, an action date that is not a date) is reported through
:meth:`Reader.bad_record` with its line and skipped; an amount that is not a
number is reported and the row kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from rootout.errors import InputError, Location
from rootout.ingest.base import Reader, register
from rootout.ingest.textio import head_text
from rootout.model.observation import Observation, SourceRef
from rootout.procurement import csvrows
from rootout.procurement.columns import column_plan, is_contracts_header, record_kind
from rootout.procurement.records import Built, RecordError, build

MAX_JSON_BYTES = 256 * 1024 * 1024
"""An API page is at most a few hundred results; a larger file is not one."""

API_FIELDS: Mapping[str, str] = {
    "Award ID": "piid",
    "generated_internal_id": "award_key",
    "Recipient Name": "supplier",
    "Recipient UEI": "uei",
    "Recipient DUNS Number": "duns",
    "Description": "description",
    "Award Amount": "amount",
    "Awarding Agency": "agency",
    "Awarding Agency Code": "agency_code",
    "Awarding Sub Agency": "sub_agency",
    "Awarding Sub Agency Code": "sub_agency_code",
    "Funding Agency": "funding_agency",
    "Funding Sub Agency": "funding_sub_agency",
    "Base Obligation Date": "action_date",
    "Last Modified Date": "last_modified",
    "Contract Award Type": "award_type",
    "NAICS": "naics",
    "PSC": "psc",
}
"""Display name in an API result → record key (formats.md §9.4)."""


def _header(head: bytes) -> list[str]:
    first = head_text(head).lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    delimiter = csvrows.delimiter_of(first)
    return [cell.strip().strip('"') for cell in first.split(delimiter)]


class _ContractsCsv(Reader):
    kind: ClassVar[str]

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        header = _header(head)
        return is_contracts_header(header) and record_kind(header) == cls.kind

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        display = str(path)
        header, rows = csvrows.rows(stream, display, lambda cells: column_plan(cells).values())
        if not is_contracts_header(header):
            raise InputError(Location(display, 1), "not a USAspending contracts header")
        plan = column_plan(header)
        kind = record_kind(header)
        number = 0
        for row in rows:
            if isinstance(row, csvrows.BadRow):
                self.bad_record(InputError(Location(display, row.line), row.message))
                continue
            number += 1  # every well-formed row has a number, read or not (as in the DuckDB path)
            record = {key: row.cells[index] for key, index in plan.items()}
            source = SourceRef(display, row.line, format=self.name)
            built = self._build(record, source, number, kind)
            if built is not None:
                yield from built.observations

    def _build(
        self, record: dict[str, str], source: SourceRef, row: int, kind: str
    ) -> Built | None:
        where = Location(source.path, source.line)
        try:
            built = build(record, source, row=row, kind=kind)
        except RecordError as exc:
            self.bad_record(InputError(where, str(exc)))
            return None
        for warning in built.warnings:
            if not warning.startswith("no action date"):
                self.bad_record(InputError(where, warning), skipped=False)
        return built


@register
class UsaspendingTransactionsReader(_ContractsCsv):
    name = "usaspending-transactions"
    description = "USAspending Contracts Prime Transactions download (CSV, TSV or pipe-separated)"
    priority = 20
    kind = "transaction"


@register
class UsaspendingAwardsReader(_ContractsCsv):
    name = "usaspending-awards"
    description = (
        "USAspending Contracts Prime Award Summaries download (CSV, TSV or pipe-separated)"
    )
    priority = 20
    kind = "award"


@register
class UsaspendingApiReader(Reader):
    name = "usaspending-api"
    description = "USAspending API spending_by_award JSON response (one page or an array of pages)"
    priority = 20

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        text = head_text(head).lstrip("\ufeff \t\r\n")
        if not text.startswith(("{", "[")) or '"results"' not in text:
            return False
        return any(
            key in text for key in ('"Award ID"', '"generated_internal_id"', '"page_metadata"')
        )

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        display = str(path)
        document = _load_json(stream, display)
        pages = document if isinstance(document, list) else [document]
        row = 0
        for page_index, page in enumerate(pages):
            prefix = f"/{page_index}" if isinstance(document, list) else ""
            results = page.get("results") if isinstance(page, dict) else None
            if not isinstance(results, list):
                raise InputError(Location(display), f"{prefix or '/'}: no 'results' array")
            for index, result in enumerate(results):
                pointer = f"{prefix}/results/{index}"
                if not isinstance(result, dict):
                    self.bad_record(InputError(Location(display), f"{pointer}: not an object"))
                    continue
                row += 1
                source = SourceRef(display, 0, pointer, self.name)
                try:
                    built = build(_api_record(result), source, row=row, kind="api")
                except RecordError as exc:
                    self.bad_record(InputError(Location(display), f"{pointer}: {exc}"))
                    continue
                yield from built.observations


def _load_json(stream: BinaryIO, display: str) -> Any:
    data = stream.read(MAX_JSON_BYTES + 1)
    if len(data) > MAX_JSON_BYTES:
        raise InputError(Location(display), f"larger than {MAX_JSON_BYTES} bytes: not an API page")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(Location(display), f"not UTF-8 text: {exc.reason}") from None
    except json.JSONDecodeError as exc:
        raise InputError(Location(display, exc.lineno), f"not JSON: {exc.msg}") from None
    except RecursionError:
        raise InputError(Location(display), "JSON nested too deeply") from None


def _api_record(result: Mapping[str, Any]) -> dict[str, str]:
    record: dict[str, str] = {}
    for display_name, key in API_FIELDS.items():
        value = result.get(display_name)
        if isinstance(value, dict):  # NAICS / PSC as {"code": ..., "description": ...}
            record[key] = _scalar(value.get("code"))
            record[f"{key}_description"] = _scalar(value.get("description"))
        else:
            record[key] = _scalar(value)
    if not record.get("action_date"):
        record["action_date"] = _scalar(result.get("Start Date"))
    return record


def _scalar(value: object) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
