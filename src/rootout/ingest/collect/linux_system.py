"""Linux system state: systemd units, kernel modules, processes, neighbours, trust stores."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from rootout.ingest.collect import tools
from rootout.ingest.collect.base import (
    MAX_SMALL_FILE_BYTES,
    Host,
    Problem,
    Skipped,
    Tally,
    children,
    read_bytes,
    read_text,
)
from rootout.ingest.collect.certs import cert_blocks, certificate_observations, pem_blocks
from rootout.model.observation import Observation, ObservationKind

UNIT_DIRS = ("/etc/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system")
MODULES = "/proc/modules"
ARP = "/proc/net/arp"
TRUST_BUNDLES = ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt")
TRUST_ANCHOR_DIRS = ("/usr/local/share/ca-certificates", "/etc/pki/ca-trust/source/anchors")
MAX_PROCESSES = 100_000
_TRUST_FLAGS = re.compile(r"^(?P<nick>.*\S)\s+(?P<trust>[A-Za-z]*,[A-Za-z]*,[A-Za-z]*)\s*$")


# --------------------------------------------------------------------------- systemd


def systemd_units(host: Host, tally: Tally) -> Iterator[Observation]:
    """A SERVICE observation per ``*.service`` unit file (``service`` = unit name without suffix)."""
    seen: list[Path] = []
    for shown_dir in UNIT_DIRS:
        folder = host.path(shown_dir)
        if not folder.is_dir() or any(_same(folder, other) for other in seen):
            continue
        seen.append(folder)
        for unit in children(folder):
            if unit.name.endswith(".service") and not unit.is_dir():
                yield _unit_observation(host, tally, unit)
    if not seen:
        raise Skipped(f"no systemd unit folders ({', '.join(UNIT_DIRS)})")


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _unit_observation(host: Host, tally: Tally, unit: Path) -> Observation:
    where = host.shown(unit)
    extra = {"unit": unit.name}
    if unit.is_symlink():
        target = os.readlink(unit)
        extra["state"] = "masked" if target == "/dev/null" else "alias"
        extra["link_target"] = target
    settings: dict[str, str] = {}
    if extra.get("state") != "masked":
        with tally.guard(where):
            settings = unit_settings(read_text(host.real(unit), MAX_SMALL_FILE_BYTES))
    fields = {
        "service": unit.name.removesuffix(".service"),
        "path": where,
        "description": settings.get("Description", ""),
    }
    extra["exec_start"] = settings.get("ExecStart", "")
    return host.observe(ObservationKind.SERVICE, fields, where, extra=extra)


def unit_settings(text: str) -> dict[str, str]:
    """The first ``Description=`` and ``ExecStart=`` of a unit file."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key.strip() in ("Description", "ExecStart"):
            found.setdefault(key.strip(), value.strip())
    return found


# --------------------------------------------------------------------------- kernel modules


def kernel_modules(host: Host, tally: Tally) -> Iterator[Observation]:
    """``/proc/modules``: name size refcount dependencies state address."""
    path = host.path(MODULES)
    if not path.exists():
        raise Skipped(f"not present: {MODULES}")
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        parts = line.split()
        if len(parts) < 3:
            if line.strip():
                tally.problem(f"{MODULES}:{number}", "not a /proc/modules line")
            continue
        used_by = parts[3].strip(",") if len(parts) > 3 and parts[3] != "-" else ""
        extra = {"size": parts[1], "refcount": parts[2], "used_by": used_by}
        if len(parts) > 4:
            extra["state"] = parts[4]
        fields = {"driver": parts[0], "name": parts[0]}
        yield host.observe(ObservationKind.KERNEL_MODULE, fields, MODULES, line=number, extra=extra)


# --------------------------------------------------------------------------- processes


def processes(host: Host, tally: Tally) -> Iterator[Observation]:
    """Running processes: ``/proc/<pid>/comm`` and, when readable, the ``exe`` link."""
    proc = host.path("/proc")
    pids = [entry for entry in children(proc) if entry.name.isdigit()]
    if not pids:
        raise Skipped("no /proc/<pid> folders")
    if len(pids) > MAX_PROCESSES:
        tally.note(f"first {MAX_PROCESSES} of {len(pids)} processes listed")
    for folder in pids[:MAX_PROCESSES]:
        try:
            comm = read_text(folder / "comm", 4096).strip()
        except FileNotFoundError:
            continue  # the process ended while we looked
        except (OSError, ValueError) as exc:
            tally.problem(host.shown(folder / "comm"), exc)
            continue
        try:
            exe = os.readlink(folder / "exe")
        except OSError:
            exe = ""  # kernel threads and other users' processes without privileges
        fields = {"process": comm, "path": exe}
        yield host.observe(
            ObservationKind.PROCESS, fields, host.shown(folder / "comm"), extra={"pid": folder.name}
        )


# --------------------------------------------------------------------------- neighbours


def neighbours(host: Host, tally: Tally) -> Iterator[Observation]:
    """``/proc/net/arp``: IP address, HW type, Flags, HW address, Mask, Device."""
    path = host.path(ARP)
    if not path.exists():
        raise Skipped(f"not present: {ARP}")
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        parts = line.split()
        if number == 1 or not parts:
            continue  # the header
        if len(parts) < 6:
            tally.problem(f"{ARP}:{number}", "not a /proc/net/arp line")
            continue
        ip, _hw_type, flags, mac, _mask, device = parts[:6]
        if flags == "0x0" or mac == "00:00:00:00:00:00":
            continue  # an incomplete entry: no address resolved
        extra = {"interface": device, "flags": flags}
        yield host.observe(
            ObservationKind.NETWORK_DEVICE, {"mac": mac, "ip": ip}, ARP, line=number, extra=extra
        )


# --------------------------------------------------------------------------- trust store


def trust_store(host: Host, tally: Tally) -> Iterator[Observation]:
    """The system CA bundles and locally added anchors."""
    files = [host.path(bundle) for bundle in TRUST_BUNDLES]
    for folder in TRUST_ANCHOR_DIRS:
        files += sorted(path for path in host.path(folder).rglob("*") if not path.is_dir())
    existing = [path for path in files if host.real(path).exists()]
    if not existing:
        raise Skipped(f"no CA bundle ({', '.join(TRUST_BUNDLES)})")
    for path in existing:
        where = host.shown(path)
        blocks = []
        with tally.guard(where):
            blocks = cert_blocks(read_bytes(host.real(path)))
        yield from certificate_observations(host, tally, blocks, where=where, store=where)


# --------------------------------------------------------------------------- NSS databases


def nss_databases(host: Host, tally: Tally, homes: list[Path]) -> Iterator[Observation]:
    """Certificates in users' NSS databases (~/.pki/nssdb, Firefox profiles) via ``certutil``."""
    databases = _nss_dirs(homes)
    if not databases:
        raise Skipped("no NSS databases (~/.pki/nssdb, Firefox profiles)")
    if tools.which("certutil") is None:
        raise Skipped("certutil not installed")
    for folder in databases:
        prefix = "sql:" if (folder / "cert9.db").exists() else "dbm:"
        database = prefix + str(host.real(folder))
        where = host.shown(folder)
        nicknames: list[tuple[str, str]] = []
        with tally.guard(where):
            nicknames = certutil_nicknames(tools.run(("certutil", "-L", "-d", database)))
        for nickname, trust in nicknames:
            blocks = []
            with tally.guard(f"{where} {nickname}"):
                output = tools.run(("certutil", "-L", "-d", database, "-n", nickname, "-a"))
                blocks = pem_blocks(output.encode("utf-8"))
                if not blocks:
                    raise Problem("certutil printed no certificate")
            extra = {"nickname": nickname, "trust": trust}
            yield from certificate_observations(
                host, tally, blocks, where=where, store=f"nss:{where}", extra=extra
            )


def _nss_dirs(homes: list[Path]) -> list[Path]:
    found = []
    for home in homes:
        candidates = [home / ".pki" / "nssdb"]
        for profiles in (
            home / ".mozilla" / "firefox",
            home / "snap/firefox/common/.mozilla/firefox",
        ):
            candidates += [entry for entry in children(profiles) if entry.is_dir()]
        found += [c for c in candidates if (c / "cert9.db").exists() or (c / "cert8.db").exists()]
    return found


def certutil_nicknames(output: str) -> list[tuple[str, str]]:
    """(nickname, trust flags) rows of ``certutil -L`` (after its two header lines)."""
    rows = []
    for line in output.splitlines():
        match = _TRUST_FLAGS.match(line)
        if match and match.group("trust") != "SSL,S/MIME,JAR/XPI":
            rows.append((match.group("nick"), match.group("trust")))
    return rows
