"""DHCP server leases: ISC dhcpd ``dhcpd.leases`` and dnsmasq ``dnsmasq.leases``.

Every lease with a hardware address becomes a ``network_device`` observation
whose asset is the leasing device (kind DEVICE, identified by MAC and IP).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from rootout.errors import InputError, Location
from rootout.ingest.base import Reader, register
from rootout.ingest.textio import epoch_time, head_text, iter_lines, mac_address
from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind, SourceRef


def _lease_observation(
    reader: str,
    source: tuple[str, int],
    ip: str,
    mac: str,
    hostname: str,
    observed_at: dt.datetime | None,
    extra: dict[str, str],
) -> Observation:
    identifiers = (("mac", mac), ("ip", ip))
    fields = {"ip": ip, "mac": mac, **({"hostname": hostname} if hostname else {})}
    return Observation(
        kind=ObservationKind.NETWORK_DEVICE,
        fields=fields,
        asset=Asset(kind=AssetKind.DEVICE, name=hostname or ip, identifiers=identifiers),
        source=SourceRef(source[0], source[1], "", reader),
        observed_at=observed_at,
        extra={k: v for k, v in extra.items() if v},
    )


# --------------------------------------------------------------------------- ISC dhcpd

_LEASE_START = re.compile(r"^lease\s+(?P<ip>\S+)\s*\{\s*$")
_STATEMENT = re.compile(r"^(?P<key>[A-Za-z][\w.-]*)\s*(?P<value>.*?);\s*(?:#.*)?$")
_ISC_TIME = re.compile(r"^\d\s+(?P<date>\d{4}/\d{1,2}/\d{1,2}\s+\d{1,2}:\d{2}:\d{2})$")
_ISC_EPOCH = re.compile(r"^epoch\s+(?P<seconds>\d+)$")
_OCTAL = re.compile(r"\\([0-7]{3}|.)")


def unquote(text: str) -> str:
    """An ISC string literal's value: quotes removed, ``\\ooo`` and ``\\"`` escapes decoded."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    return _OCTAL.sub(lambda m: chr(int(m[1], 8)) if len(m[1]) == 3 else m[1], text)


def isc_time(value: str) -> dt.datetime | None:
    """``2 2024/09/17 08:12:44`` (weekday, UTC date, time) or ``epoch 1726560764``.

    None for ``never``.

    Raises ValueError for anything else.
    """
    value = value.strip()
    if value == "never":
        return None
    if match := _ISC_TIME.match(value):
        stamp = dt.datetime.strptime(match["date"], "%Y/%m/%d %H:%M:%S")
        return stamp.replace(tzinfo=dt.UTC)
    if match := _ISC_EPOCH.match(value):
        return epoch_time(int(match["seconds"]))
    raise ValueError(f"time {value!r} is neither 'W YYYY/MM/DD HH:MM:SS' nor 'epoch N'")


@dataclass
class _Lease:
    ip: str
    line: int
    statements: dict[str, str] = field(default_factory=dict)
    nested: int = 0


def _lease_end(lease: _Lease, path: str) -> Observation | None:
    values = lease.statements
    hardware = values.get("hardware", "").split()
    mac = mac_address(hardware[-1]) if hardware else None
    if mac is None:
        return None
    where = Location(path, lease.line)
    try:
        when = isc_time(values["cltt"]) if "cltt" in values else None
        when = when or (isc_time(values["starts"]) if "starts" in values else None)
    except ValueError as exc:
        raise InputError(where, str(exc)) from None
    extra = {
        "binding_state": values.get("binding", ""),
        "starts": values.get("starts", ""),
        "ends": values.get("ends", ""),
        "vendor_class": unquote(values.get("set vendor-class-identifier", "")),
        "hardware_type": hardware[0] if len(hardware) > 1 else "",
    }
    hostname = unquote(values.get("client-hostname", ""))
    return _lease_observation(
        IscDhcpdLeasesReader.name, (path, lease.line), lease.ip, mac, hostname, when, extra
    )


@register
class IscDhcpdLeasesReader(Reader):
    name = "isc-dhcpd-leases"
    description = "ISC dhcpd lease database (dhcpd.leases): IP, MAC and client hostname per lease"
    priority = 30

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        text = head_text(head)
        return "dhcpd.leases(5)" in text or bool(re.search(r"^lease\s+[\d.]+\s*\{", text, re.M))

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        display = str(path)
        lease: _Lease | None = None
        depth = 0  # nesting of blocks other than leases (failover, host, ia-na...)
        for number, raw in enumerate(iter_lines(stream, display), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if lease is None:
                if depth == 0 and (match := _LEASE_START.match(line)):
                    lease = _Lease(_checked_ip(match["ip"], display, number), number)
                else:
                    depth = _brace_depth(depth, line, display, number)
                continue
            if line == "}" and lease.nested == 0:
                if observation := _lease_end(lease, display):
                    yield observation
                lease = None
            elif lease.nested or line.endswith("{"):
                lease.nested = _brace_depth(lease.nested, line, display, number)
            elif match := _STATEMENT.match(line):
                key, value = _statement(match["key"], match["value"])
                lease.statements.setdefault(key, value)
            else:
                raise InputError(Location(display, number), "not a dhcpd.leases statement")
        if lease is not None:
            raise InputError(Location(display, lease.line), f"lease {lease.ip} is not closed")


def _statement(key: str, value: str) -> tuple[str, str]:
    """Key a statement by its keyword, ``set NAME`` or ``binding`` (``binding state X``)."""
    if key == "set":
        name, _, value = value.partition("=")
        return f"set {name.strip()}", value.strip()
    if key == "binding":
        return key, value.removeprefix("state").strip()
    return key, value.strip()


def _checked_ip(text: str, path: str, line: int) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise InputError(Location(path, line), f"{text!r} is not an IP address") from None


def _brace_depth(depth: int, line: str, path: str, number: int) -> int:
    depth += line.count("{") - line.count("}")
    if depth < 0:
        raise InputError(Location(path, number), "'}' without a matching '{'")
    return depth


# --------------------------------------------------------------------------- dnsmasq

_DNSMASQ_LINE = re.compile(r"^\d+ [0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5} \S+ \S+ \S+\s*$")


@register
class DnsmasqLeasesReader(Reader):
    name = "dnsmasq-leases"
    description = "dnsmasq lease file: expiry, MAC, IP, hostname, client id per line"
    priority = 30

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        first = next((line for line in head_text(head).splitlines() if line.strip()), "")
        return bool(_DNSMASQ_LINE.match(first)) or (
            "dnsmasq" in path.name.lower() and first.startswith("duid ")
        )

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        display = str(path)
        for number, line in enumerate(iter_lines(stream, display), 1):
            words = line.split()
            if not words or words[0] == "duid":
                continue
            if len(words) < 4 or not words[0].isdecimal():
                raise InputError(
                    Location(display, number), "expected 'expiry mac ip hostname [client-id]'"
                )
            mac = mac_address(words[1])
            if mac is None:
                continue  # DHCPv6 lease (IAID, no MAC) or a non-Ethernet hardware address
            ip = _checked_ip(words[2], display, number)
            hostname = "" if words[3] == "*" else words[3]
            expiry = int(words[0])
            extra = {
                "expires": epoch_time(expiry).isoformat() if 0 < expiry < 2**37 else "",
                "client_id": words[4] if len(words) > 4 and words[4] != "*" else "",
            }
            yield _lease_observation(self.name, (display, number), ip, mac, hostname, None, extra)
