"""A deterministic store for report tests: real fixture inputs, two scans, cases.

The inputs are copied into a temporary folder and scanned from there with
relative paths, so stored paths do not depend on where the repository lives.
Scan timestamps are set to fixed values after scanning (they are the only
wall-clock values the store keeps that reports show); scan ids and the catalog
version depend on the catalog's content and are masked in golden files instead.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import update

from rootout.catalog.catalog import Catalog
from rootout.report.data import ReportData, Scope, gather
from rootout.scanning import scan
from rootout.store import schema as t
from rootout.store.db import connect
from tests.conftest import FIXTURES

ESTATE = FIXTURES / "inputs" / "estate-mini"
BASELINE = (
    "uninstall-ws0422.csv",
    "ws-0417_programs.json",
    "nmap-hq.xml",
    "mail-gateway.cdx.json",
    "certutil-ws0417.txt",
    "README.txt",
    "zeek-dns-broken.log",
)
RESCAN_AS_IS = ("door-entry-panel.hbom.cdx.xml", "resolver-queries.csv")
HOSTILE_NAME = "<script>alert(1)</script>"
SCAN_DAYS = (dt.date(2024, 9, 16), dt.date(2024, 9, 17))
REPORT_DAY = dt.date(2024, 9, 18)
IDENTIFIED_AT = dt.datetime(2024, 9, 16, 14, 0, tzinfo=dt.UTC)
SCAN_TIMES = (
    (dt.datetime(2024, 9, 16, 9, 0, tzinfo=dt.UTC), dt.datetime(2024, 9, 16, 9, 2, tzinfo=dt.UTC)),
    (dt.datetime(2024, 9, 17, 9, 0, tzinfo=dt.UTC), dt.datetime(2024, 9, 17, 9, 1, tzinfo=dt.UTC)),
)


@dataclass(frozen=True)
class Store:
    db: str
    catalog: Catalog
    scan_ids: tuple[str, ...]

    def data(self, scope: Scope | None = None) -> ReportData:
        return gather(connect(self.db), self.catalog, scope=scope, today=REPORT_DAY)


def _rescanned_inventory(source: Path, target: Path) -> None:
    """The same host's uninstall export after removal: Network Agent gone, a hostile name added."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if "Kaspersky Security Center Network Agent" not in line]
    assert len(kept) == len(lines) - 1
    hostile = kept[2].split('","')
    hostile[0], hostile[2] = f'"{HOSTILE_NAME}', "AO Kaspersky Lab"
    if not kept[-1].endswith("\n"):
        kept[-1] += "\r\n"
    kept.append('","'.join(hostile))
    target.write_text("".join(kept), encoding="utf-8")


def _fix_scan_times(db: str, scan_ids: tuple[str, ...]) -> None:
    engine = connect(db)
    with engine.begin() as conn:
        for scan_id, (started, finished) in zip(scan_ids, SCAN_TIMES, strict=True):
            conn.execute(
                update(t.scans)
                .where(t.scans.c.id == scan_id)
                .values(started_at=started, finished_at=finished)
            )
    engine.dispose()


def _open_cases(db: str, catalog: Catalog) -> None:
    from rootout.cases import CaseStatus, change_status, edit_case, open_cases

    engine = connect(db)
    result = open_cases(engine, catalog, today=REPORT_DAY)
    for case_id in result.created:
        edit_case(
            engine,
            case_id,
            identified_at=IDENTIFIED_AT,
            identified_how="inventory review of the baseline scan",
        )
    first = result.created[0]
    change_status(engine, first, CaseStatus.PLANNED, why="removal planned", owner="it-security")
    engine.dispose()


def build(root: Path, *, cases: bool = True) -> Store:
    (root / "estate").mkdir(parents=True)
    (root / "rescan").mkdir()
    for name in BASELINE:
        shutil.copyfile(ESTATE / name, root / "estate" / name)
    for name in RESCAN_AS_IS:
        shutil.copyfile(ESTATE / name, root / "rescan" / name)
    _rescanned_inventory(ESTATE / "uninstall-ws0422.csv", root / "rescan" / "uninstall-ws0422.csv")
    db = str(root / "rootout.db")
    with contextlib.chdir(root):
        first = scan(
            [Path("estate") / n for n in BASELINE], db=db, label="baseline", today=SCAN_DAYS[0]
        )
        second = scan(
            [Path("rescan") / n for n in (*RESCAN_AS_IS, "uninstall-ws0422.csv")],
            db=db,
            label="rescan",
            today=SCAN_DAYS[1],
        )
    ids = (first.scan_id, second.scan_id)
    _fix_scan_times(db, ids)
    if cases:
        _open_cases(db, second.catalog)
    return Store(db, second.catalog, ids)


def mask(text: str, store: Store | None, data: ReportData) -> str:
    """Replace values that depend on the catalog's content (not on the report) with labels.

    Labels use braces (``S{scan-1}``, ``{catalog-version}``): inert in HTML, Markdown and JSON.
    """
    for number, scan_id in enumerate(store.scan_ids if store else (), 1):
        text = text.replace(scan_id, f"S{{scan-{number}}}")
    info = data.catalog_info
    text = text.replace(info.version, "{catalog-version}")
    if info.date:
        text = text.replace(info.date, "{catalog-date}")
    for version in sorted({p.version for p in info.packs}, key=len, reverse=True):
        text = text.replace(f'"{version}"', '"{pack-version}"').replace(
            f" {version}", " {pack-version}"
        )
    return re.sub(r"\b[0-9a-f]{64}\b(?=`|\"|\s|$)", _keep_input_hashes(data), text)


def _keep_input_hashes(data: ReportData) -> Callable[[re.Match[str]], str]:
    inputs = {i.sha256 for s in data.scans for i in s.inputs if i.sha256}

    def replace(match: re.Match[str]) -> str:
        value = match.group(0)
        return value if value in inputs else "{sha256}"

    return replace
