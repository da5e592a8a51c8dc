"""DHCP lease files (rootout.ingest.formats.dhcp)."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from rootout.errors import InputError
from rootout.ingest.formats.dhcp import DnsmasqLeasesReader, IscDhcpdLeasesReader, isc_time, unquote
from rootout.model.observation import AssetKind, Observation, ObservationKind
from tests.conftest import FIXTURES
from tests.ingest._endpoint_fuzz import inputs, survives

NETWORK = FIXTURES / "inputs" / "network"
ISC = NETWORK / "dhcpd.leases"
DNSMASQ = NETWORK / "dnsmasq.leases"


def read(reader: type[IscDhcpdLeasesReader | DnsmasqLeasesReader], path: Path) -> list[Observation]:
    with path.open("rb") as stream:
        return list(reader().read(path, stream))


def test_isc_leases_with_hardware_address() -> None:
    observations = read(IscDhcpdLeasesReader, ISC)
    assert [
        (o.source.line, o.fields["ip"], o.fields["mac"], o.fields.get("hostname"))
        for o in observations
    ] == [
        (9, "10.20.4.17", "e4:c7:67:2a:19:80", "WS-0417"),
        (21, "10.20.4.45", "44:47:cc:a1:b2:c3", "DS-2CD2143G2-I"),
        (31, "10.20.4.31", "bc:32:5f:12:34:56", "NVR-LOBBY"),
        (42, "10.20.4.60", "00:80:77:c4:2e:19", None),
        (56, "10.20.4.17", "e4:c7:67:2a:19:80", "WS-0417"),
    ]  # the backup lease of 10.20.4.88 has no hardware address
    camera = observations[1]
    assert camera.kind is ObservationKind.NETWORK_DEVICE
    assert camera.asset.kind is AssetKind.DEVICE
    assert camera.asset.key == "device:mac:44:47:cc:a1:b2:c3"
    assert camera.observed_at == dt.datetime(2024, 9, 16, 8, 2, 11, tzinfo=dt.UTC)  # cltt
    assert observations[0].extra["vendor_class"] == "MSFT 5.0"
    assert observations[3].extra["binding_state"] == "free"


def test_isc_times_and_strings() -> None:
    assert isc_time("2 2024/09/17 08:12:44") == dt.datetime(2024, 9, 17, 8, 12, 44, tzinfo=dt.UTC)
    assert isc_time("epoch 1726560764") == dt.datetime.fromtimestamp(1726560764, dt.UTC)
    assert isc_time("never") is None
    with pytest.raises(ValueError, match="neither"):
        isc_time("tomorrow")
    assert unquote(r'"NVR \"lobby\"\041"') == 'NVR "lobby"!'


def test_isc_nested_blocks_and_other_declarations_are_skipped() -> None:
    data = b"""failover peer "dhcp-failover" state {
  my state normal at 1 2024/09/16 07:00:00;
}
lease 10.0.0.5 {
  starts 1 2024/09/16 07:00:00;
  hardware ethernet 00:11:22:33:44:55;
  on expiry {
    set ClientHost = "x";
  }
}
host fixed-printer {
  hardware ethernet 00:80:77:00:00:01;
}
"""
    observations = list(IscDhcpdLeasesReader().read(Path("d.leases"), io.BytesIO(data)))
    assert [(o.fields["ip"], o.source.line) for o in observations] == [("10.0.0.5", 4)]


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"lease 10.0.0.5 {\n  hardware ethernet 00:11:22:33:44:55;\n", 1, "not closed"),
        (
            b"lease 10.0.0.5 {\n  starts yesterday;\n  hardware ethernet 00:11:22:33:44:55;\n}\n",
            1,
            "neither",
        ),
        (b"lease 10.0.0.5 {\n  this is not a statement\n}\n", 2, "not a dhcpd.leases statement"),
        (b"lease banana {\n}\n", 1, "not an IP address"),
        (b"}\n", 1, "without a matching"),
    ],
)
def test_isc_malformed(data: bytes, line: int, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        list(IscDhcpdLeasesReader().read(Path("d.leases"), io.BytesIO(data)))
    assert info.value.location.line == line


def test_dnsmasq_leases() -> None:
    observations = read(DnsmasqLeasesReader, DNSMASQ)
    assert [(o.fields["ip"], o.fields["mac"], o.asset.name) for o in observations] == [
        ("192.168.50.17", "e4:c7:67:2a:19:80", "WS-0417"),
        ("192.168.50.45", "44:47:cc:a1:b2:c3", "DS-2CD2143G2-I"),
        ("192.168.50.23", "f0:ee:7a:31:0c:5e", "MacBook-Pro-3"),
        ("192.168.50.1", "00:e0:fc:3a:51:02", "192.168.50.1"),
    ]  # the DHCPv6 lease after the duid line has an IAID, not a MAC
    assert observations[0].extra["client_id"] == "01:e4:c7:67:2a:19:80"
    assert observations[0].extra["expires"] == "2024-09-17T10:02:11+00:00"
    assert "expires" not in observations[3].extra  # expiry 0: infinite lease
    assert "hostname" not in observations[3].fields  # "*": no name


def test_dnsmasq_short_line_is_an_error() -> None:
    with pytest.raises(InputError, match="expected") as info:
        list(DnsmasqLeasesReader().read(Path("x.leases"), io.BytesIO(b"1 00:11:22:33:44:55\n")))
    assert info.value.location.line == 1


def test_sniffing_tells_the_two_apart() -> None:
    for path, reader in ((ISC, IscDhcpdLeasesReader), (DNSMASQ, DnsmasqLeasesReader)):
        head = path.read_bytes()
        assert reader.sniff(path, head)
    assert not IscDhcpdLeasesReader.sniff(DNSMASQ, DNSMASQ.read_bytes())
    assert not DnsmasqLeasesReader.sniff(ISC, ISC.read_bytes())


SEEDS = [ISC.read_bytes(), DNSMASQ.read_bytes()]
SCALED = int(os.environ.get("ROOTOUT_FUZZ_EXAMPLES", "500"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs(SEEDS))
def test_fuzz_leases(data: bytes) -> None:
    survives(IscDhcpdLeasesReader, Path("dhcpd.leases"), data)
    survives(DnsmasqLeasesReader, Path("dnsmasq.leases"), data)


@pytest.mark.slow
@settings(max_examples=SCALED, deadline=None, suppress_health_check=list(HealthCheck))
@given(inputs(SEEDS))
def test_fuzz_leases_scaled(data: bytes) -> None:
    survives(IscDhcpdLeasesReader, Path("dhcpd.leases"), data)
    survives(DnsmasqLeasesReader, Path("dnsmasq.leases"), data)
