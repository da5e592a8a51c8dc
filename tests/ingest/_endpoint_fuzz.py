"""Hypothesis helpers for the endpoint readers' fuzz tests (osquery, windows, mdm).

Every reader must either yield Observations or raise InputError for any bytes:
random bytes, and fixtures with flipped bytes, truncation, duplicated slices
and inserted garbage.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from hypothesis import strategies as st

from rootout.errors import InputError
from rootout.ingest.base import Reader
from rootout.model.observation import Observation

FUZZ_EXAMPLES = int(os.environ.get("ROOTOUT_FUZZ_EXAMPLES", "10000"))
"""Examples for the slow, scaled fuzz tests (CI sets ROOTOUT_FUZZ_EXAMPLES)."""


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "truncate", "duplicate", "insert", "delete"]))
        size = len(data)
        at = draw(st.integers(0, max(size - 1, 0)))
        if op == "flip" and size:
            data[at] ^= draw(st.integers(1, 255))
        elif op == "truncate":
            del data[at:]
        elif op == "duplicate" and size:
            end = draw(st.integers(at, size))
            data[end:end] = data[at:end]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete" and size:
            del data[at : at + draw(st.integers(1, 32))]
    return bytes(data)


def inputs(seeds: list[bytes]) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=512), mutated(seeds))


def survives(reader: type[Reader], path: Path, data: bytes) -> None:
    """Reading ``data`` yields only Observations or raises InputError; sniff never raises."""
    reader.sniff(path, data[:65536])
    try:
        observations = list(reader().read(path, io.BytesIO(data)))
    except InputError as exc:
        error = exc
    else:
        assert all(isinstance(o, Observation) for o in observations)
        return
    assert error.location.path == str(path)
