"""Read catalog packs into typed objects that remember ``path:line``.

Parsing never stops at the first problem: every YAML, schema and structure
problem of every pack is collected as a :class:`~rootout.errors.Problem`, so
``rootout catalog lint`` can report them all in one run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from rootout.catalog.model import HEADER_KEYS, KIND_MODELS, PackHeader, _Object
from rootout.errors import Location, Problem

try:  # the C loader is several times faster on the generated MAC pack
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

BUILTIN_PACKS = Path(__file__).parent / "packs"


@dataclass(frozen=True)
class Located:
    """A parsed catalog object with the pack it came from and its position."""

    kind: str
    obj: Any
    location: Location
    pack: str


@dataclass
class PackFile:
    """One pack as read from disk."""

    path: Path
    sha256: str
    header: PackHeader | None
    objects: list[Located] = field(default_factory=list)
    builtin: bool = False


@dataclass
class ReadResult:
    packs: list[PackFile]
    problems: list[Problem]

    def objects(self) -> Iterator[Located]:
        for pack in self.packs:
            yield from pack.objects


def pack_paths(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to the ``*.yaml``/``*.yml`` files inside, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in {".yaml", ".yml"}))
        else:
            found.append(path)
    return found


def builtin_pack_paths() -> list[Path]:
    return pack_paths([BUILTIN_PACKS])


def read_packs(paths: Iterable[Path], *, builtin: bool = False) -> ReadResult:
    """Parse every pack, collecting problems instead of raising."""
    result = ReadResult(packs=[], problems=[])
    for path in pack_paths(paths):
        pack = _read_pack(path, result.problems)
        if pack is not None:
            pack.builtin = builtin
            result.packs.append(pack)
    return result


def _read_pack(path: Path, problems: list[Problem]) -> PackFile | None:
    display = _display(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(Location(display), "unreadable", str(exc.strerror or exc)))
        return None
    try:
        root = yaml.compose(data.decode("utf-8"), Loader=_Loader)
    except UnicodeDecodeError as exc:
        problems.append(Problem(Location(display), "encoding", f"not UTF-8: {exc.reason}"))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problems.append(Problem(Location(display, line), "yaml", str(exc).splitlines()[0]))
        return None
    pack = PackFile(path=path, sha256=hashlib.sha256(data).hexdigest(), header=None)
    if root is None:
        problems.append(Problem(Location(display, 1), "empty", "the pack is empty"))
        return pack
    if not isinstance(root, yaml.MappingNode):
        problems.append(Problem(_loc(display, root), "structure", "a pack must be a mapping"))
        return pack
    header: dict[str, Any] = {}
    for key_node, value_node in _pairs(root, display, problems):
        key = key_node.value
        if key in HEADER_KEYS:
            header[key] = _plain(value_node, display, problems)
        elif key in KIND_MODELS:
            pack.objects.extend(_read_kind(key, value_node, display, problems, header))
        else:
            problems.append(
                Problem(
                    _loc(display, key_node),
                    "unknown-key",
                    f"unknown top-level key {key!r}; expected one of "
                    f"{', '.join(sorted(HEADER_KEYS | KIND_MODELS.keys()))}",
                )
            )
    try:
        pack.header = PackHeader.model_validate(header)
    except ValidationError as exc:
        for problem in _validation_problems(exc, root, display):
            problems.append(problem)
    name = pack.header.pack if pack.header else path.stem
    pack.objects = [Located(o.kind, o.obj, o.location, name) for o in pack.objects]
    return pack


def _read_kind(
    kind: str,
    node: yaml.Node,
    display: str,
    problems: list[Problem],
    header: dict[str, Any],
) -> Iterator[Located]:
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
        return
    if not isinstance(node, yaml.SequenceNode):
        problems.append(Problem(_loc(display, node), "structure", f"{kind!r} must be a list"))
        return
    model = KIND_MODELS[kind]
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            problems.append(
                Problem(
                    _loc(display, item), "structure", f"each item of {kind!r} must be a mapping"
                )
            )
            continue
        data = _plain(item, display, problems)
        try:
            obj: _Object = model.model_validate(data)
        except ValidationError as exc:
            problems.extend(_validation_problems(exc, item, display))
            continue
        yield Located(kind, obj, _loc(display, item), str(header.get("pack", "")))


def _pairs(
    node: yaml.MappingNode, display: str, problems: list[Problem]
) -> Iterator[tuple[yaml.ScalarNode, yaml.Node]]:
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(
                Problem(_loc(display, key_node), "structure", "keys must be plain text")
            )
            continue
        if key_node.value in seen:
            problems.append(
                Problem(
                    _loc(display, key_node),
                    "duplicate-key",
                    f"key {key_node.value!r} repeats the one on line {seen[key_node.value]}",
                )
            )
            continue
        seen[key_node.value] = key_node.start_mark.line + 1
        yield key_node, value_node


def _plain(node: yaml.Node, display: str, problems: list[Problem]) -> Any:
    """Turn a node into plain Python data, reporting duplicate keys."""
    if isinstance(node, yaml.MappingNode):
        return {k.value: _plain(v, display, problems) for k, v in _pairs(node, display, problems)}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v, display, problems) for v in node.value]
    if isinstance(node, yaml.ScalarNode):
        # Keep dates and numbers as text where they were quoted; let the models coerce.
        if node.style is None and node.tag.endswith(":null"):
            return None
        if node.style is None and node.tag.endswith(":bool"):
            return node.value.lower() in {"true", "yes", "on"}
        if node.style is None and node.tag.endswith(":int"):
            try:
                return int(node.value)
            except ValueError:
                return node.value
        return node.value
    return None  # pragma: no cover - aliases are resolved by compose


def _validation_problems(exc: ValidationError, node: yaml.Node, display: str) -> Iterator[Problem]:
    for error in exc.errors():
        path = tuple(error["loc"])
        target = _descend(node, path)
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            code, message = "unknown-key", f"unknown key {path[-1]!r}"
        elif error["type"] == "missing":
            code, message = "missing-field", f"missing required field {path[-1]!r}"
        else:
            code = "invalid"
            where = ".".join(str(p) for p in path)
            message = f"{where}: {message}" if where else message
        yield Problem(_loc(display, target), code, message)


def _descend(node: yaml.Node, path: tuple[Any, ...]) -> yaml.Node:
    """The deepest node along ``path`` that exists (keys of mappings, indices of lists)."""
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            for key_node, value_node in node.value:
                if key_node.value == step:
                    node = key_node if value_node is None else value_node
                    if isinstance(value_node, yaml.ScalarNode):
                        node = key_node
                    break
            else:
                return node
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if step >= len(node.value):
                return node
            node = node.value[step]
        else:
            return node
    return node


def _loc(display: str, node: yaml.Node) -> Location:
    return Location(display, node.start_mark.line + 1)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
