"""Fleet policies: GitOps YAML with the fields Fleet reads, and queries that run."""

from __future__ import annotations

import sqlite3

import yaml

from rootout.catalog.catalog import load_catalog
from rootout.export import fleet, osquery
from rootout.ingest.formats._osquery_tables import TABLES as READER_TABLES

REQUIRED = {"name", "query", "description", "resolution", "platform"}


def test_policies_yaml_parses_with_the_required_keys() -> None:
    document = yaml.safe_load(fleet.policies_yaml(load_catalog()))
    policies = document["policies"]
    assert len(policies) == len(osquery.TABLES)
    for policy in policies:
        assert set(policy) >= REQUIRED
        assert set(policy["platform"].split(",")) <= set(osquery.PLATFORMS)
    assert len({p["name"] for p in policies}) == len(policies)


def test_policy_passes_on_a_clean_host_and_fails_on_a_covered_one() -> None:
    policies = yaml.safe_load(fleet.policies_yaml(load_catalog()))["policies"]
    query = next(p["query"] for p in policies if p["name"].endswith(" programs"))
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE TABLE programs ({', '.join(sorted(READER_TABLES['programs'].columns))})")
    db.execute("INSERT INTO programs (name, publisher) VALUES ('7-Zip', 'Igor Pavlov')")
    assert db.execute(query).fetchall() == [(1,)]
    db.execute(
        "INSERT INTO programs (name, publisher) VALUES ('Kaspersky Free', 'AO Kaspersky Lab')"
    )
    assert db.execute(query).fetchall() == []
