"""osquery packs: every query runs in SQLite and returns the rows rootout flags."""

from __future__ import annotations

import io
import json
import re
import sqlite3
from functools import cache
from pathlib import Path

import pytest

from rootout.catalog.catalog import Catalog, load_catalog
from rootout.catalog.model import MatchMode
from rootout.catalog.model import SignatureKind as K
from rootout.export import osquery
from rootout.export.sql import glob_to_like, predicate, quote
from rootout.ingest.formats._osquery_tables import TABLES as READER_TABLES
from rootout.ingest.formats._osquery_tables import tables_named_in
from rootout.ingest.formats.osquery import OsqueryJsonReader
from rootout.match.engine import Matcher

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inputs" / "osquery"
EXPORTED = [spec for spec in osquery.TABLES if (FIXTURES / f"{spec.table}.json").exists()]


@cache
def catalog() -> Catalog:
    return load_catalog()


def fixture_db(table: str) -> tuple[sqlite3.Connection, list[dict[str, str]]]:
    """An in-memory table with osquery's columns, filled from the fixture inventory."""
    rows: list[dict[str, str]] = json.loads((FIXTURES / f"{table}.json").read_text("utf-8"))
    columns = sorted(READER_TABLES[table].columns)
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE TABLE {table} (rowid_ INTEGER, {', '.join(columns)})")
    for number, row in enumerate(rows):
        values = [number, *(row.get(c) for c in columns)]
        marks = ", ".join("?" * len(values))
        db.execute(f"INSERT INTO {table} VALUES ({marks})", values)
    return db, rows


def flagged_rows(table: str) -> dict[int, set[str]]:
    """Row number → ids of the catalog signatures rootout verifies on it (kinds the pack covers)."""
    path = FIXTURES / f"{table}.json"
    observations = list(OsqueryJsonReader().read(path, io.BytesIO(path.read_bytes())))
    matcher = Matcher(catalog())
    flagged: dict[int, set[str]] = {}
    for number, observation in enumerate(observations):
        for hit in matcher.hits(observation):
            signature = catalog().signatures.get(hit.verdict.signature_id)
            if signature is None or signature.kind not in osquery.COVERED_KINDS:
                continue  # fuzzy organisation names: rootout's own stage, not a signature
            if signature.match is MatchMode.REGEX:
                continue  # deliberately not exported (docs/content.md)
            flagged.setdefault(number, set()).add(signature.id)
    return flagged


@pytest.mark.parametrize("spec", EXPORTED, ids=lambda s: s.table)
def test_pack_query_returns_every_row_rootout_flags(spec: osquery.TableQuery) -> None:
    query = osquery.table_query(catalog(), spec, sorted(spec.platforms)[0])
    assert query is not None
    db, rows = fixture_db(spec.table)
    sql = query.sql.replace("SELECT *", "SELECT rowid_", 1)
    returned = {number for (number,) in db.execute(sql)}
    flagged = flagged_rows(spec.table)
    missed = {n: (rows[n], ids) for n, ids in flagged.items() if n not in returned}
    assert not missed


@pytest.mark.parametrize("spec", EXPORTED, ids=lambda s: s.table)
def test_each_signature_rootout_verifies_on_a_row_selects_that_row(
    spec: osquery.TableQuery,
) -> None:
    """Per signature, not per row: a row flagged twice must not hide one broken predicate."""
    db, _ = fixture_db(spec.table)
    for number, ids in flagged_rows(spec.table).items():
        for signature_id in ids:
            where = osquery.signature_where(spec, catalog().signatures[signature_id])
            assert where is not None, signature_id
            selected = {n for (n,) in db.execute(f"SELECT rowid_ FROM {spec.table} WHERE {where}")}
            assert number in selected, signature_id


@pytest.mark.parametrize("spec", EXPORTED, ids=lambda s: s.table)
def test_fixture_tables_have_something_to_find(spec: osquery.TableQuery) -> None:
    """Keeps the parity test above meaningful: fixtures where rootout flags nothing prove little."""
    flagged = flagged_rows(spec.table)
    if spec.table == "kernel_modules":
        pytest.skip("fixture carries no covered-vendor row for the exported columns")
    assert flagged


@pytest.mark.parametrize("platform", osquery.PLATFORMS)
def test_every_pack_query_parses_and_has_the_pack_fields(platform: str) -> None:
    pack = json.loads(osquery.pack_files(catalog())[f"rootout-{platform}.json"])
    assert pack["queries"]
    for name, query in pack["queries"].items():
        assert set(query) == {"query", "interval", "platform", "description", "removed"}
        assert query["platform"] == platform
        assert query["removed"] is False
        table = name.removeprefix("rootout_")
        db = sqlite3.connect(":memory:")
        db.execute(f"CREATE TABLE {table} ({', '.join(sorted(READER_TABLES[table].columns))})")
        db.execute(query["query"]).fetchall()  # raises sqlite3.OperationalError if malformed


def test_query_names_name_their_table_for_the_results_reader() -> None:
    for spec in osquery.TABLES:
        assert tables_named_in(f"pack_rootout_rootout_{spec.table}")[0] == spec.table


def run(expr: str, value: str) -> bool:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (col)")
    db.execute("INSERT INTO t VALUES (?)", (value,))
    return db.execute(f"SELECT count(*) FROM t WHERE {expr}").fetchone()[0] == 1


def test_quotes_and_like_wildcards_are_literal() -> None:
    assert quote("O'Brien") == "'O''Brien'"
    exact = predicate("col", K.PACKAGE, MatchMode.EXACT, "o'brien_x")
    assert exact is not None
    assert run(exact, "O'Brien_x")
    assert not run(exact, "obrien_x")
    prefix = predicate("col", K.PACKAGE, MatchMode.PREFIX, "a_b%")
    assert prefix is not None
    assert run(prefix, "a_b%c")
    assert not run(prefix, "axb%c")
    assert glob_to_like("kl*.sys") == "kl%.sys"
    assert glob_to_like("avp[0-9]*") == "avp_%"


def test_tokens_predicate_needs_whole_words() -> None:
    expr = predicate("col", K.PRODUCT_NAME, MatchMode.TOKENS, "kaspersky")
    assert expr is not None
    assert run(expr, "Kaspersky Free")
    assert run(expr, "AO Kaspersky-Lab")
    assert not run(expr, "Kasperskyish Tools")


def test_name_predicate_allows_version_tails_but_not_other_words_first() -> None:
    expr = predicate("col", K.PRODUCT_NAME, MatchMode.NAME, "Kaspersky Endpoint Security")
    assert expr is not None
    assert run(expr, "Kaspersky Endpoint Security 12.4")
    assert not run(expr, "Not Kaspersky Endpoint Security")


def test_drivers_basename_expression_takes_the_file_name() -> None:
    db = sqlite3.connect(":memory:")
    got = db.execute(f"SELECT {osquery.basename('?1')}", (r"C:\Windows\System32\klif.sys",))
    assert got.fetchone()[0] == "klif.sys"
    assert re.search(r"rootout_drivers", json.dumps(osquery.pack(catalog(), "windows")))


def test_docs_name_every_exported_table_and_mode() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "content.md").read_text("utf-8")
    for spec in osquery.TABLES:
        assert f"`{spec.table}`" in text
    for mode in MatchMode:
        assert f"| {mode.value}" in text
