"""The register and supplier findings in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine

from rootout.errors import NotFoundError
from rootout.store import repository as repo
from rootout.store.db import connect
from rootout.suppliers import store
from rootout.suppliers.service import import_file, import_list, screen_and_store
from rootout.suppliers.views import stored_findings, supplier_detail, supplier_list

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 28)
FILES = ("suppliers.csv", "representations.csv", "access.csv", "deliveries.csv")


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """A copy of the fixture register (tests change files in it)."""
    target = tmp_path / "register"
    shutil.copytree(FIXTURES / "register", target)
    return target


@pytest.fixture
def engine(db_url: str) -> Engine:
    return connect(db_url)


def _import_all(engine: Engine, folder: Path, tenant: str = "default") -> list[store.ImportOutcome]:
    outcomes = [import_file(engine, folder / name, tenant=tenant) for name in FILES]
    for name in ("csl.csv", "sam-exclusions.csv"):
        outcomes.append(import_list(engine, FIXTURES / "lists" / name, tenant=tenant))
    return outcomes


def test_import_then_reimport_changes_nothing(engine: Engine, register: Path) -> None:
    first = _import_all(engine, register)
    assert [(o.kind, o.added, o.problems) for o in first] == [
        ("suppliers", 9, ()),
        ("representations", 7, ()),
        ("access", 7, ()),
        ("deliveries", 2, ()),
        ("csl", 3, ()),
        ("sam_exclusions", 2, ()),
    ]
    again = _import_all(engine, register)
    assert [(o.added, o.changed) for o in again] == [(0, 0)] * 6
    assert [o.unchanged for o in again] == [9, 7, 7, 2, 3, 2]
    assert again[0].summary() == ("suppliers: 9 rows, 0 added, 0 changed, 9 unchanged, 0 skipped")


def test_a_changed_row_is_updated_and_counted(engine: Engine, register: Path) -> None:
    import_file(engine, register / "suppliers.csv")
    path = register / "suppliers.csv"
    path.write_text(path.read_text().replace("Wingtip Couriers,", "Wingtip Couriers Ltd,"))
    outcome = import_file(engine, path)
    assert (outcome.added, outcome.changed, outcome.unchanged) == (0, 1, 8)
    loaded = store.load_register(engine, supplier_id="SUP-005").suppliers
    assert [s.name for s in loaded] == ["Wingtip Couriers Ltd"]


def test_bad_rows_are_skipped_and_the_rest_stored(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "suppliers.csv"
    path.write_text(
        "supplier_id,name,uei,cage,duns,country,parent_name,parent_uei,provides\n"
        "S1,Good One Inc,,,,US,,,\n"
        "S2,Bad Country,,,,QQ,,,\n"
    )
    outcome = import_file(engine, path)
    assert outcome.added == 1
    assert [(p.line, p.reason.split(":")[0]) for p in outcome.problems] == [
        (3, "unknown country code 'QQ'")
    ]
    assert [s.id for s in store.load_register(engine).suppliers] == ["S1"]


def test_a_missing_delivered_file_is_reported_at_import(engine: Engine, register: Path) -> None:
    (register / "delivered" / "sup-008-programs.json").unlink()
    outcome = import_file(engine, register / "deliveries.csv")
    assert outcome.added == 1
    assert [(p.line, p.reason) for p in outcome.problems] == [
        (3, "delivered file not found: delivered/sup-008-programs.json")
    ]


def test_the_register_round_trips(engine: Engine, register: Path) -> None:
    _import_all(engine, register)
    loaded = store.load_register(engine)
    assert [s.id for s in loaded.suppliers] == [f"SUP-00{n}" for n in range(1, 10)]
    contoso = loaded.by_id["SUP-002"]
    assert (contoso.uei, contoso.cage, contoso.country) == ("C4HV8ZP3MJ6B", "3K9T2", "US")
    rep = next(r for r in loaded.representations if r.supplier_id == "SUP-008")
    assert (rep.uses, rep.provides, rep.expires_on) == (True, False, dt.date(2026, 12, 15))
    assert rep.disclosure is not None
    assert rep.disclosure.startswith("Kaspersky Endpoint Security on build hosts")
    delivery = loaded.deliveries_of("SUP-001")[0]
    assert Path(delivery.path) == register / "delivered" / "mail-gateway.cdx.json"
    assert len(store.load_entries(engine)) == 5


def test_tenants_do_not_see_each_other(engine: Engine, register: Path) -> None:
    _import_all(engine, register, tenant="acme")
    assert store.load_register(engine, tenant="other").suppliers == ()
    assert store.load_entries(engine, tenant="other") == ()
    assert supplier_list(engine, tenant="other") == []
    with pytest.raises(NotFoundError, match="no supplier 'SUP-001'"):
        supplier_detail(engine, "SUP-001", tenant="other")


def test_screening_stores_supplier_findings_and_is_idempotent(
    engine: Engine, register: Path
) -> None:
    _import_all(engine, register)
    first = screen_and_store(engine, today=TODAY)
    assert len(first.saved.new) == len(first.findings) == 10
    rows = repo.finding_rows(engine)
    assert {r["basis"] for r in rows} == {"supplier"}
    contradiction = next(
        r
        for r in rows
        if r["matched_field"] == "representation_contradicted"
        and r["asset_key"] == "supplier:name:sup-001"
    )
    assert contradiction["entity"] == "kaspersky.ao-kaspersky-lab"
    assert contradiction["explanation"][-1]["text"].startswith("ask the supplier for a corrected")
    assert any(s["sources"] for s in contradiction["explanation"])  # catalog sources resolved
    again = screen_and_store(engine, today=TODAY)
    assert again.saved.reused
    assert again.saved.scan_id == first.saved.scan_id


def test_a_resolved_case_is_marked_gone_on_the_next_screening(
    engine: Engine, register: Path
) -> None:
    _import_all(engine, register)
    screen_and_store(engine, today=TODAY)
    missing = [
        f
        for f in stored_findings(engine, tenant="default")
        if f["kind"] == "representation_missing"
    ]
    assert [f["supplier_key"] for f in missing] == ["supplier:name:sup-004"]
    reps = register / "more-representations.csv"
    reps.write_text(
        "supplier_id,clause,provides,uses,disclosure,signed_on,signer,expires_on\n"
        "SUP-004,52.204-26,does not,does not,,2026-11-20,Pat Kim,2027-11-20\n"
    )
    import_file(engine, reps)
    later = screen_and_store(engine, today=TODAY)
    assert later.saved.gone == (missing[0]["id"],)
    detail = supplier_detail(engine, "SUP-004", today=TODAY)
    assert detail["findings"] == []
    assert detail["representations"][0]["signer"] == "Pat Kim"
