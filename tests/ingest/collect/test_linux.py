"""The Linux collector on the captured Debian 12 tree (tests/fixtures/hosts/debian12)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from hypothesis import given, settings
from hypothesis import strategies as st

from rootout.ingest.collect import (
    CollectResult,
    CoverageStatus,
    collect_this_machine,
    linux_system,
    tools,
)
from rootout.ingest.collect import base as collect_base
from rootout.ingest.collect.linux_packages import parse_deb822
from rootout.model.observation import AssetKind, ObservationKind
from tests.ingest.collect._helpers import HOSTS, by_field, copy_tree, coverage, of_kind

DEBIAN = HOSTS / "debian12"
KASPERSKY_SUBJECT = "CN=Kaspersky Anti-Virus Personal Root Certificate,O=AO Kaspersky Lab,C=RU"


@pytest.fixture(scope="module")
def result() -> CollectResult:
    return collect_this_machine(root=DEBIAN, system="Linux")


def test_asset_is_the_host_named_in_the_tree(result: CollectResult) -> None:
    assert result.asset.kind is AssetKind.HOST
    assert result.asset.name == (DEBIAN / "etc/hostname").read_text().strip()
    assert result.asset.identifiers == (
        ("host_uuid", (DEBIAN / "etc/machine-id").read_text().strip()),
    )
    assert all(o.asset == result.asset for o in result.observations)
    assert {o.source.format for o in result.observations} == {"collect-linux"}


def test_dpkg_reports_installed_packages_only_with_their_stanza_line(result: CollectResult) -> None:
    packages = [
        o for o in of_kind(result, ObservationKind.PACKAGE) if o.fields["ecosystem"] == "deb"
    ]
    names = {o.fields["package"] for o in packages}
    assert names == {"adduser", "kesl", "openssl", "libssl3", "google-chrome-stable"}
    # klnagent64 is only config-files (removed) and nano half-configured: not installed
    kesl = by_field(result, "package", "kesl")
    status_lines = (DEBIAN / "var/lib/dpkg/status").read_text().splitlines()
    assert status_lines[kesl.source.line - 1] == "Package: kesl"
    assert kesl.source.path == "/var/lib/dpkg/status"
    assert kesl.fields["vendor"] == "AO Kaspersky Lab"
    assert kesl.fields["version"] == "12.1.0.1297"
    assert by_field(result, "package", "libssl3").extra["source_package"] == "openssl"
    assert coverage(result, "dpkg").count == 5


def test_rpm_is_live_only_and_says_so(result: CollectResult) -> None:
    item = coverage(result, "rpm")
    assert item.status is CoverageStatus.SKIPPED
    assert "live machine" in item.reason


def test_snaps_flatpaks_units_modules_processes(result: CollectResult) -> None:
    snaps = {
        o.fields["package"]: o.extra["revision"]
        for o in result.observations
        if o.fields.get("ecosystem") == "snap"
    }
    assert snaps == {"core22": "1380", "firefox": "4793"}
    assert by_field(result, "ecosystem", "flatpak").fields["package"] == "org.mozilla.firefox"
    kesl = by_field(result, "service", "kesl")
    assert kesl.kind is ObservationKind.SERVICE
    assert kesl.fields["path"] == "/etc/systemd/system/kesl.service"
    assert kesl.extra["exec_start"] == "/opt/kaspersky/kesl/libexec/kesl_launcher.sh"
    assert by_field(result, "service", "apt-daily").extra["state"] == "masked"
    # an absolute link is followed inside the tree, not on the machine running the test
    assert (
        by_field(result, "service", "sshd").fields["description"] == "OpenBSD Secure Shell server"
    )
    units = {o.fields["service"] for o in of_kind(result, ObservationKind.SERVICE)}
    assert "multi-user" not in units
    assert "multi-user.target" not in units
    modules = [o.fields["driver"] for o in of_kind(result, ObservationKind.KERNEL_MODULE)]
    assert modules == ["nf_tables", "ext4", "mbcache", "ahci", "libahci"]
    assert by_field(result, "driver", "libahci").extra["used_by"] == "ahci"
    process = by_field(result, "process", "kesl")
    assert process.fields["path"] == "/opt/kaspersky/kesl/libexec/kesl"
    assert process.extra["pid"] == "812"


def test_trust_store_certificates_carry_fingerprints_of_the_bundle(result: CollectResult) -> None:
    bundle = (DEBIAN / "etc/ssl/certs/ca-certificates.crt").read_bytes()
    expected = {
        cert.fingerprint(hashes.SHA1()).hex().upper()  # identifiers, as the store shows them
        for cert in x509.load_pem_x509_certificates(bundle)
    }
    in_bundle = [
        o
        for o in of_kind(result, ObservationKind.CERTIFICATE)
        if o.fields["store"] == "/etc/ssl/certs/ca-certificates.crt"
    ]
    assert {o.fields["cert_sha1"] for o in in_bundle} == expected
    kaspersky = next(o for o in in_bundle if o.fields["cert_subject"] == KASPERSKY_SUBJECT)
    assert kaspersky.fields["cert_issuer"] == KASPERSKY_SUBJECT
    assert kaspersky.fields["name"] == "Kaspersky Anti-Virus Personal Root Certificate"
    assert bundle.decode().splitlines()[kaspersky.source.line - 1] == "-----BEGIN CERTIFICATE-----"
    anchors = [
        o
        for o in of_kind(result, ObservationKind.CERTIFICATE)
        if "/usr/local/share/" in o.fields["store"]
    ]
    assert [o.fields["name"] for o in anchors] == ["Example Corp Internal Root CA"]


def test_browser_extensions_resolve_localised_names(result: CollectResult) -> None:
    kaspersky = by_field(result, "extension_id", "ahkjpbeeocnddjkakilopmfdlnjdpcdm")
    assert kaspersky.fields["name"] == "Kaspersky Protection"  # from _locales/en/messages.json
    assert kaspersky.fields["version"] == "4.0.89.2"
    assert kaspersky.extra["user"] == "alice"
    assert kaspersky.source.path.endswith(
        "/ahkjpbeeocnddjkakilopmfdlnjdpcdm/4.0.89.2_0/manifest.json"
    )
    # default_locale en_US, and a second profile
    assert (
        by_field(result, "extension_id", "ghbmnnjooekpmoecnnnilnnbdlolhkhi").fields["name"]
        == "Google Docs Offline"
    )
    ublock = [o for o in result.observations if o.fields.get("name") == "uBlock Origin"]
    assert {(o.fields["ecosystem"], o.extra["browser"], o.extra["user"]) for o in ublock} == {
        ("chrome", "chrome", "alice"),
        ("firefox", "firefox", "alice"),
        ("chrome", "chromium", "bob"),
    }
    firefox = by_field(result, "extension_id", "uBlock0@raymondhill.net")
    assert firefox.source.pointer == "/addons/0"
    assert firefox.fields["author"] == "Raymond Hill & contributors"


def test_neighbours_and_vendor_folders(result: CollectResult) -> None:
    devices = {
        o.fields["mac"]: o.fields["ip"] for o in of_kind(result, ObservationKind.NETWORK_DEVICE)
    }
    assert devices == {
        "3c:37:86:5e:10:aa": "192.168.1.1",
        "44:47:cc:12:34:56": "192.168.1.64",
    }  # incomplete entry skipped
    paths = [o.fields["path"] for o in of_kind(result, ObservationKind.FILE)]
    assert paths == ["/opt/google", "/opt/google/chrome", "/opt/kaspersky", "/opt/kaspersky/kesl"]


def test_every_source_is_in_the_coverage_with_its_count(result: CollectResult) -> None:
    names = [item.source for item in result.coverage]
    assert names == [
        "dpkg", "rpm", "snap", "flatpak", "systemd-units", "kernel-modules", "processes",
        "trust-store", "nss-databases", "browser-extensions", "neighbours", "vendor-folders",
    ]  # fmt: skip
    assert sum(item.count for item in result.coverage) == len(result.observations)
    assert result.complete


def test_progress_is_reported_after_each_source() -> None:
    calls: list[tuple[int, int, str]] = []
    result = collect_this_machine(root=DEBIAN, system="Linux", progress=lambda *a: calls.append(a))
    assert [c[2] for c in calls] == [item.source for item in result.coverage]
    assert [c[0] for c in calls] == list(range(1, len(calls) + 1))
    assert {c[1] for c in calls} == {len(calls)}


# --------------------------------------------------------------------------- tools


def test_nss_databases_without_certutil_are_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tools, "which", lambda name: None)
    item = coverage(collect_this_machine(root=DEBIAN, system="Linux"), "nss-databases")
    assert (item.status, item.reason) == (CoverageStatus.SKIPPED, "certutil not installed")


def test_nss_databases_are_listed_with_certutil(monkeypatch: pytest.MonkeyPatch) -> None:
    pem = (DEBIAN / "usr/local/share/ca-certificates/example-corp.crt").read_text()
    listing = (
        "\nCertificate Nickname                                         Trust Attributes\n"
        "                                                             SSL,S/MIME,JAR/XPI\n\n"
        "Example Corp Internal Root CA                                CT,C,C\n"
    )
    calls: list[Sequence[str]] = []

    def run(argv: Sequence[str], timeout: float = 0) -> str:
        calls.append(argv)
        return pem if "-n" in argv else listing

    monkeypatch.setattr(tools, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(tools, "run", run)
    result = collect_this_machine(root=DEBIAN, system="Linux")
    nss = [
        o
        for o in of_kind(result, ObservationKind.CERTIFICATE)
        if o.fields["store"].startswith("nss:")
    ]
    assert {o.fields["store"] for o in nss} == {
        "nss:/home/alice/.pki/nssdb",
        "nss:/home/alice/.mozilla/firefox/x7k2m9q1.default-release",
    }
    assert {o.extra["trust"] for o in nss} == {"CT,C,C"}
    assert all(argv[3].startswith("sql:") for argv in calls)
    assert coverage(result, "nss-databases").count == 2


def test_rpm_output_is_read_on_a_live_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    from rootout.ingest.collect.base import Host, Tally
    from rootout.ingest.collect.linux_packages import rpm
    from rootout.model.observation import Asset

    output = "kesl\t(none)\t12.1.0\t1297\tx86_64\tAO Kaspersky Lab\t(none)\nbash\t(none)\t5.1.8\t9.el9\tx86_64\tRed Hat, Inc.\tRed Hat, Inc. <http://bugzilla.redhat.com/bugzilla>\nbroken line\n"
    monkeypatch.setattr(tools, "which", lambda name: "/usr/bin/rpm")
    monkeypatch.setattr(tools, "run", lambda argv, timeout=0: output)
    tally = Tally()
    host = Host(Path("/"), "Linux", Asset(AssetKind.HOST, "h"), "collect-linux")
    found = list(rpm(host, tally))
    assert [(o.fields["package"], o.fields["version"], o.fields["vendor"]) for o in found] == [
        ("kesl", "12.1.0-1297", "AO Kaspersky Lab"),
        ("bash", "5.1.8-9.el9", "Red Hat, Inc."),
    ]
    assert tally.problems == ["rpm -qa:3: unexpected rpm output line"]


# --------------------------------------------------------------------------- damage


def test_garbage_dpkg_status_fails_that_source_only(tmp_path: Path) -> None:
    root = copy_tree(tmp_path, "debian12")
    status = root / "var/lib/dpkg/status"
    status.write_bytes(
        b"\x00\xff\xfe garbage \x89PNG\n\nPackage: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13\n"
    )
    result = collect_this_machine(root=root, system="Linux")
    item = coverage(result, "dpkg")
    assert item.status is CoverageStatus.FAILED
    assert "not valid utf-8" in item.reason
    assert "/var/lib/dpkg/status:1" in item.reason
    assert item.count == 1  # the valid stanza after the garbage is still read
    assert by_field(result, "package", "zlib1g").source.line == 3
    assert coverage(result, "trust-store").status is CoverageStatus.READ
    assert not result.complete


def test_unreadable_dpkg_status_is_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = open

    def guarded(path: object, *args: object, **kwargs: object) -> object:
        if str(path).endswith("var/lib/dpkg/status"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(collect_base, "open", guarded, raising=False)
    result = collect_this_machine(root=DEBIAN, system="Linux")
    item = coverage(result, "dpkg")
    assert (item.status, item.count) == (CoverageStatus.FAILED, 0)
    assert "permission denied" in item.reason
    assert coverage(result, "kernel-modules").count == 5


def test_broken_manifest_and_certificate_are_reported_with_their_place(tmp_path: Path) -> None:
    root = copy_tree(tmp_path, "debian12")
    manifest = next(
        (
            root
            / "home/alice/.config/google-chrome/Default/Extensions/cjpalhdlnbpafiamejdnhcphjbkeiagm"
        ).glob("*/manifest.json")
    )
    manifest.write_text('{"name": "uBlock Origin", "version": ')
    bundle = root / "etc/ssl/certs/ca-certificates.crt"
    bundle.write_bytes(
        b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"
        + bundle.read_bytes()
    )
    result = collect_this_machine(root=root, system="Linux")
    extensions = coverage(result, "browser-extensions")
    assert extensions.status is CoverageStatus.FAILED
    assert "cjpalhdlnbpafiamejdnhcphjbkeiagm" in extensions.reason
    assert extensions.count == 5
    trust = coverage(result, "trust-store")
    assert trust.status is CoverageStatus.FAILED
    assert "/etc/ssl/certs/ca-certificates.crt:1" in trust.reason
    assert any(o.fields.get("cert_subject") == KASPERSKY_SUBJECT for o in result.observations)


def test_a_source_that_crashes_does_not_stop_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(host: object, tally: object) -> list[object]:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(linux_system, "kernel_modules", crash)
    result = collect_this_machine(root=DEBIAN, system="Linux")
    item = coverage(result, "kernel-modules")
    assert (item.status, item.reason) == (CoverageStatus.FAILED, "/proc/modules: unexpected")
    assert coverage(result, "processes").count == 3


def test_an_empty_tree_skips_every_source(tmp_path: Path) -> None:
    result = collect_this_machine(root=tmp_path, system="Linux")
    assert result.observations == []
    assert {item.status for item in result.coverage} == {CoverageStatus.SKIPPED}
    assert result.asset.name == tmp_path.name
    assert all(item.reason for item in result.coverage)


def test_unknown_system_is_skipped_not_raised(tmp_path: Path) -> None:
    result = collect_this_machine(root=tmp_path, system="Plan9")
    assert [(i.source, i.status) for i in result.coverage] == [("system", CoverageStatus.SKIPPED)]


@settings(max_examples=200)
@given(st.text())
def test_deb822_parser_accounts_for_every_line(text: str) -> None:
    stanzas, bad = parse_deb822(text)
    lines = text.split("\n")
    for stanza in stanzas:
        assert 1 <= stanza.line <= len(lines)
    assert all(1 <= number <= len(lines) for number, _ in bad)
    fields = sum(len(s.fields) for s in stanzas)
    assert fields + len(bad) <= len(lines)
