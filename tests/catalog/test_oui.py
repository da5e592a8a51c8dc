"""The MAC registry reader and the generated ``mac-prefixes`` pack.

Fixtures are in tests/fixtures/oui (see tests/fixtures/README.md); the real registry is
data/oui/ieee-oui.txt, a byte copy of arp-scan's file (data/SOURCES.md).
"""

from __future__ import annotations

import io
import os
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rootout.catalog import Catalog
from rootout.catalog.lint import lint_paths
from rootout.catalog.oui import (
    BLOCK_BY_DIGITS,
    Block,
    PrefixTable,
    Registry,
    RegistryFormat,
    read_registry,
    read_stream,
)
from rootout.catalog.oui_import import (
    BUILTIN_OUTPUT,
    SHIPPED_SHA256,
    ImportReport,
    import_oui,
    resolution_catalog,
    write_atomic,
)
from rootout.cli.main import app
from rootout.errors import InputError
from tests.conftest import FIXTURES, REPO

OUI = FIXTURES / "oui"
DATA_FILE = REPO / "data" / "oui" / "ieee-oui.txt"


def rows(name: str) -> list[tuple[str, str, str, int]]:
    registry = read_registry(OUI / name)
    assert registry.problems == ()
    return [(a.prefix, a.block.value, a.registrant, a.line) for a in registry.assignments]


# -- the four shapes -----------------------------------------------------------------


def test_ieee_csv_ma_l_keeps_quoted_commas_and_private_rows() -> None:
    assert rows("oui.csv") == [
        ("4447CC", "ma-l", "Hangzhou Hikvision Digital Technology Co.,Ltd.", 2),
        ("E00630", "ma-l", "HUAWEI TECHNOLOGIES CO.,LTD", 3),
        ("64F81C", "ma-l", "Huawei Technologies Co., Ltd.", 4),
        ("0CB983", "ma-l", "Honor Device Co., Ltd.", 5),
        ("0001D8", "ma-l", "Teltronics, Inc.", 6),
        ("F01B24", "ma-l", "zte corporation", 7),
        ("E4F14C", "ma-l", "Private", 8),
    ]


def test_ieee_csv_ma_m_and_ma_s() -> None:
    assert rows("mam.csv") == [
        ("402C761", "ma-m", "Shanghai Dahua Scale Factory", 2),
        ("2CC44F9", "ma-m", "Kaspersky Lab Middle-East FZ-LLC", 3),
        ("AC64DD5", "ma-m", "SHANGHAI ZTE TECHNOLOGIES CO.,LTD", 4),
    ]
    assert rows("oui36.csv") == [
        ("8C1F64F4B", "ma-s", "JOREX LOREX INDIA PRIVATE LIMITED", 2),
        ("70B3D50AE", "ma-s", "Norsat International Inc.", 3),
    ]


def test_ieee_txt_crlf_blocks_point_at_their_hex_line() -> None:
    assert b"\r\n" in (OUI / "oui.txt").read_bytes()
    assert rows("oui.txt") == [
        ("4447CC", "ma-l", "Hangzhou Hikvision Digital Technology Co.,Ltd.", 5),
        ("E00630", "ma-l", "HUAWEI TECHNOLOGIES CO.,LTD", 11),
        ("0CB983", "ma-l", "Honor Device Co., Ltd.", 15),
        ("0001D8", "ma-l", "Teltronics, Inc.", 19),
    ]


def test_ieee_txt_ranges_become_ma_m_and_ma_s_prefixes() -> None:
    assert rows("mam.txt") == [
        ("402C761", "ma-m", "Shanghai Dahua Scale Factory", 5),
        ("2CC44F9", "ma-m", "Kaspersky Lab Middle-East FZ-LLC", 9),
        ("AC64DD5", "ma-m", "SHANGHAI ZTE TECHNOLOGIES CO.,LTD", 13),
    ]
    assert rows("oui36.txt") == [
        ("8C1F64F4B", "ma-s", "JOREX LOREX INDIA PRIVATE LIMITED", 5),
        ("70B3D50AE", "ma-s", "Norsat International Inc.", 9),
    ]


def test_csv_and_txt_shapes_agree_on_the_same_assignments() -> None:
    def pairs(*names: str) -> set[tuple[str, str]]:
        return {(a.prefix, a.registrant) for n in names for a in read_registry(OUI / n).assignments}

    assert pairs("mam.txt", "oui36.txt") == pairs("mam.csv", "oui36.csv")
    assert pairs("oui.txt") <= pairs("oui.csv")


def test_arp_scan_reads_blocks_by_length_and_the_generated_date() -> None:
    registry = read_registry(OUI / "ieee-oui.txt")
    assert registry.format is RegistryFormat.ARP_SCAN
    assert str(registry.registry_date) == "2025-01-29"
    by_prefix = {a.prefix: a for a in registry.assignments}
    assert by_prefix["70B3D50AE"].block is Block.MA_S
    assert by_prefix["402C761"].block is Block.MA_M
    assert by_prefix["4447CC"].block is Block.MA_L
    assert by_prefix["2CC44F9"].registrant == "Kaspersky Lab Middle-East FZ-LLC"
    assert by_prefix["2CC44F9"].line == 43


def test_manuf_derives_blocks_from_bit_lengths() -> None:
    registry = read_registry(OUI / "manuf")
    assert registry.format is RegistryFormat.MANUF
    assert registry.problems == ()
    got = {(a.prefix, a.block.value, a.registrant) for a in registry.assignments}
    assert ("70B3D50AE", "ma-s", "Norsat International Inc.") in got  # /36 -> 9 hex
    assert ("2CC44F9", "ma-m", "Kaspersky Lab Middle-East FZ-LLC") in got  # /28 -> 7 hex
    assert ("4447CC", "ma-l", "Hangzhou Hikvision Digital Technology Co.,Ltd.") in got
    assert len(got) == 8


def test_old_manuf_takes_the_comment_name_and_skips_well_known_addresses() -> None:
    registry = read_registry(OUI / "manuf-old")
    got = {a.prefix: a.registrant for a in registry.assignments}
    assert got == {
        "0001D8": "Teltronics, Inc.",
        "4447CC": "Hangzhou Hikvision Digital Technology Co.,Ltd.",
        "E00630": "HUAWEI TECHNOLOGIES CO.,LTD",
        "E4F14C": "Private",
        "F01B24": "zte corporation",
        "70B3D50AE": "Norsat International Inc.",
    }
    assert [(p.location.line, p.severity) for p in registry.problems] == [
        (24, "warning"),
        (25, "warning"),
    ]
    assert registry.errors == ()


def test_the_shipped_registry_reads_completely() -> None:
    registry = read_registry(DATA_FILE)
    assert registry.sha256 == SHIPPED_SHA256
    assert registry.problems == ()
    data_lines = [
        line.split("\t", 1)[0]
        for line in DATA_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    expected = {b: sum(len(p) == n for p in data_lines) for n, b in BLOCK_BY_DIGITS.items()}
    got = {b: sum(a.block is b for a in registry.assignments) for b in Block}
    assert got == expected
    assert sum(got.values()) == len(data_lines)


# -- problems: reported with file:line, reading goes on ----------------------------------


def read_bytes(data: bytes, name: str = "input.txt") -> Registry:
    return read_stream(io.BytesIO(data), name)


def test_malformed_arp_scan_lines_are_reported_and_skipped() -> None:
    data = (
        b"# generated on 2024-05-01\n"
        b"4447CC\tHangzhou Hikvision Digital Technology Co.,Ltd.\n"
        b"XYZ123\tNot Hex Ltd\n"
        b"ABCDEF\n"
        b"1234\tToo Short\n"
        b"\xff\xfe\tBad Bytes\n"
        b"2CC44F9\tKaspersky Lab Middle-East FZ-LLC\n"
    )
    registry = read_bytes(data, "mine.txt")
    assert [a.prefix for a in registry.assignments] == ["4447CC", "2CC44F9"]
    assert [str(p.location) for p in registry.problems] == [
        "mine.txt:3",
        "mine.txt:4",
        "mine.txt:5",
        "mine.txt:6",
    ]
    assert [p.code for p in registry.problems] == [
        "malformed",
        "malformed",
        "not-an-assignment",
        "encoding",
    ]
    assert str(registry.registry_date) == "2024-05-01"


def test_malformed_csv_rows() -> None:
    data = (
        "\ufeffRegistry,Assignment,Organization Name,Organization Address\r\n"
        "MA-L,4447CC,Good Row,\r\n"
        "MA-Q,4447CD,Unknown Registry,\r\n"
        "MA-M,4447CC,Wrong Length,\r\n"
        "MA-S,8C1F64F4B,,\r\n"
        "MA-L\r\n"
        'IAB,0050C2F71,"RF Code",\r\n'
    ).encode()
    registry = read_bytes(data, "oui.csv")
    assert [(a.prefix, a.block.value) for a in registry.assignments] == [
        ("4447CC", "ma-l"),
        ("0050C2F71", "ma-s"),
    ]
    assert [p.location.line for p in registry.errors] == [3, 4, 5, 6]


def test_malformed_txt_blocks() -> None:
    lines = [
        "44-47-CC   (hex)\t\tHikvision",
        "4447CD     (base 16)\t\tHikvision",  # does not match its (hex) line
        "",
        "40-2C-76   (hex)\t\tOrphan",  # no (base 16) line before the next (hex)
        "40-2C-77   (hex)\t\tNot A Block",
        "123400-1234FF     (base 16)\t\tNot A Block",  # 4 fixed digits: neither MA-M nor MA-S
        "7-7   (hex)\t\tBroken",
        "2C-C4-4F   (hex)\t\tKaspersky Lab Middle-East FZ-LLC",
        "900000-9FFFFF     (base 16)\t\tKaspersky Lab Middle-East FZ-LLC",
    ]
    registry = read_bytes("\r\n".join(lines).encode(), "mam.txt")
    assert [a.prefix for a in registry.assignments] == ["2CC44F9"]
    assert [p.location.line for p in registry.problems] == [2, 4, 6, 7]


def test_an_overlong_line_is_skipped_and_counted_as_one_line() -> None:
    from rootout.catalog.oui import MAX_LINE

    data = b"4447CC\tA\n" + b"A" * (MAX_LINE * 2 + 5) + b"\n" + b"2CC44F9\tB\n"
    registry = read_bytes(data)
    assert [(a.prefix, a.line) for a in registry.assignments] == [("4447CC", 1), ("2CC44F9", 3)]
    assert [(p.location.line, p.code) for p in registry.problems] == [(2, "too-long")]


@pytest.mark.parametrize(
    "data",
    [b"", b"# only comments\n#\n", b"pack: mac-prefixes\nversion: 1\n", b"\x00\x01\x02\n"],
)
def test_a_file_that_is_no_registry_raises_input_error(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        read_bytes(data, "wrong.yaml")
    assert info.value.location.path == "wrong.yaml"


# -- hostile input: only the project's error ---------------------------------------------

FIXTURE_FILES = ["oui.csv", "mam.csv", "oui.txt", "oui36.txt", "ieee-oui.txt", "manuf", "manuf-old"]


def check_any(data: bytes) -> None:
    """Whatever the bytes, reading gives a registry or an InputError, never anything else."""
    try:
        registry = read_bytes(data, "fuzz")
    except InputError as exc:
        failed_at = exc.location.path
    else:
        failed_at = None
    if failed_at is not None:
        assert failed_at == "fuzz"
        return
    last = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    for record in registry.assignments:
        assert re.fullmatch(r"[0-9A-F]+", record.prefix)
        assert BLOCK_BY_DIGITS[len(record.prefix)] is record.block
        assert record.registrant
        assert record.registrant == record.registrant.strip()
        assert 1 <= record.line <= last
    for problem in registry.problems:
        assert 1 <= problem.location.line <= last


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=60), max_size=12), st.sampled_from(["\n", "\r\n"]))
def test_random_lines_never_raise_anything_but_input_error(lines: list[str], eol: str) -> None:
    check_any(eol.join(lines).encode("utf-8", "surrogatepass"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(FIXTURE_FILES),
    st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 80), st.binary(max_size=8)), max_size=6
    ),
)
def test_mutated_registry_lines_never_raise_anything_but_input_error(
    name: str, edits: list[tuple[int, int, bytes]]
) -> None:
    lines = (OUI / name).read_bytes().splitlines(keepends=True)
    for where, cut, insert in edits:
        index = where % len(lines)
        line = lines[index]
        lines[index] = line[: cut % (len(line) + 1)] + insert + line[cut % (len(line) + 1) + 1 :]
    check_any(b"".join(lines))


# -- longest prefix ---------------------------------------------------------------------


def test_an_ma_s_inside_an_ma_l_wins_the_lookup() -> None:
    table = PrefixTable(read_registry(OUI / "ieee-oui.txt").assignments)
    assert [a.registrant for a in table.lookup("70:b3:d5:0a:e1:23")] == [
        "Norsat International Inc."
    ]
    assert [a.registrant for a in table.lookup("70-B3-D5-FF-00-01")] == [
        "IEEE Registration Authority"
    ]
    assert [a.registrant for a in table.lookup("402C.7612.3456")] == [
        "Shanghai Dahua Scale Factory"
    ]
    assert table.lookup("00:00:00:00:00:01") == ()


def test_every_nested_block_of_the_real_registry_resolves_to_itself() -> None:
    assignments = read_registry(DATA_FILE).assignments
    table = PrefixTable(assignments)
    ma_l = {a.prefix for a in assignments if a.block is Block.MA_L}
    nested = [a for a in assignments if a.block is not Block.MA_L and a.prefix[:6] in ma_l]
    assert len(nested) > 1000
    for record in nested:
        mac = (record.prefix + "0" * 12)[:12]
        assert record in table.lookup(mac)


# -- resolution against a small fixture catalog ---------------------------------------


@pytest.fixture(scope="module")
def fixture_catalog() -> Catalog:
    return resolution_catalog([OUI / "catalog.yaml"], builtin=False)


def generate(
    tmp_path: Path, catalog: Catalog, registry: Path = OUI / "ieee-oui.txt", **options: str
) -> tuple[ImportReport, dict[str, Any]]:
    output = tmp_path / "mac-prefixes.yaml"
    report = import_oui(registry, output, catalog, **options)  # type: ignore[arg-type]
    return report, yaml.safe_load(output.read_text(encoding="utf-8"))


def patterns(pack: dict[str, Any]) -> dict[str, list[str]]:
    return {s["id"]: s["patterns"] for s in pack["signatures"]}


def test_fixture_registry_resolves_exact_spellings_into_a_clean_pack(
    tmp_path: Path, fixture_catalog: Catalog
) -> None:
    report, pack = generate(tmp_path, fixture_catalog)
    assert patterns(pack) == {
        "mac.dahua.zhejiang-dahua.ma-l": ["BC325F", "F8CE07"],
        "mac.hikvision.hangzhou-hikvision.ma-l": ["4447CC"],
        "mac.hikvision.hikrobot.ma-m": ["B0B3536"],
        "mac.huawei.huawei-device.ma-l": ["7066B9"],
        "mac.huawei.huawei-technologies.ma-l": ["64F81C", "E00630"],
        "mac.hytera.hytera-communications.ma-l": ["6469BC", "9C066E"],
        "mac.hytera.norsat.ma-s": ["70B3D50AE"],
        "mac.kaspersky.middle-east-fz-llc.ma-m": ["2CC44F9"],
        "mac.zte.shanghai-zte.ma-m": ["AC64DD5"],
        "mac.zte.zte-corporation.ma-l": ["F01B24"],
    }
    signature = pack["signatures"][0]
    assert signature["kind"] == "mac_prefix"
    assert signature["match"] == "prefix"
    assert signature["confidence"] == "medium"
    assert signature["evidence"] == "hardware"
    assert signature["registry_date"] == "2025-01-29"
    assert '"ZHEJIANG DAHUA TECHNOLOGYCO.,LTD" (1)' in signature["notes"]
    assert pack["version"] == "2025-01-29"
    assert pack["generated_from"].startswith("ieee-oui.txt (2025-01-29, sha256 ")
    _, problems = lint_paths([OUI / "catalog.yaml", report.output], with_builtin=False)
    assert problems == []


def test_trap_registrants_are_skipped(tmp_path: Path, fixture_catalog: Catalog) -> None:
    report, pack = generate(tmp_path, fixture_catalog)
    everything = {p for values in patterns(pack).values() for p in values}
    traps = {"402C761", "0CB983", "8C1F64F4B", "0001D8", "540237"}
    assert everything.isdisjoint(traps)
    assert {s.registrant for s in report.resolution.skipped if "hard negative" in s.reason} == {
        "Shanghai Dahua Scale Factory",
        "Honor Device Co., Ltd.",
        "JOREX LOREX INDIA PRIVATE LIMITED",
        "Teltronics, Inc.",
        "Teltronic AG",
    }


def test_an_entity_outside_every_covered_group_gets_no_prefixes(
    tmp_path: Path, fixture_catalog: Catalog
) -> None:
    report, pack = generate(tmp_path, fixture_catalog)
    assert "40D8550D7" not in {p for values in patterns(pack).values() for p in values}
    [skip] = [s for s in report.resolution.skipped if s.registrant == "Avant Technologies"]
    assert skip.reason == "thirdparty.avant-technologies is outside every covered group"


def test_a_former_affiliate_is_in_the_group(tmp_path: Path, fixture_catalog: Catalog) -> None:
    catalog = resolution_catalog([OUI / "catalog.yaml"], builtin=False)
    del catalog.hard_negatives["neg.test.honor-device"]
    _, pack = generate(tmp_path, catalog)
    assert patterns(pack)["mac.honor.honor-device.ma-l"] == ["0CB983"]


def real_lines(*registrants: str) -> str:
    """The lines of the shipped registry whose registrant is one of ``registrants``."""
    return "".join(
        line + "\n"
        for line in DATA_FILE.read_text(encoding="utf-8").splitlines()
        if line.partition("\t")[2] in registrants
    )


def test_a_trap_does_not_swallow_a_sibling_with_another_legal_form(
    tmp_path: Path, fixture_catalog: Catalog
) -> None:
    registry = tmp_path / "teltronic.txt"
    registry.write_text(
        "# generated on 2025-01-29\n"
        + real_lines("Teltronic S.A.U.", "Teltronic AG", "Teltronics, Inc.")
    )
    _, pack = generate(tmp_path, fixture_catalog, registry)
    sau = [line.split("\t")[0] for line in real_lines("Teltronic S.A.U.").splitlines()]
    assert patterns(pack) == {"mac.hytera.teltronic.ma-l": sau}


def test_names_never_match_as_substrings(tmp_path: Path) -> None:
    pack_file = tmp_path / "fragments.yaml"
    text = (OUI / "catalog.yaml").read_text(encoding="utf-8")
    text = text.split("entities:")[0] + (
        "entities:\n"
        "  - id: test.dahua\n    name: Dahua\n    aliases: [Dahua Technology, Zhejiang Dahua]\n"
        "    sources: [src.test.arp-scan-oui]\n"
        "  - id: test.lorex\n    name: Lorex\n    aliases: [LOREX INDIA]\n"
        "    sources: [src.test.arp-scan-oui]\n"
        "  - id: test.zte\n    name: ZTE Technologies\n    sources: [src.test.arp-scan-oui]\n"
    )
    pack_file.write_text(text, encoding="utf-8")
    catalog = resolution_catalog([pack_file], builtin=False)
    report, pack = generate(tmp_path, catalog)
    assert pack["signatures"] == []
    assert report.resolution.skipped == ()


def test_regenerating_is_a_no_op(tmp_path: Path, fixture_catalog: Catalog) -> None:
    first, _ = generate(tmp_path, fixture_catalog)
    before = first.output.read_bytes(), first.output.stat().st_mtime_ns
    second, _ = generate(tmp_path, fixture_catalog)
    assert first.changed
    assert not second.changed
    assert (second.output.read_bytes(), second.output.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mac-prefixes.yaml"]


def test_a_file_without_a_date_needs_one(tmp_path: Path, fixture_catalog: Catalog) -> None:
    with pytest.raises(InputError, match="--registry-date"):
        generate(tmp_path, fixture_catalog, OUI / "oui.csv")
    assert not (tmp_path / "mac-prefixes.yaml").exists()
    _, pack = generate(tmp_path, fixture_catalog, OUI / "mam.csv", registry_date="2025-02-03")
    assert pack["version"] == "2025-02-03"
    assert {s["registry_date"] for s in pack["signatures"]} == {"2025-02-03"}
    assert pack["sources"][0]["id"] == "src.ieee-oui-registry"
    assert pack["sources"][0]["url"] == "https://standards-oui.ieee.org/oui/oui.csv"
    assert set(patterns(pack)) == {
        "mac.kaspersky.middle-east-fz-llc.ma-m",
        "mac.zte.shanghai-zte.ma-m",
    }


def test_another_pack_name_namespaces_every_id(tmp_path: Path, fixture_catalog: Catalog) -> None:
    _, pack = generate(tmp_path, fixture_catalog, pack_name="org-mac-2026")
    assert pack["pack"] == "org-mac-2026"
    assert all(s["id"].startswith("mac.org-mac-2026.") for s in pack["signatures"])
    assert pack["sources"][0]["id"] == "src.org-mac-2026.registry"


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "pack.yaml"
    target.write_text("old\n")

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.yaml"]


def test_atomic_writes_keep_ordinary_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.yaml"
        write_atomic(fresh, "a\n")
        assert fresh.stat().st_mode & 0o777 == 0o644
        fresh.chmod(0o640)
        write_atomic(fresh, "b\n")
        assert fresh.stat().st_mode & 0o777 == 0o640
        assert fresh.read_text() == "b\n"
    finally:
        os.umask(umask)


# -- the shipped pack --------------------------------------------------------------------

# The exact IEEE registrant spellings (column 2 of data/oui/ieee-oui.txt) of each entity
# that the built-in packs alias. The pack must hold exactly these registrants' prefixes.
# COVERED is the list data/SOURCES.md gives; OTHER are further registrants the packs alias.
COVERED: dict[str, tuple[str, ...]] = {
    "hikvision.hangzhou-hikvision": ("Hangzhou Hikvision Digital Technology Co.,Ltd.",),
    "hikvision.prama-hikvision-india": ("Prama Hikvision India Private Limited",),
    "hikvision.ezviz": ("Hangzhou Ezviz Software Co.,Ltd.",),
    "hikvision.hikrobot": ("Hangzhou Hikrobot Technology Co., Ltd.",),
    "dahua.zhejiang-dahua": (
        "Zhejiang Dahua Technology Co., Ltd.",
        "ZHEJIANG DAHUA TECHNOLOGYCO.,LTD",
    ),
    "hytera.hytera-communications": (
        "Hytera Communications Co .,ltd",
        "Hytera Communications Corporation Limited",
    ),
    "huawei.huawei-technologies": ("HUAWEI TECHNOLOGIES CO.,LTD", "Huawei Technologies Co., Ltd."),
    "huawei.huawei-device": ("Huawei Device Co., Ltd.",),
    "zte.zte-corporation": ("zte corporation",),
    "zte.shanghai-zte": ("SHANGHAI ZTE TECHNOLOGIES CO.,LTD",),
    "kaspersky.middle-east-fz-llc": ("Kaspersky Lab Middle-East FZ-LLC",),
}
OTHER: dict[str, tuple[str, ...]] = {
    "dahua.amcrest": ("Amcrest Technologies",),
    "dahua.lorex": ("Lorex Technology Inc.",),
    "fcc.autel-robotics": ("Autel Robotics USA LLC",),
    "fcc.dji": ("SZ DJI TECHNOLOGY CO.,LTD",),
    "honor.honor-device": ("Honor Device Co., Ltd.",),
    "huawei.hisilicon": ("Hisilicon Technologies Co., Ltd",),
    "huawei.huawei-symantec": ("Huawei Symantec Technologies Co.,Ltd.",),
    "hytera.norsat": ("Norsat International Inc.",),
    "hytera.sepura": ("Sepura Limited",),
    "hytera.teltronic": ("Teltronic S.A.U.",),
    "zte.nubia": ("Nubia Technology Co.,Ltd.",),
}
REGISTRANTS = {**COVERED, **OTHER}
TRAPS = (
    "Shanghai Dahua Scale Factory",
    "JOREX LOREX INDIA PRIVATE LIMITED",
    "Teltronics, Inc.",
    "Teltronic AG",
)
BLOCK_NAMES = {6: "ma-l", 7: "ma-m", 9: "ma-s"}


def count_registry(registrants: dict[str, tuple[str, ...]]) -> dict[str, set[str]]:
    """Prefixes per signature id, by plain string comparison of the registrant column."""
    found: dict[str, set[str]] = defaultdict(set)
    for line in DATA_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        prefix, _, vendor = line.partition("\t")
        for entity_id, names in registrants.items():
            if vendor in names:
                found[f"mac.{entity_id}.{BLOCK_NAMES[len(prefix)]}"].add(prefix)
    return dict(found)


@pytest.fixture(scope="module")
def shipped() -> dict[str, Any]:
    return yaml.load(BUILTIN_OUTPUT.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def test_shipped_pack_counts_equal_an_independent_count_of_the_registry(
    shipped: dict[str, Any],
) -> None:
    in_pack = {sid: set(values) for sid, values in patterns(shipped).items()}
    counted = count_registry(REGISTRANTS)
    assert {k: len(v) for k, v in in_pack.items()} == {k: len(v) for k, v in counted.items()}
    assert in_pack == counted


def test_the_independent_count_agrees_with_data_sources_md() -> None:
    counted = {k: len(v) for k, v in count_registry(COVERED).items()}
    assert counted == {
        "mac.hikvision.hangzhou-hikvision.ma-l": 73,
        "mac.hikvision.prama-hikvision-india.ma-l": 2,
        "mac.hikvision.ezviz.ma-l": 10,
        "mac.hikvision.hikrobot.ma-l": 1,
        "mac.hikvision.hikrobot.ma-m": 1,
        "mac.dahua.zhejiang-dahua.ma-l": 30,
        "mac.hytera.hytera-communications.ma-l": 2,
        "mac.huawei.huawei-technologies.ma-l": 1217,
        "mac.huawei.huawei-device.ma-l": 550,
        "mac.zte.zte-corporation.ma-l": 445,
        "mac.zte.shanghai-zte.ma-m": 1,
        "mac.kaspersky.middle-east-fz-llc.ma-m": 1,
    }


def test_shipped_pack_holds_no_trap_prefix(shipped: dict[str, Any]) -> None:
    trap_prefixes = {p for v in count_registry({"trap": TRAPS}).values() for p in v}
    assert len(trap_prefixes) == len(TRAPS)
    for signature_id, values in patterns(shipped).items():
        assert trap_prefixes.isdisjoint(values), signature_id


def test_honor_prefixes_are_not_huawei_prefixes(shipped: dict[str, Any]) -> None:
    honor = {p for v in count_registry({"honor": ("Honor Device Co., Ltd.",)}).values() for p in v}
    assert len(honor) == 44
    huawei = {p for sid, v in patterns(shipped).items() if sid.startswith("mac.huawei.") for p in v}
    assert len(huawei) == 1217 + 550 + 2
    assert honor.isdisjoint(huawei)


def test_shipped_pack_header_and_source(shipped: dict[str, Any]) -> None:
    assert shipped["pack"] == "mac-prefixes"
    assert shipped["version"] == "2025-01-29"
    assert shipped["generated_from"] == f"ieee-oui.txt (2025-01-29, sha256 {SHIPPED_SHA256})"
    [source] = shipped["sources"]
    assert source["id"] == "src.ieee-oui-arp-scan"
    assert source["url"] == (
        "https://github.com/royhills/arp-scan/blob/a0466d5fc7fa8a1e5625b7aae568ffb384e3f5a5/ieee-oui.txt"
    )
    assert source["date"] == "2025-01-29"
    assert source["reliability"] == "official"


def test_shipped_pack_is_what_the_importer_writes_today(tmp_path: Path) -> None:
    report = import_oui(DATA_FILE, tmp_path / "mac-prefixes.yaml", resolution_catalog())
    assert report.output.read_bytes() == BUILTIN_OUTPUT.read_bytes(), (
        "regenerate: rootout catalog import-oui data/oui/ieee-oui.txt"
    )


def test_shipped_pack_lints_clean() -> None:
    _, problems = lint_paths([])
    assert [p for p in problems if p.location.path.endswith("mac-prefixes.yaml")] == []


# -- the command ---------------------------------------------------------------------------


def test_import_oui_command_prints_a_summary_with_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "rootout.toml"
    config.write_text("")
    monkeypatch.setenv("ROOTOUT_CONFIG", str(config))
    monkeypatch.delenv("ROOTOUT_CATALOG", raising=False)
    registry = tmp_path / "ieee-oui.txt"
    original = (OUI / "ieee-oui.txt").read_bytes()
    registry.write_bytes(original + b"NOTHEX\tBroken Line\n")
    broken_line = len(original.splitlines()) + 1
    output = tmp_path / "out.yaml"
    args = ["catalog", "import-oui", str(registry), "-o", str(output)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "read 25 assignment(s)" in result.output
    assert "registry date 2025-01-29" in result.output
    assert f"{registry}:{broken_line}: error [malformed]" in result.output
    assert "skipped 'Shanghai Dahua Scale Factory' (1): hard negative" in result.output
    assert f"wrote {output}" in result.output
    assert yaml.safe_load(output.read_text())["pack"] == "mac-prefixes"
    again = CliRunner().invoke(app, [*args, "--registry-date", "2025-13-40"])
    assert again.exit_code == 2
    assert "YYYY-MM-DD" in again.output
