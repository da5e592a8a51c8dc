"""The Example Agency estate: its hosts, its networks, and deterministic helpers.

Everything here is fictional. Host names, serial numbers, UUIDs, IP addresses and
people are invented; the only real values are product names, publishers and the
covered-vendor identifiers that ``shared/reference/identifiers.md`` sources.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from pathlib import Path

SEED = "example-agency-estate-v1"
DOMAIN = "agency.example"
UTC = dt.UTC
REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO.parent / "shared" / "data"
RESOLVER = "10.40.0.53"


def rng(label: str) -> random.Random:
    """A random stream of its own per label, so one file's changes never shift another's."""
    return random.Random(f"{SEED}/{label}")


def words(text: str) -> tuple[str, ...]:
    """Column and name lists written as one space-separated string."""
    return tuple(text.split())


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Host:
    name: str
    platform: str  # windows, linux, darwin
    ip: str
    role: str
    uuid: str
    serial: str


# Workstation roles by number; every other workstation is "office".
_ROLES = {
    101: "it-admin",
    102: "soc-analyst",
    103: "developer",
    106: "developer",
    110: "finance",
    113: "developer",
    117: "finance",
    121: "it-admin",
    124: "developer",
    127: "finance",
}
SERVERS = (
    ("ea-srv-web01", "10.40.2.11", "web"),
    ("ea-srv-db01", "10.40.2.12", "database"),
    ("ea-srv-files01", "10.40.2.13", "files"),
    ("ea-srv-mail01", "10.40.2.14", "mail"),
)
MACS = (
    ("EA-MAC-0201", "10.40.14.201", "communications"),
    ("EA-MAC-0202", "10.40.14.202", "design"),
    ("EA-MAC-0203", "10.40.14.203", "communications"),
    ("EA-MAC-0204", "10.40.14.204", "developer"),
)

# The planted items (the README's table lists them with what rootout should find).
KES_HOSTS = ("EA-WS-0104", "EA-WS-0112", "EA-WS-0119")
REG_EXPORT_HOST = "EA-WS-0112"
RESIDUAL_HOST = "EA-WS-0123"  # UltraAV installed; Kaspersky driver and service left behind
SHADOW_HOST = "EA-WS-0126"  # no Kaspersky in its inventory; its DNS says otherwise
ANALYST_HOST = "EA-WS-0102"  # reads www.kaspersky.com (browsing, not a finding)
HISUITE_HOST = "EA-WS-0116"
KASPA_HOST = "EA-WS-0109"
PANGOTERM_HOST = "EA-WS-0121"
AZTECH_HOST = "EA-WS-0107"
KESL_SERVER = "ea-srv-files01"
KASPERSKY_EXTENSION_MAC = "EA-MAC-0203"


def _uuid(r: random.Random, upper: bool) -> str:
    text = str(uuid.UUID(int=r.getrandbits(128), version=4))
    return text.upper() if upper else text


def _serial(r: random.Random, platform: str) -> str:
    alphabet = "0123456789BCDFGHJKLMNPQRSTVWXYZ"
    length = 12 if platform == "darwin" else 7
    prefix = "C02" if platform == "darwin" else ""
    return prefix + "".join(r.choice(alphabet) for _ in range(length - len(prefix)))


def _host(name: str, platform: str, ip: str, role: str) -> Host:
    r = rng(f"host/{name}")
    return Host(name, platform, ip, role, _uuid(r, platform != "linux"), _serial(r, platform))


def workstation_ip(number: int) -> str:
    return f"10.40.12.{number}"


def hosts() -> tuple[Host, ...]:
    """The 36 hosts osquery reports on: 28 Windows workstations, 4 Linux servers, 4 Macs."""
    found = [
        _host(f"EA-WS-{n:04d}", "windows", workstation_ip(n), _ROLES.get(n, "office"))
        for n in range(101, 129)
    ]
    found += [_host(name, "linux", ip, role) for name, ip, role in SERVERS]
    found += [_host(name, "darwin", ip, role) for name, ip, role in MACS]
    return tuple(found)


def host_named(name: str) -> Host:
    return next(h for h in hosts() if h.name == name)


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_text(path: Path, text: str, *, newline: str = "\n", encoding: str = "utf-8") -> None:
    """Write ``text`` (with ``\\n`` line ends) using ``newline`` and ``encoding`` exactly."""
    write_bytes(path, text.replace("\n", newline).encode(encoding))
