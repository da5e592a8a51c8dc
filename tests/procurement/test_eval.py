"""The labelled contracts corpus: precision and recall per detection kind stay high."""

from __future__ import annotations

import pytest

from tests.procurement.eval import KINDS, MIN_PRECISION, MIN_RECALL, Result, evaluate, expected


@pytest.fixture(scope="module")
def result() -> Result:
    return evaluate()


@pytest.mark.parametrize("kind", KINDS)
def test_precision_and_recall_per_kind(result: Result, kind: str) -> None:
    counts = result.counts[kind]
    assert counts.tp > 0, f"the corpus has no {kind} positives"
    assert counts.precision >= MIN_PRECISION, result.wrong
    assert counts.recall >= MIN_RECALL, result.wrong


def test_the_corpus_is_mostly_ordinary_purchases(result: Result) -> None:
    positives = sum(c.tp + c.fn for c in result.counts.values())
    assert result.rows > 2500
    assert positives < result.rows / 20


def test_known_issues_are_listed_not_counted(result: Result) -> None:
    assert any("names Kaspersky without buying from it" in line for line in result.known)


def test_labels_parse() -> None:
    assert expected("recipient:kaspersky;removal:hikvision") == {
        ("recipient", "kaspersky"),
        ("removal", "hikvision"),
    }
