"""Uploads: read with the same readers as `rootout scan`; malformed or oversized stores nothing."""

from __future__ import annotations

import io

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from rootout.api import uploads
from rootout.api.errors import TooLarge
from rootout.api.roles import Role
from rootout.api.uploads import safe_name
from tests.api.conftest import PROGRAMS, UPLOAD_LIMIT, bearer, client, row_counts, upload


@pytest.fixture
def analyst(app: FastAPI, engine: Engine) -> TestClient:
    from rootout.api import accounts

    accounts.create_tenant(engine, "acme")
    caller = client(app)
    caller.headers.update(bearer(engine, "acme", Role.ANALYST))
    return caller


def test_an_upload_becomes_a_scan_with_findings(analyst: TestClient) -> None:
    answer = upload(analyst, {}, "programs.json", PROGRAMS.read_bytes(), folder="ws-0042")
    assert answer.status_code == 201, answer.text  # type: ignore[attr-defined]
    stored = answer.json()  # type: ignore[attr-defined]
    assert stored["reused"] is False
    assert stored["findings"] == len(stored["new"]) > 0
    scan = analyst.get(f"/api/v1/scans/{stored['scan_id']}").json()
    assert scan["started_at"].endswith(("Z", "+00:00"))
    assert analyst.get("/api/v1/scans").json()["items"][0]["id"] == stored["scan_id"]
    assert [(i["path"], i["format"]) for i in scan["inputs"]] == [
        ("ws-0042/programs.json", "osquery-json")
    ]
    findings = analyst.get("/api/v1/findings").json()["items"]
    assert {f["id"] for f in findings} == set(stored["new"])
    assert {f["asset_name"] for f in findings} == {"ws-0042"}


def test_the_same_upload_twice_is_the_same_scan(analyst: TestClient, engine: Engine) -> None:
    first = upload(analyst, {}, "ws-0042/programs.json", PROGRAMS.read_bytes()).json()  # type: ignore[attr-defined]
    before = row_counts(engine)
    again = upload(analyst, {}, "ws-0042/programs.json", PROGRAMS.read_bytes()).json()  # type: ignore[attr-defined]
    assert again["scan_id"] == first["scan_id"]
    assert again["reused"] is True
    assert row_counts(engine)["findings"] == before["findings"]


def test_a_malformed_upload_names_the_position_and_stores_nothing(
    analyst: TestClient, engine: Engine
) -> None:
    before = row_counts(engine)
    cut = PROGRAMS.read_bytes()[:900]
    answer = upload(analyst, {}, "programs.json", cut, folder="ws-0042")
    assert answer.status_code == 422  # type: ignore[attr-defined]
    error = answer.json()["error"]  # type: ignore[attr-defined]
    assert error["code"] == "invalid_input"
    assert error["message"].startswith("ws-0042/programs.json:4: invalid JSON")
    assert "nothing was stored" in error["message"]
    assert row_counts(engine) == before


def test_an_unrecognised_upload_is_refused(analyst: TestClient, engine: Engine) -> None:
    before = row_counts(engine)
    answer = upload(analyst, {}, "notes.bin", b"\x00\x01 nothing rootout reads")
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert "format not recognised" in answer.json()["error"]["message"]  # type: ignore[attr-defined]
    assert row_counts(engine) == before


def test_an_unknown_forced_format_is_a_422_naming_the_known_ones(analyst: TestClient) -> None:
    answer = upload(analyst, {}, "programs.json", PROGRAMS.read_bytes(), format="nope")
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert "known formats" in answer.json()["error"]["message"]  # type: ignore[attr-defined]


def test_an_oversized_upload_is_413_and_stores_nothing(analyst: TestClient, engine: Engine) -> None:
    before = row_counts(engine)
    big = b"[" + b" " * (UPLOAD_LIMIT + 1024 * 1024) + b"]"
    answer = upload(analyst, {}, "programs.json", big, folder="ws-0042")
    assert answer.status_code == 413  # type: ignore[attr-defined]
    assert answer.json()["error"]["code"] == "too_large"  # type: ignore[attr-defined]
    assert row_counts(engine) == before


def test_an_upload_without_content_length_is_cut_at_the_limit(
    analyst: TestClient, engine: Engine
) -> None:
    before = row_counts(engine)
    boundary = "rootoutboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.json"\r\n'
        "Content-Type: application/json\r\n\r\n"
    ).encode()

    def chunks() -> object:
        yield head
        for _ in range(UPLOAD_LIMIT // 65536 + 4):
            yield b" " * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    answer = analyst.post(
        "/api/v1/scans",
        content=chunks(),  # type: ignore[arg-type]
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"
    assert row_counts(engine) == before


def test_spooling_stops_at_the_limit(tmp_path: object) -> None:
    from pathlib import Path

    target = Path(str(tmp_path)) / "f"
    assert uploads.spool(io.BytesIO(b"x" * 10), target, 10) == 10
    with pytest.raises(TooLarge):
        uploads.spool(io.BytesIO(b"x" * 11), target, 10)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\inv\\programs.json", "programs.json"),
        ("hosts/ws 1/inv;rm -rf.csv", "inv_rm_-rf.csv"),
        ("", "upload"),
        ("..", "upload"),
    ],
)
def test_file_names_lose_folders_and_odd_characters(given: str, expected: str) -> None:
    assert safe_name(given, "upload") == expected


def test_a_concurrent_upload_of_the_same_file_is_retried_not_a_500(
    analyst: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import IntegrityError

    real = uploads.store_observations
    calls: list[int] = []

    def racing(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:  # another request stored the same scan in between
            real(*args, **kwargs)  # type: ignore[arg-type]
            raise IntegrityError("INSERT INTO scans", {}, Exception("duplicate key"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(uploads, "store_observations", racing)
    answer = upload(analyst, {}, "programs.json", PROGRAMS.read_bytes(), folder="ws-0042")
    assert answer.status_code == 201  # type: ignore[attr-defined]
    assert answer.json()["reused"] is True  # type: ignore[attr-defined]
    assert len(calls) == 2
