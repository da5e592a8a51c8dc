"""Offline registry hives (SOFTWARE, NTUSER.DAT) read with regipy.

Only what rootout needs is walked: the Uninstall keys (both registry views) and
the first-level vendor keys under ``SOFTWARE`` (``HKLM\\SOFTWARE\\KasperskyLab``).
regipy reads the whole hive into memory; hives are tens to hundreds of MiB.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, BinaryIO, Protocol

from rootout.ingest.formats._endpoint_io import fail

HIVE_MAGIC = b"regf"
HIVE_FILE_NAMES = frozenset({"software", "system", "ntuser.dat", "usrclass.dat"})
HIVE_SUFFIXES = frozenset({".hive", ".hiv"})
_UNINSTALL = r"Microsoft\Windows\CurrentVersion\Uninstall"


class HiveKey(Protocol):
    """The part of regipy's ``NKRecord`` used here (a fake implements it in tests)."""

    name: str

    def get_subkey(self, key_name: str, raise_on_missing: bool = ...) -> Any: ...

    def iter_subkeys(self) -> Any: ...

    def iter_values(
        self, as_json: bool = ..., max_len: int = ..., trim_values: bool = ...
    ) -> Any: ...


@dataclass(frozen=True, slots=True)
class HiveEntry:
    """One key found in a hive: full path (with root), values, and whether it is an Uninstall entry."""

    path: str
    values: dict[str, str]
    uninstall: bool
    modified: dt.datetime | None = None


def looks_like_hive_name(path: PurePath) -> bool:
    return path.name.lower() in HIVE_FILE_NAMES or path.suffix.lower() in HIVE_SUFFIXES


@contextmanager
def opened_hive(stream: BinaryIO, path: PurePath | str) -> Iterator[tuple[HiveKey, str]]:
    """The root key of the hive in ``stream`` and the registry path it is mounted at."""
    from regipy.registry import RegistryHive  # imported here: only hive inputs pay for it

    head = stream.read(4)
    if head != HIVE_MAGIC:
        fail(path, 0, "not a registry hive: the file does not start with 'regf'")
    with tempfile.NamedTemporaryFile(prefix="rootout-hive-", delete=False) as tmp:
        tmp.write(head)
        shutil.copyfileobj(stream, tmp)
    try:
        try:
            hive = RegistryHive(tmp.name)  # type: ignore[no-untyped-call]
            root: HiveKey = hive.root
            mount = mount_point(str(hive.name or ""), PurePath(str(path)), root)
        except Exception as exc:  # regipy raises construct, struct and its own errors alike
            fail(path, 0, f"corrupt registry hive: {type(exc).__name__}: {exc}"[:300])
        yield root, mount
    finally:
        os.unlink(tmp.name)


def mount_point(embedded_name: str, path: PurePath, root: HiveKey) -> str:
    """Where the hive sits in the registry, from its embedded file name, file name or layout."""
    name = (embedded_name or path.name).replace("/", "\\").lower()
    if name.endswith("ntuser.dat"):
        return "HKEY_CURRENT_USER"
    if name.endswith("software"):
        return r"HKEY_LOCAL_MACHINE\SOFTWARE"
    if _child(root, "Software") is not None and _child(root, "Microsoft") is None:
        return "HKEY_CURRENT_USER"
    return r"HKEY_LOCAL_MACHINE\SOFTWARE"


def _child(key: HiveKey, name: str) -> HiveKey | None:
    found: HiveKey | None = key.get_subkey(name, raise_on_missing=False)
    return found


def _descend(key: HiveKey, relative: str) -> HiveKey | None:
    current: HiveKey | None = key
    for part in relative.split("\\"):
        if current is None:
            return None
        current = _child(current, part)
    return current


def _subkeys(key: HiveKey | None) -> Iterator[HiveKey]:
    for sub in (key.iter_subkeys() or ()) if key is not None else ():
        if isinstance(getattr(sub, "name", None), str):
            yield sub


def _value_text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value)


def _values(key: HiveKey) -> dict[str, str]:
    values: dict[str, str] = {}
    for value in key.iter_values(trim_values=False) or ():
        name = "" if value.name == "(default)" else str(value.name)
        values[name] = _value_text(value.value)
    return values


def walk_hive(root: HiveKey, mount: str) -> Iterator[HiveEntry]:
    """Uninstall entries of both views, then first-level vendor keys, of one hive."""
    base = "Software\\" if mount == "HKEY_CURRENT_USER" else ""
    for view in ("", "WOW6432Node\\"):
        relative = f"{base}{view}{_UNINSTALL}"
        uninstall = _descend(root, relative)
        for sub in _subkeys(uninstall):
            yield HiveEntry(f"{mount}\\{relative}\\{sub.name}", _values(sub), True)
    vendors_root = _descend(root, base.rstrip("\\")) if base else root
    for view_key, prefix in ((vendors_root, base), (_child(root, "WOW6432Node"), "WOW6432Node\\")):
        for sub in _subkeys(view_key):
            if sub.name.lower() not in ("microsoft", "wow6432node", "classes", "policies"):
                yield HiveEntry(f"{mount}\\{prefix}{sub.name}", {}, False)
