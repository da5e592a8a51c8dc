"""The catastrophic-backtracking heuristic flags the classic shapes and spares common safe ones."""

from __future__ import annotations

import importlib

import pytest

from rootout.catalog.redos import first_chars, hazards, lengths, pinned

parse = importlib.import_module("re._parser").parse


@pytest.mark.parametrize(
    ("pattern", "shape"),
    [
        (r"(a+)+$", "nested-quantifier"),
        (r"(a*)*", "nested-quantifier"),
        (r"(\w+\s?)*$", "nested-quantifier"),
        (r"(?:a?a?)+b", "nested-quantifier"),
        (r"(a+){2}", "nested-quantifier"),
        (r"(?>(a+)+)b", "nested-quantifier"),  # atomic outside, explosive inside
        (r"(?=(a+)+x)", "nested-quantifier"),
        (r"(a|a)*$", "ambiguous-alternation"),  # CPython parses it as a(|)
        (r"(a|aa)+$", "ambiguous-alternation"),
        (r"(a|ab|b)*$", "ambiguous-alternation"),
        (r"(\wx|\dy)+$", "ambiguous-alternation"),
        (r"(x(a|a)y)*$", "ambiguous-alternation"),
    ],
)
def test_flags_exponential_shapes(pattern: str, shape: str) -> None:
    assert shape in {h.shape for h in hazards(pattern)}


@pytest.mark.parametrize(
    "pattern",
    [
        r"kaspersky",
        r"^kl[a-z0-9_]*\.sys$",
        r"^dnl-\d{2}\.geo\.kaspersky\.com$",
        r"^(?:[a-z0-9-]+\.)*kaspersky\.com$",  # pinned: each iteration ends at a dot
        r"(?:kav|kis)\d+(?:\.\d+)*",  # pinned: each iteration starts at a dot
        r"(?:ab?)+",
        r"(\w|\d)+$",  # CPython makes this one character class
        r"(ab|ac)*$",  # factored into a(b|c)
        r"(a++)*$",  # possessive inner repeat
        r"(?:a+)*+$",  # possessive outer repeat
        r"(?>[a-z0-9-]+\.)*example\.org$",
        r"\d+\d+",  # quadratic at worst: not this check's business
    ],
)
def test_spares_linear_patterns(pattern: str) -> None:
    assert hazards(pattern) == []


def test_case_insensitive_first_characters_overlap() -> None:
    # Patterns are compiled with IGNORECASE, so 'A' and 'a' can start the same text.
    assert ord("a") in first_chars(parse("A"))
    assert {h.shape for h in hazards(r"(A|ab)*$")} == {"ambiguous-alternation"}


def test_lengths_and_pinning() -> None:
    assert lengths(parse(r"ab?c{2,3}")) == (3, 5)
    assert lengths(parse(r"a+"))[1] == float("inf")
    assert pinned(parse(r"\.\d+"))
    assert pinned(parse(r"[a-z]+\."))
    assert pinned(parse(r"\w+\."))  # \w cannot match the separator '.'
    assert not pinned(parse(r"\.[^x]+"))  # [^x] can match the separator '.'
    assert not pinned(parse(r"\.a*b*"))  # two variable runs: over-approximated as unsafe
