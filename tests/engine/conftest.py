"""Inputs for the engine tests: a small generated inventory (programs with covered rows and
traps), MAC addresses and DNS names, each as CSV, Parquet and JSON lines; and a shared
Spark session (started once per test run: Spark takes seconds to start)."""

from __future__ import annotations

import csv
import json
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from rootout.catalog.cache import load_compiled
from rootout.catalog.model import MatchMode, SignatureKind

BASE = [
    ("Microsoft Edge", "Microsoft Corporation"),
    ("Google Chrome", "Google LLC"),
    ("7-Zip 23.01 (x64)", "Igor Pavlov"),
    ("Zoom Workplace", "Zoom Video Communications, Inc."),
    ("Notepad++ (64-bit x64)", "Notepad++ Team"),
]
COVERED = [
    ("Kaspersky Endpoint Security for Windows", "AO Kaspersky Lab"),
    ("Kaspersky Security Center 14 Network Agent", "AO Kaspersky Lab"),
    ("Kaspersky Total Security", "Kaspersky Lab"),
    ("HiSuite", "Huawei Technologies Co., Ltd."),
    ("SmartPSS Lite", "Zhejiang Dahua Technology Co., Ltd."),
    ("  Kaspersky Free  ", " AO Kaspersky Lab"),  # stray blanks: readers strip them
]
TRAPS = [
    ("Kaspa Wallet", "Kaspa Developers"),
    ("UltraAV", "Pango Group"),
    ("Aztech Modem Utility", "Aztech"),
    ("Zoom Workplace", ""),
]


@dataclass(frozen=True)
class Case:
    """One input file and how to read it."""

    path: Path
    format: str
    column_map: dict[str, str] | None


def _programs(hosts: int, rng: random.Random) -> list[dict[str, str]]:
    rows = []
    for number in range(1, hosts + 1):
        host = f"WS-{number:04d}" if number % 7 else f"ws-{number:04d} "  # case and blanks vary
        software = list(BASE)
        if number % 4 == 0:
            software.append(COVERED[number // 4 % len(COVERED)])
        if number % 5 == 0:
            software.append(TRAPS[number // 5 % len(TRAPS)])
        for name, publisher in software:
            version = f"{rng.randint(1, 24)}.{rng.randint(0, 9)}"
            rows.append(
                {
                    "Computer": host,
                    "DisplayName": name,
                    "Publisher": publisher,
                    "Version": version,
                    "Owner": f"unit-{number % 3}",
                }
            )
    rows.append(
        {
            "Computer": "",
            "DisplayName": "Kaspersky Total Security",
            "Publisher": "Kaspersky Lab",
            "Version": "",
            "Owner": "",
        }
    )  # no host: the file's
    rows.append(
        {"Computer": "WS-0001", "DisplayName": " ", "Publisher": "", "Version": "1.0", "Owner": "x"}
    )  # blank: not an observation
    return rows


def _prefixes() -> dict[int, str]:
    """One real catalog MAC prefix of each IEEE block size (MA-L 6, MA-M 7, MA-S 9 hex digits)."""
    catalog, _ = load_compiled()
    found: dict[int, str] = {}
    for signature in sorted(catalog.signatures.values(), key=lambda s: s.id):
        if signature.kind is SignatureKind.MAC_PREFIX and signature.match is MatchMode.PREFIX:
            for pattern in signature.patterns:
                found.setdefault(len(pattern), pattern)
    return found


def _mac(prefix: str, tail: str = "1A2B3C4D5E6F") -> str:
    digits = (prefix + tail)[:12]
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2)).lower()


def _devices() -> list[dict[str, str]]:
    prefixes = _prefixes()
    rows = [
        {"ip": f"10.0.0.{i}", "mac": _mac(prefix), "seen": "2025-03-01T10:00:00Z"}
        for i, prefix in enumerate(prefixes[n] for n in sorted(prefixes))
    ]
    local = prefixes[6]
    first = int(local[:2], 16) | 0x02  # locally administered: never attributed
    rows.append({"ip": "10.0.0.50", "mac": _mac(f"{first:02X}{local[2:]}"), "seen": ""})
    rows.append({"ip": "10.0.0.51", "mac": "00-1B-21-AA-BB-CC", "seen": ""})
    return rows


def _dns() -> list[dict[str, str]]:
    catalog, _ = load_compiled()
    suffixes = sorted(
        p
        for s in catalog.signatures.values()
        if s.kind is SignatureKind.DNS_DOMAIN and s.match is MatchMode.SUFFIX
        for p in s.patterns
    )[:3]
    rows = []
    for i, suffix in enumerate(suffixes):
        rows.append({"client": f"cam-{i}", "query": f"p2p.{suffix}.", "when": "1735732800"})
        rows.append({"client": f"cam-{i}", "query": suffix.upper(), "when": "1735732800"})
        rows.append({"client": "pc-1", "query": f"not{suffix}", "when": ""})  # label boundary
        rows.append({"client": "pc-1", "query": f"{suffix}.example.org", "when": ""})
    return rows


def _write(folder: Path, stem: str, rows: list[dict[str, str]]) -> dict[str, Path]:
    csv_path = folder / f"{stem}.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows[:5])
        handle.write("\r\n")  # an empty line: readers count it, DuckDB and Spark skip it
        writer.writerows(rows[5:])
    jsonl_path = folder / f"{stem}.jsonl"
    lines = [json.dumps(r) + "\n" for r in rows]
    lines.insert(len(lines) // 2, "\n")  # a blank line: skipped, and still counted
    jsonl_path.write_text("".join(lines), encoding="utf-8")
    parquet_path = folder / f"{stem}.parquet"
    with duckdb.connect() as con:
        con.execute(
            "COPY (SELECT * FROM read_csv(?, all_varchar = true, header = true)) TO ? "
            "(FORMAT parquet, ROW_GROUP_SIZE 64)",
            [str(csv_path), str(parquet_path)],
        )
    return {"csv": csv_path, "jsonl": jsonl_path, "parquet": parquet_path}


PROGRAM_MAP = {
    "host": "Computer",
    "name": "DisplayName",
    "publisher": "Publisher",
    "version": "Version",
}
DEVICE_MAP = {"host": "ip", "mac": "mac", "time": "seen"}
DNS_MAP = {"host": "client", "domain": "query", "time": "when"}


@pytest.fixture(scope="session")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    folder = tmp_path_factory.mktemp("engine-inputs")
    found: dict[str, Case] = {}
    inputs = (
        ("inventory", _programs(60, random.Random(1634)), PROGRAM_MAP),
        ("devices", _devices(), DEVICE_MAP),
        ("dns", _dns(), DNS_MAP),
    )
    for stem, rows, mapping in inputs:
        for fmt, path in _write(folder, stem, rows).items():
            found[f"{stem}-{fmt}"] = Case(path, fmt, mapping)
    canonical = folder / "canonical.csv"
    canonical.write_text(
        "host,name,publisher,notes\nWS-9,Kaspersky Endpoint Security for Windows,AO Kaspersky Lab,\n"
        "WS-9,Kaspa Wallet,Kaspa Developers,trap\n",
        encoding="utf-8",
    )
    found["canonical-csv"] = Case(canonical, "csv", None)
    return found


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    """One local Spark session (``local[2]``) for every Spark test."""
    try:
        import pyspark  # noqa: F401
    except ImportError:  # pragma: no cover - the dev extra installs it
        if os.environ.get("CI") == "true":
            pytest.fail("PySpark is missing: CI installs the dev extra, which has it")
        pytest.skip("PySpark is not installed (pip install 'rootout[spark]')")
    from rootout.engine.spark import spark_session as start

    session = start()
    yield session
    session.stop()
