"""Network discovery: Nmap XML and neighbour (ARP/NDP) tables.

Each host or neighbour entry becomes ``network_device`` observations whose asset
is the device itself (kind DEVICE, identified by its MAC and IP addresses).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, iterparse

from rootout.errors import InputError, Location
from rootout.ingest.base import Reader, register
from rootout.ingest.textio import epoch_time, head_text, is_unicast, iter_lines, mac_address
from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind, SourceRef

_LINE = "{urn:rootout}line"
"""Attribute the tree builder adds to every element: the line its start tag is on."""


class _LineTreeBuilder(TreeBuilder):
    """A TreeBuilder that records each element's start line (expat knows it during ``start``)."""

    def __init__(self) -> None:
        super().__init__()
        self.parser = DefusedXMLParser(target=self)  # entities and external references forbidden
        self._expat = self.parser.parser

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        return super().start(tag, {**attrs, _LINE: str(self._expat.CurrentLineNumber)})


def _line(elem: Element) -> int:
    return int(elem.get(_LINE, "0"))


def _device_asset(name: str, mac: str, ips: list[str]) -> Asset:
    identifiers = ([("mac", mac)] if mac else []) + [("ip", ip) for ip in ips]
    return Asset(kind=AssetKind.DEVICE, name=name, identifiers=tuple(identifiers))


def _fields(**values: str | None) -> dict[str, str]:
    return {key: value.strip() for key, value in values.items() if value and value.strip()}


# --------------------------------------------------------------------------- Nmap XML


@dataclass(frozen=True, slots=True)
class _Host:
    """What every observation of one Nmap host shares."""

    path: str
    pointer: str
    asset: Asset
    base: dict[str, str]
    observed_at: dt.datetime | None

    def observation(
        self, elem: Element, pointer: str, fields: dict[str, str], extra: dict[str, str]
    ) -> Observation:
        return Observation(
            kind=ObservationKind.NETWORK_DEVICE,
            fields={**self.base, **fields},
            asset=self.asset,
            source=SourceRef(self.path, _line(elem), self.pointer + pointer, NmapXmlReader.name),
            observed_at=self.observed_at,
            extra=extra,
        )


def _nmap_time(value: str | None, where: Location) -> dt.datetime | None:
    if not value:
        return None
    try:
        return epoch_time(int(value))
    except ValueError:
        raise InputError(where, f"time {value!r} is not epoch seconds") from None


def _cpes(elem: Element) -> list[str | None]:
    """The element's <cpe> children (one observation each), or [None] when it has none."""
    cpes = [(cpe.text or "").strip() for cpe in elem.findall("cpe")]
    return [cpe for cpe in cpes if cpe] or [None]


def _host(host: Element, index: int, path: str, scan_start: dt.datetime | None) -> _Host:
    addresses = host.findall("address")
    ips = [a.get("addr", "") for a in addresses if a.get("addrtype") in ("ipv4", "ipv6")]
    ips = [ip for ip in ips if ip]
    mac_elem = next((a for a in addresses if a.get("addrtype") == "mac"), None)
    mac = mac_elem.get("addr", "") if mac_elem is not None else ""
    names = [h.get("name", "") for h in host.findall("hostnames/hostname") if h.get("name")]
    when = _nmap_time(host.get("starttime"), Location(path, _line(host))) or scan_start
    base = _fields(ip=ips[0] if ips else None, mac=mac, hostname=names[0] if names else None)
    asset = _device_asset(
        names[0] if names else (ips[0] if ips else mac or f"host {index}"), mac, ips
    )
    return _Host(path, f"/nmaprun/host[{index}]", asset, base, when)


def _best_os(host: Element) -> tuple[Element | None, list[tuple[str, Element]]]:
    """The best (first) osmatch and its osclasses; Nmap < 5 put osclass beside osmatch."""
    os_elem = host.find("os")
    if os_elem is None:
        return None, []
    match = os_elem.find("osmatch")
    if match is not None and match.find("osclass") is not None:
        return match, [
            (f"/os/osmatch[1]/osclass[{i}]", c) for i, c in enumerate(match.findall("osclass"), 1)
        ]
    return match, [(f"/os/osclass[{i}]", c) for i, c in enumerate(os_elem.findall("osclass"), 1)]


def _open_services(host: Element) -> Iterator[tuple[int, Element, Element]]:
    for index, port in enumerate(host.findall("ports/port"), 1):
        state = port.find("state")
        service = port.find("service")
        if state is not None and state.get("state", "").startswith("open") and service is not None:
            yield index, port, service


def _host_observations(
    host: Element, index: int, path: str, start: dt.datetime | None
) -> Iterator[Observation]:
    status = host.find("status")
    if status is not None and status.get("state") not in (None, "up"):
        return
    ctx = _host(host, index, path, start)
    match, osclasses = _best_os(host)
    os_name = match.get("name") if match is not None else None
    mac_elem = next((a for a in host.findall("address") if a.get("addrtype") == "mac"), None)
    names = [h.get("name", "") for h in host.findall("hostnames/hostname") if h.get("name")]
    ports = [
        f"{port.get('protocol', '')}/{port.get('portid', '')} {service.get('name', '')}".strip()
        for _, port, service in _open_services(host)
    ]
    yield ctx.observation(
        host,
        "",
        _fields(vendor=mac_elem.get("vendor") if mac_elem is not None else None, os=os_name),
        _fields(
            open_ports=", ".join(ports),
            hostnames=", ".join(names) if len(names) > 1 else None,
            status_reason=status.get("reason") if status is not None else None,
        ),
    )
    for pointer, osclass in osclasses:
        if not (osclass.get("vendor") or osclass.find("cpe") is not None):
            continue
        for cpe in _cpes(osclass):
            fields = _fields(
                os=os_name,
                manufacturer=osclass.get("vendor"),
                device_type=osclass.get("type"),
                cpe=cpe,
            )
            extra = _fields(
                os_family=osclass.get("osfamily"),
                os_generation=osclass.get("osgen"),
                accuracy=osclass.get("accuracy"),
            )
            yield ctx.observation(osclass, pointer, fields, extra)
    for port_index, port, service in _open_services(host):
        if not (service.get("product") or service.find("cpe") is not None):
            continue
        for cpe in _cpes(service):
            fields = _fields(
                name=service.get("product"),
                version=service.get("version"),
                device_type=service.get("devicetype"),
                cpe=cpe,
            )
            extra = _fields(
                port=f"{port.get('protocol', '')}/{port.get('portid', '')}",
                service_name=service.get("name"),
                extrainfo=service.get("extrainfo"),
                ostype=service.get("ostype"),
                method=service.get("method"),
            )
            yield ctx.observation(port, f"/ports/port[{port_index}]", fields, extra)


@register
class NmapXmlReader(Reader):
    name = "nmap-xml"
    description = "Nmap XML (nmap -oX): MAC vendors, OS and service detection per host"
    priority = 20

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return b"<nmaprun" in head

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        display = str(path)
        builder = _LineTreeBuilder()
        depth = 0
        root: Element | None = None
        scan_start: dt.datetime | None = None
        hosts = 0
        try:
            for event, elem in iterparse(stream, events=("start", "end"), parser=builder.parser):
                if event == "start":
                    depth += 1
                    if depth == 1:
                        root = _check_root(elem, display)
                        scan_start = _nmap_time(elem.get("start"), Location(display, _line(elem)))
                    continue
                depth -= 1
                if depth == 1 and root is not None:
                    if elem.tag == "host":
                        hosts += 1
                        yield from _host_observations(elem, hosts, display, scan_start)
                    root.remove(elem)  # keep memory flat on large scans
        except ParseError as exc:
            line = exc.position[0] if getattr(exc, "position", None) else 0
            raise InputError(Location(display, line), f"not well-formed XML: {exc.msg}") from None
        except DefusedXmlException as exc:
            line = builder.parser.parser.CurrentLineNumber
            raise InputError(Location(display, line), f"forbidden XML construct: {exc}") from None
        except (ValueError, LookupError, RecursionError) as exc:  # LookupError: unknown encoding
            raise InputError(Location(display), f"unreadable XML: {exc}") from None


def _check_root(elem: Element, path: str) -> Element:
    if elem.tag != "nmaprun":
        raise InputError(
            Location(path, _line(elem)), f"root element is <{elem.tag}>, not <nmaprun>"
        )
    return elem


# --------------------------------------------------------------------------- neighbour tables

_IP_NEIGH = re.compile(r"^(?P<ip>[0-9A-Fa-f.:]+)\s+dev\s+(?P<dev>\S+)(?P<rest>.*)$")
_ARP_A = re.compile(
    r"^(?P<name>\S+)\s+\((?P<ip>[0-9A-Fa-f.:]+)\)\s+at\s+(?P<mac>\S+)(?:\s+\[(?P<hw>\w+)\])?"
    r"(?:\s+on\s+(?P<dev>\S+))?(?P<rest>.*)$"
)
_WIN_INTERFACE = re.compile(r"^\S[^:]*:\s+(?P<ip>[0-9A-Fa-f.:]+)\s+---\s+0x[0-9A-Fa-f]+\s*$")
_WIN_ENTRY = re.compile(
    r"^\s+(?P<ip>[0-9.]+)\s+(?P<mac>[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5})\s+(?P<type>\S+)\s*$"
)
_WIN_NOISE = re.compile(r"^\s+[^\s\d]|^No ARP Entries Found", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Neighbour:
    ip: str
    mac: str
    hostname: str = ""
    interface: str = ""
    state: str = ""
    hw_type: str = ""
    flags: str = ""


def _ip_neigh(match: re.Match[str]) -> _Neighbour:
    words = match["rest"].split()
    mac = words[words.index("lladdr") + 1] if "lladdr" in words[:-1] else ""
    state = words[-1] if words and words[-1].isupper() else ""
    flags = [w for w in words if w not in ("lladdr", mac, state)]
    return _Neighbour(match["ip"], mac, interface=match["dev"], state=state, flags=" ".join(flags))


def _arp_a(match: re.Match[str]) -> _Neighbour:
    words = match["rest"].split()
    hw_type = next((w.strip("[]") for w in words if w.startswith("[")), match["hw"] or "")
    flags = " ".join(w for w in words if not w.startswith("[") and w != "ifscope")
    name = match["name"] if match["name"] != "?" else ""
    return _Neighbour(match["ip"], match["mac"], name, match["dev"] or "", "", hw_type, flags)


def _neighbour(line: str, interface: str) -> _Neighbour:
    """Parse one entry line; raise ValueError when it is no entry of a known shape."""
    if match := _WIN_ENTRY.match(line):
        return _Neighbour(match["ip"], match["mac"], interface=interface, state=match["type"])
    if match := _ARP_A.match(line):
        return _arp_a(match)
    if match := _IP_NEIGH.match(line):
        return _ip_neigh(match)
    raise ValueError("not an entry of ip neigh, arp -a (Linux, macOS) or Windows arp -a")


def _checked(entry: _Neighbour) -> _Neighbour:
    if not _valid_ip(entry.ip):
        raise ValueError(f"{entry.ip!r} is not an IP address")
    return entry


def _valid_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


@register
class NeighbourTableReader(Reader):
    name = "neighbours"
    description = "Neighbour tables: ip neigh, arp -a on Linux, macOS and Windows"
    priority = 30

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        first = next((line for line in head_text(head).splitlines() if line.strip()), "")
        return bool(
            _WIN_INTERFACE.match(first)
            or _ARP_A.match(first)
            or (_IP_NEIGH.match(first) and _valid_ip(first.split()[0]))
        )

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        display = str(path)
        interface = ""
        for number, line in enumerate(iter_lines(stream, display), 1):
            if not line.strip() or _WIN_NOISE.match(line):
                continue
            if match := _WIN_INTERFACE.match(line):
                interface = match["ip"]
                continue
            try:
                entry = _checked(_neighbour(line, interface))
            except ValueError as exc:
                raise InputError(Location(display, number), str(exc)) from None
            mac = mac_address(entry.mac)
            if mac is None or not is_unicast(mac):
                continue  # incomplete, failed, broadcast or multicast: no device behind it
            yield _neighbour_observation(entry, mac, display, number)


def _neighbour_observation(entry: _Neighbour, mac: str, path: str, line: int) -> Observation:
    extra = _fields(
        interface=entry.interface, state=entry.state, hw_type=entry.hw_type, flags=entry.flags
    )
    if mac != entry.mac:
        extra["mac_as_written"] = entry.mac
    return Observation(
        kind=ObservationKind.NETWORK_DEVICE,
        fields=_fields(ip=entry.ip, mac=mac, hostname=entry.hostname),
        asset=_device_asset(entry.hostname or entry.ip, mac, [entry.ip]),
        source=SourceRef(path, line, "", NeighbourTableReader.name),
        extra=extra,
    )
