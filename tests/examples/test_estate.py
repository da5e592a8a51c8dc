"""The Example Agency estate (examples/estate): what is planted is found, no trap is, all reads.

One scan of ``examples/estate/inputs`` into a temporary SQLite store backs every
test; the README's table lists the same planted items and traps. The generator
test re-creates the inputs and compares them byte for byte with the committed ones.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from rootout.ingest.scan import InputStatus, read_inputs
from rootout.model.finding import Basis, Finding
from rootout.scanning import ScanOutcome, scan
from rootout.store.db import connect
from rootout.store.queries import list_findings

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
INPUTS = EXAMPLES / "estate" / "inputs"
TODAY = dt.date(2026, 3, 31)  # the day the estate is reviewed; dates undated inputs
KASPERSKY = "kaspersky.ao-kaspersky-lab"
HIKVISION = "hikvision.hangzhou-hikvision"
DAHUA = "dahua.zhejiang-dahua"
HUAWEI = "huawei.huawei-technologies"
KES_HOSTS = ("EA-WS-0104", "EA-WS-0112", "EA-WS-0119")


@pytest.fixture(scope="module")
def generator() -> Iterator[ModuleType]:
    """The ``examples/estate_generator`` package (examples/ is not an installed package)."""
    if not (REPO.parent / "shared" / "data").is_dir():  # pragma: no cover - CI has ../shared
        pytest.fail("shared data folder missing: the generator reads ../shared/data")
    sys.path.insert(0, str(EXAMPLES))
    try:
        yield importlib.import_module("estate_generator")
    finally:
        sys.path.remove(str(EXAMPLES))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("estate") / "estate.db")


@pytest.fixture(scope="module")
def outcome(store: str) -> ScanOutcome:
    return scan([INPUTS], db=store, today=TODAY)


def on(outcome: ScanOutcome, asset: str, fmt: str | None = None) -> list[Finding]:
    """Findings of the asset named ``asset`` or with IP ``asset`` (optionally from one format)."""
    return [
        f
        for f in outcome.findings
        if (asset == f.observation.asset.name or ("ip", asset) in f.observation.asset.identifiers)
        and (fmt is None or f.observation.source.format == fmt)
    ]


# --------------------------------------------------------------------------- reading


def test_every_input_reads_without_error(outcome: ScanOutcome) -> None:
    problems = [
        (r.path, r.status, r.error) for r in outcome.read.inputs if r.status is not InputStatus.READ
    ]
    assert problems == []
    assert all(record.count > 0 for record in outcome.read.inputs)
    assert dict(outcome.read.coverage.inputs_by_format) == {
        "certutil-store": 1,
        "cyclonedx-json": 1,
        "intune-csv": 1,
        "nmap-xml": 1,
        "osquery-results": 72,
        "reg": 1,
        "spdx-json": 1,
        "zeek-dns": 2,
    }


def test_the_store_holds_the_findings(outcome: ScanOutcome, store: str) -> None:
    stored = {row["id"] for row in list_findings(connect(store))}
    assert stored == {finding.id for finding in outcome.findings}


def test_osquery_hosts_are_the_36_of_the_estate(generator: ModuleType) -> None:
    read = read_inputs([INPUTS / "osquery"])
    names = {o.asset.name for o in read.observations}
    assert names == {host.name for host in generator.common.hosts()}
    assert len(names) == 36


# --------------------------------------------------------------------------- planted: Kaspersky


@pytest.mark.parametrize("host", KES_HOSTS)
def test_kes_and_network_agent_on_each_kes_host(outcome: ScanOutcome, host: str) -> None:
    direct = {f.product for f in on(outcome, host, "osquery-results") if f.basis is Basis.DIRECT}
    assert {"kaspersky.kes", "kaspersky.network-agent"} <= direct
    assert all(f.entity == KASPERSKY for f in on(outcome, host))


def test_registry_export_shows_kes_with_the_kasperskylab_key(outcome: ScanOutcome) -> None:
    found = on(outcome, "EA-WS-0112", "reg")
    assert {f.product for f in found if f.basis is Basis.DIRECT} == {
        "kaspersky.kes",
        "kaspersky.network-agent",
    }
    steps = [step.text for f in found for step in f.explanation]
    assert any("HKEY_LOCAL_MACHINE\\\\SOFTWARE\\\\KasperskyLab" in text for text in steps)


def test_kesl_package_on_the_linux_file_server(outcome: ScanOutcome) -> None:
    (finding,) = on(outcome, "ea-srv-files01")
    assert (finding.basis, finding.product) == (Basis.DIRECT, "kaspersky.kes")
    assert (finding.matched_field, finding.matched_value) == ("package", "kesl")


def test_kaspersky_protection_extension_on_a_mac(outcome: ScanOutcome) -> None:
    (finding,) = on(outcome, "EA-MAC-0203")
    assert (finding.basis, finding.product) == (Basis.DIRECT, "kaspersky.protection-extension")
    assert finding.matched_value == "ahkjpbeeocnddjkakilopmfdlnjdpcdm"


def test_leftover_root_certificate_is_residual(outcome: ScanOutcome) -> None:
    (finding,) = on(outcome, "EA-WS-0123", "certutil-store")
    assert (finding.basis, finding.entity) == (Basis.RESIDUAL, KASPERSKY)
    assert "CN=Kaspersky Anti-Virus Personal Root Certificate" in finding.matched_value


def test_leftover_driver_and_service_are_residual(outcome: ScanOutcome) -> None:
    found = on(outcome, "EA-WS-0123", "osquery-results")
    assert found
    assert {f.basis for f in found} == {Basis.RESIDUAL}


def test_shadow_install_is_seen_only_in_dns(outcome: ScanOutcome, generator: ModuleType) -> None:
    shadow = generator.common.host_named(generator.common.SHADOW_HOST)
    assert on(outcome, shadow.name) == []  # its inventory has no Kaspersky
    dns = on(outcome, shadow.ip, "zeek-dns")
    assert {f.matched_value for f in dns} == {
        "s07.upd.kaspersky.com",
        "dnl-03.geo.kaspersky.com",
        "ksn-file-geo.kaspersky-labs.com",
    }
    assert {(f.basis, f.entity) for f in dns} == {(Basis.NETWORK, KASPERSKY)}


def test_2016_lookup_is_a_historical_finding(outcome: ScanOutcome) -> None:
    (finding,) = on(outcome, "10.40.12.115")
    assert finding.matched_value == "dnl-03.geo.kaspersky.com"
    assert finding.observed_on == dt.date(2016, 5, 12)
    assert finding.historical
    current = [f for f in outcome.findings if f is not finding]
    assert not any(f.historical for f in current)


def test_mail_gateway_sbom_embeds_the_kaspersky_engine(outcome: ScanOutcome) -> None:
    found = on(outcome, "Acme Secure Mail Gateway@5.2.1")
    (embedded,) = [f for f in found if f.basis is Basis.EMBEDDED]
    assert embedded.entity == KASPERSKY
    assert embedded.matched_value == "AO Kaspersky Lab"
    assert embedded.observation.parents == ("mgw-core@5.2.1", "mgw-content-scanner@5.2.1")
    assert embedded.observation.source.pointer == "/components/0/components/0/components/0"


def test_case_tracker_sbom_is_clean(outcome: ScanOutcome) -> None:
    (record,) = [r for r in outcome.read.inputs if r.format == "spdx-json"]
    assert record.count == 26  # the product and its 25 open-source packages
    assert [f for f in outcome.findings if f.observation.source.format == "spdx-json"] == []


# --------------------------------------------------------------------------- planted: devices, apps


def test_every_hikvision_device_is_a_network_finding(
    outcome: ScanOutcome, generator: ModuleType
) -> None:
    network = generator.network
    devices = [(d, mac) for d, mac in network.iter_devices() if d.registrant == network.HIK]
    assert len(devices) == 5  # the NVR and four cameras
    for device, mac in devices:
        found = on(outcome, device.ip, "nmap-xml")
        hits = {(f.basis, f.entity, f.matched_field, f.matched_value) for f in found}
        assert (Basis.NETWORK, HIKVISION, "mac", mac) in hits, device.ip


def test_ezviz_camera_is_a_hikvision_affiliate(outcome: ScanOutcome) -> None:
    found = on(outcome, "10.40.20.41")
    # seen on the network (its MAC in the Nmap scan, its cloud lookups in the DNS log),
    # and tied to Hikvision through the EZVIZ relation, which the explanation shows
    assert {(f.basis, f.observation.source.format) for f in found} == {
        (Basis.NETWORK, "nmap-xml"),
        (Basis.NETWORK, "zeek-dns"),
    }
    assert {(f.entity, f.matched_entity) for f in found} == {(HIKVISION, "hikvision.ezviz")}
    nmap = next(f for f in found if f.observation.source.format == "nmap-xml")
    assert [s.ref for s in nmap.explanation if s.kind == "relation"]


def test_nvrs_calling_their_clouds(outcome: ScanOutcome) -> None:
    (hik,) = on(outcome, "10.40.20.20", "zeek-dns")
    assert (hik.basis, hik.entity, hik.matched_value) == (
        Basis.NETWORK,
        HIKVISION,
        "hik-connect.com",
    )
    (dahua,) = on(outcome, "10.40.20.30", "zeek-dns")
    assert (dahua.basis, dahua.entity) == (Basis.NETWORK, DAHUA)
    assert dahua.matched_value == "www.easy4ipcloud.com"


def test_dahua_nvr_and_huawei_switch_in_the_scan(outcome: ScanOutcome) -> None:
    assert {f.entity for f in on(outcome, "nvr-fac-dh01.agency.example")} == {DAHUA}
    assert {f.entity for f in on(outcome, "sw-fac-core01.agency.example")} == {HUAWEI}


def test_smartpss_lite_is_direct_dahua_on_two_laptops(outcome: ScanOutcome) -> None:
    found = [f for f in outcome.findings if f.observation.source.format == "intune-csv"]
    assert {f.observation.asset.name for f in found} == {"EA-LT-0304", "EA-LT-0308"}
    assert {(f.basis, f.entity, f.product) for f in found} == {
        (Basis.DIRECT, DAHUA, "dahua.smartpss-lite")
    }


def test_hisuite_is_huawei_vendor_presence(outcome: ScanOutcome) -> None:
    found = on(outcome, "EA-WS-0116")
    assert {(f.entity, f.product, f.evidence) for f in found} == {
        (HUAWEI, "huawei.hisuite", "vendor_presence")
    }


# --------------------------------------------------------------------------- traps


@pytest.mark.parametrize(
    ("asset", "trap"),
    [
        ("EA-WS-0109", "Kaspa Wallet"),
        ("EA-WS-0121", "PangoTerm"),
        ("EA-WS-0107", "Aztech Powerline Utility (Aztech Electronics Pte Ltd)"),
        ("10.40.20.80", "Shanghai Dahua Scale Factory MAC 40:2C:76:1"),
        ("10.40.20.90", "Aztech Electronics MAC"),
        ("10.40.20.150", "locally administered MAC"),
        ("10.40.12.102", "www.kaspersky.com browsing"),
    ],
)
def test_trap_produces_no_finding(outcome: ScanOutcome, asset: str, trap: str) -> None:
    assert on(outcome, asset) == [], trap


@pytest.mark.parametrize(
    "value", ["Kaspa", "PangoTerm", "Aztech", "Scale Factory", "www.kaspersky.com", "UltraAV"]
)
def test_no_finding_matched_a_trap_value(outcome: ScanOutcome, value: str) -> None:
    assert [f.matched_value for f in outcome.findings if value in f.matched_value] == []


def test_ultraav_host_has_only_kaspersky_findings(outcome: ScanOutcome) -> None:
    found = on(outcome, "EA-WS-0123")
    assert found
    assert {f.entity for f in found} == {KASPERSKY}
    assert not any("UltraAV" in step.text for f in found for step in f.explanation)


def test_no_finding_outside_the_planted_items(outcome: ScanOutcome) -> None:
    assets = {f.observation.asset.name for f in outcome.findings}
    assert assets == {
        *KES_HOSTS,
        "EA-WS-0123",
        "EA-WS-0116",
        "EA-MAC-0203",
        "ea-srv-files01",
        "EA-LT-0304",
        "EA-LT-0308",
        "Acme Secure Mail Gateway@5.2.1",
        "10.40.12.104",
        "10.40.12.112",
        "10.40.12.119",
        "10.40.12.126",
        "10.40.12.115",
        "nvr-fac-hik01.agency.example",
        "10.40.20.20",
        "10.40.20.21",
        "10.40.20.22",
        "10.40.20.23",
        "10.40.20.24",
        "nvr-fac-dh01.agency.example",
        "10.40.20.30",
        "10.40.20.41",
        "sw-fac-core01.agency.example",
    }


# --------------------------------------------------------------------------- the generator


def test_generator_rewrites_the_committed_files_byte_for_byte(
    tmp_path: Path, generator: ModuleType
) -> None:
    written = generator.generate(tmp_path)
    fresh = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in written}
    committed = {
        p.relative_to(INPUTS).as_posix(): p.read_bytes() for p in INPUTS.rglob("*") if p.is_file()
    }
    assert sorted(fresh) == sorted(committed)
    changed = [name for name in fresh if fresh[name] != committed[name]]
    assert changed == [], "run: python examples/generate_estate.py"


def test_estate_stays_small() -> None:
    total = sum(p.stat().st_size for p in (EXAMPLES / "estate").rglob("*") if p.is_file())
    assert total < 3_000_000
