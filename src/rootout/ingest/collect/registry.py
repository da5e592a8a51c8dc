"""A small view of the Windows registry, so the Windows collector can be tested anywhere.

:class:`RegistrySource` is all the collector needs: the sub-keys and the values
of a key named by its full path (``HKEY_LOCAL_MACHINE\\SOFTWARE\\...``). On
Windows it is backed by :mod:`winreg` (``_winreg.py``, imported only there);
:class:`MemoryRegistry` holds keys in a dict (tests, captured exports).
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from rootout.ingest.collect.base import Problem

RegValue = str | int | bytes | list[str]
"""REG_SZ / REG_EXPAND_SZ → str, REG_DWORD / REG_QWORD → int, REG_BINARY → bytes, REG_MULTI_SZ → list."""

HIVES = {
    "HKLM": "HKEY_LOCAL_MACHINE",
    "HKU": "HKEY_USERS",
    "HKCU": "HKEY_CURRENT_USER",
    "HKCR": "HKEY_CLASSES_ROOT",
}


class RegistrySource(Protocol):
    """Read access to registry keys by full path.

    Both methods raise :class:`FileNotFoundError` when the key does not exist
    and :class:`PermissionError` when it cannot be opened.
    """

    def subkeys(self, key: str) -> list[str]:
        """Names of the key's direct sub-keys."""
        ...

    def values(self, key: str) -> dict[str, RegValue]:
        """The key's values by name (``""`` is the default value)."""
        ...


def canonical(key: str) -> str:
    """``key`` with its hive spelled out (``HKLM\\X`` → ``HKEY_LOCAL_MACHINE\\X``), no trailing ``\\``."""
    hive, _, rest = key.strip("\\").partition("\\")
    hive = HIVES.get(hive.upper(), hive.upper())
    return f"{hive}\\{rest}" if rest else hive


@dataclass(frozen=True, slots=True)
class _Node:
    name: str
    values: dict[str, RegValue]
    children: dict[str, str]
    """Lower-cased child name → child name as written."""


class MemoryRegistry:
    """A registry held in memory: full key path → values (parent keys are implied)."""

    def __init__(self, keys: Mapping[str, Mapping[str, RegValue]]) -> None:
        self._nodes: dict[str, _Node] = {}
        for path, values in keys.items():
            node = self._node(canonical(path))
            node.values.update(values)

    def _node(self, path: str) -> _Node:
        folded = path.lower()
        node = self._nodes.get(folded)
        if node is None:
            parent, _, name = path.rpartition("\\")
            node = _Node(name or path, {}, {})
            self._nodes[folded] = node
            if parent:
                self._node(parent).children.setdefault(name.lower(), name)
        return node

    def _get(self, key: str) -> _Node:
        node = self._nodes.get(canonical(key).lower())
        if node is None:
            raise FileNotFoundError(f"registry key not found: {key}")
        return node

    def subkeys(self, key: str) -> list[str]:
        return sorted(self._get(key).children.values(), key=str.lower)

    def values(self, key: str) -> dict[str, RegValue]:
        return dict(self._get(key).values)


# --------------------------------------------------------------------------- value helpers


def text(value: RegValue | None) -> str:
    """A value as text: strings as they are, numbers in decimal, multi-strings joined; bytes ''."""
    if isinstance(value, str):
        return value.rstrip("\x00")
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return ", ".join(item for item in value if isinstance(item, str))
    return ""


def lookup(values: Mapping[str, RegValue], name: str) -> RegValue | None:
    """A value by name, case-insensitively (registry value names are not case-sensitive)."""
    if name in values:
        return values[name]
    folded = name.lower()
    return next((v for k, v in values.items() if k.lower() == folded), None)


# --------------------------------------------------------------------------- certificate blobs

CERTIFICATE_ELEMENT = 0x20
"""Serialized-store element id of the encoded certificate ([MS-GPEF] 2.2.1.1.1.1)."""
FRIENDLY_NAME = 11


@dataclass(frozen=True, slots=True)
class CertBlob:
    der: bytes
    friendly_name: str


def parse_cert_blob(blob: bytes) -> CertBlob:
    """The certificate in a ``SystemCertificates\\<store>\\Certificates\\<sha1>`` ``Blob`` value.

    The blob is a list of elements: property id (uint32 LE), reserved (uint32,
    1), length (uint32), value. Element 0x20 holds the DER certificate.
    """
    offset = 0
    friendly = ""
    while offset + 12 <= len(blob):
        element, _reserved, length = struct.unpack_from("<III", blob, offset)
        value = blob[offset + 12 : offset + 12 + length]
        if len(value) < length:
            raise Problem(f"certificate blob element {element:#x} is truncated at byte {offset}")
        if element == FRIENDLY_NAME:
            friendly = value.decode("utf-16-le", errors="replace").rstrip("\x00")
        if element == CERTIFICATE_ELEMENT:
            return CertBlob(value, friendly)
        offset += 12 + length
    if offset != len(blob):
        raise Problem(f"certificate blob is truncated at byte {offset}")
    raise Problem("certificate blob holds no certificate element")
