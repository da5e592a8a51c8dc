"""What changed between two catalogs, object by object, for a reviewer to approve.

Each side is a folder of packs or a bundle file. Objects are compared by kind and id;
a changed object lists each changed field with its old and new value.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rootout.catalog.bundle import extract_packs, read_bundle
from rootout.catalog.catalog import TABLES
from rootout.catalog.loader import read_packs
from rootout.errors import CatalogError

KINDS = (*TABLES, "disable", "extend")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ObjectChange:
    kind: str
    id: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class CatalogDiff:
    added: tuple[tuple[str, str], ...] = ()
    removed: tuple[tuple[str, str], ...] = ()
    changed: tuple[ObjectChange, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


Index = dict[tuple[str, str], dict[str, Any]]


def diff_paths(old: Path, new: Path) -> CatalogDiff:
    """Compare two pack folders or bundle files (bundle hashes are checked, not signatures)."""
    return diff_indexes(load_index(old), load_index(new))


def load_index(path: Path) -> Index:
    """Every catalog object under ``path`` as plain data, keyed by (kind, id)."""
    if path.is_file() and path.suffix not in {".yaml", ".yml"}:
        with tempfile.TemporaryDirectory(prefix="rootout-diff-") as tmp:
            return _index_packs(extract_packs(read_bundle(path), Path(tmp)))
    return _index_packs(path)


def _index_packs(path: Path) -> Index:
    result = read_packs([path])
    errors = [p for p in result.problems if p.severity == "error"]
    if errors:
        raise CatalogError(errors)
    index: Index = {}
    for item in result.objects():
        key = getattr(item.obj, "id", None) or getattr(item.obj, "entity", "")
        index[(item.kind, str(key))] = item.obj.model_dump(mode="json", exclude_none=True)
    return index


def diff_indexes(old: Index, new: Index) -> CatalogDiff:
    added = tuple(sorted(set(new) - set(old), key=_order))
    removed = tuple(sorted(set(old) - set(new), key=_order))
    changed = tuple(
        ObjectChange(kind, id_, fields)
        for kind, id_ in sorted(set(old) & set(new), key=_order)
        if (fields := _field_changes(old[(kind, id_)], new[(kind, id_)]))
    )
    return CatalogDiff(added=added, removed=removed, changed=changed)


def _order(key: tuple[str, str]) -> tuple[int, str]:
    kind, id_ = key
    return (KINDS.index(kind) if kind in KINDS else len(KINDS), id_)


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    names = sorted(set(old) | set(new))
    return tuple(
        FieldChange(name, old.get(name), new.get(name))
        for name in names
        if old.get(name) != new.get(name)
    )


def diff_json(diff: CatalogDiff) -> str:
    body = {
        "added": [{"kind": k, "id": i} for k, i in diff.added],
        "removed": [{"kind": k, "id": i} for k, i in diff.removed],
        "changed": [
            {
                "kind": c.kind,
                "id": c.id,
                "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in c.fields],
            }
            for c in diff.changed
        ],
    }
    return json.dumps(body, indent=2, sort_keys=True)


def diff_lines(diff: CatalogDiff) -> Iterator[str]:
    """A readable report: one line per added/removed object, fields under each change."""
    if diff.empty:
        yield "no changes"
        return
    for kind, id_ in diff.added:
        yield f"+ {kind} {id_}"
    for kind, id_ in diff.removed:
        yield f"- {kind} {id_}"
    for change in diff.changed:
        yield f"~ {change.kind} {change.id}"
        for f in change.fields:
            yield f"    {f.field}: {_show(f.old)} -> {_show(f.new)}"
    yield (f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed")


def _show(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)
