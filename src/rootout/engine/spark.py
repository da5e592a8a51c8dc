"""The Spark backend: the candidate stage on Spark (local mode, a cluster, or Spark Connect).

PySpark is the optional extra ``rootout[spark]``, imported only here and only
when this backend is used. Inputs are any path Spark can read (local, HDFS,
S3...). Rows are numbered like the readers number them (CSV: the line, after the
header; JSON lines: the line): per file split, the row's position inside its
partition plus the rows of the file's earlier splits.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from rootout.engine.backend import HITS, ROWS, Staged
from rootout.engine.source import TabularFormat, TabularSource
from rootout.errors import InputError, Location, RootoutError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

MISSING = (
    "the Spark engine needs PySpark and a Java runtime (17 or later): pip install 'rootout[spark]'"
)


def _pyspark() -> Any:
    try:
        import pyspark.sql
    except ImportError:
        raise RootoutError(MISSING) from None
    return pyspark.sql


def spark_session(remote: str | None = None, master: str = "local[2]") -> SparkSession:
    """A Spark session: Spark Connect at ``remote`` (``sc://host:15002``), else local mode
    (no web UI, few shuffle partitions, bound to the loopback interface)."""
    sql = _pyspark()
    builder = sql.SparkSession.builder.appName("rootout")
    if remote:
        session: SparkSession = builder.remote(remote).getOrCreate()
        return session
    builder = (
        builder.master(master)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.ansi.enabled", "true")
        .config("spark.ui.showConsoleProgress", "false")
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")  # rootout reports what went wrong itself
    return session


def spark_errors() -> tuple[type[Exception], ...]:
    """What Spark raises for unreadable input: its own errors and the JVM's, via py4j."""
    import importlib

    from pyspark.errors import PySparkException

    java: type[Exception] = importlib.import_module("py4j.protocol").Py4JJavaError
    return (PySparkException, java)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _string(text: str) -> str:
    """A Spark SQL string literal (backslash is an escape character there)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _json_path(key: str) -> str:
    return f"$[{_string(key)}]"


class SparkBackend:
    """Runs the candidate stage's SQL on a Spark session."""

    name = "spark"

    def __init__(self, session: SparkSession) -> None:
        self.spark = session
        self._staged: list[DataFrame] = []
        self._source = ""

    def stage(self, source: TabularSource, extract: Sequence[str]) -> Staged:
        self._source = source.display
        try:
            if source.format is TabularFormat.JSONL:
                return self._stage_jsonl(source, extract)
            return self._stage_table(source)
        except spark_errors() as exc:
            raise InputError(
                Location(source.display), f"Spark could not read it: {_first_line(exc)}"
            ) from None

    def _stage_table(self, source: TabularSource) -> Staged:
        reader = self.spark.read
        if source.format is TabularFormat.PARQUET:
            frame = reader.parquet(source.display)
            names = tuple(frame.columns)
            frame = frame.select(
                *(frame[f"`{n}`"].cast("string").alias(f"c{i}") for i, n in enumerate(names)),
                "_metadata.file_block_start",
            )
            self._number(frame, first=1)
            return Staged(names)
        options = {"header": "true", "quote": '"', "escape": '"', "multiLine": "false"}
        header = tuple(c.strip() for c in reader.options(**options).csv(source.display).columns)
        schema = ", ".join(f"c{i} STRING" for i in range(len(header)))
        frame = reader.options(**options, mode="FAILFAST").schema(schema).csv(source.display)
        self._number(frame.select("*", "_metadata.file_block_start"), first=2)
        return Staged(header)

    def _stage_jsonl(self, source: TabularSource, extract: Sequence[str]) -> Staged:
        from pyspark.sql import functions as f

        frame = self.spark.read.text(source.display)
        cells = []
        for i, key in enumerate(extract):
            cell = f.get_json_object("value", _json_path(key))
            if "." in key:
                cell = f.coalesce(cell, f.get_json_object("value", "$." + key))
            cells.append(cell.alias(f"c{i}"))
        frame = frame.select(*cells, f.col("value").alias("_json"), "_metadata.file_block_start")
        self._number(frame, first=1)
        return Staged(tuple(extract), json=True)

    def _number(self, frame: DataFrame, first: int) -> None:
        numbered, persisted = number_rows(self.spark, frame, first)
        numbered.createOrReplaceTempView(ROWS)
        self._staged = persisted

    def query(self, sql: str) -> Iterator[tuple[Any, ...]]:
        try:
            for row in self.spark.sql(sql).toLocalIterator():
                yield tuple(row)
        except spark_errors() as exc:
            raise InputError(
                Location(self._source), f"Spark could not read it: {_first_line(exc)}"
            ) from None

    def put_hits(self, rows: Sequence[tuple[int, str]]) -> None:
        frame = self.spark.createDataFrame(list(rows), "c INT, v STRING")
        frame.createOrReplaceTempView(HITS)

    def regex_test(self, column: str, pattern: str) -> str:
        return f"{column} RLIKE {_string(pattern)}"

    def unstage(self) -> None:
        for frame in self._staged:
            frame.unpersist()
        self._staged = []
        self.spark.catalog.dropTempView(ROWS)

    def close(self) -> None:
        """The session outlives the backend (sessions are shared and costly to start)."""


def number_rows(
    spark: SparkSession, frame: DataFrame, first: int, *, disk_only: bool = False
) -> tuple[DataFrame, list[DataFrame]]:
    """``frame`` (with ``file_block_start``) with ``_row`` first: the 1-based row number in file
    order plus ``first - 1``; rows of one split are consecutive ids inside their partition.
    Returns the numbered frame and the persisted frames to unpersist when done (in memory and
    on disk, or with ``disk_only`` on disk alone: wide rows in local mode fill the heap)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as f

    level = StorageLevel.DISK_ONLY if disk_only else StorageLevel.MEMORY_AND_DISK
    with_ids = frame.withColumn("_id", f.monotonically_increasing_id())
    with_ids = with_ids.persist(level)
    blocks = sorted(
        with_ids.groupBy("file_block_start")
        .agg(f.count(f.lit(1)).alias("n"), f.min("_id").alias("m"))
        .collect()
    )
    bases, seen = [], 0
    for block, count, smallest in blocks:
        bases.append((block, seen + first - smallest))
        seen += count
    offsets = spark.createDataFrame(bases, "file_block_start LONG, base LONG")
    data = [c for c in frame.columns if c != "file_block_start"]
    numbered = with_ids.join(f.broadcast(offsets), "file_block_start").select(
        (f.col("_id") + f.col("base")).alias("_row"), *data
    )
    numbered = numbered.persist(level)
    return numbered, [with_ids, numbered]
