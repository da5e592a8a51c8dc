"""The Linux collector: which sources it reads, and the host's name and identifier."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from rootout.ingest.collect import browsers, linux_packages, linux_system
from rootout.ingest.collect.base import MAX_SMALL_FILE_BYTES, Host, Source, Tally, read_text
from rootout.ingest.collect.common import (
    fallback_name,
    homes,
    hostname_from_tree,
    live_hostname,
    vendor_folders,
)
from rootout.model.observation import Asset, AssetKind, Observation

FORMAT = "collect-linux"
MACHINE_ID_FILES = ("/etc/machine-id", "/var/lib/dbus/machine-id")
VENDOR_FOLDERS = ("/opt", "/var/opt", "/etc/opt")
BROWSERS = browsers.BrowserLayout(
    chromium=(
        ("chrome", ".config/google-chrome"),
        ("chromium", ".config/chromium"),
        ("edge", ".config/microsoft-edge"),
        ("brave", ".config/BraveSoftware/Brave-Browser"),
    ),
    firefox=(".mozilla/firefox", "snap/firefox/common/.mozilla/firefox"),
)
_MACHINE_ID = re.compile(r"[0-9a-fA-F]{32}")


def plan(root: Path) -> tuple[Host, list[Source]]:
    """The host and every Linux source, in the order they are read."""
    host = Host(root, "Linux", asset(root), FORMAT)
    trust = ", ".join(linux_system.TRUST_BUNDLES + linux_system.TRUST_ANCHOR_DIRS)
    return host, [
        Source("dpkg", linux_packages.DPKG_STATUS, linux_packages.dpkg),
        Source("rpm", "rpm -qa", linux_packages.rpm),
        Source("snap", f"snap list, {linux_packages.SNAP_DIR}", linux_packages.snap),
        Source("flatpak", "/var/lib/flatpak/app, ~/.local/share/flatpak/app", _flatpak),
        Source("systemd-units", ", ".join(linux_system.UNIT_DIRS), linux_system.systemd_units),
        Source("kernel-modules", linux_system.MODULES, linux_system.kernel_modules),
        Source("processes", "/proc/<pid>/comm, /proc/<pid>/exe", linux_system.processes),
        Source("trust-store", trust, linux_system.trust_store),
        Source("nss-databases", "~/.pki/nssdb, Firefox profiles (certutil -L)", _nss),
        Source("browser-extensions", BROWSERS.location, _browser_extensions),
        Source("neighbours", linux_system.ARP, linux_system.neighbours),
        Source("vendor-folders", ", ".join(VENDOR_FOLDERS), _vendor_folders),
    ]


def user_homes(host: Host) -> list[Path]:
    return homes(host, ("/home",), extra=("/root",))


def _flatpak(host: Host, tally: Tally) -> Iterator[Observation]:
    return linux_packages.flatpak(host, tally, user_homes(host))


def _nss(host: Host, tally: Tally) -> Iterator[Observation]:
    return linux_system.nss_databases(host, tally, user_homes(host))


def _browser_extensions(host: Host, tally: Tally) -> Iterator[Observation]:
    return browsers.extensions(host, tally, user_homes(host), BROWSERS)


def _vendor_folders(host: Host, tally: Tally) -> Iterator[Observation]:
    return vendor_folders(host, tally, VENDOR_FOLDERS)


def asset(root: Path) -> Asset:
    """This machine: host name, and ``host_uuid`` from ``/etc/machine-id`` when readable."""
    live = root == Path("/")
    name = live_hostname() if live else hostname_from_tree(root) or fallback_name(root)
    identifiers: tuple[tuple[str, str], ...] = ()
    machine_id = _machine_id(root)
    if machine_id:
        identifiers = (("host_uuid", machine_id),)
    return Asset(AssetKind.HOST, name, identifiers)


def _machine_id(root: Path) -> str:
    for shown in MACHINE_ID_FILES:
        try:
            text = read_text(root.joinpath(shown.lstrip("/")), MAX_SMALL_FILE_BYTES).strip()
        except (OSError, ValueError):
            continue
        if _MACHINE_ID.fullmatch(text):
            return text.lower()
    return ""
