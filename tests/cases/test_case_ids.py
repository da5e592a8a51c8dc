"""Case ids: ``C<n>`` per tenant, handed out atomically, also by concurrent transactions."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from rootout import cases
from rootout.cases import records
from rootout.catalog import Catalog
from rootout.store import repository as repo
from rootout.store import schema as t
from rootout.store.db import MIGRATIONS, connect, resolve_url
from tests.cases.conftest import KES, SEEN, program, store_scan

ACME = "acme"


def new_case(conn: sa.Connection, tenant: str) -> str:
    """What ``case open`` does for a new group: take an id and insert the case under it."""
    case_id = records.next_case_id(conn, tenant)
    records.insert_case(
        conn,
        tenant,
        {
            "id": case_id,
            "group_key": f"group-{case_id}",
            "title": case_id,
            "entity": "kaspersky",
            "product": None,
            "matched_entity": "kaspersky",
            "org_unit": "unassigned",
            "identified_at": SEEN,
            "identified_how": "test",
        },
    )
    return case_id


def stored_ids(engine: sa.Engine, tenant: str) -> list[str]:
    with engine.connect() as conn:
        return [r["id"] for r in records.case_rows(conn, tenant)]


def in_threads(count: int, work: Callable[[int], None]) -> list[BaseException]:
    """Run ``work(i)`` in ``count`` threads released together; the errors they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            start.wait()
            work(index)
        except BaseException as exc:  # reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def test_ids_count_up_per_tenant_and_tenants_are_independent(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        repo.ensure_tenant(conn, repo.DEFAULT_TENANT)
        repo.ensure_tenant(conn, ACME)
        assert [new_case(conn, repo.DEFAULT_TENANT) for _ in range(2)] == ["C1", "C2"]
        assert new_case(conn, ACME) == "C1"
        assert new_case(conn, repo.DEFAULT_TENANT) == "C3"
    assert stored_ids(engine, repo.DEFAULT_TENANT) == ["C1", "C2", "C3"]
    assert stored_ids(engine, ACME) == ["C1"]


def test_a_rolled_back_transaction_gives_its_id_back(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        repo.ensure_tenant(conn, repo.DEFAULT_TENANT)
        new_case(conn, repo.DEFAULT_TENANT)
    with engine.connect() as conn, conn.begin() as transaction:
        assert new_case(conn, repo.DEFAULT_TENANT) == "C2"
        transaction.rollback()
    with engine.begin() as conn:
        assert new_case(conn, repo.DEFAULT_TENANT) == "C2"


def test_an_existing_store_keeps_counting_after_its_highest_id(db_url: str) -> None:
    old = sa.create_engine(resolve_url(db_url))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with old.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0007")  # the schema before case counters
    with old.begin() as conn:
        for tenant, numbers in ((repo.DEFAULT_TENANT, (1, 2, 3)), (ACME, (2, 10))):
            repo.ensure_tenant(conn, tenant)
            for number in numbers:
                conn.execute(
                    sa.insert(t.cases).values(
                        tenant_id=tenant,
                        id=f"C{number}",
                        group_key=f"g{number}",
                        title="old case",
                        entity="kaspersky",
                        matched_entity="kaspersky",
                        org_unit="unassigned",
                        status="open",
                        identified_at=SEEN,
                        identified_how="before 0008",
                        suppressions=[],
                        obligations_done={},
                        created_at=SEEN,
                        updated_at=SEEN,
                    )
                )
    old.dispose()

    engine = connect(db_url)  # migrates to the newest revision
    with engine.begin() as conn:
        assert new_case(conn, repo.DEFAULT_TENANT) == "C4"
        assert new_case(conn, ACME) == "C11"  # by number: "C2" sorts after "C10" as text
    assert stored_ids(engine, repo.DEFAULT_TENANT) == ["C1", "C2", "C3", "C4"]
    engine.dispose()


def test_a_tenant_without_a_counter_starts_after_its_highest_id(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        repo.ensure_tenant(conn, ACME)
        for _ in range(3):
            new_case(conn, ACME)
        conn.execute(sa.delete(t.case_counters).where(t.case_counters.c.tenant_id == ACME))
    with engine.begin() as conn:
        assert new_case(conn, ACME) == "C4"


def test_concurrent_transactions_never_share_an_id(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        repo.ensure_tenant(conn, repo.DEFAULT_TENANT)
        repo.ensure_tenant(conn, ACME)

    def work(index: int) -> None:
        tenant = ACME if index % 2 else repo.DEFAULT_TENANT
        for _ in range(5):
            with engine.begin() as conn:
                new_case(conn, tenant)

    assert in_threads(4, work) == []
    assert stored_ids(engine, repo.DEFAULT_TENANT) == [f"C{n}" for n in range(1, 11)]
    assert stored_ids(engine, ACME) == [f"C{n}" for n in range(1, 11)]


def wait_for_a_lock_wait(engine: sa.Engine, waiter: threading.Thread) -> None:
    """Return once another session of this database waits for a lock; fail if none does."""
    query = sa.text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + 20
    with engine.connect() as conn:
        while not conn.execute(query).scalar_one():
            conn.rollback()  # PostgreSQL keeps one snapshot of the activity per transaction
            if not waiter.is_alive() or time.monotonic() > deadline:
                pytest.fail("the second transaction never waited for the first")
            time.sleep(0.02)


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)  # lock waits are PostgreSQL's
@pytest.mark.parametrize("before", [0, 2], ids=["new-counter", "existing-counter"])
def test_a_second_transaction_waits_for_the_first_then_takes_the_next_id(
    engine: sa.Engine, before: int
) -> None:
    postgres = engine
    with postgres.begin() as conn:
        repo.ensure_tenant(conn, repo.DEFAULT_TENANT)
        for _ in range(before):
            new_case(conn, repo.DEFAULT_TENANT)
    outcome: dict[str, object] = {}

    def take_one() -> None:
        try:
            with postgres.begin() as conn:
                outcome["id"] = new_case(conn, repo.DEFAULT_TENANT)
        except sa.exc.SQLAlchemyError as exc:
            outcome["error"] = exc

    with postgres.connect() as conn, conn.begin():
        first = new_case(conn, repo.DEFAULT_TENANT)
        thread = threading.Thread(target=take_one)
        thread.start()
        wait_for_a_lock_wait(postgres, thread)  # the other transaction is blocked on ours
    thread.join(60)
    assert (first, outcome) == (f"C{before + 1}", {"id": f"C{before + 2}"})
    assert stored_ids(postgres, repo.DEFAULT_TENANT) == [f"C{n}" for n in range(1, before + 3)]


def test_two_scans_grouped_at_the_same_time_each_case_their_findings_once(
    engine: sa.Engine, catalog: Catalog
) -> None:
    for round_ in range(3):
        for side in ("a", "b"):
            host = f"{side}-{round_}"
            store_scan(engine, catalog, [program(host, KES, host)], f"{side}{round_}")
        errors = in_threads(2, lambda _i: cases.open_cases(engine, catalog))
        assert errors == []
    with engine.connect() as conn:
        ids = [r["id"] for r in records.case_rows(conn, repo.DEFAULT_TENANT)]
        members = records.members(conn, repo.DEFAULT_TENANT, ids)
    assert ids == [f"C{n}" for n in range(1, 7)]
    assert sorted(len(found) for found in members.values()) == [1] * 6
