"""Absence attestations: what was and was not inspected, and a digest anyone can re-check."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import delete, update

from rootout.report import attestation
from rootout.report.attest_verify import verify
from rootout.report.data import Scope
from rootout.scanning import scan
from rootout.store import schema as t
from rootout.store.db import connect
from tests.conftest import FIXTURES
from tests.report import estate


def _write(store: estate.Store, path: Path, scope: Scope | None = None) -> Path:
    data = store.data(scope)
    body = attestation.render_json(data) if path.suffix == ".json" else attestation.render(data)
    path.write_text(body, encoding="utf-8")
    return path


def test_digest_is_the_sha256_of_the_canonical_payload(store: estate.Store) -> None:
    data = store.data()
    body = attestation.payload(data)
    document = json.loads(attestation.render_json(data))
    assert document["payload"] == body
    assert document["digest"]["value"] == attestation.digest(body)
    assert attestation.canonical({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()
    assert attestation.digest(attestation.payload(store.data())) == attestation.digest(body)


def test_it_lists_inputs_with_hashes_and_what_could_not_be_read(store: estate.Store) -> None:
    text = attestation.render(store.data())
    assert (
        "| estate/README.txt | - | `78486431b410c02f73c6251b377e55294dcc37ca8329596f9e1c0218c6f098ef` | 90 | 0 | NOT READ |"
        in text
    )
    assert "estate/README.txt: format not recognised; nothing read" in text
    assert "estate/zeek-dns-broken.log: read in part (2 observations before the error)" in text
    seen = {f for scan in store.data().scans for f in scan.sightings}
    assert f"**Covered products were found:** {len(seen)} finding(s)" in text


def test_none_found_is_stated_explicitly(tmp_path: Path) -> None:
    db = str(tmp_path / "clean.db")
    outcome = scan([FIXTURES / "inputs" / "certs" / "example-corp-chain.pem"], db=db)
    store = estate.Store(db, outcome.catalog, (outcome.scan_id,))
    text = attestation.render(store.data())
    assert "**None found.** No observation in the inputs listed below matched" in text
    assert "## Findings\nNone found." in text
    assert "Every input listed above was read in full." in text


def test_an_empty_store_attests_nothing(empty: estate.Store) -> None:
    text = attestation.render(empty.data())
    assert "**Nothing was scanned.**" in text
    assert "cannot support a representation that covered products are absent" in text


def test_verify_accepts_an_untouched_attestation_in_both_forms(
    store: estate.Store, tmp_path: Path
) -> None:
    engine = connect(store.db)
    for name in ("a.md", "a.json"):
        result = verify(_write(store, tmp_path / name), engine, store.catalog)
        assert result.valid, result.changes


def test_verify_finds_edited_text(store: estate.Store, tmp_path: Path) -> None:
    path = _write(store, tmp_path / "a.md")
    path.write_text(path.read_text().replace("**Covered products were found:**", "**None found.**"))
    result = verify(path, connect(store.db), store.catalog)
    assert not result.valid
    assert result.changes[0].startswith("the document text was edited (first at line")


def test_verify_finds_an_edited_payload_and_says_what_differs(
    store: estate.Store, tmp_path: Path
) -> None:
    path = _write(store, tmp_path / "a.json")
    document = json.loads(path.read_text())
    dropped = document["payload"]["record"]["findings"].pop()
    path.write_text(json.dumps(document))
    result = verify(path, connect(store.db), store.catalog)
    assert not result.document_intact
    assert result.changes[0].startswith("the payload does not match its digest")
    assert f"finding {dropped['id']} is in the store but was not attested" in result.changes


def test_verify_finds_a_changed_store(fresh: estate.Store, tmp_path: Path) -> None:
    path = _write(fresh, tmp_path / "a.md")
    engine = connect(fresh.db)
    with engine.begin() as conn:
        conn.execute(
            update(t.inputs).where(t.inputs.c.path == "estate/nmap-hq.xml").values(sha256="0" * 64)
        )
        conn.execute(delete(t.sightings).where(t.sightings.c.finding_id == "Fe68410667611f27"))
    result = verify(path, engine, fresh.catalog)
    assert result.document_intact
    assert not result.valid
    assert any("input estate/nmap-hq.xml: sha256 was '41341ce4" in c for c in result.changes)
    assert "finding Fe68410667611f27 was attested but is not in the store" in result.changes


def test_a_later_scan_does_not_invalidate_an_attestation(
    fresh: estate.Store, tmp_path: Path
) -> None:
    path = _write(fresh, tmp_path / "a.md")
    scan([FIXTURES / "inputs" / "certs" / "example-corp-chain.pem"], db=fresh.db)
    assert verify(path, connect(fresh.db), fresh.catalog).valid


def test_a_removed_scan_is_reported(fresh: estate.Store, tmp_path: Path) -> None:
    path = _write(fresh, tmp_path / "a.md", Scope(asset="certutil"))
    engine = connect(fresh.db)
    first = fresh.scan_ids[0]
    with engine.begin() as conn:
        for table in (t.sightings, t.inputs, t.scan_assets, t.observation_chunks):
            conn.execute(delete(table).where(table.c.scan_id == first))
        conn.execute(update(t.findings).values(first_seen_scan=fresh.scan_ids[1]))
        conn.execute(delete(t.scans).where(t.scans.c.id == first))
    result = verify(path, engine, fresh.catalog)
    assert f"scan {first} is no longer in the store" in result.changes
