"""The Windows collector: registry sources, browser extensions, program folders, driver files.

The registry is read through a :class:`~rootout.ingest.collect.registry.RegistrySource`:
the live registry (``winreg``) when collecting this Windows machine, or any
source the caller passes (a :class:`MemoryRegistry` built from an export).
Without one, the registry sources are recorded as skipped and the file
sources still run against ``root``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from rootout.ingest.collect import browsers, windows_registry
from rootout.ingest.collect.base import Host, Skipped, Source, Tally, children, subfolders
from rootout.ingest.collect.common import fallback_name, homes, live_hostname, vendor_folders
from rootout.ingest.collect.registry import RegistrySource, lookup, text
from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind

FORMAT = "collect-windows"
VENDOR_FOLDERS = ("C:\\Program Files", "C:\\Program Files (x86)", "C:\\ProgramData")
DRIVERS = "C:\\Windows\\System32\\drivers"
COMPUTER_NAME = (
    f"{windows_registry.HKLM}\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName"
)
CRYPTOGRAPHY = f"{windows_registry.HKLM}\\SOFTWARE\\Microsoft\\Cryptography"
SKIPPED_PROFILES = frozenset({"public", "default", "default user", "all users", "defaultapppool"})
BROWSERS = browsers.BrowserLayout(
    chromium=(
        ("chrome", "AppData/Local/Google/Chrome/User Data"),
        ("chromium", "AppData/Local/Chromium/User Data"),
        ("edge", "AppData/Local/Microsoft/Edge/User Data"),
        ("brave", "AppData/Local/BraveSoftware/Brave-Browser/User Data"),
    ),
    firefox=("AppData/Roaming/Mozilla/Firefox/Profiles",),
)


def live_registry(root: Path) -> RegistrySource | None:
    """The winreg-backed registry when ``root`` is this running Windows machine."""
    if sys.platform == "win32" and root == Path("/"):
        from rootout.ingest.collect._winreg import WinRegistry

        return WinRegistry()
    return None


def plan(root: Path, registry: RegistrySource | None) -> tuple[Host, list[Source]]:
    drive = os.environ.get("SYSTEMDRIVE", "C:") if root == Path("/") else "C:"
    host = Host(root, "Windows", asset(root, registry), FORMAT, drive=drive)
    reg = windows_registry
    return host, [
        Source(
            "uninstall-keys",
            "HKLM and HKU ...\\CurrentVersion\\Uninstall",
            partial(reg.uninstall_entries, registry=registry),
        ),
        Source("services", reg.SERVICES, partial(reg.services, registry=registry)),
        Source(
            "software-keys",
            ", ".join(reg.SOFTWARE_KEYS),
            partial(reg.software_keys, registry=registry),
        ),
        Source(
            "certificate-stores",
            "HKLM and HKU ...\\SystemCertificates",
            partial(reg.certificate_stores, registry=registry),
        ),
        Source("browser-extensions", BROWSERS.location, _browser_extensions),
        Source("vendor-folders", ", ".join(VENDOR_FOLDERS), _vendor_folders),
        Source("driver-files", f"{DRIVERS}\\*.sys", driver_files),
    ]


def user_homes(host: Host) -> list[Path]:
    return homes(host, ("C:\\Users",), skip=SKIPPED_PROFILES)


def _browser_extensions(host: Host, tally: Tally) -> Iterator[Observation]:
    return browsers.extensions(host, tally, user_homes(host), BROWSERS)


def _vendor_folders(host: Host, tally: Tally) -> Iterator[Observation]:
    return vendor_folders(host, tally, VENDOR_FOLDERS)


def driver_files(host: Host, tally: Tally) -> Iterator[Observation]:
    """``*.sys`` files in ``System32\\drivers`` and its direct sub-folders (``K4W-21-25\\``)."""
    folder = host.path(DRIVERS)
    if not folder.is_dir():
        raise Skipped(f"not present: {DRIVERS}")
    files = [entry for entry in children(folder) if entry.suffix.lower() == ".sys"]
    for sub in subfolders(folder):
        files += [entry for entry in children(sub) if entry.suffix.lower() == ".sys"]
    for path in files:
        shown = host.shown(path)
        fields = {"driver": path.name, "path": shown}
        yield host.observe(
            ObservationKind.DRIVER, fields, shown, extra={"folder": host.shown(path.parent)}
        )


def asset(root: Path, registry: RegistrySource | None) -> Asset:
    """The computer name and ``host_uuid`` (MachineGuid) from the registry when it can be read."""
    name = live_hostname() if root == Path("/") else ""
    identifiers: tuple[tuple[str, str], ...] = ()
    if registry is not None:
        name = name or _registry_text(registry, COMPUTER_NAME, "ComputerName")
        guid = _registry_text(registry, CRYPTOGRAPHY, "MachineGuid")
        identifiers = (("host_uuid", guid.lower()),) if guid else ()
    return Asset(AssetKind.HOST, name or fallback_name(root), identifiers)


def _registry_text(registry: RegistrySource, key: str, value: str) -> str:
    try:
        return text(lookup(registry.values(key), value)).strip()
    except OSError:
        return ""
