"""Zeek ``dns.log`` (TSV, the default ASCII writer) from the HQ sensor.

* ``zeek/dns.2026-03-10-09-00-00.log``: one rotated hour of the resolver's traffic.
* ``zeek/dns.2016-05-12-14-00-00.log``: an hour kept from 2016, when the agency
  still licensed Kaspersky (before BOD 17-01): a historical finding.

Answers are documentation addresses (RFC 5737); internal names end in
``agency.example``. Rotated file names follow Zeek's default rotation format
(``%Y-%m-%d-%H-%M-%S``).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from .common import (
    ANALYST_HOST,
    KES_HOSTS,
    RESOLVER,
    SHADOW_HOST,
    hosts,
    rng,
    utc,
    words,
    write_text,
)

FIELDS = words(
    "ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto trans_id rtt query qclass "
    "qclass_name qtype qtype_name rcode rcode_name AA TC RD RA Z answers TTLs rejected"
)
TYPES = words(
    "time string addr port addr port enum count interval string count string count string "
    "count string bool bool bool bool count vector[string] vector[interval] bool"
)
_QTYPES = {"A": 1, "AAAA": 28, "SRV": 33}
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

WINDOWS_LOOKUPS = (
    "www.microsoft.com",
    "microsoft.com",
    "login.microsoftonline.com",
    "outlook.office365.com",
    "teams.microsoft.com",
    "ctldl.windowsupdate.com",
    "download.windowsupdate.com",
    "settings-win.data.microsoft.com",
    "time.windows.com",
    "google.com",
    "www.google.com",
    "update.googleapis.com",
    "clients2.google.com",
    "zoom.us",
    "armmf.adobe.com",
    "ocsp.digicert.com",
    "wpad.agency.example",
    "_ldap._tcp.dc._msdcs.agency.example",
)
DEVELOPER_LOOKUPS = ("github.com", "pypi.org", "files.pythonhosted.org", "registry.npmjs.org")
MAC_LOOKUPS = ("gateway.icloud.com", "mesu.apple.com", "www.apple.com", "www.google.com", "zoom.us")
SERVER_LOOKUPS = ("deb.debian.org", "security.debian.org", "0.debian.pool.ntp.org")
KES_LOOKUPS = ("s12.upd.kaspersky.com", "ksn-url-geo.kaspersky-labs.com")
SHADOW_LOOKUPS = (
    "s07.upd.kaspersky.com",
    "dnl-03.geo.kaspersky.com",
    "ksn-file-geo.kaspersky-labs.com",
)
DEVICE_LOOKUPS = {
    "10.40.20.20": ("hik-connect.com",),  # the Hikvision NVR
    "10.40.20.30": ("www.easy4ipcloud.com",),  # the Dahua NVR
    "10.40.20.41": ("apiius.ezvizlife.com",),  # the EZVIZ camera
}


@dataclass(frozen=True, slots=True)
class Lookup:
    ts: float
    client: str
    query: str
    qtype: str = "A"


def _answer(query: str, qtype: str, r: random.Random) -> tuple[str, str, str, str]:
    """(rcode, rcode_name, answers, TTLs) for one query."""
    if query.startswith("wpad."):
        return "3", "NXDOMAIN", "-", "-"
    if qtype == "SRV":
        return "0", "NOERROR", "0 100 389 dc01.agency.example", "600.000000"
    if query.endswith(".agency.example"):
        return "0", "NOERROR", f"10.40.0.{r.randrange(10, 60)}", "1200.000000"
    net = r.choice(("192.0.2", "198.51.100", "203.0.113"))
    if qtype == "AAAA":
        return "0", "NOERROR", f"2001:db8::{r.randrange(1, 0xFFFF):x}", "300.000000"
    ttl = r.choice((60, 300, 600, 3600))
    return "0", "NOERROR", f"{net}.{r.randrange(1, 255)}", f"{ttl}.000000"


def _uid(r: random.Random) -> str:
    return "C" + "".join(r.choice(_BASE62) for _ in range(17))


def _record(lookup: Lookup, r: random.Random) -> str:
    rcode, rcode_name, answers, ttls = _answer(lookup.query, lookup.qtype, r)
    rtt = "-" if answers == "-" else f"{r.uniform(0.0005, 0.04):.6f}"
    values = [
        f"{lookup.ts:.6f}",
        _uid(r),
        lookup.client,
        str(r.randrange(49152, 65535)),
        RESOLVER,
        "53",
        "udp",
        str(r.randrange(0, 65536)),
        rtt,
        lookup.query,
        "1",
        "C_INTERNET",
        str(_QTYPES[lookup.qtype]),
        lookup.qtype,
        rcode,
        rcode_name,
        "F",
        "F",
        "T",
        "T" if rcode == "0" else "F",
        "0",
        answers,
        ttls,
        "F",
    ]
    return "\t".join(values)


def _log(opened: dt.datetime, lookups: list[Lookup], r: random.Random) -> str:
    closed = opened + dt.timedelta(hours=1)
    header = [
        "#separator \\x09",
        "#set_separator\t,",
        "#empty_field\t(empty)",
        "#unset_field\t-",
        "#path\tdns",
        f"#open\t{opened:%Y-%m-%d-%H-%M-%S}",
        "#fields\t" + "\t".join(FIELDS),
        "#types\t" + "\t".join(TYPES),
    ]
    body = [_record(lookup, r) for lookup in sorted(lookups, key=lambda x: x.ts)]
    return "\n".join([*header, *body, f"#close\t{closed:%Y-%m-%d-%H-%M-%S}"]) + "\n"


def _spread(start: dt.datetime, client: str, queries: list[str], r: random.Random) -> list[Lookup]:
    base = start.timestamp()
    found = []
    for query in queries:
        qtype = "SRV" if query.startswith("_ldap") else "A"
        found.append(Lookup(base + r.uniform(0, 3599), client, query, qtype))
    return found


def current_lookups(start: dt.datetime) -> list[Lookup]:
    r = rng("zeek/2026")
    found: list[Lookup] = []
    for host in hosts():
        if host.platform == "windows":
            queries: list[str] = r.sample(WINDOWS_LOOKUPS, 9)
            if host.role == "developer":
                queries += list(DEVELOPER_LOOKUPS)
            if host.name in KES_HOSTS:
                queries += list(KES_LOOKUPS)
            if host.name == SHADOW_HOST:
                queries += [*SHADOW_LOOKUPS, *SHADOW_LOOKUPS[1:]]
            if host.name == ANALYST_HOST:
                queries += ["www.kaspersky.com", "www.kaspersky.com"]
        elif host.platform == "darwin":
            queries = list(MAC_LOOKUPS)
        else:
            queries = list(SERVER_LOOKUPS)
        found += _spread(start, host.ip, queries, r)
    for client, names in DEVICE_LOOKUPS.items():
        found += _spread(start, client, [q for q in names for _ in range(3)], r)
    found += [
        Lookup(f.ts + 0.0004, f.client, f.query, "AAAA")
        for f in found
        if f.query == "www.kaspersky.com"
    ]
    return found


def historical_lookups(start: dt.datetime) -> list[Lookup]:
    r = rng("zeek/2016")
    client = "10.40.12.115"
    queries = [
        "www.microsoft.com",
        "dnl-03.geo.kaspersky.com",
        "time.windows.com",
        "www.google.com",
    ]
    found = _spread(start, client, queries, r)
    found += _spread(start, "10.40.12.108", ["www.microsoft.com", "login.live.com"], r)
    return found


def generate(out: Path) -> list[Path]:
    written = []
    for start, make, label in (
        (utc(2026, 3, 10, 9, 0, 0), current_lookups, "zeek/2026"),
        (utc(2016, 5, 12, 14, 0, 0), historical_lookups, "zeek/2016-log"),
    ):
        path = out / "zeek" / f"dns.{start:%Y-%m-%d-%H-%M-%S}.log"
        write_text(path, _log(start, make(start), rng(label)))
        written.append(path)
    return written
