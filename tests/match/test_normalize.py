from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rootout.match import normalize as norm


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Kaspersky Endpoint Security 12.4 for Windows (x64)", "kaspersky endpoint security"),
        ("Kaspersky Endpoint Security for Windows", "kaspersky endpoint security"),
        ("Kaspersky Anti-Virus 2010", "kaspersky anti virus"),
        ("Kaspersky Security Center 14.2 Network Agent", "kaspersky security center network agent"),
        ("SmartPSS Lite v2.003.0000006.0", "smartpss lite"),
        ("HiSuite 64-bit", "hisuite"),
    ],
)
def test_product_names_lose_version_edition_and_bitness_tails(raw: str, expected: str) -> None:
    assert norm.product_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("AO Kaspersky Lab", "kaspersky lab"),
        ("Kaspersky Lab JSC", "kaspersky lab"),
        ("Kaspersky Lab ZAO", "kaspersky lab"),
        ("OOO Kaspersky Group", "kaspersky group"),
        ("HUAWEI TECHNOLOGIES CO.,LTD", "huawei technologies"),
        ("Huawei Technologies Co., Ltd.", "huawei technologies"),
        ("Hytera Communications Co .,ltd", "hytera communications"),
        ("Zhejiang Dahua Technology Co., Ltd.", "zhejiang dahua technology"),
        ("Kaspersky Lab Middle-East FZ-LLC", "kaspersky lab middle east"),
        ("Лаборатория Касперского", "laboratoriya kasperskogo"),
    ],
)
def test_org_names_lose_legal_forms_and_punctuation(raw: str, expected: str) -> None:
    assert norm.org_name(raw) == expected


def test_org_name_never_empties_a_name_made_only_of_legal_words() -> None:
    assert norm.org_name("Co., Ltd.") == "co ltd"


def test_cyrillic_and_fullwidth_fold_to_latin() -> None:
    assert norm.simplify("ＫＡＳＰＥＲＳＫＹ") == "kaspersky"
    assert norm.tokens("Касперский") == ("kasperskiy",)


text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@given(text)
def test_normalisers_are_total_and_idempotent(value: str) -> None:
    for func in (norm.simplify, norm.org_name, norm.product_name, norm.domain):
        once = func(value)
        assert isinstance(once, str)
        assert func(once) == once, func.__name__


@given(text)
def test_simplified_text_has_no_punctuation_or_double_spaces(value: str) -> None:
    simple = norm.simplify(value)
    assert "  " not in simple
    assert simple == simple.strip()
    assert all(ch.isalnum() or ch == " " for ch in simple)


@given(st.text(alphabet="0123456789abcdefABCDEF:-. ", max_size=40))
def test_hex_only_keeps_only_upper_hex(value: str) -> None:
    assert set(norm.hex_only(value)) <= set("0123456789ABCDEF")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("S07.UPD.Kaspersky.COM.", "s07.upd.kaspersky.com"), ("0\r.", "0"), ("a. .", "a")],
)
def test_domains_lose_trailing_dots_and_spaces(raw: str, expected: str) -> None:
    assert norm.domain(raw) == expected
