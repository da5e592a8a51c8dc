"""USAspending download columns: which header names fill which record key.

The exact current headers are in ``shared/data/usaspending/*.header.csv``
(Prime Award Summaries: 286 columns, Prime Transactions: 297). Older downloads
used other names for some columns; formats.md §9.3 lists them and the readers
accept both (first present name wins). The API and database spellings
(``parent_recipient_*``) are accepted too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

RECORD_COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "transaction_key": ("contract_transaction_unique_key",),
        "award_key": ("contract_award_unique_key",),
        "piid": ("award_id_piid",),
        "modification": ("modification_number",),
        "parent_piid": ("parent_award_id_piid", "parent_award_id"),
        "amount": ("federal_action_obligation", "total_obligated_amount", "obligated_amount"),
        "action_date": ("action_date", "award_base_action_date"),
        "fiscal_year": ("action_date_fiscal_year", "award_base_action_date_fiscal_year"),
        "agency_code": ("awarding_agency_code",),
        "agency": ("awarding_agency_name",),
        "sub_agency_code": ("awarding_sub_agency_code",),
        "sub_agency": ("awarding_sub_agency_name",),
        "office_code": ("awarding_office_code",),
        "office": ("awarding_office_name",),
        "supplier": ("recipient_name", "recipient_name_raw"),
        "dba_name": ("recipient_doing_business_as_name",),
        "parent_name": (
            "recipient_parent_name",
            "parent_recipient_name",
            "recipient_parent_name_raw",
        ),
        "uei": ("recipient_uei",),
        "duns": ("recipient_duns",),
        "cage": ("cage_code",),
        "parent_uei": ("recipient_parent_uei", "parent_recipient_uei"),
        "parent_duns": ("recipient_parent_duns", "parent_recipient_duns"),
        "recipient_country": ("recipient_country_name",),
        "description": (
            "transaction_description",
            "award_description",
            "prime_award_base_transaction_description",
        ),
        "base_description": ("prime_award_base_transaction_description",),
        "psc": ("product_or_service_code",),
        "naics": ("naics_code",),
        "award_type": ("award_type",),
    }
)
"""Record key → header names, preferred first (current name, then older aliases).

Only what the matcher and the report use is read: every column costs time on a
multi-GB file (the permalink, for one, is the award key in a URL)."""

TRANSACTION_MARKERS = frozenset({"contract_transaction_unique_key", "modification_number"})
AWARD_MARKERS = frozenset({"contract_award_unique_key", "award_id_piid"})


def column_plan(header: Sequence[str]) -> dict[str, int]:
    """Record key → index of the header cell that fills it (first alias present wins).

    ``base_description`` is left out when it is the column ``description`` already
    reads (award summaries), so the same text is not read twice.
    """
    position = {name.strip().lstrip("\ufeff"): i for i, name in enumerate(header)}
    plan: dict[str, int] = {}
    for key, names in RECORD_COLUMNS.items():
        for name in names:
            if name in position:
                plan[key] = position[name]
                break
    if plan.get("base_description") == plan.get("description"):
        plan.pop("base_description", None)
    return plan


def record_kind(header: Sequence[str]) -> str:
    """'transaction' or 'award' by the columns present."""
    names = {name.strip().lstrip("\ufeff") for name in header}
    return "transaction" if names & TRANSACTION_MARKERS else "award"


def is_contracts_header(header: Sequence[str]) -> bool:
    names = {name.strip().lstrip("\ufeff") for name in header}
    return bool(names & AWARD_MARKERS) and any(n.startswith("recipient_name") for n in names)
