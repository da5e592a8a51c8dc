"""Read the register CSV files (formats in :mod:`rootout.suppliers.model`).

Every bad row is reported with its file, line and reason and skipped; the rest
is read. Pure over the file's bytes: storing is :mod:`rootout.suppliers.store`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

import pycountry

from rootout.errors import InputError, Location
from rootout.match import normalize as norm
from rootout.procurement.csvrows import BadRow, rows
from rootout.suppliers.model import (
    AccessAgreement,
    Clause,
    Delivery,
    DeliveryKind,
    ImportProblem,
    Representation,
    Supplier,
)


class RegisterKind(StrEnum):
    SUPPLIERS = "suppliers"
    REPRESENTATIONS = "representations"
    ACCESS = "access"
    DELIVERIES = "deliveries"


COLUMNS: Mapping[RegisterKind, tuple[str, ...]] = {
    RegisterKind.SUPPLIERS: (
        "supplier_id",
        "name",
        "uei",
        "cage",
        "duns",
        "country",
        "parent_name",
        "parent_uei",
        "provides",
    ),
    RegisterKind.REPRESENTATIONS: (
        "supplier_id",
        "clause",
        "provides",
        "uses",
        "disclosure",
        "signed_on",
        "signer",
        "expires_on",
    ),
    RegisterKind.ACCESS: ("supplier_id", "system", "tenant", "start", "end"),
    RegisterKind.DELIVERIES: ("supplier_id", "path", "kind", "delivered_on"),
}
REQUIRED: Mapping[RegisterKind, tuple[str, ...]] = {
    RegisterKind.SUPPLIERS: ("name",),
    RegisterKind.REPRESENTATIONS: ("supplier_id", "clause", "signed_on", "signer"),
    RegisterKind.ACCESS: ("supplier_id", "system", "start"),
    RegisterKind.DELIVERIES: ("supplier_id", "path", "kind"),
}
"""Columns a file of each kind must have (and cells that must not be empty)."""

_UEI = re.compile(r"^[1-9A-HJ-NP-Z][0-9A-HJ-NP-Z]{11}$")
_CAGE = re.compile(r"^[0-9A-Z]{5}$")
_DUNS = re.compile(r"^[0-9]{9}$")
_SLUG = re.compile(r"[^a-z0-9]+")
YES = {"will": True, "does": True, "will not": False, "does not": False}

Record = Supplier | Representation | AccessAgreement | Delivery


@dataclass(frozen=True)
class ReadResult:
    kind: RegisterKind
    records: tuple[Record, ...]
    problems: tuple[ImportProblem, ...]
    rows: int
    """Data rows in the file (good and bad)."""


class RowError(ValueError):
    """One cell of a row is wrong; the message says which and why."""


# -- identifiers -----------------------------------------------------------------------


def check_uei(value: str) -> str:
    """The UEI upper-cased, or :class:`RowError` when it has not the SAM shape."""
    uei = value.strip().upper()
    if not _UEI.match(uei):
        raise RowError(
            f"malformed UEI {value!r}: 12 characters A-Z/0-9, no O or I, not starting with 0"
        )
    return uei


def check_cage(value: str) -> str:
    cage = value.strip().upper()
    if not _CAGE.match(cage):
        raise RowError(f"malformed CAGE code {value!r}: 5 characters A-Z/0-9")
    return cage


def check_duns(value: str) -> str:
    duns = value.strip().replace("-", "")
    if not _DUNS.match(duns):
        raise RowError(f"malformed DUNS {value!r}: 9 digits")
    return duns


def country_alpha2(value: str) -> str:
    """An ISO 3166-1 alpha-2 or alpha-3 code as alpha-2, or :class:`RowError`."""
    code = value.strip().upper()
    found = None
    if len(code) == 2:
        found = pycountry.countries.get(alpha_2=code)
    elif len(code) == 3:
        found = pycountry.countries.get(alpha_3=code)
    if found is None:
        raise RowError(f"unknown country code {value!r}: ISO 3166-1 alpha-2 or alpha-3 expected")
    return str(found.alpha_2)


def derive_id(name: str, uei: str | None) -> str:
    """A stable supplier id when the file gives none: from the UEI, else the name."""
    if uei:
        return f"uei-{uei.upper()}"
    slug = _SLUG.sub("-", norm.org_name(name)).strip("-")
    return f"name-{slug or _SLUG.sub('-', name.lower()).strip('-')}"


def parse_date(value: str, column: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise RowError(f"{column} {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _optional_date(value: str, column: str) -> dt.date | None:
    return parse_date(value, column) if value.strip() else None


def _optional(value: str, check: Callable[[str], str]) -> str | None:
    return check(value) if value.strip() else None


# -- rows ------------------------------------------------------------------------------


def supplier_row(cells: Mapping[str, str], line: int) -> Supplier:
    name = cells.get("name", "").strip()
    if not name:
        raise RowError("missing name")
    uei = _optional(cells.get("uei", ""), check_uei)
    provides = tuple(p.strip() for p in cells.get("provides", "").split(";") if p.strip())
    return Supplier(
        id=cells.get("supplier_id", "").strip() or derive_id(name, uei),
        name=name,
        uei=uei,
        cage=_optional(cells.get("cage", ""), check_cage),
        duns=_optional(cells.get("duns", ""), check_duns),
        country=_optional(cells.get("country", ""), country_alpha2),
        parent_name=cells.get("parent_name", "").strip() or None,
        parent_uei=_optional(cells.get("parent_uei", ""), check_uei),
        provides=provides,
        line=line,
    )


def _answer(value: str, column: str, allowed: Sequence[str]) -> bool | None:
    text = " ".join(value.lower().split())
    if not text:
        return None
    if text not in allowed:
        raise RowError(f"{column} {value!r}: expected one of {', '.join(allowed)}")
    return YES[text]


def representation_row(cells: Mapping[str, str], line: int) -> Representation:
    raw_clause = cells["clause"].strip().upper().removeprefix("FAR ")
    try:
        clause = Clause(raw_clause)
    except ValueError:
        raise RowError(
            f"clause {cells['clause']!r}: expected 52.204-23, 52.204-24 or 52.204-26"
        ) from None
    provide_words = ("will", "will not") if clause is Clause.FAR_52_204_24 else ("does", "does not")
    provides = _answer(cells.get("provides", ""), "provides", provide_words)
    uses = _answer(cells.get("uses", ""), "uses", ("does", "does not"))
    disclosure = cells.get("disclosure", "").strip() or None
    if (provides or uses) and not disclosure:
        needed = "the 52.204-23(c) report" if clause.is_attestation else "its disclosure text"
        raise RowError(f"a '{'will' if provides else 'does'}' answer needs {needed}")
    return Representation(
        supplier_id=cells["supplier_id"].strip(),
        clause=clause,
        provides=provides,
        uses=uses,
        signed_on=parse_date(cells["signed_on"], "signed_on"),
        signer=cells["signer"].strip(),
        disclosure=disclosure,
        expires_on=_optional_date(cells.get("expires_on", ""), "expires_on"),
        line=line,
    )


def access_row(cells: Mapping[str, str], line: int) -> AccessAgreement:
    start = parse_date(cells["start"], "start")
    end = _optional_date(cells.get("end", ""), "end")
    if end is not None and end < start:
        raise RowError(f"end {end} is before start {start}")
    return AccessAgreement(
        supplier_id=cells["supplier_id"].strip(),
        system=cells["system"].strip(),
        tenant=cells.get("tenant", "").strip() or None,
        start=start,
        end=end,
        line=line,
    )


def delivery_row(cells: Mapping[str, str], line: int) -> Delivery:
    kind_text = cells["kind"].strip().lower()
    try:
        kind = DeliveryKind(kind_text)
    except ValueError:
        raise RowError(f"kind {cells['kind']!r}: expected sbom or inventory") from None
    path = cells["path"].strip()
    if Path(path).is_absolute() or ".." in Path(path).parts:
        raise RowError(f"path {path!r} must be relative to the CSV file, without '..'")
    return Delivery(
        supplier_id=cells["supplier_id"].strip(),
        path=path,
        kind=kind,
        delivered_on=_optional_date(cells.get("delivered_on", ""), "delivered_on"),
        line=line,
    )


PARSERS: Mapping[RegisterKind, Callable[[Mapping[str, str], int], Record]] = {
    RegisterKind.SUPPLIERS: supplier_row,
    RegisterKind.REPRESENTATIONS: representation_row,
    RegisterKind.ACCESS: access_row,
    RegisterKind.DELIVERIES: delivery_row,
}


# -- files -----------------------------------------------------------------------------


def detect_kind(header: Sequence[str]) -> RegisterKind | None:
    """The register kind whose required columns the header has (most specific first)."""
    names = set(header)
    for kind in (
        RegisterKind.REPRESENTATIONS,
        RegisterKind.DELIVERIES,
        RegisterKind.ACCESS,
        RegisterKind.SUPPLIERS,
    ):
        if set(REQUIRED[kind]) <= names:
            return kind
    return None


def mapped_header(header: Sequence[str], column_map: Mapping[str, str]) -> list[str]:
    """Header cells renamed by ``column_map`` (source name -> register field), matched
    case-insensitively; other cells are lower-cased."""
    lowered = {source.strip().lower(): target for source, target in column_map.items()}
    return [lowered.get(cell.strip().lower(), cell.strip().lower()) for cell in header]


def read_register_file(
    stream: BinaryIO,
    path: str,
    *,
    kind: RegisterKind | None = None,
    column_map: Mapping[str, str] | None = None,
) -> ReadResult:
    """Records and problems of one register CSV; raises :class:`InputError` only when the
    whole file cannot be read (no header, unknown kind, a required column missing)."""
    raw_header, data = rows(stream, path)
    header = mapped_header(raw_header, column_map or {})
    found = kind or detect_kind(header)
    if found is None:
        raise InputError(
            Location(path, 1),
            "cannot tell the register kind from the header; pass --kind "
            "(suppliers, representations, access, deliveries) or --map SRC=FIELD",
        )
    missing = [c for c in REQUIRED[found] if c not in header]
    if missing:
        raise InputError(Location(path, 1), f"{found.value} file lacks columns: {missing}")
    records: list[Record] = []
    problems: list[ImportProblem] = []
    first_line: dict[tuple[str, ...], int] = {}
    count = 0
    for row in data:
        count += 1
        if isinstance(row, BadRow):
            problems.append(ImportProblem(path, row.line, row.message))
            continue
        cells = dict(zip(header, row.cells, strict=True))
        try:
            _required_cells(found, cells)
            record = PARSERS[found](cells, row.line)
            seen = first_line.setdefault(record_key(record), row.line)
            if seen != row.line:
                raise RowError(f"the same key as line {seen}: {', '.join(record_key(record))}")
            if isinstance(record, Supplier | Representation):
                record = dataclasses.replace(record, source=path)
            records.append(record)
        except RowError as exc:
            problems.append(ImportProblem(path, row.line, str(exc)))
    return ReadResult(found, tuple(records), tuple(problems), count)


def record_key(record: Record) -> tuple[str, ...]:
    """What identifies a record in the store (a later row with the same key is a duplicate)."""
    if isinstance(record, Supplier):
        return (record.id,)
    if isinstance(record, Representation):
        return record.key
    if isinstance(record, AccessAgreement):
        return (record.supplier_id, record.system, record.start.isoformat())
    return (record.supplier_id, record.path)


def _required_cells(kind: RegisterKind, cells: Mapping[str, str]) -> None:
    for column in REQUIRED[kind]:
        if not cells.get(column, "").strip():
            raise RowError(f"missing {column}")


def parse_map(pairs: Sequence[str]) -> dict[str, str]:
    """``SRC=FIELD`` options as a mapping; a pair without ``=`` is an error."""
    result: dict[str, str] = {}
    for pair in pairs:
        source, sep, target = pair.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise InputError(Location("--map", 0), f"expected SRC=FIELD, got {pair!r}")
        result[source.strip()] = target.strip().lower()
    return result
