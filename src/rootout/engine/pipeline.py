"""The bulk candidate stage: distinct values in the engine, verification in Python, a join
back in the engine, and only candidate rows turned into observations.

Per input:

1. the backend stages the file (``rootout_rows``);
2. ``SELECT DISTINCT`` of every matchable column comes back to Python, where each
   distinct value is stripped, normalised and verified by the one
   :class:`~rootout.match.engine.Matcher` (``verified``: candidates, then the
   full rule). Inventories repeat the same names on every host, so distinct
   values are few;
3. the raw values that verified go back as the small table ``rootout_hits`` and
   the backend joins it to the rows: the candidate rows, in file order;
4. the format's own reader builds an Observation from each candidate row, and the
   usual :class:`~rootout.match.engine.MatchSession` resolves and explains it.

Observations per asset (what a scan reports for coverage) come from one
``GROUP BY`` over the raw host column.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from rootout.engine.backend import Backend, Staged, candidates_sql, distinct_sql, tally_sql
from rootout.engine.source import (
    TabularFormat,
    TabularSource,
    blank_lines,
    jsonl_keys,
    matchable,
    observed,
    reader_for,
    resolve_map,
    row_observation,
    shift_past,
)
from rootout.ingest.formats.generic import MappedReader
from rootout.ingest.textio import file_asset
from rootout.match.engine import Matcher, MatchSession
from rootout.model.observation import FIELD_KINDS, TEXT_FIELDS, Asset, AssetKind, Observation
from rootout.store.repository import AssetTally


@dataclass(frozen=True, slots=True)
class InputDone:
    observations: int
    candidates: int
    distinct: int


def verifies(matcher: Matcher, fields: Sequence[str], raw: str) -> bool:
    """Whether a raw cell value verifies as any of the fields mapped to its column."""
    value = raw.strip()
    if not value:
        return False
    for field in fields:
        kind = FIELD_KINDS[field]
        found = (
            matcher.verified_text(kind, value)
            if field in TEXT_FIELDS
            else matcher.verified(kind, value)
        )
        if found:
            return True
    return False


def run_input(
    backend: Backend,
    source: TabularSource,
    column_map: Mapping[str, str] | None,
    session: MatchSession,
    tally: AssetTally,
    position: int,
) -> InputDone:
    """The candidate stage for one input; candidate rows go to ``session``."""
    extract: Sequence[str] = ()
    mapping: dict[str, str] = {}
    if source.format is TabularFormat.JSONL:
        keys = tuple(column_map.values()) if column_map else jsonl_keys(source)
        mapping = resolve_map(keys, column_map, source.display)
        extract = sorted(set(mapping.values()))
    staged = backend.stage(source, extract)
    try:
        if not mapping:
            mapping = resolve_map(staged.header, column_map, source.display)
        return _match_staged(backend, source, staged, mapping, session, tally, position)
    finally:
        backend.unstage()


def _match_staged(
    backend: Backend,
    source: TabularSource,
    staged: Staged,
    mapping: dict[str, str],
    session: MatchSession,
    tally: AssetTally,
    position: int,
) -> InputDone:
    by_column: dict[str, list[str]] = {}
    for field, column in sorted(matchable(mapping).items()):
        by_column.setdefault(column, []).append(field)
    names = list(by_column)
    columns = [staged.column(name) for name in names]
    hits: list[tuple[int, str]] = []
    distinct = 0
    if columns:
        for index, raw in backend.query(distinct_sql(columns)):
            distinct += 1
            if verifies(session.matcher, by_column[names[index]], raw):
                hits.append((index, raw))
    total = _tally(backend, source, staged, mapping, tally, position)
    candidates = 0
    if hits:
        backend.put_hits(hits)
        reader = reader_for(source.format, mapping)
        for observation in _rows(backend, source, staged, columns, reader):
            candidates += 1
            session.add(observation)
    return InputDone(total, candidates, distinct)


def _rows(
    backend: Backend,
    source: TabularSource,
    staged: Staged,
    columns: list[str],
    reader: MappedReader,
) -> Iterator[Observation]:
    blanks = blank_lines(source.path) if source.format is TabularFormat.CSV else ()
    for row in backend.query(candidates_sql(columns)):
        line = shift_past(blanks, int(row[0]))
        observation = row_observation(reader, source, staged.header, line, row[1:])
        if observation is not None:
            yield observation


def _tally(
    backend: Backend,
    source: TabularSource,
    staged: Staged,
    mapping: Mapping[str, str],
    tally: AssetTally,
    position: int,
) -> int:
    host = staged.column(mapping["host"]) if "host" in mapping else None
    shown = [staged.column(name) for name in observed(mapping)]
    total = 0
    for raw_host, count, first in backend.query(tally_sql(backend, host, shown)):
        if not count:
            continue
        name = (raw_host or "").strip()
        asset = Asset(kind=AssetKind.HOST, name=name) if name else file_asset(source.display)
        tally.add(asset, int(count), (position, int(first)), source.format.value)
        total += int(count)
    return total
