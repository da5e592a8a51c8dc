"""Semantic lint checks on small packs: each problem with its code, and no false alarms."""

from __future__ import annotations

from pathlib import Path

import pytest

from rootout.catalog.lint import lint_paths
from rootout.catalog.model import MatchMode, SignatureKind
from rootout.catalog.signature_checks import glob_problem, pattern_problem
from rootout.errors import Problem

HEAD = """\
pack: checks-test
version: "1"
description: checks under test
sources:
  - id: src.a
    url: https://example.org/a
    title: A
    publisher: Example
    date: "2024"
    reliability: official
entities:
  - id: ent.parent
    name: Example Parent
    sources: [src.a]
  - id: ent.child
    name: Example Child
    sources: [src.a]
"""


def lint_text(tmp_path: Path, body: str) -> list[Problem]:
    path = tmp_path / "pack.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    _, problems = lint_paths([path], with_builtin=False)
    return problems


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def relations(*intervals: tuple[str | None, str | None]) -> str:
    body = "relations:\n"
    for i, (start, end) in enumerate(intervals):
        body += (
            f"  - id: rel.{i}\n    subject: ent.child\n    kind: subsidiary_of\n"
            "    object: ent.parent\n    confidence: high\n    sources: [src.a]\n"
        )
        body += f'    valid_from: "{start}"\n' if start else ""
        body += f'    valid_to: "{end}"\n' if end else ""
    return body


def test_a_clean_pack_has_no_problems(tmp_path: Path) -> None:
    assert lint_text(tmp_path, relations(("2010", "2015"))) == []


@pytest.mark.parametrize(
    ("first", "second", "overlap"),
    [
        (("2010-01-01", "2020-11-30"), ("2020-12-01", None), False),  # adjacent days
        (("2010", "2020-11"), ("2020-11", None), True),  # both cover November 2020
        ((None, "2019"), ("2019-06-30", "2021"), True),
        ((None, None), ("2000", "2001"), True),  # an open interval covers everything
        (("2016", "2018"), ("2010", "2015"), False),
    ],
)
def test_overlapping_relations(
    tmp_path: Path,
    first: tuple[str | None, str | None],
    second: tuple[str | None, str | None],
    overlap: bool,
) -> None:
    problems = lint_text(tmp_path, relations(first, second))
    assert codes(problems) == (["overlapping-interval"] if overlap else [])
    if overlap:  # reported at the relation defined second, naming the first
        lines = (tmp_path / "pack.yaml").read_text(encoding="utf-8").splitlines()
        assert problems[0].location.line == lines.index("  - id: rel.1") + 1
        assert "relation 'rel.1'" in problems[0].message
        assert "overlaps 'rel.0'" in problems[0].message


def test_different_relation_kinds_may_overlap(tmp_path: Path) -> None:
    body = relations(("2010", None), ("2012", None)).replace(
        "kind: subsidiary_of", "kind: controlled_by", 1
    )
    assert lint_text(tmp_path, body) == []


def test_inverted_interval_is_not_also_an_overlap(tmp_path: Path) -> None:
    problems = lint_text(tmp_path, relations(("2020", "2010"), ("2015", None)))
    assert codes(problems) == ["inverted-interval"]


def test_clause_versions_must_not_overlap(tmp_path: Path) -> None:
    body = """\
legal_bases:
  - id: law.x
    title: Example Act
    short: X
    kind: statute
    effective_from: "2018"
    sources: [src.a]
    obligations:
      - id: law.x.report.v1
        action: Report it.
        valid_to: "2023-12-03"
        sources: [src.a]
      - id: law.x.report.v2
        action: "report  it."
        valid_from: "2023-12-04"
        sources: [src.a]
      - id: law.x.other
        action: Something else.
        sources: [src.a]
"""
    assert lint_text(tmp_path, body) == []
    problems = lint_text(tmp_path, body.replace('valid_to: "2023-12-03"', 'valid_to: "2023-12"'))
    assert codes(problems) == ["overlapping-interval"]
    assert "law.x.report.v2" in problems[0].message


def signature(
    pattern: str, *, kind: str = "product_name", match: str = "tokens", extra: str = ""
) -> str:
    return f"""\
signatures:
  - id: sig.s
    kind: {kind}
    patterns: ["{pattern}"]
    match: {match}
    confidence: medium
    entity: ent.parent
    sources: [src.a]
{extra}"""


def negative(value: str, not_entity: str | None) -> str:
    target = f"\n    not_entity: {not_entity}" if not_entity else ""
    return f"""\
hard_negatives:
  - id: neg.n
    kind: product_name
    value: {value}{target}
    reason: a trap
    sources: [src.a]
"""


@pytest.mark.parametrize(
    ("not_entity", "reported"),
    [("ent.parent", True), (None, True), ("ent.child", False)],
)
def test_signature_hitting_a_hard_negative(
    tmp_path: Path, not_entity: str | None, reported: bool
) -> None:
    body = signature("example") + negative("Example Wallet", not_entity)
    problems = lint_text(tmp_path, body)
    assert codes(problems) == (["hits-hard-negative"] if reported else [])


def test_a_guard_keeps_a_signature_off_its_hard_negative(tmp_path: Path) -> None:
    guard = "    guards:\n      - {pattern: wallet, reason: crypto wallets}\n"
    body = signature("example", extra=guard) + negative("Example Wallet", "ent.parent")
    assert lint_text(tmp_path, body) == []


def test_regex_problems_in_patterns_and_guards(tmp_path: Path) -> None:
    guard = '    guards:\n      - {pattern: "(a|aa)+$", match: regex, reason: r}\n'
    problems = lint_text(tmp_path, signature("^(x", match="regex", extra=guard))
    assert sorted(codes(problems)) == ["bad-regex", "catastrophic-regex"]
    assert any("guard '(a|aa)+$'" in p.message for p in problems)


def test_a_catastrophic_regex_is_not_run_against_hard_negatives(tmp_path: Path) -> None:
    body = signature("(a+)+$", match="regex") + negative("a" * 40 + "!", None)
    assert codes(lint_text(tmp_path, body)) == ["catastrophic-regex"]


@pytest.mark.parametrize(
    ("kind", "mode", "pattern", "code"),
    [
        ("mac_prefix", "prefix", "00:0C:29", None),
        ("mac_prefix", "prefix", "2C:C4:4F:9", None),
        ("mac_prefix", "prefix", "70B3D5123", None),
        ("mac_prefix", "prefix", "00:0C:2", "bad-mac-prefix"),
        ("mac_prefix", "prefix", "00:0C:29:12", "bad-mac-prefix"),
        ("mac_prefix", "prefix", "GG:0C:29", "bad-mac-prefix"),
        ("dns_domain", "suffix", "kaspersky.com", None),
        ("dns_domain", "suffix", "http://kaspersky.com", "bad-domain"),
        ("dns_domain", "exact", "kaspersky.com/update", "bad-domain"),
        ("dns_domain", "glob", "*.upd.kaspersky.com", None),
        ("cpe", "prefix", "cpe:2.3:a:kaspersky:", None),
        ("cpe", "prefix", "cpe:/a:kaspersky_lab", "bad-cpe"),  # values are compared as 2.3
        ("cpe", "glob", "cpe:2.3:[aho]:kaspersky:*", None),
        ("cpe", "prefix", "a:kaspersky", "bad-cpe"),
        ("product_name", "tokens", "--", "empty-pattern"),
        ("product_name", "glob", "*", "bad-glob"),
        ("file_path", "glob", "c:\\\\x\\\\[ab", "bad-glob"),
        ("file_path", "glob", "c:\\\\x\\\\[!]]*", None),
    ],
)
def test_pattern_shapes(kind: str, mode: str, pattern: str, code: str | None) -> None:
    found = pattern_problem(SignatureKind(kind), MatchMode(mode), pattern.replace("\\\\", "\\"))
    assert (found[0] if found else None) == code


def test_glob_classes_follow_fnmatch() -> None:
    assert glob_problem("kl[!0-9]*.sys") is None
    assert glob_problem("[]]x") is None  # ']' first in a class is a literal
    assert glob_problem("kl[a-z") is not None


def test_warnings_do_not_fail_but_are_reported(tmp_path: Path) -> None:
    body = signature("example-agent", kind="package", match="exact")
    body = body.replace("confidence: medium", "confidence: high")
    body += """\
  - id: sig.driver
    kind: driver
    patterns: ["exa*.sys"]
    match: glob
    confidence: low
    entity: ent.parent
    requires: [signer]
    sources: [src.a]
"""
    problems = lint_text(tmp_path, body)
    assert {(p.code, p.severity) for p in problems} == {
        ("no-ecosystem", "warning"),
        ("unsatisfiable-requires", "warning"),
    }


def test_unused_and_unconfirmed_sources(tmp_path: Path) -> None:
    extra = """\
  - id: ent.rumoured
    name: Example Rumoured
    sources: [src.lead]
  - id: ent.rumoured-low
    name: Example Rumoured Low
    confidence: low
    sources: [src.lead]
"""
    lead = """\
  - id: src.lead
    url: https://example.org/lead
    title: Lead
    publisher: Forum
    date: "2025"
    reliability: unconfirmed
  - id: src.unused
    url: https://example.org/unused
    title: Unused
    publisher: Forum
    date: "2025"
    reliability: press
entities:
"""
    text = HEAD.replace("entities:\n", lead) + extra
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = lint_paths([path], with_builtin=False)
    assert [(p.code, p.severity) for p in problems] == [
        ("unused-source", "warning"),
        ("weak-sources", "warning"),
    ]
    assert "src.unused" in problems[0].message
    assert "ent.rumoured " in problems[1].message


def test_designation_before_its_legal_basis(tmp_path: Path) -> None:
    body = """\
legal_bases:
  - id: law.x
    title: Example Act
    short: X
    kind: statute
    effective_from: "2019-08-13"
    sources: [src.a]
designations:
  - id: des.x
    entity: ent.parent
    legal_basis: law.x
    scope: [telecom_equipment]
    effective_from: "2019-08"
    sources: [src.a]
"""
    assert lint_text(tmp_path, body) == []  # August 2019 may be the 13th
    problems = lint_text(tmp_path, body.replace('"2019-08"\n', '"2019-07-31"\n'))
    assert [(p.code, p.severity) for p in problems] == [("designation-before-basis", "warning")]
