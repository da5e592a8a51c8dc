"""``python -m tests.eval``: run the evaluation, print the tables, exit 1 below the thresholds.

Options: ``--all`` lists every wrong case (not only the first 40 unexplained ones).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tests.eval.harness import MIN_PRECISION, MIN_RECALL, Counts, Outcome, Result, run

LIMIT = 40


def counts_table(title: str, rows: Iterable[tuple[str, Counts]]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("", "TP", "FP", "FN", "precision", "recall"):
        table.add_column(column, justify="left" if not column else "right")
    for name, c in rows:
        table.add_row(
            name, str(c.tp), str(c.fp), str(c.fn), f"{c.precision:.4f}", f"{c.recall:.4f}"
        )
    return table


def groups_table(result: Result) -> Table:
    table = Table(title="Cases by group", title_justify="left")
    for column in ("group", "cases", "positive", "wrong", "known issues"):
        table.add_column(column, justify="left" if column == "group" else "right")
    stats: dict[str, Counter[str]] = {}
    for outcome in result.outcomes:
        row = stats.setdefault(outcome.case.group, Counter())
        row["cases"] += 1
        row["positive"] += outcome.case.positive
        row["wrong"] += not outcome.correct
        row["known"] += bool(outcome.case.known_issue)
    for group, row in sorted(stats.items()):
        table.add_row(
            group,
            str(row["cases"]),
            str(row["positive"]),
            str(row["wrong"]),
            str(row["known"]),
        )
    return table


def cases_table(title: str, outcomes: Iterable[Outcome], issue: bool) -> Table:
    table = Table(title=title, title_justify="left", show_lines=True)
    for column in ("case", "expected", "got", "known issue" if issue else "note"):
        table.add_column(column, overflow="fold")
    for o in outcomes:
        expected = ", ".join(str(e) for e in o.case.expected) or "nothing"
        mark = "" if o.correct else "[red]✗[/red] "
        text = (o.case.known_issue or "") if issue else o.case.note
        table.add_row(mark + escape(o.case.id), escape(expected), escape(o.got), escape(text))
    return table


def render(result: Result, console: Console, everything: bool = False) -> None:
    o = result.overall
    console.print(
        f"rootout evaluation — catalog {result.catalog_version}, {len(result.outcomes)} cases "
        f"({sum(x.case.positive for x in result.outcomes)} positive), "
        f"{len(result.known_issues)} marked as known issues"
    )
    for note in result.notes:
        console.print(f"  · {escape(note)}", highlight=False)
    console.print(groups_table(result))
    console.print(counts_table("Overall (per case, per (entity, basis) pair)", [("all", o)]))
    console.print(counts_table("Per covered entity", sorted(result.by_entity.items())))
    console.print(
        counts_table("Per basis", sorted((b.value, c) for b, c in result.by_basis.items()))
    )
    console.print(
        f"historical labels: {len(result.historical_errors)} wrong; "
        f"explanation-chain problems: {len(result.chain_problems)}"
    )
    for problem in result.chain_problems[:LIMIT]:
        console.print(f"  [red]chain[/red] {escape(problem)}", highlight=False)
    if result.dangling:
        console.print(
            f"[yellow]{len(result.dangling)} explanation steps name ids that are not catalog "
            f"objects[/yellow] (e.g. {escape(result.dangling[0])})"
        )
    for outcome, error in result.historical_errors:
        console.print(f"  [red]historical[/red] {escape(outcome.case.id)}: {escape(error)}")
    console.print(
        cases_table("Known issues (counted in the numbers above)", result.known_issues, True)
    )
    unexplained = result.unexplained if everything else result.unexplained[:LIMIT]
    if unexplained:
        console.print(
            cases_table(
                f"Wrong and not marked as known issues ({len(result.unexplained)})",
                unexplained,
                False,
            )
        )
    for outcome in result.stale_marks:
        console.print(f"[yellow]known issue fixed[/yellow] {outcome.case.id}: remove the mark")
    verdict = "[green]PASS[/green]" if result.passed else "[red]FAIL[/red]"
    console.print(
        f"{verdict}: precision {o.precision:.4f} (min {MIN_PRECISION}), "
        f"recall {o.recall:.4f} (min {MIN_RECALL})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.eval", description=__doc__)
    parser.add_argument("--all", action="store_true", help="list every wrong case")
    args = parser.parse_args(argv)
    result = run()
    render(result, Console(width=max(Console().width, 140)), everything=args.all)
    return 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
