"""docs/cases.md stays true: every policy key, the example policy, the transition table."""

from __future__ import annotations

import re
import tomllib

from rootout.cases.model import TRANSITIONS, CaseStatus
from rootout.cases.policy import (
    CalendarSettings,
    OrgObligationSettings,
    PolicySettings,
    parse_policy,
)
from tests.conftest import REPO

DOC = (REPO / "docs" / "cases.md").read_text(encoding="utf-8")


def test_every_policy_key_is_documented() -> None:
    keys = [k for k in PolicySettings.model_fields if k != "calendar"]  # a table: keys below
    keys += [f"calendar.{k}" for k in CalendarSettings.model_fields]
    keys += [f.alias or name for name, f in OrgObligationSettings.model_fields.items()]
    missing = [k for k in keys if f"`{k}`" not in DOC]
    assert missing == []


def test_the_example_policy_is_valid() -> None:
    block = re.search(r"```toml\n(.*?)```", DOC, re.DOTALL)
    assert block is not None
    policy = parse_policy(tomllib.loads(block.group(1))["cases"], "docs/cases.md")
    assert policy.legal_bases == frozenset({"law.far-52.204-23", "law.far-52.204-25"})
    assert [o.id for o in policy.obligations] == ["internal.remove"]


def test_the_transition_table_matches_the_code() -> None:
    rows = dict(re.findall(r"^\| (\w+) \| ([\w, ]+) \|$", DOC, re.MULTILINE))
    documented = {
        CaseStatus(status): {CaseStatus(s.strip()) for s in allowed.split(",")}
        for status, allowed in rows.items()
        if status in CaseStatus.__members__.values()
    }
    assert documented == {status: set(allowed) for status, allowed in TRANSITIONS.items()}
