"""The SQL of the contracts DuckDB path: one streaming pass that keeps only what is needed.

The pass (:func:`load_sql`) reads the CSV once and stores, for every row, only
the three organisation-name columns (raw, as written) and three flags:

* ``_text``: a description names a catalog word (:func:`text_filter`);
* ``_ident``: a UEI, DUNS or CAGE reduces to a catalog identifier;
* ``_bad``: 1 when the action date is not a date, 2 when the amount is not a number.

Every column rootout reads (:func:`rootout.procurement.columns.column_plan`) is
kept, as the struct ``_all``, only for the rows that might be candidates: a
flag is set, or a name contains a word of the name filter (a superset of the
names the matcher can verify, fuzzy near-misses apart). A row whose name
verifies but whose ``_all`` was not kept (a fuzzy near-miss) is fetched by a
second, filtered scan (:func:`refetch_sql`); on ordinary files there is none.
Row numbers are the table's ``rowid`` + 1: the table is written in file order
(``preserve_insertion_order``) and holds exactly the well-formed rows, which is
how the plain reader numbers rows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from rootout.match.engine import Matcher
from rootout.procurement import prefilter

DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%m/%d/%Y", "%Y%m%d"]
AMOUNT_RE = r"^\(?-?\$?-?[0-9][0-9,]*(\.[0-9]+)?\)?$"
BAD_DATE, BAD_AMOUNT = 1, 2


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def text_filter(matcher: Matcher) -> str:
    """The description filter (RE2): a catalog word as a whole word, or any non-ASCII character."""
    words = prefilter.text_regex(prefilter.text_words(matcher))
    return f"(?i){words}|{prefilter.NON_ASCII}" if words else prefilter.NON_ASCII


def name_filter(matcher: Matcher) -> str | None:
    """RE2 for names that contain a name-filter word, or any non-ASCII character; None when
    some pattern has no word (every name may verify: near-misses are refetched instead)."""
    names = prefilter.NameFilter(matcher)
    if names.pass_all or not names.words:
        return None
    return f"(?i){prefilter.text_regex(names.words)}|{prefilter.NON_ASCII}"


def read_csv_sql(path: Path, header: Sequence[str], delimiter: str, *, rejects: bool) -> str:
    """``read_csv`` of the whole file, every column as text; bad rows stored or skipped."""
    columns = ", ".join(f"{quote_str(name)}: 'VARCHAR'" for name in header)
    errors = "store_rejects = true" if rejects else "ignore_errors = true"
    return (
        f"read_csv({quote_str(str(path))}, header = true, auto_detect = false, "
        f"delim = {quote_str(delimiter)}, quote = '\"', escape = '\"', "
        f"columns = {{{columns}}}, {errors}, max_line_size = 4194304)"
    )


def _text_flag(header: Sequence[str], plan: Mapping[str, int], regex: str) -> str:
    texts = [quote_ident(header[plan[key]]) for key in prefilter.TEXT_KEYS if key in plan]
    if not texts:
        return "false"
    flags = [f"coalesce(regexp_matches({texts[0]}, {quote_str(regex)}), false)"]
    if len(texts) > 1:  # the award description is searched only where it differs
        flags.append(
            f"coalesce({texts[1]} IS DISTINCT FROM {texts[0]} "
            f"AND regexp_matches({texts[1]}, {quote_str(regex)}), false)"
        )
    return " OR ".join(flags)


def _ident_flag(header: Sequence[str], plan: Mapping[str, int], listed: Collection[str]) -> str:
    """The matcher compares identifiers as upper-case letters and digits only."""
    if not listed:
        return "false"
    values = ", ".join(quote_str(v) for v in sorted(listed))
    tests = [
        f"coalesce(upper(regexp_replace({col}, '[^A-Za-z0-9]', '', 'g')) IN ({values}) "
        f"OR regexp_matches({col}, {quote_str(prefilter.NON_ASCII)}), false)"
        for col in (quote_ident(header[plan[k]]) for k in prefilter.IDENTIFIER_KEYS if k in plan)
    ]
    return " OR ".join(tests) or "false"


def _bad_flag(header: Sequence[str], plan: Mapping[str, int]) -> str:
    """1: the action date is not a date (the row is skipped); 2: the amount is not a number."""
    bad_date = "false"
    if "action_date" in plan:
        date = f"trim({quote_ident(header[plan['action_date']])})"
        formats = "[" + ", ".join(quote_str(f) for f in DATE_FORMATS) + "]"
        bad_date = f"coalesce({date} <> '' AND try_strptime({date}, {formats}) IS NULL, false)"
    bad_amount = "false"
    if "amount" in plan:
        amount = f"trim({quote_ident(header[plan['amount']])})"
        bad_amount = (
            f"coalesce({amount} <> '' AND NOT regexp_matches({amount}, {quote_str(AMOUNT_RE)}), "
            "false)"
        )
    return f"CASE WHEN {bad_date} THEN {BAD_DATE} WHEN {bad_amount} THEN {BAD_AMOUNT} ELSE 0 END"


def _name_keeps(header: Sequence[str], plan: Mapping[str, int], regex: str) -> list[str]:
    """The name filter on each name column, skipped where a column repeats an earlier one (a
    parent or DBA name that is the recipient's own: the earlier test already answered)."""
    tests: list[str] = []
    columns = [quote_ident(header[plan[key]]) for key in name_keys(plan)]
    for at, column in enumerate(columns):
        same = [f"{column} IS DISTINCT FROM {earlier}" for earlier in columns[:at]]
        match = f"regexp_matches({column}, {quote_str(regex)})"
        tests.append(f"coalesce({' AND '.join([*same, match])}, false)")
    return tests


def name_keys(plan: Mapping[str, int]) -> list[str]:
    return [key for key in prefilter.NAME_KEYS if key in plan]


def record_json(header: Sequence[str], plan: Mapping[str, int]) -> str:
    """The columns of ``plan``, in its order, as one JSON array (text): one cheap column to store
    for the few rows kept, where a struct would cost a column per field for every row."""
    return "to_json([" + ", ".join(quote_ident(header[i]) for i in plan.values()) + "])"


def load_sql(
    source: str,
    header: Sequence[str],
    plan: Mapping[str, int],
    matcher: Matcher,
) -> str:
    """The one pass over ``source`` (a ``read_csv`` call) into the table ``rows``."""
    names = [f"{quote_ident(header[plan[key]])} AS {key}" for key in name_keys(plan)]
    keep = ["_text", "_ident", "_bad > 0"]
    regex = name_filter(matcher)
    if regex is not None:
        keep += _name_keeps(header, plan, regex)
    inner = ", ".join(
        [
            "*",
            f"({_text_flag(header, plan, text_filter(matcher))}) AS _text",
            f"({_ident_flag(header, plan, prefilter.identifier_keys(matcher))}) AS _ident",
            f"{_bad_flag(header, plan)} AS _bad",
        ]
    )
    outer = ", ".join(
        [
            *names,
            "_text",
            "_ident",
            "_bad",
            f"CASE WHEN {' OR '.join(keep)} THEN {record_json(header, plan)} END AS _all",
        ]
    )
    return f"CREATE TABLE rows AS SELECT {outer} FROM (SELECT {inner} FROM {source})"


def refetch_sql(source: str, header: Sequence[str], plan: Mapping[str, int]) -> str:
    """The whole records of the rows listed in ``refetch(_row)``, by a second scan."""
    return (
        f"SELECT ordinality AS _row, {record_json(header, plan)} AS _all "
        f"FROM {source} WITH ORDINALITY WHERE ordinality IN (SELECT _row FROM refetch) "
        "ORDER BY _row"
    )
