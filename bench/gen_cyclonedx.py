"""Generate a large CycloneDX 1.5 JSON SBOM with nested components, for benchmarks.

The document looks like what syft or cdxgen write for a big product suite:
``metadata`` (timestamp, tools, the subject component, supplier) first, then
``components``: one application or container per product module, each with its
libraries nested inside (``components`` of ``components``, up to three levels),
then ``dependencies`` (each module depends on its direct children). Components
carry bom-ref, supplier, group, name, version, purl (maven, npm, pypi, deb,
golang), licenses, SHA-256 and SHA-1 hashes, external references and
properties; some a CPE.

About one module in 500 embeds a covered component (Kaspersky Anti-Virus SDK, or
Huawei's HMS Push Kit ``com.huawei.hms:push``); the rest are long-tail open-source names.
Written as a stream (nothing but the bom-refs is held in memory), deterministic
for a given seed.

Usage: ``python bench/gen_cyclonedx.py OUT [--size 250MB] [--seed 1634]``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import uuid
from pathlib import Path
from typing import Any, TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_osquery_log import parse_size

ECOSYSTEMS = ("maven", "npm", "pypi", "deb", "golang")
LICENSES = ("Apache-2.0", "MIT", "BSD-3-Clause", "BSD-2-Clause", "ISC", "MPL-2.0", "EPL-2.0")
WORDS = [
    "core", "util", "common", "http", "client", "server", "json", "xml", "log", "crypto", "auth",
    "cache", "config", "stream", "async", "codec", "parser", "proto", "grpc", "metrics", "trace",
    "sql", "pool", "io", "net", "text", "time", "test", "mock", "cli", "yaml", "zip", "image",
]  # fmt: skip
SUPPLIERS = [
    "Apache Software Foundation", "Eclipse Foundation", "Python Software Foundation",
    "OpenJS Foundation", "The Go Authors", "Debian", "Example Networks Inc.", "FasterXML",
]  # fmt: skip
MODULE_TYPES = ("application", "container", "framework")
COVERED = [
    {
        "type": "library",
        "supplier": {"name": "AO Kaspersky Lab", "url": ["https://www.kaspersky.com/"]},
        "publisher": "AO Kaspersky Lab",
        "group": "com.kaspersky",
        "name": "Kaspersky Anti-Virus SDK",
        "version": "8.0",
        "purl": "pkg:generic/kaspersky/kav-sdk@8.0",
    },
    {
        "type": "library",
        "supplier": {"name": "Huawei Technologies Co., Ltd."},
        "group": "com.huawei.hms",
        "name": "push",
        "version": "4.0.1.300",
        "purl": "pkg:maven/com.huawei.hms/push@4.0.1.300?type=aar",
    },
]


class Generator:
    """Components with unique bom-refs, drawn from a seeded random stream."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.serial = 0

    def _name(self) -> str:
        rng = self.rng
        return "-".join(rng.sample(WORDS, rng.randint(1, 3))) + str(rng.randint(0, 99))

    def _purl(self, ecosystem: str, group: str, name: str, version: str) -> str:
        if ecosystem == "maven":
            return f"pkg:maven/{group}/{name}@{version}?type=jar"
        if ecosystem == "npm":
            return f"pkg:npm/%40{group.rsplit('.', 1)[-1]}/{name}@{version}"
        if ecosystem == "golang":
            return f"pkg:golang/github.com/{group.rsplit('.', 1)[-1]}/{name}@v{version}"
        if ecosystem == "deb":
            return f"pkg:deb/debian/{name}@{version}?arch=amd64&distro=debian-12"
        return f"pkg:pypi/{name}@{version}"

    def component(self, kind: str, depth: int) -> dict[str, Any]:
        rng = self.rng
        self.serial += 1
        ecosystem = rng.choice(ECOSYSTEMS)
        name, version = (
            self._name(),
            f"{rng.randint(0, 12)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}",
        )
        supplier = rng.choice(SUPPLIERS)
        group = f"org.{supplier.split()[0].lower()}.{rng.choice(WORDS)}"
        purl = self._purl(ecosystem, group, name, version)
        comp: dict[str, Any] = {
            "bom-ref": f"{purl}#{self.serial}",
            "type": kind,
            "supplier": {"name": supplier},
            "group": group,
            "name": name,
            "version": version,
            "description": f"{name.replace('-', ' ')} {rng.choice(WORDS)} library",
            "scope": "required",
            "hashes": [
                {"alg": "SHA-256", "content": f"{rng.getrandbits(256):064x}"},
                {"alg": "SHA-1", "content": f"{rng.getrandbits(160):040x}"},
            ],
            "licenses": [{"license": {"id": rng.choice(LICENSES)}}],
            "purl": purl,
            "externalReferences": [
                {"type": "vcs", "url": f"https://git.example.org/{group}/{name}"},
                {"type": "website", "url": f"https://{name}.example.org/"},
            ],
            "properties": [
                {"name": "syft:package:foundBy", "value": f"{ecosystem}-cataloger"},
                {"name": "syft:location:0:path", "value": f"/opt/app/lib/{name}-{version}"},
            ],
        }
        if rng.random() < 0.1:
            vendor = supplier.split()[0].lower()
            comp["cpe"] = f"cpe:2.3:a:{vendor}:{name}:{version}:*:*:*:*:*:*:*"
        if depth < 3 and rng.random() < (0.9 if depth == 1 else 0.15):
            count = rng.randint(3, 40) if depth == 1 else rng.randint(1, 5)
            comp["components"] = [self.component("library", depth + 1) for _ in range(count)]
        return comp

    def module(self) -> dict[str, Any]:
        """A top-level component; one in 500 embeds a covered one."""
        module = self.component(self.rng.choice(MODULE_TYPES), 1)
        if self.rng.random() < 1 / 500:
            self.serial += 1
            covered = dict(self.rng.choice(COVERED))
            covered["bom-ref"] = f"{covered['purl']}#{self.serial}"
            module.setdefault("components", []).append(covered)
        return module


def _header(rng: random.Random) -> dict[str, Any]:
    return {
        "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}",
        "version": 1,
        "metadata": {
            "timestamp": "2024-05-14T09:30:00Z",
            "lifecycles": [{"phase": "build"}],
            "tools": {"components": [{"type": "application", "author": "anchore", "name": "syft", "version": "1.4.1"}]},
            "component": {
                "bom-ref": "example-platform",
                "type": "application",
                "supplier": {"name": "Example Networks Inc.", "url": ["https://example.com/"]},
                "group": "com.example.platform",
                "name": "Example Platform Suite",
                "version": "24.2.0",
                "purl": "pkg:generic/example/platform-suite@24.2.0",
            },
            "supplier": {"name": "Example Networks Inc."},
        },
    }  # fmt: skip


def _write_dependencies(handle: TextIO, dependencies: list[tuple[str, list[str]]]) -> int:
    written = handle.write('],"dependencies":[')
    for index, (ref, children) in enumerate(dependencies):
        text = json.dumps({"ref": ref, "dependsOn": children}, separators=(",", ":"))
        written += handle.write(("," if index else "") + text)
    return written + handle.write("]}\n")


def generate(path: Path, size: int, *, seed: int = 1634) -> tuple[int, int]:
    """Write an SBOM of about ``size`` bytes to ``path``; return (components, bytes)."""
    generator = Generator(seed)
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    dependencies: list[tuple[str, list[str]]] = []
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        header = dumps(_header(generator.rng))
        written = handle.write(header[:-1] + ',"components":[')
        while written < size or not dependencies:
            module = generator.module()
            written += handle.write(("," if dependencies else "") + dumps(module))
            children = [child["bom-ref"] for child in module.get("components", [])]
            dependencies.append((module["bom-ref"], children))
            written += sum(len(ref) + 3 for ref in children) + len(module["bom-ref"]) + 26
        _write_dependencies(handle, dependencies)
    return generator.serial, path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("output", type=Path)
    parser.add_argument(
        "--size", type=parse_size, default=250 * 10**6, help="e.g. 250MB (default), 2MB"
    )
    parser.add_argument("--seed", type=int, default=1634)
    args = parser.parse_args()
    components, written = generate(args.output, args.size, seed=args.seed)
    print(f"{args.output}: {components:,} components, {written:,} bytes")


if __name__ == "__main__":
    main()
