"""Write the SYNTHETIC contracts corpus (examples/contracts/data), deterministically.

Usage: python examples/contracts/generate.py [OUTPUT_FOLDER]

Every row is invented. What is real: the USAspending column headers (read from
``shared/data/usaspending/*.header.csv``), the agency and sub-agency names and
codes (fedspendingtransparency/usaspending-api ``usaspending_api/data/
agency_codes_list.csv``), the names of the covered companies and of ordinary
products. The *shape* of the Kaspersky rows follows what the press reported
(NIH buying from 2008; Justice, Treasury and State by 2014-2016; State's three
small contracts since FY2012 under $9,000; federal spending on Kaspersky far
below $1 million): the amounts, dates, PIIDs, offices and resellers are
invented. Resellers and integrators are fictional companies. No row describes
a real contract.

Outputs (in OUTPUT_FOLDER, default ``examples/contracts/data``):

* ``transactions/Contracts_PrimeTransactions_2026-11-28_H10M00S00_1.csv`` and ``..._2.csv``: one
  Prime Transactions download split in two parts, with the real 297-column
  header; part 2 repeats a few part-1 transactions (a split that overlaps) and
  holds the messy rows (wrong field counts, a bad date, a bad amount, bytes that
  are not UTF-8).
* ``awards/Contracts_PrimeAwardSummaries_2026-11-28_H10M00S00_1.csv``: the same awards
  as Prime Award Summaries (286 columns).
* ``labels.csv`` (beside the data folder for the default output): per transaction row, what a correct reading finds
  (``kind:vendor`` pairs, kinds ``recipient``, ``affiliate``, ``description``,
  ``removal``) and its status (``ok``, ``known_issue``, ``messy``, ``duplicate``).
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
HEADERS = REPO.parent / "shared" / "data" / "usaspending"
DEFAULT_OUT = HERE / "data"
STAMP = "2026-11-28_H10M00S00"
TRANSACTIONS = f"Contracts_PrimeTransactions_{STAMP}"
AWARDS = f"Contracts_PrimeAwardSummaries_{STAMP}"
sys.path.insert(0, str(HERE))

from scenarios import BACKGROUND_ITEMS, COVERED, FIRMS, Agency, Item, Scenario, Vendor  # noqa: E402


def header(name: str) -> list[str]:
    return (HEADERS / name).read_text(encoding="utf-8").strip().split(",")


@dataclass
class Txn:
    award: Award
    mod: str
    date: str
    amount: str
    description: str
    expected: str = ""
    status: str = "ok"
    note: str = ""

    @property
    def key(self) -> str:
        a = self.award
        return f"{a.agency.sub_code}_-NONE-_{a.piid}_{self.mod}_-NONE-_0"


@dataclass
class Award:
    piid: str
    agency: Agency
    vendor: Vendor
    item: Item
    txns: list[Txn] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"CONT_AWD_{self.piid}_{self.agency.sub_code}_-NONE-_-NONE-"


def fiscal_year(date: str) -> int:
    year, month = int(date[:4]), int(date[5:7])
    return year + 1 if month >= 10 else year


def _common(award: Award) -> dict[str, str]:
    a, v, item = award.agency, award.vendor, award.item
    return {
        "contract_award_unique_key": award.key,
        "award_id_piid": award.piid,
        "awarding_agency_code": a.code,
        "awarding_agency_name": a.name,
        "awarding_sub_agency_code": a.sub_code,
        "awarding_sub_agency_name": a.sub_name,
        "awarding_office_code": a.office_code,
        "awarding_office_name": a.office_name,
        "funding_agency_code": a.code,
        "funding_agency_name": a.name,
        "funding_sub_agency_code": a.sub_code,
        "funding_sub_agency_name": a.sub_name,
        "recipient_uei": v.uei,
        "recipient_duns": v.duns,
        "recipient_name": v.name,
        "recipient_name_raw": v.name,
        "recipient_doing_business_as_name": v.dba,
        "cage_code": v.cage,
        "recipient_parent_uei": v.uei if v.parent == v.name else "",
        "recipient_parent_name": v.parent,
        "recipient_parent_name_raw": v.parent,
        "recipient_country_code": v.country_code,
        "recipient_country_name": v.country,
        "award_type_code": "C" if award.piid[-6] == "F" else "B",
        "award_type": "DELIVERY ORDER" if award.piid[-6] == "F" else "PURCHASE ORDER",
        "prime_award_base_transaction_description": award.txns[0].description,
        "product_or_service_code": item.psc,
        "product_or_service_code_description": item.psc_description,
        "naics_code": item.naics,
        "naics_description": item.naics_description,
        "usaspending_permalink": f"https://www.usaspending.gov/award/{award.key}/",
    }


def transaction_row(txn: Txn) -> dict[str, str]:
    row = _common(txn.award)
    total = sum(
        float(t.amount) for t in txn.award.txns if t.amount.replace(".", "").lstrip("-").isdigit()
    )
    row.update(
        {
            "contract_transaction_unique_key": txn.key,
            "modification_number": txn.mod,
            "transaction_number": "0",
            "federal_action_obligation": txn.amount,
            "total_dollars_obligated": f"{total:.2f}",
            "action_date": txn.date,
            "action_date_fiscal_year": str(fiscal_year(txn.date)) if txn.date[:4].isdigit() else "",
            "transaction_description": txn.description,
            "action_type_code": "" if txn.mod == "0" else "B",
            "action_type": "" if txn.mod == "0" else "SUPPLEMENTAL AGREEMENT FOR WORK WITHIN SCOPE",
            "last_modified_date": f"{txn.date} 09:30:00",
        }
    )
    return row


def award_row(award: Award) -> dict[str, str]:
    row = _common(award)
    good = [t for t in award.txns if t.status != "messy"]
    total = sum(float(t.amount) for t in good if t.amount.replace(".", "").lstrip("-").isdigit())
    first, last = good[0].date, good[-1].date
    row.update(
        {
            "total_obligated_amount": f"{total:.2f}",
            "award_base_action_date": first,
            "award_base_action_date_fiscal_year": str(fiscal_year(first)),
            "award_latest_action_date": last,
            "award_latest_action_date_fiscal_year": str(fiscal_year(last)),
        }
    )
    return row


class Builder:
    def __init__(self, seed: int = 20081001) -> None:
        self.rng = random.Random(seed)
        self.awards: list[Award] = []
        self.counter = 0

    def piid(self, agency: Agency, date: str) -> str:
        self.counter += 1
        kind = "F" if self.rng.random() < 0.4 else "P"
        return f"{agency.piid_prefix}{date[2:4]}{kind}{self.counter:05d}"

    def award(self, agency: Agency, vendor: Vendor, item: Item, date: str) -> Award:
        award = Award(self.piid(agency, date), agency, vendor, item)
        self.awards.append(award)
        return award

    def scenario(self, s: Scenario) -> None:
        award = self.award(s.agency, s.vendor, Item(s.description, s.psc, s.naics), s.date)
        award.txns.append(
            Txn(award, "0", s.date, s.amount, s.description, s.expected, s.status, s.note)
        )
        for number, (date, amount, text) in enumerate(s.mods, start=1):
            award.txns.append(
                Txn(award, f"P0000{number}", date, amount, text, s.expected, s.status, s.note)
            )

    def background(self, count: int) -> None:
        rng = self.rng
        while sum(len(a.txns) for a in self.awards) < count:
            item = rng.choice(BACKGROUND_ITEMS)
            agency = rng.choice(item.agencies)
            vendor = rng.choice(FIRMS)
            date = f"{rng.randint(2008, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            amount = f"{round(rng.lognormvariate(9.2, 1.3), 2):.2f}"
            award = self.award(agency, vendor, item, date)
            award.txns.append(Txn(award, "0", date, amount, item.text(rng)))
            for number in range(1, rng.choice((1, 1, 1, 2, 3))):
                year = min(int(date[:4]) + number, 2026)
                text = rng.choice(
                    ("EXERCISE OPTION YEAR 1", "FUNDING ONLY ACTION", "ADMINISTRATIVE CHANGE")
                )
                mod_amount = "0.00" if text == "ADMINISTRATIVE CHANGE" else amount
                award.txns.append(
                    Txn(award, f"P0000{number}", f"{year}{date[4:]}", mod_amount, text)
                )


def messy(builder: Builder) -> list[tuple[Txn, str]]:
    """Rows whose text is broken on purpose, as (transaction, how)."""
    rng, result = builder.rng, []
    for how, note in (
        ("short", "row cut short: 290 fields"),
        ("long", "unquoted comma in the description: 298 fields"),
        ("date", "action date 2015-13-45"),
        ("bytes", "recipient written in Windows-1252 (0xE9), not UTF-8"),
    ):
        item = rng.choice(BACKGROUND_ITEMS)
        award = builder.award(rng.choice(item.agencies), rng.choice(FIRMS), item, "2015-06-01")
        date = "2015-13-45" if how == "date" else "2015-06-01"
        txn = Txn(award, "0", date, "1500.00", item.text(rng), status="messy", note=note)
        award.txns.append(txn)
        result.append((txn, how))
    return result


def _cells(row: dict[str, str], columns: list[str]) -> list[str]:
    return [row.get(name, "") for name in columns]


def generate(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    builder = Builder()
    for scenario in COVERED:
        builder.scenario(scenario)
    builder.background(2900)
    broken = messy(builder)
    # a bad amount on a covered reseller row: reported, the row kept and still found
    bad_amount = next(t for a in builder.awards for t in a.txns if t.note == "bad amount")
    bad_amount.amount = "12,5OO.00"
    txns = [t for a in builder.awards for t in a.txns if t.status != "messy"]
    builder.rng.shuffle(txns)
    split = len(txns) // 2
    parts = [txns[:split], txns[split:]]
    duplicates = [t for t in parts[0] if t.expected][:3] + [t for t in parts[0] if not t.expected][
        :2
    ]
    t_columns = header("contracts_prime_transactions.header.csv")
    written = []
    labels: list[list[str]] = []
    for number, rows in enumerate(parts, start=1):
        path = out / "transactions" / f"{TRANSACTIONS}_{number}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(t_columns)
            for txn in rows:
                writer.writerow(_cells(transaction_row(txn), t_columns))
                labels.append([path.name, txn.key, txn.expected, txn.status, txn.note])
            if number == 2:
                for txn in duplicates:
                    writer.writerow(_cells(transaction_row(txn), t_columns))
                    labels.append([path.name, txn.key, txn.expected, "duplicate", "repeats part 1"])
        if number == 2:
            _append_messy(path, broken, t_columns, labels)
        written.append(path)
    a_columns = header("contracts_prime_award_summaries.header.csv")
    awards_path = out / "awards" / f"{AWARDS}_1.csv"
    awards_path.parent.mkdir(parents=True, exist_ok=True)
    with awards_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(a_columns)
        for award in builder.awards:
            if any(t.status != "messy" for t in award.txns):
                writer.writerow(_cells(award_row(award), a_columns))
    written.append(awards_path)
    labels_path = out.parent / "labels.csv" if out == DEFAULT_OUT else out / "labels.csv"
    with labels_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["file", "contract_transaction_unique_key", "expected", "status", "note"])
        writer.writerows(labels)
    written.append(labels_path)
    return written


def _append_messy(
    path: Path, broken: list[tuple[Txn, str]], columns: list[str], labels: list[list[str]]
) -> None:
    with path.open("ab") as handle:
        for txn, how in broken:
            cells = _cells(transaction_row(txn), columns)
            if how == "short":
                cells = cells[:290]
            line = _line(cells)
            if how == "long":  # an unquoted comma inside the description shifts every later field
                text = txn.description
                line = line.replace(f",{text},", f",{text.replace(' ', ', ', 1)},", 1)
            data = line.encode("utf-8")
            if how == "bytes":
                data = data.replace(
                    txn.award.vendor.name.encode(), b"CAF\xc9 " + txn.award.vendor.name.encode(), 1
                )
            handle.write(data)
            labels.append([path.name, txn.key, "", "messy", txn.note])


def _line(cells: list[str]) -> str:
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def rows_for_bench() -> Iterator[tuple[str, bool]]:
    """Transaction rows of the corpus as CSV lines, each with whether it is a covered row."""
    builder = Builder()
    for scenario in COVERED:
        builder.scenario(scenario)
    builder.background(2900)
    columns = header("contracts_prime_transactions.header.csv")
    for award in builder.awards:
        for txn in award.txns:
            if txn.status != "messy" and txn.note != "bad amount":
                yield _line(_cells(transaction_row(txn), columns)), bool(txn.expected)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    written = generate(out)
    total = sum(path.stat().st_size for path in written)
    print(f"wrote {len(written)} files ({total:,} bytes) to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
