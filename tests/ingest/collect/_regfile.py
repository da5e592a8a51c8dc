"""A tiny regedit ``.reg`` parser for the collector tests: export → MemoryRegistry.

Just enough of the format (support.microsoft.com/help/310516) for the captured
fixture: the UTF-16LE BOM, ``[KEY]`` headers, ``"name"=`` / ``@=`` values as
strings, ``dword:``, ``hex:``, ``hex(2):`` (REG_EXPAND_SZ), ``hex(7):``
(REG_MULTI_SZ) and ``hex(b):`` (REG_QWORD), with ``\\`` line continuations.
"""

from __future__ import annotations

import re
from pathlib import Path

from rootout.ingest.collect import MemoryRegistry, RegValue

_VALUE = re.compile(r'^(?:"(?P<name>(?:[^"\\]|\\.)*)"|@)=(?P<data>.*)$')


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _hex_bytes(text: str) -> bytes:
    return bytes(int(part, 16) for part in text.replace(" ", "").split(",") if part)


def parse_value(data: str) -> RegValue:
    if data.startswith('"') and data.endswith('"'):
        return _unescape(data[1:-1])
    if data.startswith("dword:"):
        return int(data[6:], 16)
    kind, _, payload = data.partition(":")
    raw = _hex_bytes(payload)
    if kind == "hex(2)":
        return raw.decode("utf-16-le").rstrip("\x00")
    if kind == "hex(7)":
        return [item for item in raw.decode("utf-16-le").split("\x00") if item]
    if kind == "hex(b)":
        return int.from_bytes(raw, "little")
    if kind == "hex":
        return raw
    raise ValueError(f"unsupported value: {data[:40]}")


def _logical_lines(text: str) -> list[str]:
    lines: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = pending + (raw.strip() if pending else raw.rstrip())
        if line.endswith("\\"):  # a wrapped hex value (string values end with a quote)
            pending = line[:-1]
            continue
        pending = ""
        lines.append(line)
    return lines


def parse_reg(path: Path) -> dict[str, dict[str, RegValue]]:
    text = path.read_bytes().decode("utf-16")  # the BOM picks the byte order
    keys: dict[str, dict[str, RegValue]] = {}
    current: dict[str, RegValue] | None = None
    for line in _logical_lines(text)[1:]:
        if line.startswith("[") and line.endswith("]"):
            current = keys.setdefault(line[1:-1], {})
        elif line and current is not None:
            match = _VALUE.match(line)
            if match is None:
                raise ValueError(f"not a value line: {line[:60]}")
            name = _unescape(match.group("name")) if match.group("name") is not None else ""
            current[name] = parse_value(match.group("data"))
    return keys


def load_registry(path: Path) -> MemoryRegistry:
    return MemoryRegistry(parse_reg(path))
