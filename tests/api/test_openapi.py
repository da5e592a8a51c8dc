"""The OpenAPI schema, fuzzed with schemathesis: no request makes the server fail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings

from rootout.api import accounts
from rootout.api.app import create_app
from rootout.api.roles import Role
from rootout.api.settings import ServerSettings
from tests.api.conftest import PROGRAMS, TODAY, bearer, client, upload

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
"""No 5xx; every status, content type and body is the one the schema documents."""
EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """HTTP-layer tests: one store is enough (the PostgreSQL parity runs elsewhere)."""
    return str(tmp_path / "rootout.db")


def test_every_operation_documents_its_responses(app: FastAPI) -> None:
    spec = client(app).get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), (method, path)
            assert operation.get("description"), (method, path)
            if path != "/api/v1/health":
                assert "401" in operation["responses"], (method, path)


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Iterator[FastAPI]:
    """The fuzz run needs one store, not both: PostgreSQL parity is in the other tests."""
    settings = ServerSettings(db=str(tmp_path / "fuzz.db"), upload_dir=tmp_path)
    application = create_app(settings, today=TODAY)
    yield application
    application.state.rootout.engine.dispose()


def test_no_generated_request_is_a_server_error(sqlite_app: FastAPI) -> None:
    app = sqlite_app
    engine = app.state.rootout.engine
    accounts.create_tenant(engine, "acme")
    headers = bearer(engine, "acme", Role.ADMIN)
    seeded = upload(client(app), headers, "programs.json", PROGRAMS.read_bytes(), folder="h1")
    assert seeded.status_code == 201  # type: ignore[attr-defined]
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(case=operation.as_strategy())
        def run(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            where = (case.method, case.formatted_path, response.text[:300])
            assert response.status_code < 500, where
            if response.status_code >= 400:
                assert set(response.json()) == {"error"}, where
            case.validate_response(response, checks=CHECKS)

        run()
