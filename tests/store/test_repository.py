"""The store on a real SQLite file: idempotent scans, new/gone findings, tenants."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from rootout.catalog import Catalog, load_catalog
from rootout.errors import NotFoundError
from rootout.match.engine import Matcher
from rootout.model.finding import Finding
from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind, SourceRef
from rootout.store import repository as repo
from rootout.store.db import resolve_url
from tests.conftest import FIXTURES

START = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog([FIXTURES / "catalog" / "engine"], builtin=False)


def program(host: str, name: str, fmt: str = "osquery-json") -> Observation:
    return Observation(
        ObservationKind.PROGRAM,
        {"name": name},
        Asset(AssetKind.HOST, host),
        SourceRef(f"{host}.json", 3, "", fmt),
        START,
    )


def scan_of(
    catalog: Catalog, observations: list[Observation], sha: str
) -> tuple[repo.ScanRecord, list[Finding]]:
    findings = list(Matcher(catalog).match(observations))
    assets = {}
    for o in observations:
        assets[o.asset.key] = repo.AssetSeen(
            o.asset.key, o.asset.kind.value, o.asset.name, (), (), 1, frozenset({o.source.format})
        )
    record = repo.ScanRecord(
        started_at=START,
        finished_at=START,
        catalog_version=catalog.version,
        engine="python",
        inputs=(
            repo.InputRecord("inventory.json", sha, 10, "osquery-json", len(observations), None),
        ),
        assets=tuple(assets.values()),
    )
    return record, findings


def test_same_inputs_twice_is_a_no_op(engine: sa.Engine, catalog: Catalog) -> None:
    record, findings = scan_of(catalog, [program("h1", "Parentco Antivirus")], "a" * 64)
    first = repo.save_scan(engine, record, findings, catalog)
    second = repo.save_scan(engine, record, findings, catalog)
    assert not first.reused
    assert second.reused
    assert first.scan_id == second.scan_id
    assert len(repo.scan_rows(engine)) == 1
    assert len(repo.finding_rows(engine)) == 1


def test_rescan_reports_new_seen_and_gone(engine: sa.Engine, catalog: Catalog) -> None:
    record, findings = scan_of(
        catalog, [program("h1", "Parentco Antivirus"), program("h2", "Hostco Gateway")], "a" * 64
    )
    first = repo.save_scan(engine, record, findings, catalog)
    assert len(first.new) == 1  # the gateway is not a finding in 2025
    # h1 removed the product; h3 newly has it
    record2, findings2 = scan_of(
        catalog, [program("h1", "Notepad"), program("h3", "Parentco Antivirus")], "b" * 64
    )
    second = repo.save_scan(engine, record2, findings2, catalog)
    assert second.gone == first.new
    assert len(second.new) == 1
    assert second.new != first.new
    gone_row = repo.get_finding(engine, first.new[0])
    assert (gone_row["status"], gone_row["gone_in_scan"]) == ("gone", second.scan_id)
    assert [e["action"] for e in repo.events_for(engine, "finding", first.new[0])] == [
        "finding.new",
        "finding.gone",
    ]


def test_an_asset_not_rescanned_keeps_its_findings(engine: sa.Engine, catalog: Catalog) -> None:
    record, findings = scan_of(catalog, [program("h1", "Parentco Antivirus")], "a" * 64)
    repo.save_scan(engine, record, findings, catalog)
    record2, findings2 = scan_of(catalog, [program("h9", "Notepad")], "c" * 64)
    assert repo.save_scan(engine, record2, findings2, catalog).gone == ()


def test_a_different_input_format_does_not_mark_findings_gone(
    engine: sa.Engine, catalog: Catalog
) -> None:
    record, findings = scan_of(catalog, [program("h1", "Parentco Antivirus")], "a" * 64)
    repo.save_scan(engine, record, findings, catalog)
    record2, findings2 = scan_of(catalog, [program("h1", "Notepad", fmt="zeek-dns")], "d" * 64)
    assert repo.save_scan(engine, record2, findings2, catalog).gone == ()


def test_tenants_are_kept_apart(engine: sa.Engine, catalog: Catalog) -> None:
    record, findings = scan_of(catalog, [program("h1", "Parentco Antivirus")], "a" * 64)
    repo.save_scan(engine, record, findings, catalog, tenant="customer-a")
    assert repo.finding_rows(engine, tenant="customer-b") == []
    finding_id = repo.finding_rows(engine, tenant="customer-a")[0]["id"]
    with pytest.raises(NotFoundError):
        repo.get_finding(engine, finding_id, tenant="customer-b")


def test_stored_finding_keeps_explanation_with_source_urls(
    engine: sa.Engine, catalog: Catalog
) -> None:
    record, findings = scan_of(catalog, [program("h1", "Parentco Antivirus 2.0")], "a" * 64)
    repo.save_scan(engine, record, findings, catalog)
    row = repo.get_finding(engine, findings[0].id[:8])
    signature_step = next(s for s in row["explanation"] if s["kind"] == "signature")
    assert signature_step["sources"] == [
        {"id": "src.t", "url": "https://example.org/t", "title": "Test", "reliability": "official"}
    ]
    assert row["observation"]["source"] == {
        "path": "h1.json",
        "line": 3,
        "pointer": "",
        "format": "osquery-json",
    }


def test_interrupted_save_leaves_nothing(
    engine: sa.Engine, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    record, findings = scan_of(catalog, [program("h1", "Parentco Antivirus")], "a" * 64)

    def boom(*args: object, **kwargs: object) -> list[str]:
        raise KeyboardInterrupt

    monkeypatch.setattr(repo, "_mark_gone", boom)
    with pytest.raises(KeyboardInterrupt):
        repo.save_scan(engine, record, findings, catalog)
    assert repo.scan_rows(engine) == []
    assert repo.finding_rows(engine) == []


def test_bare_paths_and_postgres_urls_resolve(tmp_path: Path) -> None:
    assert resolve_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert resolve_url("postgresql://u:p@localhost/db") == "postgresql+psycopg://u:p@localhost/db"
