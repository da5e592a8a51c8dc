"""Fuzzy organisation names: spelling variants match, traps and generic words do not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rootout.catalog import Catalog, load_catalog
from rootout.match.engine import Matcher
from rootout.match.orgname import OrgNameIndex, distinctive
from rootout.model.finding import Basis
from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind, SourceRef


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def index(catalog: Catalog) -> OrgNameIndex:
    return OrgNameIndex(catalog)


def entities(index: OrgNameIndex, value: str) -> list[str]:
    return [m.entity for m in index.match(value)]


@pytest.mark.parametrize(
    ("value", "entity"),
    [
        ("Zhejiang Dahua Technology Company", "dahua.zhejiang-dahua"),
        ("ZHEJIANG DAHUA TECHNOLOGY CO LTD.", "dahua.zhejiang-dahua"),
        ("Hangzhou Hikvision Digital Tech. Co.", "hikvision.hangzhou-hikvision"),
        (
            "Hikvison Digital Technology",
            "hikvision.hangzhou-hikvision",
        ),  # a typo found in real records
        ("Hytera Communications Corp. Ltd", "hytera.hytera-communications"),
        ("AO Kaspersky Labs", "kaspersky.ao-kaspersky-lab"),
    ],
)
def test_spelling_variants_match(index: OrgNameIndex, value: str, entity: str) -> None:
    assert entity in entities(index, value)


@pytest.mark.parametrize(
    "value",
    [
        "Shanghai Dahua Scale Factory",
        "Zhejiang Uniview Technologies Co., Ltd.",
        "Hangzhou Yifangyun Technology Co., Ltd.",
        "Global Digital Security Technology Systems Co., Ltd.",
        "Aztech Electronics",
        "Kaspa Developers",
        "Honeywell Security",
        "Teltronics, Inc.",
    ],
)
def test_traps_and_generic_words_do_not_match(index: OrgNameIndex, value: str) -> None:
    assert entities(index, value) == []


def test_generic_words_and_glued_legal_forms_are_not_distinctive() -> None:
    assert distinctive("ZHEJIANG DAHUA TECHNOLOGYCO.,LTD") == ("dahua",)
    assert distinctive("Shenzhen Technology Co., Ltd.") == ()


def test_fuzzy_match_becomes_an_explained_finding(catalog: Catalog) -> None:
    observation = Observation(
        ObservationKind.VENDOR_RECORD,
        {"publisher": "Hikvison Digital Technology"},
        Asset(AssetKind.HOST, "h"),
        SourceRef("vendors.csv", 4, "", "csv"),
    )
    (finding,) = Matcher(catalog).match([observation])
    assert finding.entity == "hikvision.hangzhou-hikvision"
    assert finding.basis is Basis.DIRECT
    assert finding.confidence.value == "medium"
    signature_step = next(s for s in finding.explanation if s.kind == "signature")
    assert "fuzzy organisation name, score" in signature_step.text
    assert "'hikvision'~'hikvison'" in signature_step.text


def test_thresholds_are_configurable(catalog: Catalog) -> None:
    strict = OrgNameIndex(catalog, name_threshold=99.5)
    assert entities(strict, "Hikvison Digital Technology") == []


@given(st.text(max_size=60))
def test_matching_any_text_never_raises(value: str) -> None:
    assert isinstance(_INDEX.match(value), list)


_INDEX = OrgNameIndex(load_catalog())
