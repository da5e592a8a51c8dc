"""One contract record (a CSV row, an API result, an FPDS entry) into observations.

Every reader of contract data builds a *record*: a mapping from the keys of
:data:`rootout.procurement.columns.RECORD_COLUMNS` to raw text. :func:`build`
turns it into ``contract_award`` observations of one ``contract`` asset (the
award, named by its unique key, with the PIID as an identifier):

* the main observation carries the recipient fields the matcher reads
  (``supplier``, ``parent_name``, ``dba_name``, ``uei``, ``duns``, ``cage``) and the
  purchase part of the description as ``item_description``;
* a removal part of the description ("remove Kaspersky") becomes its own
  observation with ``extra["purpose"] = "removal"`` and no recipient fields;
* a transaction's award description, when it differs from the transaction's
  own ("EXERCISE OPTION YEAR 2" on a "KASPERSKY ENDPOINT SECURITY" award), is
  searched too, as a part of its own (``extra["part"] = "base"``).

All of them carry the same descriptive fields (agency, amounts, dates, PSC,
NAICS, PIID...) and ``extra["row"]``, so the parts of one action regroup.
The plain readers and the DuckDB path call the same function, so both give the
same observations for the same row.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind, SourceRef
from rootout.procurement.purpose import Purpose, classify

RECIPIENT_FIELDS = ("supplier", "parent_name", "dba_name", "uei", "duns", "cage")
"""Record keys the matcher reads on the main observation (canonical observation fields)."""
TEXT_KEYS = ("description", "base_description")
_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%m/%d/%Y", "%Y%m%d")
_AMOUNT = re.compile(r"^\(?-?\$?-?[0-9][0-9,]*(\.[0-9]+)?\)?$")


class RecordError(ValueError):
    """A record that cannot be read: it is skipped and reported."""


@dataclass(frozen=True, slots=True)
class Built:
    observations: tuple[Observation, ...]
    warnings: tuple[str, ...] = ()
    """Values that could not be read (the record was kept): an amount that is not a number."""


@functools.lru_cache(maxsize=65_536)
def parse_date(text: str) -> dt.date:
    """An action date as written by USAspending, FPDS or a spreadsheet; ValueError otherwise."""
    value = text.strip()
    for layout in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, layout).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {value!r}")


def parse_amount(text: str | None) -> Decimal | None:
    """Dollars as written ('1234.5', '-1,234.50', '$12', '(12.00)'); None when empty or not a number."""
    if not text or not _AMOUNT.match(text.strip()):
        return None
    value = text.strip()
    negative = value.startswith("(") and value.endswith(")")
    digits = value.strip("()").replace("$", "").replace(",", "")
    try:
        number = Decimal(digits)
    except InvalidOperation:
        return None
    return -number if negative else number


def fiscal_year(day: dt.date) -> int:
    """The U.S. federal fiscal year: October to September, named by the year it ends."""
    return day.year + 1 if day.month >= 10 else day.year


def award_key(piid: str, agency: str, parent_piid: str = "", parent_agency: str = "") -> str:
    """USAspending's generated award key: ``CONT_AWD_<PIID>_<agency>_<parent PIID>_<parent agency>``."""
    return f"CONT_AWD_{piid}_{agency or '-NONE-'}_{parent_piid or '-NONE-'}_{parent_agency or '-NONE-'}"


def build(record: Mapping[str, str], source: SourceRef, *, row: int, kind: str) -> Built:
    """Observations for one record (see the module docstring); RecordError when unreadable."""
    fields = {key: value.strip() for key, value in record.items() if value and value.strip()}
    warnings: list[str] = []
    observed_at = _observed_at(fields, warnings)
    key = fields.get("award_key") or (
        award_key(fields["piid"], fields.get("sub_agency_code", "")) if fields.get("piid") else ""
    )
    if not key:
        raise RecordError("no award key and no PIID")
    fields["award_key"] = key
    if fields.get("amount") and parse_amount(fields["amount"]) is None:
        warnings.append(f"amount {fields['amount']!r} is not a number")
    if observed_at is not None and not fields.get("fiscal_year", "").isdigit():
        fields["fiscal_year"] = str(fiscal_year(observed_at.date()))
    if "supplier" in fields:
        fields["recipient"] = fields["supplier"]
    asset = _asset(fields)
    common = {k: v for k, v in fields.items() if k not in RECIPIENT_FIELDS}
    recipients = {k: fields[k] for k in RECIPIENT_FIELDS if k in fields}
    parts = _parts(fields)
    observations: list[Observation] = []

    def add(
        fields_: dict[str, str], suffix: str, part: str, purpose: Purpose, removal: bool
    ) -> None:
        extra = {
            "purpose": "removal" if removal else "purchase",
            "part": part,
            "row": str(row),
            "record": kind,
        }
        if purpose.cue:
            extra["purpose_cue"] = purpose.cue
        pointer = f"{source.pointer or f'row {row}'}{suffix}"
        observations.append(
            Observation(
                ObservationKind.CONTRACT_AWARD,
                MappingProxyType(fields_),
                asset,
                source._replace(pointer=pointer),
                observed_at,
                extra=MappingProxyType(extra),
            )
        )

    main = {**common, **recipients}
    own = parts[0][1] if parts and parts[0][0] == "transaction" else Purpose("", "")
    if own.purchase:
        main["item_description"] = own.purchase
    add(main, "", "transaction", own, False)
    for part, purpose in parts:
        label = "" if part == "transaction" else " base"
        if part != "transaction" and purpose.purchase:
            add({**common, "item_description": purpose.purchase}, label, part, purpose, False)
        if purpose.removal:
            add(
                {**common, "item_description": purpose.removal},
                f"{label} removal",
                part,
                purpose,
                True,
            )
    return Built(tuple(observations), tuple(warnings))


def _observed_at(fields: dict[str, str], warnings: list[str]) -> dt.datetime | None:
    text = fields.get("action_date")
    if not text:
        warnings.append("no action date: judged at the scan date")
        return None
    try:
        day = parse_date(text)
    except ValueError:
        raise RecordError(f"action date {text!r} is not a date") from None
    fields["action_date"] = day.isoformat()
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _asset(fields: Mapping[str, str]) -> Asset:
    identifiers = [("award_key", fields["award_key"])]
    if fields.get("piid"):
        identifiers.append(("piid", fields["piid"]))
    tags = (("agency", fields["agency"]),) if fields.get("agency") else ()
    return Asset(AssetKind.CONTRACT, fields["award_key"], tuple(identifiers), tags)


def _parts(fields: Mapping[str, str]) -> list[tuple[str, Purpose]]:
    """('transaction', ...) for the record's own description, ('base', ...) for a differing award description."""
    parts: list[tuple[str, Purpose]] = []
    own = fields.get("description", "")
    base = fields.get("base_description", "")
    if own:
        parts.append(("transaction", classify(own)))
    if base and base.casefold() != own.casefold():
        parts.append(("base", classify(base)))
    return parts
