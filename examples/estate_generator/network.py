"""Network evidence: an Nmap XML scan of the facilities VLAN and Zeek ``dns.log`` files.

MAC prefixes are taken from the real IEEE registrations in
``shared/data/oui/ieee-oui.txt`` (arp-scan, 2025-01-29) by registrant name; the
rest of each address is random. Nmap's ``vendor`` attribute is the registrant
name shortened the way Nmap's own prefix file shortens it (legal suffix dropped).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .common import SHARED_DATA, rng, utc, write_text

OUI_FILE = SHARED_DATA / "oui" / "ieee-oui.txt"
SCAN_FILE = "facilities-10.40.20.0-24.xml"
SCAN_START = utc(2026, 3, 11, 22, 0, 0)

NMAP_VENDOR = {
    "Hangzhou Hikvision Digital Technology Co.,Ltd.": "Hangzhou Hikvision Digital Technology",
    "Zhejiang Dahua Technology Co., Ltd.": "Zhejiang Dahua Technology",
    "Hangzhou Ezviz Software Co.,Ltd.": "Hangzhou Ezviz Software",
    "HUAWEI TECHNOLOGIES CO.,LTD": "Huawei Technologies",
    "Cisco Systems, Inc": "Cisco Systems",
    "HP Inc.": "HP",
    "Hewlett Packard": "Hewlett Packard",
    "Dell Inc.": "Dell",
    "Synology Incorporated": "Synology Incorporated",
    "Aztech Electronics Pte Ltd": "Aztech Electronics",
    "Shanghai Dahua Scale Factory": "Shanghai Dahua Scale Factory",
}


def registrations() -> dict[str, list[str]]:
    """Registrant name -> its prefixes (hex, 6 or 7 digits) from the arp-scan file."""
    found: dict[str, list[str]] = {}
    for line in OUI_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or "\t" not in line:
            continue
        prefix, name = line.split("\t", 1)
        if name in NMAP_VENDOR:
            found.setdefault(name, []).append(prefix)
    return {name: sorted(prefixes) for name, prefixes in found.items()}


def mac_for(prefix: str, r: random.Random) -> str:
    digits = prefix + "".join(r.choice("0123456789ABCDEF") for _ in range(12 - len(prefix)))
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def locally_administered_mac(r: random.Random) -> str:
    first = (r.randrange(256) & 0xFC) | 0x02
    return ":".join([f"{first:02X}"] + [f"{r.randrange(256):02X}" for _ in range(5)])


@dataclass(frozen=True, slots=True)
class Port:
    portid: int
    name: str
    product: str = ""
    version: str = ""
    extrainfo: str = ""
    devicetype: str = ""
    cpe: str = ""
    state: str = "open"


@dataclass(frozen=True, slots=True)
class OsGuess:
    name: str
    accuracy: int
    kind: str
    vendor: str
    family: str
    generation: str
    cpe: str


@dataclass(frozen=True, slots=True)
class Device:
    ip: str
    registrant: str  # "" for a locally administered address
    hostname: str = ""
    ports: tuple[Port, ...] = ()
    os: OsGuess | None = None
    prefix_index: int = 0
    label: str = ""


HIK = "Hangzhou Hikvision Digital Technology Co.,Ltd."
_HIK_PORTS = (
    Port(80, "http"),
    Port(554, "rtsp"),
    Port(8000, "ipcam", "Hikvision IPCam control port"),
)
_LINUX3 = OsGuess(
    "Linux 3.2 - 4.9", 91, "general purpose", "Linux", "Linux", "3.X", "cpe:/o:linux:linux_kernel:3"
)
DEVICES = (
    Device(
        "10.40.20.1",
        "HUAWEI TECHNOLOGIES CO.,LTD",
        "sw-fac-core01.agency.example",
        (
            Port(22, "ssh", "Huawei VRP sshd", "", "protocol 2.0", "switch", "cpe:/o:huawei:vrp"),
            Port(23, "telnet", state="filtered"),
            Port(443, "https"),
        ),
        OsGuess("Huawei VRP 8.X", 95, "switch", "Huawei", "VRP", "8.X", "cpe:/o:huawei:vrp:8"),
        label="Huawei switch",
    ),
    Device(
        "10.40.20.2",
        "Cisco Systems, Inc",
        "rtr-fac01.agency.example",
        (Port(22, "ssh", "Cisco SSH", "1.25", "protocol 2.0", "", "cpe:/o:cisco:ios"),),
        OsGuess("Cisco IOS 15.X", 96, "router", "Cisco", "IOS", "15.X", "cpe:/o:cisco:ios:15"),
        label="Cisco router",
    ),
    Device(
        "10.40.20.10",
        "Synology Incorporated",
        "nas-fac-video01.agency.example",
        (
            Port(139, "netbios-ssn", "Samba smbd", "4.6.2", "", "", "cpe:/a:samba:samba"),
            Port(445, "netbios-ssn", "Samba smbd", "4.6.2", "", "", "cpe:/a:samba:samba"),
            Port(5000, "http", "nginx", "", "", "", "cpe:/a:igor_sysoev:nginx"),
        ),
        OsGuess(
            "Linux 3.10 - 4.11",
            94,
            "general purpose",
            "Linux",
            "Linux",
            "3.X",
            "cpe:/o:linux:linux_kernel:3",
        ),
        label="Synology NAS (video archive)",
    ),
    Device(
        "10.40.20.20",
        HIK,
        "nvr-fac-hik01.agency.example",
        (*_HIK_PORTS, Port(443, "https")),
        _LINUX3,
        prefix_index=0,
        label="Hikvision NVR",
    ),
    *(
        Device(
            f"10.40.20.{21 + i}",
            HIK,
            "",
            _HIK_PORTS,
            _LINUX3,
            prefix_index=i + 1,
            label="Hikvision camera",
        )
        for i in range(4)
    ),
    Device(
        "10.40.20.30",
        "Zhejiang Dahua Technology Co., Ltd.",
        "nvr-fac-dh01.agency.example",
        (Port(80, "http"), Port(554, "rtsp"), Port(37777, "unknown")),
        label="Dahua NVR",
    ),
    Device(
        "10.40.20.41",
        "Hangzhou Ezviz Software Co.,Ltd.",
        "",
        (Port(554, "rtsp"),),
        label="EZVIZ camera",
    ),
    *(
        Device(
            f"10.40.20.{60 + i}",
            registrant,
            f"prn-fac-{i + 1:02d}.agency.example",
            (Port(80, "http"), Port(443, "https"), Port(631, "ipp"), Port(9100, "jetdirect")),
            OsGuess(
                "HP LaserJet printer", 93, "printer", "HP", "embedded", "", "cpe:/h:hp:laserjet"
            ),
            label="HP printer",
        )
        for i, registrant in enumerate(("HP Inc.", "Hewlett Packard"))
    ),
    Device(
        "10.40.20.70",
        "Dell Inc.",
        "bmc-fac-srv01.agency.example",
        (
            Port(22, "ssh", "OpenSSH", "8.9", "protocol 2.0", "", "cpe:/a:openbsd:openssh:8.9"),
            Port(443, "https"),
        ),
        OsGuess(
            "Linux 4.15 - 5.8",
            95,
            "general purpose",
            "Linux",
            "Linux",
            "4.X",
            "cpe:/o:linux:linux_kernel:4",
        ),
        label="Dell server management controller",
    ),
    Device(
        "10.40.20.80",
        "Shanghai Dahua Scale Factory",
        "scale-mailroom.agency.example",
        (Port(80, "http"),),
        label="weighing scale (trap)",
    ),
    Device(
        "10.40.20.90",
        "Aztech Electronics Pte Ltd",
        "",
        (Port(80, "http"),),
        label="powerline adapter (trap)",
    ),
    Device("10.40.20.150", "", "", (), label="phone with a randomised MAC (trap)"),
)


def device_macs() -> dict[str, str]:
    """IP -> MAC for every scanned device (deterministic)."""
    registry = registrations()
    r = rng("nmap/macs")
    macs: dict[str, str] = {}
    for device in DEVICES:
        if not device.registrant:
            macs[device.ip] = locally_administered_mac(r)
            continue
        prefixes = registry[device.registrant]
        if device.registrant == HIK:
            prefix = rng("nmap/hikvision").sample(prefixes, 5)[device.prefix_index]
        else:
            prefix = prefixes[r.randrange(len(prefixes))]
        macs[device.ip] = mac_for(prefix, r)
    return macs


def _port_xml(port: Port) -> str:
    reason = "syn-ack" if port.state == "open" else "no-response"
    ttl = "64" if port.state == "open" else "0"
    attrs = [f'name="{port.name}"']
    for key in ("product", "version", "extrainfo", "devicetype"):
        if value := getattr(port, key):
            attrs.append(f'{key}="{value}"')
    probed = bool(port.product)
    attrs += [f'method="{"probed" if probed else "table"}"', f'conf="{10 if probed else 3}"']
    cpe = f"<cpe>{port.cpe}</cpe>" if port.cpe else ""
    service = (
        f"<service {' '.join(attrs)}>{cpe}</service>" if cpe else f"<service {' '.join(attrs)}/>"
    )
    return (
        f'<port protocol="tcp" portid="{port.portid}"><state state="{port.state}" '
        f'reason="{reason}" reason_ttl="{ttl}"/>{service}</port>'
    )


def _os_xml(guess: OsGuess | None, first_port: int) -> list[str]:
    if guess is None:
        return ["<os>", f'<portused state="open" proto="tcp" portid="{first_port}"/>', "</os>"]
    gen = f' osgen="{guess.generation}"' if guess.generation else ""
    return [
        "<os>",
        f'<portused state="open" proto="tcp" portid="{first_port}"/>',
        '<portused state="closed" proto="tcp" portid="1"/>',
        f'<osmatch name="{guess.name}" accuracy="{guess.accuracy}" line="{40000 + guess.accuracy * 7}">',
        f'<osclass type="{guess.kind}" vendor="{guess.vendor}" osfamily="{guess.family}"{gen} '
        f'accuracy="{guess.accuracy}"><cpe>{guess.cpe}</cpe></osclass>',
        "</osmatch>",
        "</os>",
    ]


def _address_xml(device: Device, mac: str) -> list[str]:
    vendor = f' vendor="{NMAP_VENDOR[device.registrant]}"' if device.registrant else ""
    return [
        f'<address addr="{device.ip}" addrtype="ipv4"/>',
        f'<address addr="{mac}" addrtype="mac"{vendor}/>',
    ]


def _host_xml(device: Device, mac: str, start: int, r: random.Random) -> list[str]:
    end = start + r.randrange(40, 90)
    status = '<status state="up" reason="arp-response" reason_ttl="0"/>'
    names = [f'<hostname name="{device.hostname}" type="PTR"/>'] if device.hostname else []
    lines = [
        "<hosthint>" + status,
        *_address_xml(device, mac),
        "<hostnames>",
        "</hostnames>",
        "</hosthint>",
    ]
    lines += [f'<host starttime="{start}" endtime="{end}">{status}', *_address_xml(device, mac)]
    lines += ["<hostnames>", *names, "</hostnames>"]
    if device.ports:
        closed = 1000 - len(device.ports)
        lines.append(f'<ports><extraports state="closed" count="{closed}">')
        lines.append(
            f'<extrareasons reason="reset" count="{closed}" proto="tcp" ports="1,3-4,6-7,9,13,17,19-21,24-26"/>'
        )
        lines.append("</extraports>")
        lines += [_port_xml(p) for p in device.ports]
        lines.append("</ports>")
        lines += _os_xml(device.os, device.ports[0].portid)
    else:
        lines.append('<ports><extraports state="filtered" count="1000">')
        lines.append(
            '<extrareasons reason="no-response" count="1000" proto="tcp" ports="1,3-4,6-7,9,13,17,19-26"/>'
        )
        lines.append("</extraports>")
        lines.append("</ports>")
    srtt = r.randrange(300, 1500)
    lines += [
        '<distance value="1"/>',
        f'<times srtt="{srtt}" rttvar="{srtt // 4}" to="100000"/>',
        "</host>",
    ]
    return lines


def nmap_xml() -> str:
    r = rng("nmap/xml")
    macs = device_macs()
    start = int(SCAN_START.timestamp())
    startstr = f"{SCAN_START:%a %b} {SCAN_START.day:2d} {SCAN_START:%H:%M:%S %Y}"
    args = f"nmap -sV -O -oX {SCAN_FILE} 10.40.20.0/24"
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!DOCTYPE nmaprun>",
        '<?xml-stylesheet href="file:///usr/bin/../share/nmap/nmap.xsl" type="text/xsl"?>',
        f"<!-- Nmap 7.95 scan initiated {startstr} as: {args} -->",
        f'<nmaprun scanner="nmap" args="{args}" start="{start}" startstr="{startstr}" version="7.95" xmloutputversion="1.05">',
        '<scaninfo type="syn" protocol="tcp" numservices="1000" services="1,3-4,6-7,9,13,17,19-26"/>',
        '<verbose level="0"/>',
        '<debugging level="0"/>',
    ]
    at = start + 3
    for device in DEVICES:
        lines += _host_xml(device, macs[device.ip], at, r)
        at += r.randrange(0, 3)
    finished = start + 412
    when = dt.datetime.fromtimestamp(finished, tz=dt.UTC)
    timestr = f"{when:%a %b} {when.day:2d} {when:%H:%M:%S %Y}"
    up = len(DEVICES)
    lines += [
        f'<runstats><finished time="{finished}" timestr="{timestr}" summary="Nmap done at {timestr}; '
        f'256 IP addresses ({up} hosts up) scanned in 412.37 seconds" elapsed="412.37" exit="success"/>'
        f'<hosts up="{up}" down="{256 - up}" total="256"/>',
        "</runstats>",
        "</nmaprun>",
    ]
    return "\n".join(lines) + "\n"


def generate(out: Path) -> list[Path]:
    path = out / "nmap" / SCAN_FILE
    write_text(path, nmap_xml())
    return [path]


def iter_devices() -> Iterator[tuple[Device, str]]:
    macs = device_macs()
    for device in DEVICES:
        yield device, macs[device.ip]
