"""The labelled evaluation under pytest: thresholds, explanation chains, and the harness itself.

The whole set (tens of thousands of cases, mostly registry negatives) runs once per
module; ``python -m tests.eval`` prints the same numbers as tables.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from rootout.catalog.catalog import Catalog, load_catalog
from rootout.match.normalize import hex_only
from rootout.model.finding import Basis
from tests.eval.cases import CaseError, load_file
from tests.eval.harness import (
    MIN_PRECISION,
    MIN_RECALL,
    Counts,
    Result,
    all_cases,
    chain_problems,
    evaluate,
)
from tests.eval.registry import OUI_FILE, locally_administered, random_mac, read_oui, universal


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def result(catalog: Catalog) -> Result:
    cases, notes = all_cases(catalog)
    return evaluate(catalog, cases, notes)


def _listing(result: Result) -> str:
    return "\n".join(
        f"{o.case.id}: expected {', '.join(map(str, o.case.expected)) or 'nothing'}; got {o.got}"
        + (f" (known issue: {o.case.known_issue})" if o.case.known_issue else "")
        for o in result.failing
    )


def test_the_set_covers_every_basis_and_signed_entity(result: Result, catalog: Catalog) -> None:
    expected = {e for o in result.outcomes for e in o.case.expected}
    bases = {e.basis for e in expected}
    # every basis the matcher produces (it has no rule that yields "supplier" yet)
    assert set(Basis) - {Basis.SUPPLIER} <= bases
    assert any(e.historical for e in expected)
    negatives = [o for o in result.outcomes if not o.case.positive]
    assert len(negatives) > 10_000
    # every designated entity that some signature reaches has at least one positive case
    covered = {e.entity for e in expected}
    designated = {d.entity for d in catalog.designations.values()}
    signed = {catalog.signature_entity(s) for s in catalog.signatures.values()}
    one_hop = {r.object for r in catalog.relations.values() if r.subject in signed}
    assert (designated & (signed | one_hop)) - covered == set()


def test_precision_and_recall_meet_the_thresholds(result: Result) -> None:
    overall = result.overall
    summary = (
        f"precision {overall.precision:.4f} (min {MIN_PRECISION}), recall {overall.recall:.4f} "
        f"(min {MIN_RECALL}); wrong cases:\n{_listing(result)}"
    )
    assert overall.recall >= MIN_RECALL, summary
    assert overall.precision >= MIN_PRECISION, summary


def test_every_finding_explains_itself_back_to_cited_sources(result: Result) -> None:
    assert sum(len(o.findings) for o in result.outcomes) > 200
    assert result.chain_problems == []


def test_every_step_names_a_catalog_object(result: Result) -> None:
    """``rootout catalog show`` must find every id an explanation names."""
    assert result.dangling == []


def test_the_chain_check_catches_missing_steps_and_unreadable_sources(
    result: Result, catalog: Catalog
) -> None:
    outcome = next(o for o in result.outcomes if o.case.id == "huawei.winget-browser")
    (finding,) = outcome.findings
    assert chain_problems(catalog, finding, "x") == []
    steps = [s for s in finding.explanation if s.kind not in ("relation", "designation")]
    steps[0] = replace(steps[0], sources=("src.no-such-source",))
    broken = replace(finding, explanation=tuple(steps))
    problems = chain_problems(catalog, broken, "x")
    assert any("no designation step" in p for p in problems)
    assert any("no relation step" in p for p in problems)
    assert any("'src.no-such-source'" in p for p in problems)


def test_historical_labels_match(result: Result) -> None:
    assert [f"{o.case.id}: {e}" for o, e in result.historical_errors] == []


def test_every_wrong_case_is_a_known_issue_and_every_mark_is_current(result: Result) -> None:
    assert [o.case.id for o in result.unexplained] == [], _listing(result)
    assert [o.case.id for o in result.stale_marks] == [], "known issues now fixed: remove marks"


def test_scoring_counts_each_pair_once_per_case(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(
        "observed_at: 2025-06-01\n"
        "cases:\n"
        "  - id: right\n"
        "    observations: [{kind: program, name: Kaspersky Free}, {kind: driver, driver: klif.sys}]\n"
        "    expect: [kaspersky.ao-kaspersky-lab direct]\n"
        "  - id: wrong-basis\n"
        "    observations: [{kind: service, service: klnagent}]\n"
        "    expect: [kaspersky.ao-kaspersky-lab direct]\n"
        "  - id: clean\n"
        "    observations: [{kind: program, name: Kaspa Wallet}]\n"
        "    expect: []\n",
        encoding="utf-8",
    )
    result = evaluate(catalog, list(load_file(path).cases))
    assert (result.overall.tp, result.overall.fp, result.overall.fn) == (1, 1, 1)
    assert result.by_basis[Basis.RESIDUAL].fp == 1
    assert [o.case.id for o in result.failing] == ["mini.wrong-basis"]
    assert Counts(tp=3, fp=1, fn=0).precision == 0.75


def test_case_files_reject_what_yaml_would_misread(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "cases:\n  - id: mac\n    observations: [{kind: network_device, mac: 12:34:56}]\n"
        "    expect: []\n",
        encoding="utf-8",
    )
    with pytest.raises(CaseError, match="quoted string"):
        load_file(path)
    path.write_text(
        "cases:\n  - id: typo\n    observations: [{kind: program, publiser: x}]\n    expect: []\n",
        encoding="utf-8",
    )
    with pytest.raises(CaseError, match="unknown observation field 'publiser'"):
        load_file(path)


def test_registry_reading_and_generated_macs() -> None:
    oui = read_oui(OUI_FILE)
    lengths = [len(p) for prefixes in oui.values() for p in prefixes]
    # data/SOURCES.md: 36,857 six-hex, 5,683 seven-hex and 10,901 nine-hex prefixes
    assert (lengths.count(6), lengths.count(7), lengths.count(9)) == (36857, 5683, 10901)
    assert oui["Shanghai Dahua Scale Factory"] == ("402C761",)
    rng = random.Random(0)
    mac = random_mac("402C761", rng)
    assert hex_only(mac).startswith("402C761")
    assert len(hex_only(mac)) == 12
    local = locally_administered(mac)
    assert not universal(hex_only(local))
    assert hex_only(local)[2:] == hex_only(mac)[2:]
