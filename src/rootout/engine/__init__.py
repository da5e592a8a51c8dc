"""The bulk engine: the candidate stage of matching over large tabular inputs.

``scan_bulk`` scans CSV, Parquet and JSON lines inventories on one of three
engines and returns the :class:`~rootout.scanning.ScanOutcome` of an ordinary
scan, with the same findings:

* ``python``: the format's reader and the in-process matcher over every row;
* ``duckdb``: the candidate stage as SQL on DuckDB (bounded memory, all cores);
* ``spark``: the same SQL on Spark (local mode, a cluster, or Spark Connect);
  needs the optional extra ``rootout[spark]``.

See docs/scale.md for the design, its cost model and sizing.
"""

from __future__ import annotations

from rootout.engine.bulk import scan_bulk
from rootout.engine.choose import AUTO_DUCKDB_BYTES, EngineChoice, EngineName, choose_engine

__all__ = ["AUTO_DUCKDB_BYTES", "EngineChoice", "EngineName", "choose_engine", "scan_bulk"]
