"""Screening lists a user imports: the Consolidated Screening List and SAM exclusions.

Formats (see ``shared/reference/formats.md`` §11 and §12):

- trade.gov Consolidated Screening List CSV: ``_id,source,entity_number,type,programs,
  name,...,federal_register_notice,start_date,end_date,...,alt_names,...,ids``; list-like
  cells are ``; ``-separated.
- SAM.gov exclusions extract CSV: ``Classification,Name,...,Country,...,DUNS,UEI`` (newer
  ``Unique Entity ID``), ``Exclusion Program,Excluding Agency,...,Exclusion Type,...,
  Active Date,Termination Date,...,CAGE,...``. The column list is not confirmed against a
  real extract, so columns are found by name, case-insensitively, and absent ones are
  left empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from rootout.errors import InputError, Location
from rootout.procurement.csvrows import BadRow, rows
from rootout.suppliers.model import ImportProblem, ListEntry

CSL = "csl"
SAM_EXCLUSIONS = "sam_exclusions"
CSL_MARKERS = frozenset({"_id", "source", "name", "alt_names"})
SAM_MARKERS = frozenset({"name", "exclusion program"})
SAM_ALIASES: Mapping[str, tuple[str, ...]] = {
    "uei": ("unique entity id", "uei", "sam uei"),
    "duns": ("duns",),
    "cage": ("cage", "cage code"),
    "country": ("country",),
    "start": ("active date",),
    "end": ("termination date",),
    "id": ("sam number",),
    "program": ("exclusion program",),
    "agency": ("excluding agency",),
    "type": ("exclusion type",),
    "classification": ("classification",),
}


@dataclass(frozen=True)
class ListRead:
    list_name: str
    entries: tuple[ListEntry, ...]
    problems: tuple[ImportProblem, ...]


def detect_list(header: Sequence[str]) -> str | None:
    names = {cell.strip().lower() for cell in header}
    if names >= CSL_MARKERS:
        return CSL
    if names >= SAM_MARKERS:
        return SAM_EXCLUSIONS
    return None


def read_list_file(stream: BinaryIO, path: str) -> ListRead:
    """Entries of a CSL or SAM exclusions CSV; bad rows are reported, the rest read."""
    raw_header, data = rows(stream, path)
    header = [cell.strip().lower() for cell in raw_header]
    list_name = detect_list(header)
    if list_name is None:
        raise InputError(
            Location(path, 1),
            "not a Consolidated Screening List CSV (needs _id, source, name, alt_names) nor a "
            "SAM exclusions extract (needs Name, Exclusion Program)",
        )
    entries: list[ListEntry] = []
    problems: list[ImportProblem] = []
    for row in data:
        if isinstance(row, BadRow):
            problems.append(ImportProblem(path, row.line, row.message))
            continue
        cells = dict(zip(header, (c.strip() for c in row.cells), strict=True))
        if not cells.get("name"):
            problems.append(ImportProblem(path, row.line, "missing name"))
            continue
        parse = _csl_entry if list_name == CSL else _sam_entry
        entries.append(parse(cells, row.line))
    return ListRead(list_name, tuple(entries), tuple(problems))


def _csl_entry(cells: Mapping[str, str], line: int) -> ListEntry:
    detail = "; ".join(
        f"{label}: {cells[key]}"
        for key, label in (
            ("programs", "programs"),
            ("federal_register_notice", "Federal Register"),
            ("license_policy", "license policy"),
        )
        if cells.get(key)
    )
    return ListEntry(
        list_name=CSL,
        entry_id=cells.get("_id") or f"line-{line}",
        name=cells["name"],
        source=cells.get("source", ""),
        alt_names=_split(cells.get("alt_names", "")),
        start=_date(cells.get("start_date", "")),
        end=_date(cells.get("end_date", "")),
        detail=detail,
        line=line,
    )


def _sam_entry(cells: Mapping[str, str], line: int) -> ListEntry:
    def first(field: str) -> str:
        return next((cells[a] for a in SAM_ALIASES[field] if cells.get(a)), "")

    detail = "; ".join(
        f"{field}: {first(field)}" for field in ("program", "agency", "type") if first(field)
    )
    return ListEntry(
        list_name=SAM_EXCLUSIONS,
        entry_id=first("id") or f"line-{line}",
        name=cells["name"],
        source=f"SAM exclusions ({first('classification') or 'record'})",
        uei=first("uei").upper() or None,
        cage=first("cage").upper() or None,
        duns=first("duns") or None,
        country=first("country").upper() or None,
        start=_date(first("start")),
        end=_date(first("end")),
        detail=detail,
        line=line,
    )


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


def _date(value: str) -> dt.date | None:
    """ISO dates, or the US ``MM/DD/YYYY`` form SAM extracts use; anything else is None."""
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        pass
    try:
        return dt.datetime.strptime(value, "%m/%d/%Y").date()
    except ValueError:
        return None
