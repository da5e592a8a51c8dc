"""Write the synthetic Example Agency estate (examples/estate/inputs), deterministically.

Usage: python examples/generate_estate.py [OUTPUT_FOLDER]

The default output folder is examples/estate/inputs next to this script. Needs the
shared data folder (../shared/data beside the repository) for the IEEE MAC
registry and the Dropwizard SBOM it takes real values from.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from estate_generator import generate

DEFAULT_OUT = Path(__file__).resolve().parent / "estate" / "inputs"


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    if out.exists():
        shutil.rmtree(out)
    written = generate(out)
    total = sum(path.stat().st_size for path in written)
    print(f"wrote {len(written)} files ({total:,} bytes) to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
