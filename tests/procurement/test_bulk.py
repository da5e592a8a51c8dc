"""The DuckDB path's candidate stage never drops a row the matcher would find; hostile headers stay data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from rootout.catalog.cache import load_compiled
from rootout.catalog.model import MatchMode, SignatureKind
from rootout.match.engine import Matcher
from rootout.model.observation import SourceRef
from rootout.procurement import prefilter
from rootout.procurement.bulk import scan_file
from rootout.procurement.records import build

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "usaspending"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    catalog, index = load_compiled()
    return Matcher(catalog, index=index)


def _product_names(matcher: Matcher) -> list[str]:
    return sorted(
        pattern
        for s in matcher.catalog.signatures.values()
        if s.kind is SignatureKind.PRODUCT_NAME and s.match in (MatchMode.NAME, MatchMode.TOKENS)
        for pattern in s.patterns
    )


NOISE = st.sampled_from(
    [
        "REMOVE",
        "and",
        "replace",
        "licenses",
        "-",
        ",",
        "(",
        ")",
        "_",
        "/",
        "É",
        "Лаборатория",
        "12.4",
        "x64",
        "FOR",
    ]
)


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_the_description_filter_keeps_every_row_the_matcher_finds(
    matcher: Matcher, data: st.DataObject
) -> None:
    names = _product_names(matcher)
    words = data.draw(st.lists(st.sampled_from(names) | NOISE, min_size=1, max_size=6))
    separators = data.draw(
        st.lists(
            st.sampled_from([" ", "-", ", ", "_", "/", ""]),
            min_size=len(words),
            max_size=len(words),
        )
    )
    text = "".join(w + s for w, s in zip(words, separators, strict=True)).strip()
    regex = re.compile(prefilter.text_regex(prefilter.text_words(matcher)))
    passes = bool(regex.search(text.lower())) or bool(re.search(prefilter.NON_ASCII, text))
    built = build(
        {"award_key": "K", "description": text, "action_date": "2020-01-01"},
        SourceRef("x"),
        row=1,
        kind="award",
    )
    found = any(matcher.hits(o) for o in built.observations)
    assert passes or not found, text


def test_names_are_checked_by_the_matcher_itself(matcher: Matcher) -> None:
    names = [
        "KASPERSKY LAB, INC.",
        "NORSAT INTERNATIONAL INC.",
        "ZTEK SOLUTIONS LLC",
        "Hikvision USA Inc",
        "",
    ]
    assert prefilter.hit_names(matcher, names) == [
        "KASPERSKY LAB, INC.",
        "NORSAT INTERNATIONAL INC.",
        "Hikvision USA Inc",
    ]


def test_hostile_header_names_and_bad_rows_are_data(matcher: Matcher, tmp_path: Path) -> None:
    header = (SHARED / "contracts_prime_award_summaries.header.csv").read_text().strip().split(",")
    header.append("evil'); DROP TABLE rows; --\"x")
    index = {name: i for i, name in enumerate(header)}
    row = [""] * len(header)
    row[index["contract_award_unique_key"]] = "CONT_AWD_Q1_1549_-NONE-_-NONE-"
    row[index["award_id_piid"]] = "Q1"
    row[index["recipient_name"]] = "KASPERSKY LAB, INC."
    row[index["award_base_action_date"]] = "2016-01-05"
    row[index["total_obligated_amount"]] = "100.00"
    short = ",".join(row[:-5])
    path = tmp_path / "awards.csv"
    text = ",".join(f'"{h}"' if '"' not in h else '"' + h.replace('"', '""') + '"' for h in header)
    path.write_text(f"{text}\n{','.join(row)}\n{short}\n{','.join(row)}\n", encoding="utf-8")
    seen = []
    result = scan_file(path, seen.append, matcher)
    assert result.rows == 2
    assert result.candidates == 2
    assert [o.source.pointer for o in seen] == ["row 1", "row 2"]
    assert result.record.bad_records == 1
    assert f"{path}:3:" in result.record.error


def _names(matcher: Matcher) -> list[str]:
    catalog = matcher.catalog
    names = [n for e in catalog.entities.values() for n in (e.name, *e.aliases)]
    names += [
        p
        for s in catalog.signatures.values()
        if s.kind is SignatureKind.PUBLISHER
        for p in s.patterns
    ]
    return sorted(set(names))


@st.composite
def _organisation_names(draw: st.DrawFn, names: list[str]) -> str:
    text = list(draw(st.sampled_from(names)))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, max(len(text) - 1, 0)))
        op = draw(st.sampled_from(["drop", "swap", "insert", "case"]))
        if op == "drop" and text:
            del text[at]
        elif op == "swap" and len(text) > 1:
            text[at - 1], text[at] = text[at], text[at - 1]
        elif op == "insert":
            text.insert(at, draw(st.sampled_from(list("aeiouxz .,-&"))))
        elif text:
            text[at] = text[at].swapcase()
    suffix = draw(st.sampled_from(["", " INC", ", LLC", " USA INC", " CO LTD", " SYSTEMS LLC"]))
    return "".join(text) + suffix


@settings(max_examples=500, deadline=None)
@given(data=st.data())
def test_the_name_filter_never_drops_a_name_the_matcher_verifies(
    matcher: Matcher, data: st.DataObject
) -> None:
    name = data.draw(_organisation_names(_names(matcher)) | st.text(max_size=30))
    verified = matcher.verified(SignatureKind.PUBLISHER, name)
    assert prefilter.NameFilter(matcher).could_hit(name) or not verified, name


def test_the_name_filter_is_selective(matcher: Matcher) -> None:
    ordinary = [
        "WIDE WORLD IMPORTERS LLC",
        "COHO JANITORIAL SERVICES LLC",
        "VORTANEX SYSTEMS LLC",
        "A DATUM CORPORATION",
    ]
    assert not any(prefilter.NameFilter(matcher).could_hit(n) for n in ordinary)


@settings(max_examples=200, deadline=None)
@given(tokens=st.lists(st.text(alphabet="abcdehiknoprstuvwyz", max_size=14), max_size=40))
def test_the_batched_near_check_is_the_fuzzy_stages_own_test(
    matcher: Matcher, tokens: list[str]
) -> None:
    """near() scores a batch at once; each token must get the answer the fuzzy stage's own
    per-token search gives (rapidfuzz extractOne over the vocabulary, same cutoff)."""
    index = matcher.org_names
    misspelt = ["kasperskyy", "kaspresky", "huawai", "hikvison", "dahau", "zyxell", "hytrea"]
    tokens = [*tokens, *misspelt]
    expected = {
        t
        for t in tokens
        if t
        and process.extractOne(
            t, index.vocabulary, scorer=fuzz.ratio, score_cutoff=index.token_threshold
        )
        is not None
    }
    assert prefilter.NameFilter(matcher).near(tokens) == expected
    assert {"kasperskyy", "kaspresky", "hikvison", "zyxell"} <= expected  # 85 and over
    assert not {"huawai", "dahau", "hytrea"} & expected  # 83, 80, 83: under the cutoff


def test_the_near_check_scores_large_batches_block_by_block(
    matcher: Matcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prefilter, "NEAR_BLOCK", 3)
    names = prefilter.NameFilter(matcher)
    tokens = ["kasperskyy", "vortanex", "zyxell", "", "coho", "hikvison", "datum"]
    assert names.near(tokens) == {"kasperskyy", "zyxell", "hikvison"}
    assert names.near(["coho", "zyxell"]) == {"zyxell"}  # answered from the cache
