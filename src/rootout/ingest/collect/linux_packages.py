"""Linux package databases: dpkg, rpm, snap and flatpak."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rootout.ingest.collect import tools
from rootout.ingest.collect.base import Host, Problem, Skipped, Tally, read_bytes, subfolders
from rootout.model.observation import Observation, ObservationKind

DPKG_STATUS = "/var/lib/dpkg/status"
RPM_QUERY = (
    "rpm",
    "-qa",
    "--queryformat",
    "%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{VENDOR}\\t%{PACKAGER}\\n",
)
SNAP_DIR = "/var/lib/snapd/snaps"
FLATPAK_DIRS = ("/var/lib/flatpak/app",)
FLATPAK_USER_DIR = ".local/share/flatpak/app"
_FIELD_NAME = re.compile(r"[!-9;-~]+")
"""A deb822 field name: printable US-ASCII without space or colon (deb822(5))."""
_SNAP_FILE = re.compile(r"^(?P<name>.+)_(?P<revision>x?\d+)\.snap$")


# --------------------------------------------------------------------------- dpkg


@dataclass(frozen=True, slots=True)
class Stanza:
    line: int
    """1-based line of the stanza's first field."""
    fields: dict[str, str]
    """Field name to the text on its first line (continuation lines are not kept)."""


def parse_deb822(text: str) -> tuple[list[Stanza], list[tuple[int, str]]]:
    """Stanzas of a deb822 file (dpkg status), and the lines that are not deb822."""
    stanzas: list[Stanza] = []
    bad: list[tuple[int, str]] = []
    current: dict[str, str] | None = None
    start = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            if current is not None:
                stanzas.append(Stanza(start, current))
            current = None
        elif line[0] in " \t":
            if current is None:
                bad.append((number, "continuation line outside a stanza"))
        else:
            name, colon, value = line.partition(":")
            if not colon or not _FIELD_NAME.fullmatch(name) or name[0] in "#-":
                bad.append((number, "not a 'Field: value' line"))
                continue
            if current is None:
                current, start = {}, number
            current[name] = value.strip()
    if current is not None:
        stanzas.append(Stanza(start, current))
    return stanzas, bad


def dpkg(host: Host, tally: Tally) -> Iterator[Observation]:
    path = host.real(host.path(DPKG_STATUS))
    if not path.exists():
        raise Skipped(f"not present: {DPKG_STATUS}")
    data = read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        tally.problem(DPKG_STATUS, exc)
        text = data.decode("utf-8", errors="replace")
    stanzas, bad = parse_deb822(text)
    for number, message in bad:
        tally.problem(f"{DPKG_STATUS}:{number}", message)
    for stanza in stanzas:
        package = stanza.fields.get("Package", "")
        if not package:
            tally.problem(f"{DPKG_STATUS}:{stanza.line}", "stanza without a Package field")
        elif _installed(stanza.fields.get("Status", "")):
            yield _deb_observation(host, stanza, package)


def _installed(status: str) -> bool:
    """dpkg's Status is 'want flag state'; only state 'installed' counts."""
    words = status.split()
    return len(words) == 3 and words[2] == "installed"


def _deb_observation(host: Host, stanza: Stanza, package: str) -> Observation:
    values = stanza.fields
    fields = {
        "package": package,
        "name": package,
        "version": values.get("Version", ""),
        "vendor": values.get("Maintainer", ""),
        "description": values.get("Description", ""),
        "ecosystem": "deb",
    }
    extra = {
        "architecture": values.get("Architecture", ""),
        "source_package": values.get("Source", ""),
        "status": values.get("Status", ""),
        "section": values.get("Section", ""),
    }
    return host.observe(ObservationKind.PACKAGE, fields, DPKG_STATUS, line=stanza.line, extra=extra)


# --------------------------------------------------------------------------- rpm


def rpm(host: Host, tally: Tally) -> Iterator[Observation]:
    if not host.live:
        raise Skipped("the rpm database is read with the rpm tool, on the live machine only")
    if tools.which("rpm") is None:
        raise Skipped("rpm not installed")
    output = tools.run(RPM_QUERY)
    where = "rpm -qa"
    for number, line in enumerate(output.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part if part != "(none)" else "" for part in line.split("\t")]
        if len(parts) != 7:
            tally.problem(f"{where}:{number}", "unexpected rpm output line")
            continue
        name, epoch, version, release, arch, vendor, packager = parts
        full = f"{version}-{release}" if release else version
        fields = {
            "package": name,
            "name": name,
            "version": f"{epoch}:{full}" if epoch else full,
            "vendor": vendor,
            "ecosystem": "rpm",
        }
        extra = {"architecture": arch, "packager": packager}
        yield host.observe(ObservationKind.PACKAGE, fields, where, line=number, extra=extra)


# --------------------------------------------------------------------------- snap


def snap(host: Host, tally: Tally) -> Iterator[Observation]:
    if host.live and tools.which("snap") is not None:
        try:
            yield from _snap_list(host, tally, tools.run(("snap", "list")))
            return
        except Problem as exc:
            tally.note(f"`snap list` failed ({exc}); listed {SNAP_DIR} instead")
    folder = host.path(SNAP_DIR)
    if not folder.is_dir():
        raise Skipped(f"snapd not installed (no {SNAP_DIR})")
    for path in sorted(folder.glob("*.snap")):
        match = _SNAP_FILE.match(path.name)
        if match is None:
            tally.note(f"{host.shown(path)}: not a <name>_<revision>.snap file name")
            continue
        name = match.group("name")
        fields = {"package": name, "name": name, "ecosystem": "snap"}
        extra = {"revision": match.group("revision")}
        yield host.observe(ObservationKind.PACKAGE, fields, host.shown(path), extra=extra)


def _snap_list(host: Host, tally: Tally, output: str) -> Iterator[Observation]:
    """``snap list``: Name Version Rev Tracking Publisher Notes (Notes may be '-')."""
    lines = output.splitlines()
    for number, line in enumerate(lines[1:], start=2):
        parts = line.split()
        if len(parts) < 5:
            if line.strip():
                tally.problem(f"snap list:{number}", "unexpected snap list line")
            continue
        name, version, revision, tracking, publisher = parts[:5]
        fields = {
            "package": name,
            "name": name,
            "version": version,
            "publisher": publisher.rstrip("✓*"),
            "ecosystem": "snap",
        }
        extra = {"revision": revision, "tracking": tracking, "publisher_shown": publisher}
        if len(parts) > 5:
            extra["notes"] = parts[5]
        yield host.observe(ObservationKind.PACKAGE, fields, "snap list", line=number, extra=extra)


# --------------------------------------------------------------------------- flatpak


def flatpak(host: Host, tally: Tally, homes: list[Path]) -> Iterator[Observation]:
    folders = [host.path(folder) for folder in FLATPAK_DIRS]
    folders += [home / FLATPAK_USER_DIR for home in homes]
    existing = [folder for folder in folders if folder.is_dir()]
    if not existing:
        raise Skipped(
            "flatpak not installed (no /var/lib/flatpak/app or ~/.local/share/flatpak/app)"
        )
    for folder in existing:
        for app in subfolders(folder):
            current = app / "current"
            branch = ""
            if current.is_symlink():
                with tally.guard(host.shown(current)):
                    branch = current.readlink().as_posix()
            fields = {"package": app.name, "name": app.name, "ecosystem": "flatpak"}
            extra = {"branch": branch, "installation": host.shown(folder)}
            yield host.observe(ObservationKind.PACKAGE, fields, host.shown(app), extra=extra)
