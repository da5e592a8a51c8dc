"""A JSON Schema (draft 2020-12) for a whole pack file, generated from the models.

The shipped copy, ``pack.schema.json`` beside this module, lets editors check a
pack as it is typed: put ``# yaml-language-server: $schema=<path or URL>`` on a
pack's first line. ``tests/catalog/test_schema.py`` fails when the shipped copy
differs from what :func:`pack_schema` generates; regenerate it with
``rootout catalog schema -o src/rootout/catalog/pack.schema.json``.

The schema describes what the loader accepts, so a pack that lints without
errors validates against it. It cannot check what needs the whole catalog (ids
that exist, unique ids, intervals, regexes): ``rootout catalog lint`` does that.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from rootout.catalog.dates import JSON_PATTERN
from rootout.catalog.model import KIND_MODELS, PackHeader

SCHEMA_PATH = Path(__file__).parent / "pack.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

_DATE = {
    "description": "A date as precise as the source: YYYY, YYYY-MM or YYYY-MM-DD (quote it). "
    "A partial date covers its whole year or month.",
    "anyOf": [
        {"type": "string", "pattern": JSON_PATTERN},
        {"type": "integer", "minimum": 1000, "maximum": 9999},
    ],
}


def pack_schema() -> dict[str, Any]:
    """The JSON Schema of one pack file: the header keys and one list per object kind."""
    models = [(PackHeader, "validation"), *((m, "validation") for m in KIND_MODELS.values())]
    refs, top = models_json_schema(models, ref_template="#/$defs/{model}")  # type: ignore[arg-type]
    defs: dict[str, Any] = _with_date_refs(top["$defs"])
    defs["CatalogDate"] = _DATE
    defs["Signature"]["anyOf"] = [{"required": ["product"]}, {"required": ["entity"]}]
    header = defs.pop("PackHeader")
    properties: dict[str, Any] = dict(header["properties"])
    for kind, model in KIND_MODELS.items():
        properties[kind] = {
            "description": f"The pack's {kind.replace('_', ' ')}: a list of {model.__name__} objects.",
            "type": ["array", "null"],
            "items": refs[(model, "validation")],
        }
    schema = {
        "$schema": DRAFT,
        "title": "rootout catalog pack",
        "description": "One YAML pack of the rootout catalog. Generated from rootout.catalog.model "
        "by `rootout catalog schema`; see docs/catalog.md.",
        "type": "object",
        "properties": properties,
        "required": header["required"],
        "additionalProperties": False,
        "$defs": defs,
    }
    schema["$defs"] = _referenced(schema, defs)
    return schema


def schema_text() -> str:
    """The schema as shipped: pretty, keys sorted, one trailing newline."""
    return json.dumps(pack_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _with_date_refs(node: Any) -> Any:
    """Replace every inline catalog-date schema with a reference to ``CatalogDate``."""
    if isinstance(node, list):
        return [_with_date_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("type") == "string" and node.get("pattern") == JSON_PATTERN:
        rest = {k: v for k, v in node.items() if k not in ("type", "pattern")}
        return {**rest, "$ref": "#/$defs/CatalogDate"}
    return {key: _with_date_refs(value) for key, value in node.items()}


def _referenced(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """Only the definitions the schema reaches (pydantic also emits unused ones)."""
    keep: set[str] = set()
    pending = [schema["properties"]]
    while pending:
        text = json.dumps(pending.pop())
        for name in defs:
            if name not in keep and f'"#/$defs/{name}"' in text:
                keep.add(name)
                pending.append(defs[name])
    return {name: defs[name] for name in sorted(keep)}
