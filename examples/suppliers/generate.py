"""Write the SYNTHETIC supplier register of the Example Agency, deterministically.

Usage: python examples/suppliers/generate.py [OUTPUT_FOLDER]   (default: this folder)

Writes ``suppliers.csv``, ``representations.csv``, ``access.csv``, ``deliveries.csv``
(the formats of ``rootout suppliers import``, see ``rootout.suppliers.model``),
``delivered/`` (the SBOMs and inventories suppliers delivered), ``lists/`` (a
Consolidated Screening List CSV and a SAM exclusions extract to import) and
``labels.json`` (what correct screening finds on ``cast.TODAY``). Every company
except the catalog entities is invented; see README.md.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import random
import shutil
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cast import TODAY, Access, Delivered, Rep, Supplier, cage, rng, stem, uei  # noqa: E402
from delivered import INTUNE_HEADER, Fleet, Product, inventory, sbom  # noqa: E402
from planted import (  # noqa: E402
    FLEETS,
    LATE_FLEETS,
    PRODUCTS,
    hard_negatives,
    late_additions,
    planted,
)
from screening_lists import write_csv, write_lists  # noqa: E402

from rootout.suppliers.register import COLUMNS, RegisterKind  # noqa: E402

SIZE = 300

# category -> (name endings, what they provide, systems they may reach)
CATEGORIES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "reseller": (
        ("Technology Resellers LLC", "IT Supply Inc.", "Computer Supply Corp."),
        ("laptops and desktops", "monitors and peripherals", "software licences", "storage"),
        ("cloud-landing-zone",),
    ),
    "integrator": (
        ("Federal Systems LLC", "Integration Group Inc.", "Technology Partners LLC"),
        ("network integration", "systems engineering", "application modernisation"),
        ("case-tracker", "hr-portal", "finance-ledger", "helpdesk", "network-core"),
    ),
    "cloud": (
        ("Cloud Inc.", "Software Ltd", "Data Services Inc."),
        ("case management SaaS", "email security SaaS", "backup as a service", "HR SaaS"),
        ("cloud-landing-zone", "mail-gateway", "records-archive", "hr-portal"),
    ),
    "software": (
        ("Software Inc.", "Labs LLC", "Systems Corp."),
        ("document imaging software", "GIS software", "budget planning software"),
        ("finance-ledger", "case-tracker", "public-website"),
    ),
    "facilities": (
        ("Facility Services LLC", "Building Services Inc.", "Protective Services LLC"),
        ("janitorial services", "HVAC maintenance", "guard services", "fire alarm inspection"),
        ("facilities-portal", "badge-access"),
    ),
    "telecom": (
        ("Communications Inc.", "Telecom LLC", "Wireless Corp."),
        ("SIP trunking", "mobile voice and data", "dark fibre", "conference bridge services"),
        ("network-core", "land-mobile-radio"),
    ),
    "consulting": (
        ("Advisory LLC", "Associates Inc.", "Partners LLC"),
        ("cybersecurity assessment", "program management support", "acquisition support"),
        ("case-tracker", "helpdesk"),
    ),
    "training": (
        ("Learning LLC", "Academy Inc."),
        ("security awareness training", "cloud certification courses"),
        ("hr-portal",),
    ),
    "logistics": (
        ("Logistics LLC", "Courier Services Inc."),
        ("courier services", "secure shredding", "warehouse logistics"),
        ("facilities-portal",),
    ),
}
WEIGHTS = (60, 50, 40, 25, 45, 25, 30, 12, 13)
FIRST = ("Alex", "Sam", "Jamie", "Taylor", "Morgan", "Riley", "Quinn", "Drew", "Reese", "Rowan")
LAST = ("Varga", "Okoro", "Lindahl", "Castellano", "Brennan", "Nakashima", "Fairley", "Osei")
ABROAD = ("GB", "CA", "DE", "IE", "AU", "JP", "FR", "NL")
CLEAN_PRODUCTS = (
    ("Case Intake Portal", "maven"),
    ("Grant Tracker", "composer"),
    ("Budget Planner", "maven"),
    ("Visitor Log", "composer"),
    ("Fleet Scheduler", "maven"),
)


def _date_between(r: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=r.randrange((end - start).days + 1))


def _person(r: random.Random) -> str:
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


def _names(count: int, taken: set[str]) -> Iterable[str]:
    r = rng("names")
    stems: set[str] = {name.split()[0] for name in taken}
    while count:
        word = stem(r)
        if word in stems:
            continue
        stems.add(word)
        count -= 1
        yield word


def _reps(r: random.Random) -> tuple[Rep, ...]:
    signed = _date_between(r, dt.date(2026, 1, 5), dt.date(2026, 11, 20))
    signer = _person(r)
    sam = Rep("52.204-26", "does not", "does not", signed, signer, signed.replace(year=2027))
    if r.random() < 0.3:
        offer = _date_between(r, signed, dt.date(2026, 11, 20))
        return (sam, Rep("52.204-24", "will not", "does not", offer, signer))
    return (sam,)


def _access(r: random.Random, systems: Sequence[str], current: bool) -> tuple[Access, ...]:
    agreements = []
    for system in r.sample(list(systems), min(len(systems), r.choice((1, 1, 2)))):
        start = _date_between(r, dt.date(2019, 1, 7), dt.date(2026, 10, 1))
        if current:
            end = r.choice((None, None, _date_between(r, TODAY, dt.date(2028, 9, 30))))
        else:
            end = _date_between(
                r, start, min(TODAY - dt.timedelta(days=30), start.replace(year=start.year + 3))
            )
        agreements.append(Access(system, start, end, r.choice(("agency-prod", "agency-prod", ""))))
    return tuple(agreements)


def _country(r: random.Random, category: str) -> str:
    if category in ("cloud", "software") and r.random() < 0.25:
        return r.choice(ABROAD)
    return "USA" if r.random() < 0.05 else "US"


def background(count: int, taken: set[str]) -> list[Supplier]:
    """Ordinary suppliers: current representations wherever they have access today."""
    r = rng("background")
    kinds = r.choices(list(CATEGORIES), WEIGHTS, k=count)
    out = []
    for word, category in zip(_names(count, taken), kinds, strict=True):
        endings, offers, systems = CATEGORIES[category]
        reps = _reps(r) if r.random() < 0.8 else ()
        access: tuple[Access, ...] = ()
        if reps and r.random() < 0.5:
            access = _access(r, systems, current=True)
        elif r.random() < 0.3:
            access = _access(r, systems, current=False)
        parent = f"{stem(r)} Holdings Inc." if r.random() < 0.12 else ""
        out.append(
            Supplier(
                "",
                f"{word} {r.choice(endings)}",
                category,
                tuple(r.sample(offers, r.choice((1, 2)))),
                uei=uei(r),
                cage=cage(r) if r.random() < 0.7 else "",
                country=_country(r, category),
                parent_name=parent,
                parent_uei=uei(r) if parent and r.random() < 0.5 else "",
                reps=reps,
                access=access,
            )
        )
    return out


def with_clean_deliveries(suppliers: list[Supplier]) -> tuple[list[Supplier], list[Product]]:
    """Give a few background software and integrator suppliers clean SBOMs and inventories."""
    products, out, pending = [], [], list(CLEAN_PRODUCTS)
    for supplier in suppliers:
        if pending and supplier.category in ("software", "integrator") and supplier.access:
            title, stack = pending.pop(0)
            maker = supplier.name
            slug = f"{supplier.name.split()[0].lower()}-{title.split()[0].lower()}"
            name = f"{supplier.name.split()[0]} {title}"
            product = Product(slug, name, "2.3.1", maker, stack, folder=slug.split("-")[0])
            products.append(product)
            supplier = dataclasses.replace(
                supplier,
                delivered=(Delivered(product.path, "sbom", dt.date(2026, 7, 1)),),
                group="hard_negative",
                note="Delivered a clean SBOM while representing 'does not'.",
            )
        out.append(supplier)
    return out, products


def with_clean_inventory(suppliers: list[Supplier]) -> tuple[list[Supplier], list[Fleet]]:
    """Give one background consultancy with access a clean laptop inventory."""
    out, fleets = [], []
    for supplier in suppliers:
        if not fleets and supplier.category == "consulting" and supplier.access:
            slug = supplier.name.split()[0].lower()
            fleets.append(Fleet(slug, f"{slug}.example", 3))
            path = f"delivered/{slug}/AppInvRawData.csv"
            supplier = dataclasses.replace(
                supplier,
                delivered=(Delivered(path, "inventory", dt.date(2026, 8, 20)),),
                group="hard_negative",
                note="Delivered a clean inventory while representing 'does not use'.",
            )
        out.append(supplier)
    return out, fleets


def assemble() -> tuple[list[Supplier], list[Product], list[Fleet]]:
    special, late = planted() + hard_negatives(), late_additions()
    taken = {s.name for s in special + late}
    crowd = background(SIZE - len(special), taken)  # drawn as before the late additions
    rest, products = with_clean_deliveries(crowd[: len(crowd) - len(late)])
    rest, fleets = with_clean_inventory(rest)
    everyone = special + rest + late
    rng("order").shuffle(everyone)
    numbered = [dataclasses.replace(s, id=f"SUP-{n:04d}") for n, s in enumerate(everyone, 1)]
    return numbered, [*PRODUCTS, *products], [*FLEETS, *fleets, *LATE_FLEETS]


def write_register(out: Path, suppliers: Sequence[Supplier]) -> None:
    write_csv(
        out / "suppliers.csv",
        COLUMNS[RegisterKind.SUPPLIERS],
        (
            (
                s.id,
                s.name,
                s.uei,
                s.cage,
                "",
                s.country,
                s.parent_name,
                s.parent_uei,
                ";".join(s.provides),
            )
            for s in suppliers
        ),
    )
    write_csv(
        out / "representations.csv",
        COLUMNS[RegisterKind.REPRESENTATIONS],
        (
            (
                s.id,
                p.clause,
                p.provides,
                p.uses,
                p.disclosure,
                p.signed_on,
                p.signer,
                p.expires_on,
            )
            for s in suppliers
            for p in s.reps
        ),
    )
    write_csv(
        out / "access.csv",
        COLUMNS[RegisterKind.ACCESS],
        ((s.id, a.system, a.tenant, a.start, a.end) for s in suppliers for a in s.access),
    )
    write_csv(
        out / "deliveries.csv",
        COLUMNS[RegisterKind.DELIVERIES],
        ((s.id, d.path, d.kind, d.delivered_on) for s in suppliers for d in s.delivered),
    )


def write_delivered(out: Path, products: Sequence[Product], fleets: Sequence[Fleet]) -> None:
    for product in products:
        path = out / product.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(sbom(product), indent=2, ensure_ascii=False) + "\n", "utf-8")
    r = rng("people")
    for fleet in fleets:
        people = [_person(r) for _ in range(fleet.devices)]
        rows = inventory(fleet, people)
        path = out / "delivered" / fleet.slug / "AppInvRawData.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
            writer.writerow(INTUNE_HEADER)
            writer.writerows(rows)


def labels(suppliers: Sequence[Supplier]) -> dict[str, object]:
    cases = {
        s.id: {"name": s.name, "group": s.group, "expected": list(s.expected), "note": s.note}
        for s in suppliers
        if s.group != "background"
    }
    return {
        "synthetic": True,
        "today": TODAY.isoformat(),
        "suppliers": len(suppliers),
        "rule": "every supplier not listed here is expected to report nothing",
        "cases": cases,
    }


def generate(out: Path) -> None:
    for generated in ("delivered", "lists"):  # no stale files from an earlier cast
        shutil.rmtree(out / generated, ignore_errors=True)
    suppliers, products, fleets = assemble()
    write_register(out, suppliers)
    write_delivered(out, products, fleets)
    write_lists(out)
    text = json.dumps(labels(suppliers), indent=2, ensure_ascii=False) + "\n"
    (out / "labels.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    generate(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
