"""The loader keeps path:line for every object and reports every problem at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from rootout.catalog import assemble, load_catalog
from rootout.catalog.loader import read_packs
from rootout.catalog.model import Signature
from rootout.errors import CatalogError

GOOD = """\
pack: test
version: "1"
description: a small pack
sources:
  - id: src.one
    url: https://example.org/one
    title: One
    publisher: Example
    date: "2024-06"
    reliability: official
entities:
  - id: ent.acme
    name: ACME Corp.
    sources: [src.one]
signatures:
  - id: sig.acme
    kind: publisher
    patterns: [ACME]
    match: name
    confidence: high
    entity: ent.acme
    sources: [src.one]
"""


def write(tmp_path: Path, text: str, name: str = "pack.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_objects_remember_their_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    catalog = load_catalog([path], builtin=False)
    assert catalog.locations["src.one"].line == 5
    assert catalog.locations["ent.acme"].line == 12
    assert catalog.locations["sig.acme"].line == 16
    assert catalog.locations["sig.acme"].path.endswith("pack.yaml")
    assert isinstance(catalog.signatures["sig.acme"], Signature)
    assert str(catalog.sources["src.one"].date) == "2024-06"


def test_objects_are_frozen(tmp_path: Path) -> None:
    catalog = load_catalog([write(tmp_path, GOOD)], builtin=False)
    with pytest.raises(Exception, match="frozen"):
        catalog.entities["ent.acme"].name = "changed"  # type: ignore[misc]


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    broken = (
        GOOD.replace("    title: One\n", "    title: One\n    colour: red\n").replace(
            "    sources: [src.one]\nsignatures", "    sources: [src.missing]\nsignatures"
        )
        + "  - id: sig.acme\n    kind: publisher\n    patterns: [x]\n    match: name\n"
        + ("    confidence: high\n    entity: ent.acme\n    sources: [src.one]\n")
    )
    result = read_packs([write(tmp_path, broken)])
    _, problems = assemble(result)
    found = {(p.code, p.location.line) for p in problems}
    assert ("unknown-key", 8) in found  # colour
    assert ("dangling-ref", 13) in found  # ent.acme cites src.missing
    assert ("duplicate-id", 24) in found  # second sig.acme


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "pack: x\nversion: '1'\ndescription: d\nsources:\n  - id: [unclosed\n")
    with pytest.raises(CatalogError) as info:
        load_catalog([path], builtin=False)
    (problem,) = info.value.problems
    assert problem.code == "yaml"
    assert problem.location.line >= 5


def test_duplicate_yaml_keys_are_errors_not_silently_overwritten(tmp_path: Path) -> None:
    text = GOOD.replace("    name: ACME Corp.\n", "    name: ACME Corp.\n    name: Other\n")
    _, problems = assemble(read_packs([write(tmp_path, text)]))
    assert [(p.code, p.location.line) for p in problems] == [("duplicate-key", 14)]


def test_missing_header_fields_are_reported(tmp_path: Path) -> None:
    _, problems = assemble(read_packs([write(tmp_path, "sources: []\n")]))
    assert {p.code for p in problems} == {"missing-field"}
    assert len(problems) == 3  # pack, version, description
