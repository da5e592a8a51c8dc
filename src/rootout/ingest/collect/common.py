"""Pieces every OS collector shares: users' home folders, vendor folders, the host name."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

from rootout.ingest.collect.base import (
    MAX_SMALL_FILE_BYTES,
    Host,
    Skipped,
    Tally,
    children,
    read_text,
    subfolders,
)
from rootout.model.observation import Observation, ObservationKind

MAX_FOLDER_ENTRIES = 200
"""Entries listed per vendor folder level (a huge /opt is sampled, and the cut is noted)."""


def homes(
    host: Host,
    parents: tuple[str, ...],
    extra: tuple[str, ...] = (),
    skip: frozenset[str] = frozenset(),
) -> list[Path]:
    """Users' home folders: the sub-folders of ``parents`` plus the ``extra`` homes that exist."""
    found: list[Path] = []
    for parent in parents:
        found += [
            home
            for home in subfolders(host.path(parent))
            if home.name.lower() not in skip and not home.name.startswith(".")
        ]
    found += [host.path(path) for path in extra if host.path(path).is_dir()]
    return found


def vendor_folders(
    host: Host, tally: Tally, folders: tuple[str, ...], depth: int = 2
) -> Iterator[Observation]:
    """A FILE observation (``path``, ``name``) for each entry of the vendor folders, ``depth`` deep.

    Installers put one folder per vendor there (``/opt/kaspersky``,
    ``C:\\Program Files (x86)\\Kaspersky Lab``), often with one folder per
    product inside; folders left after an uninstall are evidence too.
    """
    existing = [host.path(folder) for folder in folders if host.path(folder).is_dir()]
    if not existing:
        raise Skipped(f"none of {', '.join(folders)} exists")
    for folder in existing:
        yield from _folder_entries(host, tally, folder, depth)


def _folder_entries(host: Host, tally: Tally, folder: Path, depth: int) -> Iterator[Observation]:
    entries: list[Path] = []
    with tally.guard(host.shown(folder)):
        entries = children(folder)
    if len(entries) > MAX_FOLDER_ENTRIES:
        tally.note(
            f"{host.shown(folder)}: first {MAX_FOLDER_ENTRIES} of {len(entries)} entries listed"
        )
    for entry in entries[:MAX_FOLDER_ENTRIES]:
        shown = host.shown(entry)
        kind = "link" if entry.is_symlink() else "folder" if entry.is_dir() else "file"
        yield host.observe(
            ObservationKind.FILE,
            {"path": shown, "name": entry.name},
            shown,
            extra={"entry_type": kind, "parent": host.shown(folder)},
        )
        if depth > 1 and kind == "folder":
            yield from _folder_entries(host, tally, entry, depth - 1)


def hostname_from_tree(host_root: Path) -> str:
    """The host name written in a captured tree's ``etc/hostname`` ('' when absent or unreadable)."""
    try:
        text = read_text(host_root / "etc" / "hostname", MAX_SMALL_FILE_BYTES)
    except (OSError, ValueError):
        return ""
    lines = [
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]
    return lines[0] if lines else ""


def live_hostname() -> str:
    return socket.gethostname()


def fallback_name(root: Path) -> str:
    """A name for a captured tree that does not say its host name: the tree's folder name."""
    try:
        return root.resolve().name or str(root)
    except (OSError, RuntimeError):  # a link loop in the path
        return root.name or str(root)
