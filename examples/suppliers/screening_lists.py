"""The screening lists to import beside the register: a CSL CSV and a SAM exclusions extract.

The Consolidated Screening List header is the exact one of ``shared/reference/formats.md``
§11. Its three Kaspersky rows restate the Entity List additions of 89 FR 52362 (2024-06-24),
which the catalog cites (``src.fr-2024-13695``); every other row is invented and says so in
``remarks``. The SAM exclusions columns follow formats.md §12, which marks them UNCONFIRMED
against a real extract; all its rows are invented.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

CSL_HEADER = [
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
]
SAM_HEADER = [
    "Classification",
    "Name",
    "Prefix",
    "First",
    "Middle",
    "Last",
    "Suffix",
    "Address 1",
    "Address 2",
    "Address 3",
    "Address 4",
    "City",
    "State / Province",
    "Country",
    "Zip Code",
    "DUNS",
    "Unique Entity ID",
    "Exclusion Program",
    "Excluding Agency",
    "CT Code",
    "Exclusion Type",
    "Additional Comments",
    "Active Date",
    "Termination Date",
    "Record Status",
    "Cross-Reference",
    "SAM Number",
    "CAGE",
    "NPI",
]
ENTITY_LIST = "Entity List (EL) - Bureau of Industry and Security"


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([["" if v is None else str(v) for v in row] for row in rows])


def _csl_row(**cells: str) -> list[str]:
    return [cells.get(column, "") for column in CSL_HEADER]


def write_lists(out: Path) -> None:
    fr = {
        "federal_register_notice": "89 FR 52362",
        "start_date": "2024-06-24",
        "source": ENTITY_LIST,
        "source_information_url": "https://www.govinfo.gov/content/pkg/FR-2024-06-24/html/2024-13695.htm",
    }
    real = [
        _csl_row(
            _id="synthetic-csl-0001",
            type="Entity",
            name="AO Kaspersky Lab",
            **fr,
        ),
        _csl_row(_id="synthetic-csl-0002", type="Entity", name="OOO Kaspersky Group", **fr),
        _csl_row(_id="synthetic-csl-0003", type="Entity", name="Kaspersky Labs Limited", **fr),
    ]

    def invented(_id: str, name: str, alt_names: str = "") -> list[str]:
        return _csl_row(
            _id=_id,
            source=ENTITY_LIST,
            type="Entity",
            name=name,
            alt_names=alt_names,
            remarks="SYNTHETIC entry",
        )

    synthetic = [
        invented(
            "synthetic-csl-0004",
            "Zelvora Components Trading Limited",
            "Zelvora Components Trading; Zelvora Trading HK",
        ),
        invented("synthetic-csl-0005", "Morvathi Precision Instruments"),
        invented("synthetic-csl-0006", "Ostrel Avionics Trading", "Ostrel Trading"),
    ]
    write_csv(out / "lists" / "consolidated-screening-list.csv", CSL_HEADER, real + synthetic)

    def sam(name: str, uei_: str, active: str, end: str, number: str) -> list[str]:
        cells = {
            "Classification": "Firm",
            "Name": name,
            "Country": "USA",
            "Unique Entity ID": uei_,
            "Exclusion Program": "Reciprocal",
            "Excluding Agency": "SYNTHETIC",
            "Exclusion Type": "Ineligible (Proceedings Completed)",
            "Active Date": active,
            "Termination Date": end,
            "Record Status": "Active" if end == "Indefinite" else "Inactive",
            "SAM Number": number,
        }
        return [cells.get(column, "") for column in SAM_HEADER]

    write_csv(
        out / "lists" / "sam-exclusions.csv",
        SAM_HEADER,
        [
            sam(
                "BRACKENHOLT OFFICE SYSTEMS, L.L.C.",
                "K7LMQ2RTX4N9",
                "03/14/2026",
                "Indefinite",
                "S4MR0000001",
            ),
            sam(
                "THRELIX OFFICE SUPPLY CO.",
                "T6KQR2WZ8NDV",
                "05/02/2020",
                "05/01/2023",
                "S4MR0000002",
            ),
            sam(
                "VORANTHE MEDICAL SUPPLY INC.",
                "V3QKD8MZT5XR",
                "11/30/2025",
                "Indefinite",
                "S4MR0000003",
            ),
        ],
    )
