"""Exceptions keep findings visible as waived, with who approved them, until they expire."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from rootout.catalog import Catalog, load_catalog
from rootout.errors import NotFoundError, RootoutError
from rootout.store import queries
from rootout.store import repository as repo
from rootout.store.db import connect
from rootout.store.suppress import Scope, add_suppression, remove_suppression, suppressions
from tests.conftest import FIXTURES
from tests.store.test_repository import program, scan_of


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog([FIXTURES / "catalog" / "engine"], builtin=False)


@pytest.fixture
def engine(db_url: str, catalog: Catalog) -> Iterator[sa.Engine]:
    engine = connect(db_url)
    record, findings = scan_of(
        catalog,
        [program("h1", "Parentco Antivirus"), program("h2", "Parentco Antivirus")],
        "a" * 64,
    )
    repo.save_scan(engine, record, findings, catalog)
    yield engine
    engine.dispose()


def statuses(engine: sa.Engine) -> dict[str, str]:
    return {r["observation"]["asset"]["name"]: r["status"] for r in queries.list_findings(engine)}


def test_waived_findings_stay_visible(engine: sa.Engine) -> None:
    rule = add_suppression(
        engine,
        Scope.ASSET,
        "host:name:h1",
        justification="lab machine, isolated",
        approver="CISO",
        expires=None,
    )
    assert statuses(engine) == {"h1": "waived", "h2": "active"}
    waived = next(r for r in queries.list_findings(engine) if r["status"] == "waived")
    assert waived["waived_by"] == rule.id
    active_only = queries.list_findings(engine, queries.FindingFilter(statuses=("active",)))
    assert [r["observation"]["asset"]["name"] for r in active_only] == ["h2"]


def test_expired_exceptions_no_longer_waive(engine: sa.Engine) -> None:
    add_suppression(
        engine,
        Scope.SIGNATURE,
        "s.av.name",
        justification="migration window",
        approver="CIO",
        expires=dt.date.today() - dt.timedelta(days=1),
    )
    assert set(statuses(engine).values()) == {"active"}


def test_exceptions_need_a_justification_and_are_logged(engine: sa.Engine) -> None:
    with pytest.raises(RootoutError, match="justification"):
        add_suppression(
            engine, Scope.ENTITY, "e.parent", justification=" ", approver="CISO", expires=None
        )
    rule = add_suppression(
        engine, Scope.ENTITY, "e.parent", justification="pilot", approver="CISO", expires=None
    )
    remove_suppression(engine, rule.id, reason="pilot over")
    assert suppressions(engine) == []
    actions = [e["action"] for e in repo.events_for(engine, "exception", rule.id)]
    assert actions == ["exception.added", "exception.removed"]
    with pytest.raises(NotFoundError):
        remove_suppression(engine, rule.id, reason="again")
