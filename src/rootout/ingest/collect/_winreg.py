"""The live registry through :mod:`winreg` (imported on Windows only).

A thin adapter: every key is opened read-only for one call and closed again.
Everything else (which keys, what they mean) lives in ``windows.py``.
"""

from __future__ import annotations

import sys

assert sys.platform == "win32"  # this module is Windows-only (mypy skips it elsewhere)

import winreg  # noqa: E402

from rootout.ingest.collect.registry import RegValue, canonical  # noqa: E402

_HIVES = {
    "HKEY_LOCAL_MACHINE": winreg.HKEY_LOCAL_MACHINE,
    "HKEY_USERS": winreg.HKEY_USERS,
    "HKEY_CURRENT_USER": winreg.HKEY_CURRENT_USER,
    "HKEY_CLASSES_ROOT": winreg.HKEY_CLASSES_ROOT,
}
_ACCESS = winreg.KEY_READ | winreg.KEY_WOW64_64KEY
"""The 64-bit view; the 32-bit view is read through the WOW6432Node keys by name."""


class WinRegistry:
    """:class:`~rootout.ingest.collect.registry.RegistrySource` over the local registry."""

    def _open(self, key: str) -> winreg.HKEYType:
        hive, _, rest = canonical(key).partition("\\")
        if hive not in _HIVES:
            raise FileNotFoundError(f"unknown registry hive: {hive}")
        return winreg.OpenKey(_HIVES[hive], rest, 0, _ACCESS)

    def subkeys(self, key: str) -> list[str]:
        with self._open(key) as handle:
            count = winreg.QueryInfoKey(handle)[0]
            return [winreg.EnumKey(handle, index) for index in range(count)]

    def values(self, key: str) -> dict[str, RegValue]:
        found: dict[str, RegValue] = {}
        with self._open(key) as handle:
            count = winreg.QueryInfoKey(handle)[1]
            for index in range(count):
                name, data, _kind = winreg.EnumValue(handle, index)
                if isinstance(data, str | int | bytes):
                    found[name] = data
                elif isinstance(data, list):
                    found[name] = [str(item) for item in data]
        return found
