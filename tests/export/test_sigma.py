"""Sigma rules: each parses with pySigma without errors and keeps the catalog's facts."""

from __future__ import annotations

import uuid
from functools import cache

import pytest
import yaml
from sigma.collection import SigmaCollection
from sigma.rule import SigmaRule

from rootout.catalog.catalog import Catalog, load_catalog
from rootout.catalog.model import SignatureKind
from rootout.export import sigma


@cache
def catalog() -> Catalog:
    return load_catalog()


@cache
def exported() -> dict[str, str]:
    return sigma.rules(catalog())


def test_every_process_and_dns_signature_becomes_a_rule() -> None:
    wanted = {
        f"{s.id}.yml"
        for s in catalog().signatures.values()
        if s.kind in (SignatureKind.PROCESS, SignatureKind.DNS_DOMAIN)
    }
    assert set(exported()) == wanted


@pytest.mark.parametrize("name", sorted(exported()))
def test_rule_parses_with_pysigma_without_errors(name: str) -> None:
    collection = SigmaCollection.from_yaml(exported()[name], collect_errors=True)
    assert len(collection.rules) == 1
    rule = collection.rules[0]
    assert isinstance(rule, SigmaRule)
    assert not rule.errors, rule.errors
    signature = catalog().signatures[name.removesuffix(".yml")]
    assert rule.id == uuid.uuid5(sigma.NAMESPACE, signature.id)
    assert rule.level is not None
    assert rule.level.name.lower() == signature.confidence.value
    urls = {catalog().sources[s].url for s in signature.sources}
    assert set(rule.references) == urls


def test_ids_are_stable_and_distinct() -> None:
    ids = [yaml.safe_load(text)["id"] for text in exported().values()]
    assert len(set(ids)) == len(ids)
    assert exported() == sigma.rules(catalog())


def test_process_rule_matches_the_file_name_after_either_separator() -> None:
    rule = yaml.safe_load(exported()["sig.kaspersky.process.avp.yml"])
    assert rule["logsource"] == {"category": "process_creation"}
    assert rule["detection"]["selection_0"]["Image|endswith"] == ["\\avp.exe", "/avp.exe"]


def test_dns_suffix_rule_matches_the_domain_and_its_subdomains_and_keeps_guards() -> None:
    rule = yaml.safe_load(exported()["sig.kaspersky.dns.registered.yml"])
    detection = rule["detection"]
    assert "kaspersky.com" in detection["selection_0"]["query"]
    assert ".kaspersky.com" in detection["selection_1"]["query|endswith"]
    filters = [v for k, v in detection.items() if k.startswith("filter_")]
    assert {"www.kaspersky.com", "www.kaspersky.*"} <= set(filters[0]["query"])
    assert ".www.kaspersky.com" in filters[1]["query|endswith"]
    assert detection["condition"] == "1 of selection_* and not 1 of filter_*"


def test_glob_bracket_class_becomes_one_character_wildcard() -> None:
    rule = yaml.safe_load(exported()["sig.kaspersky.dns.agent-documented.yml"])
    assert "s??.upd.kaspersky.com" in rule["detection"]["selection_0"]["query"]
