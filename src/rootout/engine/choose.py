"""Which engine runs a scan: python (in process), duckdb (large local files) or spark."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from rootout.engine.source import TabularFormat, tabular_format
from rootout.errors import ConfigError

AUTO_DUCKDB_BYTES = 16 * 2**20
"""``--engine auto`` uses DuckDB from this much tabular input on. Below it (some 250,000
inventory rows) the in-process path, the reference, takes a few seconds; above it DuckDB
is several times faster (docs/scale.md)."""


class EngineName(StrEnum):
    AUTO = "auto"
    PYTHON = "python"
    DUCKDB = "duckdb"
    SPARK = "spark"


@dataclass(frozen=True, slots=True)
class EngineChoice:
    engine: EngineName
    reason: str
    tabular: bool
    """Every input is a tabular file (CSV, Parquet, JSON lines) the bulk engine can read."""

    parquet: bool = False
    """Some input is Parquet (no reader of the in-process scanner reads it)."""

    @property
    def bulk(self) -> bool:
        """Whether the scan goes through :func:`rootout.engine.scan_bulk` (else the readers')."""
        return self.tabular and (self.engine is not EngineName.PYTHON or self.parquet)

    def describe(self) -> str:
        return f"engine: {self.engine.value} ({self.reason})"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def is_tabular(
    paths: Sequence[Path], input_format: str | None, by_suffix: bool, spark: bool = False
) -> bool:
    """Every path is a file of a tabular format: the one given by ``--format``, else Parquet
    by its suffix, else (``by_suffix``: a bulk engine was asked for) CSV or JSON lines by
    suffix. Without ``--format`` a ``.csv`` file otherwise goes to format detection. For
    Spark a path need not exist here: a folder of part files or an ``s3a://`` URI will do."""

    def tabular(path: Path) -> bool:
        found = tabular_format(path, input_format)
        if input_format is None and found is not TabularFormat.PARQUET and not by_suffix:
            return False
        return found is not None and (spark or path.is_file())

    return bool(paths) and all(tabular(path) for path in paths)


def choose_engine(
    paths: Sequence[Path],
    *,
    requested: EngineName = EngineName.AUTO,
    input_format: str | None = None,
    spark_remote: str | None = None,
    threshold: int = AUTO_DUCKDB_BYTES,
) -> EngineChoice:
    """The engine for a scan of ``paths``, and why. Raises ConfigError for a contradiction."""
    if spark_remote and requested not in (EngineName.AUTO, EngineName.SPARK):
        raise ConfigError(f"--spark-remote needs --engine spark or auto, not {requested.value}")
    bulk_asked = requested in (EngineName.DUCKDB, EngineName.SPARK) or bool(spark_remote)
    spark = requested is EngineName.SPARK or bool(spark_remote)
    tabular = is_tabular(paths, input_format, bulk_asked, spark)
    parquet = tabular and any(
        tabular_format(p, input_format) is TabularFormat.PARQUET for p in paths
    )
    if bulk_asked and not tabular:
        raise ConfigError(
            f"--engine {requested.value} reads tabular files only (CSV, Parquet, JSON lines, "
            "given as files, not folders); use --engine python or auto for other inputs"
        )
    if spark_remote or requested is EngineName.SPARK:
        where = f" at {spark_remote}" if spark_remote else ", local mode"
        return EngineChoice(EngineName.SPARK, "asked for" + where, tabular, parquet)
    if requested is not EngineName.AUTO:
        return EngineChoice(requested, "asked for", tabular, parquet)
    if not tabular:
        return EngineChoice(EngineName.PYTHON, "auto: not all inputs are tabular files", False)
    size = sum(_size(p) for p in paths)
    limit = threshold / 2**20
    if size >= threshold:
        reason = f"auto: {size / 2**20:,.0f} MiB of tabular input >= {limit:,.0f} MiB"
        return EngineChoice(EngineName.DUCKDB, reason, True, parquet)
    reason = f"auto: {size / 2**20:,.1f} MiB of tabular input < {limit:,.0f} MiB"
    return EngineChoice(EngineName.PYTHON, reason, True, parquet)
