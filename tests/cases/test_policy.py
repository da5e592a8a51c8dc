"""The case policy: the [cases] table of the config file, or a policy file of its own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rootout.cases import policy as policy_module
from rootout.cases.businessdays import add_days
from rootout.cases.policy import load_policy
from rootout.catalog.model import DayUnit
from rootout.errors import ConfigError

POLICY = """
[cases]
legal_bases = ["law.far-52.204-23"]
at_risk_days = 1
timezone = "America/New_York"
anchor_at_identification = ["law.bod-17-01"]

[cases.clause_dates]
"law.far-52.204-23" = 2019-05-01

[cases.calendar]
subdivision = "DC"
closures = [2025-01-09]

[[cases.obligations]]
id = "internal.remove"
action = "Remove within 15 business days"
days = 15
from = "identification"
entities = ["kaspersky.ao-kaspersky-lab"]
"""


@pytest.fixture(autouse=True)
def _no_outside_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ROOTOUT_CASE_POLICY", raising=False)
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    monkeypatch.setenv("ROOTOUT_CONFIG", str(empty))


def test_the_config_files_cases_table_is_the_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "rootout.toml"
    config.write_text(POLICY)
    monkeypatch.setenv("ROOTOUT_CONFIG", str(config))
    policy = load_policy()
    assert policy.source == str(config)
    assert policy.legal_bases == frozenset({"law.far-52.204-23"})
    assert policy.clause_date("law.far-52.204-23") == dt.date(2019, 5, 1)
    assert policy.anchor_at_identification == frozenset({"law.bod-17-01"})
    assert policy.at_risk_days == 1
    (own,) = policy.obligations
    assert (own.id, own.days, own.unit, own.from_event) == (
        "internal.remove",
        15,
        DayUnit.BUSINESS,
        "identification",
    )
    # the calendar: the extra closure and DC's Inauguration Day are not business days
    assert add_days(dt.date(2025, 1, 8), 1, DayUnit.BUSINESS, policy.calendar) == dt.date(
        2025, 1, 10
    )
    assert not policy.calendar.is_business_day(dt.date(2025, 1, 20))
    # 02:30 UTC on a Tuesday is still Monday evening in New York
    late = dt.datetime(2025, 3, 4, 2, 30, tzinfo=dt.UTC)
    assert policy.local_date(late) == dt.date(2025, 3, 3)


def test_a_policy_file_of_its_own_wins_over_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "rootout.toml"
    config.write_text(POLICY)
    monkeypatch.setenv("ROOTOUT_CONFIG", str(config))
    own = tmp_path / "policy.toml"
    own.write_text("at_risk_days = 5\n")  # top-level keys work as well as [cases]
    assert load_policy(own).at_risk_days == 5
    monkeypatch.setenv("ROOTOUT_CASE_POLICY", str(own))
    assert load_policy().at_risk_days == 5


def test_without_any_file_the_defaults_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(policy_module, "config_path", lambda: None)
    policy = load_policy()
    assert policy.source == "built-in defaults"
    assert policy.legal_bases is None
    assert policy.calendar.country == "US"
    assert policy.timezone == "UTC"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[cases]\nat_risk_dayz = 3\n", r"cases\.at_risk_dayz"),
        ('[cases]\ntimezone = "Mars/Olympus"\n', r"Mars/Olympus"),
        ('[[cases.obligations]]\nid = "x1"\naction = "a"\ndays = 3\nfrom = "lunch"\n', r"from"),
        ('[cases.calendar]\nclosures = ["not a date"]\n', r"cases\.calendar\.closures"),
    ],
)
def test_mistakes_are_config_errors_naming_the_file_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message) as error:
        load_policy(path)
    assert str(path) in str(error.value)
