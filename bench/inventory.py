"""Generate a large, realistic software inventory CSV for benchmarks.

Rows are ``host,name,publisher,version`` like an SCCM or osquery export
flattened to CSV. Every host carries a common base image plus a random
selection from a long tail of applications, with versions that differ between
hosts (so distinct values grow with the fleet, as they do in real fleets).
About one host in forty carries a covered product, and some carry traps such as
"Kaspa Wallet". Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

BASE = [
    ("Microsoft Edge", "Microsoft Corporation"),
    ("Google Chrome", "Google LLC"),
    ("Mozilla Firefox (x64 en-US)", "Mozilla"),
    ("Microsoft Visual C++ 2015-2022 Redistributable (x64)", "Microsoft Corporation"),
    ("Microsoft Visual C++ 2013 Redistributable (x86)", "Microsoft Corporation"),
    ("7-Zip", "Igor Pavlov"),
    ("Notepad++ (64-bit x64)", "Notepad++ Team"),
    ("Adobe Acrobat Reader", "Adobe Inc."),
    ("Microsoft 365 Apps for enterprise - en-us", "Microsoft Corporation"),
    ("Zoom Workplace", "Zoom Video Communications, Inc."),
    ("Microsoft Teams", "Microsoft Corporation"),
    ("Git", "The Git Development Community"),
    ("Python 3.11.7 (64-bit)", "Python Software Foundation"),
    ("VLC media player", "VideoLAN"),
    ("Cisco Secure Client - AnyConnect VPN", "Cisco Systems, Inc."),
    ("CrowdStrike Sensor Platform", "CrowdStrike, Inc."),
    ("Dell Command | Update", "Dell Inc."),
    ("Intel(R) Graphics Driver", "Intel Corporation"),
    ("Realtek High Definition Audio Driver", "Realtek Semiconductor Corp."),
    ("Java 8 Update 401", "Oracle Corporation"),
]
TAIL_VENDORS = [
    "Acme Software",
    "Contoso Ltd",
    "Fabrikam Inc.",
    "Northwind Traders",
    "Tailspin Toys",
    "Wide World Importers",
    "Adventure Works",
    "Litware, Inc.",
    "Proseware, Inc.",
    "Lucerne Publishing",
    "Technology Systems Corp",
    "Digital Security Solutions",
    "Global Technology Co., Ltd.",
]
TAIL_WORDS = [
    "Analyzer",
    "Backup",
    "Client",
    "Connector",
    "Designer",
    "Agent",
    "Manager",
    "Studio",
    "Viewer",
    "Toolkit",
    "Monitor",
    "Sync",
    "Editor",
    "Gateway",
    "Assistant",
    "Security",
    "Endpoint",
    "Cloud",
]
COVERED = [
    ("Kaspersky Endpoint Security for Windows", "AO Kaspersky Lab"),
    ("Kaspersky Security Center Network Agent", "AO Kaspersky Lab"),
    ("Kaspersky Total Security", "Kaspersky Lab"),
    ("HiSuite", "Huawei Technologies Co., Ltd."),
    ("SmartPSS Lite", "Zhejiang Dahua Technology Co., Ltd."),
]
TRAPS = [
    ("Kaspa Wallet", "Kaspa Developers"),
    ("UltraAV", "Pango Group"),
    ("Aztech Modem Utility", "Aztech"),
]


def _tail(rng: random.Random, count: int) -> list[tuple[str, str]]:
    names = []
    for _ in range(count):
        vendor = rng.choice(TAIL_VENDORS)
        product = " ".join(rng.sample(TAIL_WORDS, 2))
        names.append((f"{vendor.split()[0]} {product}", vendor))
    return names


def generate(path: Path, rows: int, *, per_host: int = 300, seed: int = 1634) -> int:
    rng = random.Random(seed)
    tail = _tail(rng, 5000)
    written = 0
    host = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["host", "name", "publisher", "version"])
        while written < rows:
            host += 1
            name = f"WS-{host:06d}"
            software = list(BASE) + rng.sample(tail, per_host - len(BASE) - 2)
            if host % 40 == 0:
                software.append(rng.choice(COVERED))
            if host % 55 == 0:
                software.append(rng.choice(TRAPS))
            for product, vendor in software:
                version = f"{rng.randint(1, 24)}.{rng.randint(0, 9)}.{rng.randint(0, 999)}"
                writer.writerow([name, product, vendor, version])
                written += 1
                if written >= rows:
                    break
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    print(generate(args.output, args.rows))


if __name__ == "__main__":
    main()
