"""Generator of the synthetic Example Agency estate in ``examples/estate/inputs``.

Run ``python examples/generate_estate.py`` to rewrite the committed files; the
output is byte-identical on every run (seeded random streams, fixed dates).
"""

from __future__ import annotations

from pathlib import Path

from . import certs, network, osquery, sbom, windows, zeek

PARTS = (osquery, windows, network, zeek, sbom, certs)


def generate(out: Path) -> list[Path]:
    """Write every input file of the estate under ``out``; return their paths."""
    written: list[Path] = []
    for part in PARTS:
        written += part.generate(out)
    return sorted(written)
