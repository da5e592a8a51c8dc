"""docs/catalog.md documents every field, enum value and lint code, and its examples lint clean."""

from __future__ import annotations

import ast
import enum
import json
import re
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

import rootout.catalog
from rootout.catalog.lint import lint_paths
from rootout.catalog.model import (
    DEFAULT_EVIDENCE,
    HEADER_KEYS,
    KIND_MODELS,
    PackHeader,
    SignatureKind,
    _Object,
)
from rootout.catalog.schema import pack_schema
from tests.conftest import REPO

DOCS = REPO / "docs" / "catalog.md"
TEXT = DOCS.read_text(encoding="utf-8")
LINT_MODULES = ("loader.py", "catalog.py", "lint.py", "checks.py", "signature_checks.py")
HEADING = re.compile(r"^(#{1,6}) (.*)$")
FENCE = re.compile(r"^```(\w*)$")


def blocks() -> Iterator[tuple[str, str]]:
    """(heading, body) for each section, split at every heading outside code fences."""
    heading, body, fenced = "", [], False
    for line in TEXT.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match:
            yield heading, "\n".join(body)
            heading, body = match[2], []
        else:
            body.append(line)
    yield heading, "\n".join(body)


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", TEXT, re.MULTILINE | re.DOTALL)


def nested(model: type[_Object]) -> Iterator[type[_Object]]:
    for field in model.model_fields.values():
        for arg in _flatten(field.annotation):
            if isinstance(arg, type) and issubclass(arg, _Object):
                yield arg
                yield from nested(arg)


def _flatten(annotation: Any) -> Iterator[Any]:
    yield annotation
    for arg in typing.get_args(annotation):
        yield from _flatten(arg)


def all_models() -> list[type[_Object]]:
    found: dict[str, type[_Object]] = {}
    for model in (PackHeader, *KIND_MODELS.values()):
        found[model.__name__] = model
        found.update((m.__name__, m) for m in nested(model))
    return list(found.values())


def section(model: type[_Object]) -> str:
    matches = [body for heading, body in blocks() if f"`{model.__name__}`" in heading]
    assert len(matches) == 1, f"docs/catalog.md needs one heading naming `{model.__name__}`"
    return matches[0]


@pytest.mark.parametrize("model", all_models(), ids=lambda m: m.__name__)
def test_every_field_is_in_its_models_table(model: type[_Object]) -> None:
    body = section(model)
    missing = [
        name
        for name in model.model_fields
        if not re.search(rf"^\|\s*`{re.escape(name)}`\s*\|", body, re.MULTILINE)
    ]
    assert missing == [], f"document these {model.__name__} fields in docs/catalog.md: {missing}"


def test_the_header_section_lists_every_header_key() -> None:
    body = section(PackHeader)
    assert all(f"| `{key}` |" in body for key in HEADER_KEYS)


def enums() -> Iterator[type[enum.Enum]]:
    for model in all_models():
        for field in model.model_fields.values():
            for arg in _flatten(field.annotation):
                if isinstance(arg, type) and issubclass(arg, enum.Enum):
                    yield arg


def test_every_enum_value_is_documented() -> None:
    missing = sorted(
        {f"{e.__name__}.{v.value}" for e in enums() for v in e if f"`{v.value}`" not in TEXT}
    )
    assert missing == [], f"document these values in docs/catalog.md: {missing}"


def table(heading: str) -> dict[str, list[str]]:
    """First-column code -> the other cells, for the table under ``heading``."""
    (body,) = [b for h, b in blocks() if h == heading]
    rows = {}
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"`([a-z0-9_:-]+)`", cells[0]) if line.startswith("|") else None
        if match:
            rows[match[1]] = cells[1:]
    return rows


def test_signature_kinds_and_their_default_evidence() -> None:
    rows = table("Kinds and their keys")
    assert set(rows) == {k.value for k in SignatureKind}
    documented = {kind: cells[-1].strip("`") for kind, cells in rows.items()}
    assert documented == {k.value: e.value for k, e in DEFAULT_EVIDENCE.items()}


def emitted_codes() -> set[str]:
    """Every problem code the loader, assemble and the lint checks can emit."""
    codes: set[str] = set()
    for name in LINT_MODULES:
        tree = ast.parse((Path(rootout.catalog.__file__).parent / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            codes.update(_codes_in(node))
    return codes


def _codes_in(node: ast.AST) -> Iterator[str]:
    def constant(expr: ast.AST | None) -> Iterator[str]:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            yield expr.value

    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Problem":
        if len(node.args) > 1:
            yield from constant(node.args[1])
        for keyword in node.keywords:
            if keyword.arg == "code":
                yield from constant(keyword.value)
    elif isinstance(node, ast.Assign):  # code = "x"  /  code, message = "x", ...
        target, value = node.targets[0], node.value
        if isinstance(target, ast.Name) and target.id == "code":
            yield from constant(value)
        tuples = isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple)
        if tuples and getattr(target.elts[0], "id", None) == "code":
            yield from constant(value.elts[0])
    elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):  # (code, reason)
        yield from constant(node.value.elts[0])


def test_lint_codes_table_matches_the_source() -> None:
    emitted = emitted_codes()
    assert {"yaml", "unknown-key", "duplicate-id", "dangling-ref", "catastrophic-regex"} <= emitted
    documented = set(table("Lint codes"))
    assert emitted - documented == set(), "add these codes to the lint code table"
    assert documented - emitted == set(), "these documented codes are never emitted"


def example_packs(tmp_path: Path) -> list[Path]:
    """The YAML examples: whole packs as they are, fragments merged into one pack."""
    merged: dict[str, Any] = {"pack": "docs-examples", "version": "1", "description": "docs"}
    paths = []
    for number, text in enumerate(code_blocks("yaml")):
        data = yaml.safe_load(text)
        assert set(data) <= HEADER_KEYS | KIND_MODELS.keys(), f"yaml block {number} is not a pack"
        if "pack" in data:
            paths.append(tmp_path / f"block-{number}.yaml")
            paths[-1].write_text(text, encoding="utf-8")
            continue
        for kind, items in data.items():
            merged.setdefault(kind, []).extend(items)
    paths.append(tmp_path / "merged.yaml")
    paths[-1].write_text(yaml.safe_dump(merged, sort_keys=False), encoding="utf-8")
    return paths


def test_every_kind_has_a_yaml_example(tmp_path: Path) -> None:
    shown = set()
    for path in example_packs(tmp_path):
        shown.update(
            k for k, v in yaml.safe_load(path.read_text()).items() if isinstance(v, list) and v
        )
    assert set(KIND_MODELS) - shown == set()


def test_examples_lint_clean_and_validate(tmp_path: Path) -> None:
    paths = example_packs(tmp_path)
    _, problems = lint_paths(paths, with_builtin=False)
    assert [str(p) for p in problems] == []  # examples are exemplary: not even a warning
    validator = Draft202012Validator(json.loads(json.dumps(pack_schema())))
    for path in paths:
        assert [e.message for e in validator.iter_errors(yaml.safe_load(path.read_text()))] == []
