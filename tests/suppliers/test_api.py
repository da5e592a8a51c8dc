"""``/api/v1/suppliers``: list, detail, CSV import (analyst+), screening (analyst+).

The server fixtures (``app``, ``engine``) come from tests/api/conftest.py through
tests/suppliers/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import Engine

from rootout.api.roles import Role
from tests.api.conftest import bearer, client, make_tenant

REGISTER = Path(__file__).parent / "fixtures" / "register"


def _post_csv(caller: object, name: str, **form: str) -> object:
    data = (REGISTER / name).read_bytes()
    return caller.post(  # type: ignore[attr-defined]
        "/api/v1/suppliers/import", files={"file": (name, data)}, data=form
    )


def test_import_list_screen_and_show(app: FastAPI, engine: Engine) -> None:
    make_tenant(engine, "acme", ())
    analyst = client(app)
    analyst.headers.update(bearer(engine, "acme", Role.ANALYST))
    for name in ("suppliers.csv", "representations.csv", "access.csv"):
        answer = _post_csv(analyst, name)
        assert answer.status_code == 200, answer.text  # type: ignore[attr-defined]
    again = _post_csv(analyst, "suppliers.csv").json()  # type: ignore[attr-defined]
    assert (again["added"], again["changed"], again["unchanged"]) == (0, 0, 9)

    screened = analyst.post("/api/v1/suppliers/screen").json()
    kinds = {(f["supplier_id"], f["kind"]) for f in screened["findings"]}
    # no deliveries and no lists over the API: identity and representation cases only
    assert kinds == {
        ("SUP-002", "covered_parent"),
        ("SUP-002", "representation_contradicted"),
        ("SUP-004", "representation_missing"),
        ("SUP-005", "representation_lapsed"),
        ("SUP-006", "covered_entity"),
    }
    assert len(screened["new"]) == 5

    page = analyst.get("/api/v1/suppliers").json()
    assert page["total"] == 9
    by_id = {s["id"]: s for s in page["items"]}
    assert by_id["SUP-002"]["findings"] == 2
    assert by_id["SUP-002"]["source"] == "suppliers.csv:3"

    detail = analyst.get("/api/v1/suppliers/SUP-002").json()
    assert detail["parent_name"] == "Huawei Technologies Co., Ltd."
    assert [r["signer"] for r in detail["representations"]] == ["Lee Park"]
    assert detail["access"][0]["system"] == "badge-and-camera-system"
    assert {f["kind"] for f in detail["findings"]} == {
        "covered_parent",
        "representation_contradicted",
    }
    severities = {f["kind"]: f["severity"] for f in detail["findings"]}
    assert severities["representation_contradicted"] == "critical"
    assert analyst.get("/api/v1/suppliers/SUP-404").status_code == 404


def test_import_reports_bad_rows_and_refuses_deliveries(app: FastAPI, engine: Engine) -> None:
    make_tenant(engine, "acme", ())
    analyst = client(app)
    analyst.headers.update(bearer(engine, "acme", Role.ANALYST))
    bad = b"supplier_id,name,uei\nS1,Good Inc,\nS2,,\nS3,Bad Uei,12345\n"
    answer = analyst.post("/api/v1/suppliers/import", files={"file": ("s.csv", bad)}).json()
    assert (answer["kind"], answer["rows"], answer["added"]) == ("suppliers", 3, 1)
    assert [(p["line"], p["reason"][:15]) for p in answer["problems"]] == [
        (3, "missing name"),
        (4, "malformed UEI '"),
    ]
    refused = _post_csv(analyst, "deliveries.csv")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "import them with the CLI" in refused.text  # type: ignore[attr-defined]


def test_a_column_map_is_sent_as_form_lines(app: FastAPI, engine: Engine) -> None:
    make_tenant(engine, "acme", ())
    analyst = client(app)
    analyst.headers.update(bearer(engine, "acme", Role.ANALYST))
    data = b"Unique Entity ID,Legal Business Name\nG4RT7KQ2MN5A,Example Federal Services LLC\n"
    answer = analyst.post(
        "/api/v1/suppliers/import",
        files={"file": ("sam.csv", data)},
        data={"column_map": "Unique Entity ID=uei\nLegal Business Name=name"},
    )
    assert answer.json()["added"] == 1
    assert analyst.get("/api/v1/suppliers/uei-G4RT7KQ2MN5A").json()["name"] == (
        "Example Federal Services LLC"
    )


def test_viewers_read_but_may_not_import_or_screen(app: FastAPI, engine: Engine) -> None:
    make_tenant(engine, "acme", ())
    viewer = client(app)
    viewer.headers.update(bearer(engine, "acme", Role.VIEWER))
    assert viewer.get("/api/v1/suppliers").json() == {"total": 0, "items": []}
    assert _post_csv(viewer, "suppliers.csv").status_code == 403  # type: ignore[attr-defined]
    assert viewer.post("/api/v1/suppliers/screen").status_code == 403
    agent = client(app)
    agent.headers.update(bearer(engine, "acme", Role.AGENT))
    assert _post_csv(agent, "suppliers.csv").status_code == 403  # type: ignore[attr-defined]
