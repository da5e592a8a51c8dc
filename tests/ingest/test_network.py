"""Nmap XML and neighbour tables (rootout.ingest.formats.network)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from rootout.errors import InputError
from rootout.ingest.formats.network import NeighbourTableReader, NmapXmlReader
from rootout.model.observation import AssetKind, Observation, ObservationKind
from tests.conftest import FIXTURES
from tests.ingest._endpoint_fuzz import inputs, survives

NETWORK = FIXTURES / "inputs" / "network"
NMAP = NETWORK / "scan-10.20.0.0-24.xml"
NEIGHBOUR_FILES = ("ip-neigh.txt", "arp-a-linux.txt", "arp-a-macos.txt", "arp-a-windows.txt")


def read(reader: type[NmapXmlReader | NeighbourTableReader], path: Path) -> list[Observation]:
    with path.open("rb") as stream:
        return list(reader().read(path, stream))


def read_bytes(
    reader: type[NmapXmlReader | NeighbourTableReader], data: bytes
) -> list[Observation]:
    return list(reader().read(Path("input.txt"), io.BytesIO(data)))


# --------------------------------------------------------------------------- Nmap


def test_nmap_one_device_observation_per_up_host_with_mac_vendor() -> None:
    devices = [o for o in read(NmapXmlReader, NMAP) if "vendor" in o.fields]
    vendors = {o.fields["ip"]: (o.fields["mac"], o.fields["vendor"]) for o in devices}
    assert vendors == {
        "10.20.0.1": ("00:E0:FC:3A:51:02", "Huawei Technologies"),
        "10.20.0.10": ("D0:43:1E:5B:0C:7A", "Dell"),
        "10.20.0.20": ("00:11:32:9A:41:07", "Synology Incorporated"),
        "10.20.0.31": ("BC:32:5F:12:34:56", "Zhejiang Dahua Technology"),
        "10.20.0.45": ("44:47:CC:A1:B2:C3", "Hangzhou Hikvision Digital Technology"),
        "10.20.0.60": ("00:80:77:C4:2E:19", "Brother Industries"),
    }
    assert "10.20.0.77" not in {o.fields.get("ip") for o in read(NmapXmlReader, NMAP)}  # down


def test_nmap_device_asset_carries_mac_and_ip_and_prefers_the_hostname() -> None:
    router = next(o for o in read(NmapXmlReader, NMAP) if o.fields.get("ip") == "10.20.0.1")
    assert router.kind is ObservationKind.NETWORK_DEVICE
    assert router.asset.kind is AssetKind.DEVICE
    assert router.asset.name == "gw-core.corp.example"
    assert ("mac", "00:E0:FC:3A:51:02") in router.asset.identifiers
    assert router.asset.key == "device:mac:00:e0:fc:3a:51:02"
    assert router.observed_at is not None
    assert router.observed_at.timestamp() == 1726480803
    assert router.source.pointer == "/nmaprun/host[1]"
    assert router.source.line == 15  # the <host> start tag, not the <hosthint> before it
    assert router.extra["open_ports"] == "tcp/22 ssh, tcp/443 https"  # filtered telnet left out


def test_nmap_services_become_observations_with_product_and_cpe() -> None:
    services = [o for o in read(NmapXmlReader, NMAP) if "/ports/" in o.source.pointer]
    huawei = next(o for o in services if o.fields.get("name") == "Huawei VRP sshd")
    assert huawei.fields["cpe"] == "cpe:/o:huawei:vrp:5.160"
    assert huawei.fields["device_type"] == "router"
    assert huawei.extra["port"] == "tcp/22"
    assert huawei.source.pointer == "/nmaprun/host[1]/ports/port[1]"
    hikvision = next(o for o in services if o.fields.get("ip") == "10.20.0.45")
    assert hikvision.fields["name"] == "Hikvision IPCam control port"
    assert "cpe" not in hikvision.fields
    # one observation per <cpe>: OpenSSH names two
    ssh = [o.fields["cpe"] for o in services if o.fields.get("name") == "OpenSSH"]
    assert ssh == ["cpe:/a:openbsd:openssh:8.9p1", "cpe:/o:linux:linux_kernel"]
    # table-guessed services (no product, no cpe) are not observations of their own
    assert not [o for o in services if o.fields.get("ip") == "10.20.0.31"]


def test_nmap_os_classes_of_the_best_match_only() -> None:
    os_obs = [o for o in read(NmapXmlReader, NMAP) if "/os/" in o.source.pointer]
    router = [o for o in os_obs if o.fields["ip"] == "10.20.0.1"]
    assert [(o.fields["manufacturer"], o.fields["cpe"]) for o in router] == [
        ("Huawei", "cpe:/o:huawei:vrp:5")
    ]
    assert router[0].fields["os"] == "Huawei VRP 5.X"
    build = [o.fields["cpe"] for o in os_obs if o.fields["ip"] == "10.20.0.10"]
    assert build == ["cpe:/o:linux:linux_kernel:4", "cpe:/o:linux:linux_kernel:5"]


OLD_NMAP = b"""<?xml version="1.0" ?>
<nmaprun scanner="nmap" start="1247268183" version="4.90RC2" xmloutputversion="1.03">
<host><status state="up" reason="echo-reply"/>
<address addr="64.13.134.52" addrtype="ipv4" />
<os><osclass type="general purpose" vendor="Linux" osfamily="Linux" osgen="2.6.X" accuracy="100" />
<osmatch name="Linux 2.6.9 - 2.6.24" accuracy="100" line="21905" />
</os></host></nmaprun>
"""


def test_nmap_all_host_names_are_kept() -> None:
    data = NMAP.read_bytes().replace(
        b'<hostname name="gw-core.corp.example" type="PTR"/>',
        b'<hostname name="gw-core.corp.example" type="PTR"/><hostname name="gw" type="user"/>',
    )
    router = read_bytes(NmapXmlReader, data)[0]
    assert router.fields["hostname"] == "gw-core.corp.example"
    assert router.extra["hostnames"] == "gw-core.corp.example, gw"


def test_nmap_4_layout_with_osclass_beside_osmatch() -> None:
    observations = read_bytes(NmapXmlReader, OLD_NMAP)
    assert [o.source.pointer for o in observations] == [
        "/nmaprun/host[1]",
        "/nmaprun/host[1]/os/osclass[1]",
    ]
    assert observations[1].fields["manufacturer"] == "Linux"
    assert observations[1].fields["os"] == "Linux 2.6.9 - 2.6.24"
    assert observations[0].asset.name == "64.13.134.52"
    assert observations[0].observed_at is not None  # scan start stands in for host starttime


@pytest.mark.parametrize(
    "doctype",
    [
        b'<!DOCTYPE nmaprun [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
        b'<!DOCTYPE nmaprun [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    ],
    ids=["billion-laughs", "external-entity"],
)
def test_nmap_entity_declarations_are_rejected(doctype: bytes) -> None:
    data = (
        b'<?xml version="1.0"?>\n'
        + doctype
        + b'\n<nmaprun><host><address addr="&b;"/></host></nmaprun>'
    )
    with pytest.raises(InputError, match="forbidden XML construct") as info:
        read_bytes(NmapXmlReader, data)
    assert info.value.location.line == 2


def test_nmap_plain_doctype_as_nmap_writes_it_is_accepted() -> None:
    assert NMAP.read_bytes().count(b"<!DOCTYPE nmaprun>") == 1
    assert len(read(NmapXmlReader, NMAP)) == 20


def test_nmap_truncated_file_reports_the_line() -> None:
    data = NMAP.read_bytes()[:3000]
    with pytest.raises(InputError, match="not well-formed XML") as info:
        read_bytes(NmapXmlReader, data)
    assert info.value.location.line == data.count(b"\n") + 1


def test_nmap_rejects_another_root_element() -> None:
    with pytest.raises(InputError, match="not <nmaprun>"):
        read_bytes(NmapXmlReader, b"<?xml version='1.0'?>\n<bom/>")


def test_nmap_sniff() -> None:
    assert NmapXmlReader.sniff(NMAP, NMAP.read_bytes())
    assert not NmapXmlReader.sniff(Path("a.xml"), b"<?xml version='1.0'?><bom/>")


# --------------------------------------------------------------------------- neighbour tables


@pytest.mark.parametrize("name", NEIGHBOUR_FILES)
def test_neighbour_files_are_sniffed(name: str) -> None:
    path = NETWORK / name
    assert NeighbourTableReader.sniff(path, path.read_bytes())
    assert not NmapXmlReader.sniff(path, path.read_bytes())


def test_ip_neigh_entries_with_a_link_layer_address() -> None:
    observations = read(NeighbourTableReader, NETWORK / "ip-neigh.txt")
    assert [(o.source.line, o.fields["ip"], o.fields["mac"]) for o in observations] == [
        (1, "10.20.0.1", "00:e0:fc:3a:51:02"),
        (2, "10.20.0.10", "d0:43:1e:5b:0c:7a"),
        (3, "10.20.0.31", "bc:32:5f:12:34:56"),
        (4, "10.20.0.45", "44:47:cc:a1:b2:c3"),
        (7, "fe80::2e0:fcff:fe3a:5102", "00:e0:fc:3a:51:02"),
        (8, "fe80::1e69:7aff:fe0c:11a2", "1c:69:7a:0c:11:a2"),
    ]  # FAILED and INCOMPLETE entries have no MAC
    assert observations[0].extra == {"interface": "eth0", "state": "REACHABLE", "flags": "router"}
    assert observations[0].asset.kind is AssetKind.DEVICE


def test_arp_a_linux_keeps_resolved_names() -> None:
    observations = read(NeighbourTableReader, NETWORK / "arp-a-linux.txt")
    assert [o.asset.name for o in observations] == [
        "gw-core.corp.example",
        "10.20.0.10",
        "10.20.0.45",
        "prn-3f.corp.example",
    ]
    assert observations[0].fields["hostname"] == "gw-core.corp.example"
    assert "hostname" not in observations[1].fields  # "?" means unresolved


def test_arp_a_macos_pads_octets_and_drops_broadcast_and_multicast() -> None:
    observations = read(NeighbourTableReader, NETWORK / "arp-a-macos.txt")
    assert [o.fields["mac"] for o in observations] == [
        "00:e0:fc:3a:51:02",
        "f0:ee:7a:01:02:03",
        "bc:32:5f:12:34:56",
    ]
    assert observations[0].extra["mac_as_written"] == "0:e0:fc:3a:51:2"
    assert "mac_as_written" not in observations[2].extra


def test_arp_a_windows_blocks() -> None:
    observations = read(NeighbourTableReader, NETWORK / "arp-a-windows.txt")
    assert [(o.fields["ip"], o.fields["mac"], o.extra["interface"]) for o in observations] == [
        ("192.168.1.1", "00-e0-fc-3a-51-02", "192.168.1.10"),
        ("192.168.1.45", "44-47-cc-a1-b2-c3", "192.168.1.10"),
        ("192.168.1.60", "00-80-77-c4-2e-19", "192.168.1.10"),
    ]
    assert observations[1].source.line == 5


def test_neighbour_line_of_unknown_shape_is_an_error_with_its_line() -> None:
    data = b"10.0.0.1 dev eth0 lladdr 00:11:22:33:44:55 REACHABLE\nthis is not an entry\n"
    with pytest.raises(InputError, match="not an entry") as info:
        read_bytes(NeighbourTableReader, data)
    assert info.value.location.line == 2


def test_neighbour_bad_ip_is_an_error() -> None:
    with pytest.raises(InputError, match="not an IP address"):
        read_bytes(NeighbourTableReader, b"? (999.1.1.1) at 00:11:22:33:44:55 [ether] on eth0\n")


# --------------------------------------------------------------------------- fuzz

NMAP_SEEDS = [NMAP.read_bytes()[:4000], OLD_NMAP]
NEIGHBOUR_SEEDS = [(NETWORK / name).read_bytes() for name in NEIGHBOUR_FILES]
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCALED = int(os.environ.get("ROOTOUT_FUZZ_EXAMPLES", "500"))
SLOW = settings(max_examples=SCALED, deadline=None, suppress_health_check=list(HealthCheck))


@FAST
@given(inputs(NMAP_SEEDS))
def test_fuzz_nmap(data: bytes) -> None:
    survives(NmapXmlReader, Path("scan.xml"), data)


@FAST
@given(inputs(NEIGHBOUR_SEEDS))
def test_fuzz_neighbours(data: bytes) -> None:
    survives(NeighbourTableReader, Path("arp.txt"), data)


@pytest.mark.slow
@SLOW
@given(inputs(NMAP_SEEDS + NEIGHBOUR_SEEDS))
def test_fuzz_network_scaled(data: bytes) -> None:
    survives(NmapXmlReader, Path("scan.xml"), data)
    survives(NeighbourTableReader, Path("arp.txt"), data)
