"""The macOS collector on the captured tree (tests/fixtures/hosts/macos14)."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rootout.ingest.collect import CollectResult, CoverageStatus, collect_this_machine
from rootout.ingest.collect.base import Problem
from rootout.ingest.collect.macos import load_plist
from rootout.model.observation import ObservationKind
from tests.ingest.collect._helpers import HOSTS, by_field, copy_tree, coverage, of_kind

MAC = HOSTS / "macos14"


@pytest.fixture(scope="module")
def result() -> CollectResult:
    return collect_this_machine(root=MAC, system="Darwin")


def test_host_name_comes_from_system_configuration(result: CollectResult) -> None:
    assert result.asset.name == "mac-design-07"
    assert {o.source.format for o in result.observations} == {"collect-macos"}


def test_applications_from_xml_and_binary_info_plists(result: CollectResult) -> None:
    apps = {o.fields["bundle_id"]: o for o in of_kind(result, ObservationKind.PROGRAM)}
    assert set(apps) == {
        "com.kaspersky.kav",
        "org.mozilla.firefox",
        "com.adobe.Acrobat.Pro",
        "com.tinyspeck.slackmacgap",
    }
    kav = apps["com.kaspersky.kav"]
    assert (kav.fields["name"], kav.fields["version"]) == ("Kaspersky Anti-Virus", "21.3.10")
    assert kav.fields["path"] == "/Applications/Kaspersky Anti-Virus.app"
    assert kav.source.path == "/Applications/Kaspersky Anti-Virus.app/Contents/Info.plist"
    # binary plist, CFBundleDisplayName; an app inside a vendor folder; a user's ~/Applications
    assert apps["org.mozilla.firefox"].extra["bundle_version"] == "12524.5.3"
    assert (
        apps["com.adobe.Acrobat.Pro"].fields["path"]
        == "/Applications/Adobe Acrobat DC/Adobe Acrobat.app"
    )
    assert apps["com.tinyspeck.slackmacgap"].fields["path"] == "/Users/alice/Applications/Slack.app"


def test_receipts_launchd_and_system_extensions(result: CollectResult) -> None:
    receipt = by_field(result, "package", "com.kaspersky.kav.core")
    assert receipt.fields["ecosystem"] == "pkg"
    assert receipt.extra["install_date"] == "2024-03-12T09:30:00"
    assert coverage(result, "installer-receipts").count == 2  # the .bom beside it is not a receipt
    daemon = by_field(result, "service", "com.kaspersky.kav")
    assert daemon.fields["path"] == "/Library/Application Support/Kaspersky Lab/KAV/Binaries/kav"
    assert daemon.source.path == "/Library/LaunchDaemons/com.kaspersky.kav.plist"
    assert (
        by_field(result, "service", "com.example.backup").fields["path"]
        == "/Users/alice/bin/backup.sh"
    )
    sysext = by_field(result, "bundle_id", "com.kaspersky.kav.sysext")
    assert sysext.kind is ObservationKind.KERNEL_MODULE
    assert (sysext.source.path, sysext.source.pointer) == (
        "/Library/SystemExtensions/db.plist",
        "/extensions/0",
    )
    assert sysext.extra["team"] == "2Y8XE5CQ94"


def test_live_only_and_absent_sources_are_skipped(result: CollectResult) -> None:
    assert coverage(result, "keychain").status is CoverageStatus.SKIPPED
    assert coverage(result, "kernel-extensions").status is CoverageStatus.SKIPPED
    assert (
        by_field(result, "extension_id", "ahkjpbeeocnddjkakilopmfdlnjdpcdm").fields["name"]
        == "Kaspersky Protection"
    )
    folders = [o.fields["path"] for o in of_kind(result, ObservationKind.FILE)]
    assert "/Library/Application Support/Kaspersky Lab" in folders


def test_a_broken_info_plist_fails_applications_but_keeps_the_rest(tmp_path: Path) -> None:
    root = copy_tree(tmp_path, "macos14")
    (root / "Applications/Firefox.app/Contents/Info.plist").write_bytes(b"bplist00\x00\x01garbage")
    (root / "var/db/receipts/org.mozilla.firefox.plist").write_bytes(
        b"<?xml version='1.0'?><plist><dict><key>x</key>"
    )
    result = collect_this_machine(root=root, system="Darwin")
    apps = coverage(result, "applications")
    assert apps.status is CoverageStatus.FAILED
    assert "/Applications/Firefox.app/Contents/Info.plist: not a valid property list" in apps.reason
    assert apps.count == 3
    receipts = coverage(result, "installer-receipts")
    assert (receipts.status, receipts.count) == (CoverageStatus.FAILED, 1)
    assert coverage(result, "launchd").status is CoverageStatus.READ


def test_plist_entity_declarations_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "Info.plist"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE plist [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        "<plist><dict><key>CFBundleName</key><string>&b;</string></dict></plist>"
    )
    with pytest.raises(Problem, match="not a valid property list"):
        load_plist(path)


@settings(max_examples=200)
@given(st.binary(max_size=256))
def test_load_plist_raises_only_problem(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("plist") / "x.plist"
    for blob in (data, b"bplist00" + data, plistlib.dumps({"a": 1})[: len(data) % 60]):
        path.write_bytes(blob)
        try:
            value = load_plist(path)
        except Problem:
            continue
        assert isinstance(value, dict)
