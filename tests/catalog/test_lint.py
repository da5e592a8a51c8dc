"""`rootout catalog lint` reports every problem of every pack in one run, with path:line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from rootout.cli.main import app
from tests.conftest import FIXTURES, REPO

BROKEN = FIXTURES / "catalog" / "broken"
LINE = re.compile(
    r"^(?P<path>\S+?):(?P<line>\d+): (?P<severity>error|warning) \[(?P<code>[a-z-]+)\] "
)
MARK = re.compile(r"#\s*expect:\s*(?P<codes>[a-z, -]+)$")

# The mistakes the issue asks one lint run to catch, each seeded at least once.
REQUIRED = {
    "unknown-key",
    "missing-field",
    "dangling-ref",
    "duplicate-id",
    "inverted-interval",
    "overlapping-interval",
    "bad-regex",
    "catastrophic-regex",
    "hits-hard-negative",
    "duplicate-key",
    "invalid",
}


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Run from the repository root with no config file or catalog folders from the environment."""
    config = tmp_path / "rootout.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("ROOTOUT_CONFIG", str(config))
    monkeypatch.delenv("ROOTOUT_CATALOG", raising=False)
    monkeypatch.chdir(REPO)


def lint(*args: str) -> Result:
    return CliRunner().invoke(app, ["catalog", "lint", *args])


def seeded() -> set[tuple[str, int, str]]:
    """(path, line, code) for every ``# expect: CODE`` marker in the broken packs."""
    expected = set()
    for path in sorted(BROKEN.glob("*.yaml")):
        shown = str(path.relative_to(REPO))
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            mark = MARK.search(text)
            if mark:
                expected.update((shown, number, c.strip()) for c in mark["codes"].split(","))
    return expected


def reported(output: str) -> set[tuple[str, int, str]]:
    found = set()
    for text in output.splitlines():
        match = LINE.match(text)
        if match:
            found.add((match["path"], int(match["line"]), match["code"]))
    return found


@pytest.mark.usefixtures("isolated")
def test_one_run_reports_every_seeded_problem_at_its_line() -> None:
    result = lint("tests/fixtures/catalog/broken", "--only")
    assert result.exit_code == 1, result.output
    expected = seeded()
    assert reported(result.output) == expected
    assert not REQUIRED - {code for _, _, code in expected}
    errors = sum(" error [" in line for line in result.output.splitlines())
    warnings = sum(" warning [" in line for line in result.output.splitlines())
    assert errors >= 20
    assert f"{errors} error(s), {warnings} warning(s)" in result.output


@pytest.mark.usefixtures("isolated")
def test_hard_negative_hit_names_signature_negative_and_where_the_negative_is() -> None:
    result = lint("tests/fixtures/catalog/broken", "--only")
    text = (BROKEN / "broken.yaml").read_text(encoding="utf-8").splitlines()
    negative_line = next(i for i, t in enumerate(text, 1) if "id: neg.exampla-wallet" in t)
    (line,) = [t for t in result.output.splitlines() if "[hits-hard-negative]" in t]
    assert "'sig.widget.prefix'" in line
    assert "'neg.exampla-wallet'" in line
    assert f"tests/fixtures/catalog/broken/broken.yaml:{negative_line}" in line


@pytest.mark.usefixtures("isolated")
def test_overlap_names_the_other_interval_and_explains_partial_dates() -> None:
    result = lint("tests/fixtures/catalog/broken", "--only")
    (line,) = [t for t in result.output.splitlines() if "relation 'rel.control.second'" in t]
    assert "overlaps 'rel.control.first' (2015 to 2020-06, at " in line
    assert "a partial date covers its whole year or month" in line


@pytest.mark.usefixtures("isolated")
def test_builtin_packs_lint_without_errors() -> None:
    result = lint()
    assert result.exit_code == 0, result.output
    assert re.search(r"^0 error\(s\), \d+ warning\(s\)$", result.output, re.MULTILINE)
