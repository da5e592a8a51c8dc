"""The shipped JSON Schema is the generated one, and it agrees with the loader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from rootout.catalog.loader import builtin_pack_paths, read_packs
from rootout.catalog.schema import SCHEMA_PATH, pack_schema, schema_text
from rootout.cli.main import app
from tests.conftest import FIXTURES

REGENERATE = "rootout catalog schema -o src/rootout/catalog/pack.schema.json"


class Yaml12Loader(yaml.SafeLoader):
    """Reads scalars as YAML 1.2 editors do: an unquoted 2024-06-24 stays a string."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def document(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)


def schema_errors(path: Path) -> list[str]:
    validator = Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    return [
        f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(document(path))
    ]


def fixture_packs() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*.yaml") if "broken" not in p.parts)


def test_shipped_schema_is_the_generated_one() -> None:
    shipped = SCHEMA_PATH.read_text(encoding="utf-8")
    assert shipped == schema_text(), f"pack.schema.json is stale; regenerate it: {REGENERATE}"
    assert shipped.endswith("}\n")


def test_schema_is_valid_draft_2020_12() -> None:
    schema = pack_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert all(
        d.get("additionalProperties") is False
        for d in schema["$defs"].values()
        if "properties" in d
    )


def test_schema_command_prints_and_writes(tmp_path: Path) -> None:
    printed = CliRunner().invoke(app, ["catalog", "schema"])
    assert printed.exit_code == 0
    assert printed.output == schema_text()
    target = tmp_path / "pack.schema.json"
    written = CliRunner().invoke(app, ["catalog", "schema", "-o", str(target)])
    assert written.exit_code == 0
    assert target.read_text(encoding="utf-8") == schema_text()


@pytest.mark.parametrize("path", builtin_pack_paths(), ids=lambda p: p.name)
def test_builtin_packs_validate(path: Path) -> None:
    assert schema_errors(path) == []


@pytest.mark.parametrize("path", fixture_packs(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_packs_the_loader_accepts_validate(path: Path) -> None:
    if not isinstance(document(path), dict) or "pack" not in document(path):
        pytest.skip("not a catalog pack")
    if read_packs([path]).problems:
        pytest.skip("the loader rejects this fixture on purpose")
    assert schema_errors(path) == []


def test_broken_fixture_fails_with_the_seeded_structure_errors() -> None:
    errors = schema_errors(FIXTURES / "catalog" / "broken" / "broken.yaml")
    text = "\n".join(errors)
    assert "('maintainer', 'vendors' were unexpected)" in text
    assert "entities/3: Additional properties are not allowed ('contry' was unexpected)" in text
    assert "sources/1: 'publisher' is a required property" in text
    assert "signatures/12: {'id': 'sig.widget.aimless'" in text  # no product, no entity


def test_schema_rejects_what_the_loader_rejects(tmp_path: Path) -> None:
    pack = tmp_path / "p.yaml"
    pack.write_text(
        'pack: p\nversion: "1"\ndescription: d\n'
        "relations:\n  - {id: r.x, subject: a.b, kind: owns, object: c.d, confidence: high, "
        "sources: [s.x]}\n",
        encoding="utf-8",
    )
    assert read_packs([pack]).problems
    assert any("relations/0/kind" in e for e in schema_errors(pack))
