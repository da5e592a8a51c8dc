"""Generate a realistic osqueryd results log (JSON lines) of a requested size, for benchmarks.

The log mixes the three forms osqueryd writes (compact JSON, every value a
string, ``numerics: false``):

* **snapshot**: a whole table per line (``"snapshot": [...]``), the bulk of
  the bytes, as a daily inventory pack does;
* **differential batch**: ``"diffResults": {"added": [...], "removed": [...]}``
  (``--logger_event_type=false``), version bumps of installed software;
* **event**: one row per line (``"columns": {...}``, ``"action": "added"``),
  as most deployments log differential results, here for processes.

Four hosts in five run Windows and report ``programs`` and ``processes``; the
rest run Debian and report ``deb_packages`` and ``processes``. Every line
carries the host's decorations (``host_uuid``, ``hostname``,
``hardware_serial``). One host in twenty carries a covered product (Kaspersky
Endpoint Security or Network Agent, Huawei HiSuite, Kaspersky's Linux package
``kesl``; ``avp.exe``/``klnagent.exe`` processes) and one in fifty-five a
look-alike ("Kaspa Wallet"). Deterministic for a given seed.

Usage: ``python bench/gen_osquery_log.py OUT [--size 1GiB] [--hosts 4000] [--seed 1634]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import string
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_UNITS = {
    "": 1,
    "b": 1,
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
}

WINDOWS_BASE = [
    (
        "Microsoft Edge",
        "Microsoft Corporation",
        "C:\\Program Files (x86)\\Microsoft\\Edge\\Application",
    ),
    ("Google Chrome", "Google LLC", "C:\\Program Files\\Google\\Chrome\\Application"),
    ("Mozilla Firefox (x64 en-US)", "Mozilla", "C:\\Program Files\\Mozilla Firefox"),
    ("Microsoft Visual C++ 2015-2022 Redistributable (x64)", "Microsoft Corporation", ""),
    ("Microsoft Visual C++ 2013 Redistributable (x86)", "Microsoft Corporation", ""),
    ("7-Zip 23.01 (x64 edition)", "Igor Pavlov", "C:\\Program Files\\7-Zip\\"),
    ("Notepad++ (64-bit x64)", "Notepad++ Team", "C:\\Program Files\\Notepad++"),
    ("Adobe Acrobat Reader", "Adobe Inc.", "C:\\Program Files\\Adobe\\Acrobat DC\\"),
    ("Microsoft 365 Apps for enterprise - en-us", "Microsoft Corporation", ""),
    ("Zoom Workplace", "Zoom Video Communications, Inc.", ""),
    ("Microsoft Teams", "Microsoft Corporation", ""),
    ("Git", "The Git Development Community", "C:\\Program Files\\Git\\"),
    ("Python 3.11.7 (64-bit)", "Python Software Foundation", ""),
    ("VLC media player", "VideoLAN", "C:\\Program Files\\VideoLAN\\VLC"),
    ("Cisco Secure Client - AnyConnect VPN", "Cisco Systems, Inc.", ""),
    ("CrowdStrike Sensor Platform", "CrowdStrike, Inc.", ""),
    ("Dell Command | Update", "Dell Inc.", ""),
    ("Intel(R) Graphics Driver", "Intel Corporation", ""),
    ("Realtek High Definition Audio Driver", "Realtek Semiconductor Corp.", ""),
    ("Java 8 Update 401", "Oracle Corporation", "C:\\Program Files\\Java\\jre-1.8\\"),
]
DEBIAN_BASE = [
    ("base-files", "Santiago Vila <sanvila@debian.org>", "admin", "required"),
    ("bash", "Matthias Klose <doko@debian.org>", "shells", "required"),
    ("coreutils", "Michael Stone <mstone@debian.org>", "utils", "required"),
    ("curl", "Debian Curl Maintainers <team+curl@tracker.debian.org>", "web", "optional"),
    ("libc6", "GNU Libc Maintainers <debian-glibc@lists.debian.org>", "libs", "optional"),
    (
        "libssl3",
        "Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>",
        "libs",
        "optional",
    ),
    (
        "openssh-server",
        "Debian OpenSSH Maintainers <debian-ssh@lists.debian.org>",
        "net",
        "optional",
    ),
    ("python3", "Matthias Klose <doko@debian.org>", "python", "optional"),
    (
        "systemd",
        "Debian systemd Maintainers <pkg-systemd-maintainers@lists.alioth.debian.org>",
        "admin",
        "important",
    ),
    ("tzdata", "GNU Libc Maintainers <debian-glibc@lists.debian.org>", "localization", "required"),
]
TAIL_VENDORS = [
    "Acme Software", "Contoso Ltd", "Fabrikam Inc.", "Northwind Traders", "Tailspin Toys",
    "Wide World Importers", "Adventure Works", "Litware, Inc.", "Proseware, Inc.", "Lucerne Publishing",
]  # fmt: skip
TAIL_WORDS = [
    "Analyzer", "Backup", "Client", "Connector", "Designer", "Agent", "Manager", "Studio", "Viewer",
    "Toolkit", "Monitor", "Sync", "Editor", "Gateway", "Assistant", "Security", "Endpoint", "Cloud",
]  # fmt: skip
DEB_STEMS = [
    "lib", "python3-", "golang-", "node-", "fonts-", "libx", "gir1.2-", "ruby-", "perl-", "r-cran-",
]  # fmt: skip
DEB_SECTIONS = ["libs", "python", "devel", "utils", "net", "admin", "text", "web", "fonts", "misc"]
COVERED_PROGRAMS = [
    ("Kaspersky Endpoint Security for Windows", "AO Kaspersky Lab", "C:\\Program Files (x86)\\Kaspersky Lab\\KES.12.4.0\\"),
    ("Kaspersky Security Center Network Agent", "AO Kaspersky Lab", "C:\\Program Files (x86)\\Kaspersky Lab\\NetworkAgent\\"),
    ("HiSuite", "Huawei Technologies Co., Ltd.", "C:\\Program Files\\HiSuite\\"),
]  # fmt: skip
COVERED_PROCESSES = [
    ("avp.exe", "C:\\Program Files (x86)\\Kaspersky Lab\\KES.12.4.0\\avp.exe"),
    ("klnagent.exe", "C:\\Program Files (x86)\\Kaspersky Lab\\NetworkAgent\\klnagent.exe"),
]
TRAP_PROGRAMS = [("Kaspa Wallet", "Kaspa Developers", ""), ("Aztech Modem Utility", "Aztech", "")]
WINDOWS_PROCESSES = [
    ("svchost.exe", "C:\\Windows\\System32\\svchost.exe"),
    ("explorer.exe", "C:\\Windows\\explorer.exe"),
    ("msedge.exe", "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe"),
    ("chrome.exe", "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"),
    ("Teams.exe", "C:\\Users\\user\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe"),
    ("RuntimeBroker.exe", "C:\\Windows\\System32\\RuntimeBroker.exe"),
    ("conhost.exe", "C:\\Windows\\System32\\conhost.exe"),
    ("CSFalconService.exe", "C:\\Program Files\\CrowdStrike\\CSFalconService.exe"),
]
LINUX_PROCESSES = [
    ("sshd", "/usr/sbin/sshd"),
    ("systemd-journald", "/usr/lib/systemd/systemd-journald"),
    ("cron", "/usr/sbin/cron"),
    ("python3", "/usr/bin/python3.11"),
    ("nginx", "/usr/sbin/nginx"),
    ("postgres", "/usr/lib/postgresql/15/bin/postgres"),
]
START = dt.datetime(2024, 9, 16, 8, 0, tzinfo=dt.UTC)


def parse_size(text: str) -> int:
    """``"1GiB"``, ``"250MB"``, ``"4 MiB"`` or a plain byte count, as bytes."""
    found = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*", text)
    if found is None or found.group(2).lower() not in _UNITS:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 1GiB, 250MB, 4MiB)")
    return int(float(found.group(1)) * _UNITS[found.group(2).lower()])


@dataclass
class Host:
    name: str
    windows: bool
    decorations: dict[str, str]
    software: list[dict[str, str]] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    pid: int = 1000


def _version(rng: random.Random) -> str:
    return f"{rng.randint(1, 24)}.{rng.randint(0, 9)}.{rng.randint(0, 999)}"


def _guid(rng: random.Random) -> str:
    return "{" + str(uuid.UUID(int=rng.getrandbits(128))).upper() + "}"


def _program(rng: random.Random, name: str, publisher: str, location: str) -> dict[str, str]:
    code = _guid(rng)
    return {
        "identifying_number": code,
        "install_date": f"2024{rng.randint(1, 9):02d}{rng.randint(1, 28):02d}",
        "install_location": location,
        "install_source": f"C:\\ProgramData\\Package Cache\\{code}v1\\",
        "language": "1033",
        "name": name,
        "package_family_name": "",
        "publisher": publisher,
        "uninstall_string": f"MsiExec.exe /X{code}",
        "upgrade_code": _guid(rng),
        "version": _version(rng),
    }


def _deb(
    rng: random.Random, name: str, maintainer: str, section: str, priority: str
) -> dict[str, str]:
    return {
        "admindir": "/var/lib/dpkg",
        "arch": rng.choice(("amd64", "amd64", "amd64", "all")),
        "maintainer": maintainer,
        "mount_namespace_id": "",
        "name": name,
        "pid_with_namespace": "0",
        "priority": priority,
        "revision": f"{rng.randint(1, 9)}+deb12u{rng.randint(1, 9)}",
        "section": section,
        "size": str(rng.randint(20, 90000)),
        "source": "",
        "status": "install ok installed",
        "version": f"{rng.randint(0, 9)}.{rng.randint(0, 40)}.{rng.randint(0, 20)}-{rng.randint(1, 9)}",
    }


def covered(number: int) -> bool:
    """Whether host ``number`` carries a covered product (one Windows and one Debian host in 40)."""
    return number % 40 in (0, 1)


class Fleet:
    """Hosts with their installed software, drawn from a long tail when a host first reports.

    Each host has its own random stream (from the seed and its number), so a
    host is the same whichever line first names it.
    """

    def __init__(self, seed: int, hosts: int, per_host: int) -> None:
        rng = random.Random(seed)
        self.seed = seed
        self.per_host = per_host
        self.program_tail = [
            (f"{v.split()[0]} {' '.join(rng.sample(TAIL_WORDS, 2))}", v) for v in TAIL_VENDORS * 300
        ]
        self.deb_tail = [
            (f"{rng.choice(DEB_STEMS)}{''.join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 10)))}",
             rng.choice(DEB_SECTIONS))
            for _ in range(4000)
        ]  # fmt: skip
        self.count = hosts
        self.hosts: dict[int, Host] = {}

    def host(self, number: int) -> Host:
        found = self.hosts.get(number)
        if found is None:
            found = self.hosts[number] = self._host(number)
        return found

    def _host(self, number: int) -> Host:
        rng = random.Random(self.seed * 1_000_003 + number)
        windows = number % 5 != 1
        name = f"{'ws' if windows else 'srv'}-{number:06d}"
        decorations = {
            "host_uuid": str(uuid.UUID(int=rng.getrandbits(128))).upper(),
            "hostname": f"{name}.corp.example",
            "hardware_serial": "".join(rng.choices(string.ascii_uppercase + string.digits, k=7)),
        }
        host = Host(name, windows, decorations)
        host.software = self._software(rng, host, number)
        return host

    def _software(self, rng: random.Random, host: Host, number: int) -> list[dict[str, str]]:
        if host.windows:
            picks = [*WINDOWS_BASE]
            picks += [
                (n, v, "") for n, v in rng.sample(self.program_tail, self.per_host - len(picks))
            ]
            if covered(number):
                picks.append(rng.choice(COVERED_PROGRAMS))
            if number % 55 == 0:
                picks.append(rng.choice(TRAP_PROGRAMS))
            return [_program(rng, *pick) for pick in picks]
        debs = [_deb(rng, *base) for base in DEBIAN_BASE]
        for name, section in rng.sample(self.deb_tail, self.per_host - len(debs)):
            debs.append(
                _deb(
                    rng,
                    name,
                    "Debian Developers <debian-devel@lists.debian.org>",
                    section,
                    "optional",
                )
            )
        if covered(number):
            debs.append(_deb(rng, "kesl", "AO Kaspersky Lab", "non-free/admin", "optional"))
        return debs


def _envelope(host: Host, query: str, when: dt.datetime) -> dict[str, Any]:
    host.counters[query] = host.counters.get(query, -1) + 1
    return {
        "name": query,
        "hostIdentifier": host.name,
        "calendarTime": when.strftime("%a %b %d %H:%M:%S %Y UTC"),
        "unixTime": int(when.timestamp()),
        "epoch": 0,
        "counter": host.counters[query],
        "numerics": False,
        "decorations": host.decorations,
    }


def _inventory_query(host: Host) -> str:
    return "pack_inventory_programs" if host.windows else "pack_inventory_deb"


def snapshot(host: Host, when: dt.datetime) -> dict[str, Any]:
    record = _envelope(host, _inventory_query(host), when)
    return {**record, "action": "snapshot", "snapshot": host.software}


def differential(rng: random.Random, host: Host, when: dt.datetime) -> dict[str, Any]:
    """A batch of upgrades: the old rows removed, the new ones added."""
    removed, added = [], []
    for index in rng.sample(range(len(host.software)), rng.randint(1, 4)):
        old = host.software[index]
        new = {**old, "version": _version(rng)}
        host.software[index] = new
        removed.append(old)
        added.append(new)
    record = _envelope(host, _inventory_query(host), when)
    return {**record, "diffResults": {"added": added, "removed": removed}}


def process_event(rng: random.Random, host: Host, number: int, when: dt.datetime) -> dict[str, Any]:
    if host.windows:
        covered_now = covered(number) and rng.random() < 0.2
        name, path = rng.choice(COVERED_PROCESSES if covered_now else WINDOWS_PROCESSES)
        cmdline, uid = f'"{path}"', "-1"
    else:
        name, path = rng.choice(LINUX_PROCESSES)
        cmdline, uid = f"{path} --config /etc/{name}.conf", str(rng.choice((0, 33, 105, 1000)))
    host.pid += rng.randint(1, 40)
    columns = {
        "cmdline": cmdline,
        "name": name,
        "parent": str(rng.randint(1, 900)),
        "path": path,
        "pid": str(host.pid),
        "start_time": str(int(when.timestamp()) - rng.randint(0, 3600)),
        "uid": uid,
    }
    record = _envelope(host, "pack_inventory_processes", when)
    return {**record, "action": rng.choice(("added", "added", "removed")), "columns": columns}


def records(seed: int, hosts: int, per_host: int) -> Iterator[dict[str, Any]]:
    """Endless log records: snapshots, differential batches and process events, mixed."""
    rng = random.Random(seed)
    fleet = Fleet(seed, hosts, per_host)
    when = START
    while True:
        when += dt.timedelta(seconds=rng.randint(0, 2))
        number = rng.randint(1, hosts)
        host = fleet.host(number)
        draw = rng.random()
        if draw < 0.02:
            yield snapshot(host, when)
        elif draw < 0.30:
            yield differential(rng, host, when)
        else:
            yield process_event(rng, host, number, when)


def generate(
    path: Path, size: int, *, hosts: int = 4000, per_host: int = 250, seed: int = 1634
) -> tuple[int, int]:
    """Write at least ``size`` bytes of log (whole lines) to ``path``; return (lines, bytes)."""
    written = lines = 0
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for record in records(seed, hosts, per_host):
            text = dumps(record) + "\n"
            handle.write(text)
            written += len(text.encode("utf-8"))
            lines += 1
            if written >= size:
                break
    return lines, written


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("output", type=Path)
    parser.add_argument("--size", type=parse_size, default=2**30, help="e.g. 1GiB (default), 4MB")
    parser.add_argument("--hosts", type=int, default=4000)
    parser.add_argument("--per-host", type=int, default=250, help="programs or packages per host")
    parser.add_argument("--seed", type=int, default=1634)
    args = parser.parse_args()
    lines, written = generate(
        args.output, args.size, hosts=args.hosts, per_host=args.per_host, seed=args.seed
    )
    print(f"{args.output}: {lines:,} lines, {written:,} bytes")


if __name__ == "__main__":
    main()
