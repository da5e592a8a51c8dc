"""``python -m tests.suppliers.eval``: precision and recall on the synthetic supplier register.

The register (``examples/suppliers``) labels in ``labels.json`` every planted case
with the finding kinds correct screening reports on the labelled date, and lists
hard negatives that must report nothing; every other supplier must report nothing
too. Each (supplier, kind) pair counts once as a true positive, false positive or
false negative. The register files are read with the importer's own readers, the
delivered SBOMs and inventories with rootout's readers and matcher, and the
screening lists with the list readers, then judged by the same ``screen`` function
``rootout suppliers screen`` calls; the store is left out here (test_report_cli.py checks
that the stored path gives the same findings). Exit status 1 unless every kind scores 1.0.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rootout.catalog.cache import load_compiled
from rootout.config import load_settings
from rootout.match.engine import Matcher
from rootout.scanning import matcher_for
from rootout.suppliers.evidence import gather
from rootout.suppliers.lists import read_list_file
from rootout.suppliers.model import (
    AccessAgreement,
    Delivery,
    ListEntry,
    Register,
    Representation,
    Supplier,
    SupplierFinding,
    SupplierFindingKind,
)
from rootout.suppliers.register import read_register_file
from rootout.suppliers.screen import screen
from tests.eval.counts import Counts

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "suppliers"
KINDS = tuple(k.value for k in SupplierFindingKind)
Pair = tuple[str, str]


@dataclass
class Result:
    suppliers: int
    counts: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in KINDS})
    wrong: list[str] = field(default_factory=list)

    @property
    def perfect(self) -> bool:
        return all(c.fp == 0 and c.fn == 0 for c in self.counts.values())


@dataclass(frozen=True)
class Example:
    register: Register
    lists: tuple[ListEntry, ...]
    labels: dict[str, object]

    @property
    def today(self) -> dt.date:
        return dt.date.fromisoformat(str(self.labels["today"]))


def shown(path: Path) -> str:
    """``path`` relative to the working folder, as a user typing it would write it."""
    return os.path.relpath(path)


def _records(path: Path) -> tuple[object, ...]:
    with path.open("rb") as stream:
        read = read_register_file(stream, shown(path))
    if read.problems:
        raise ValueError(f"{path}: {[str(p) for p in read.problems]}")
    return tuple(
        dataclasses.replace(r, source=shown(path)) if hasattr(r, "source") else r
        for r in read.records
    )


def load_example(folder: Path = EXAMPLE) -> Example:
    """The register of ``folder``, delivery paths resolved against it, and its lists."""
    deliveries = [
        dataclasses.replace(d, path=shown(folder / d.path))
        for d in _records(folder / "deliveries.csv")
        if isinstance(d, Delivery)
    ]
    register = Register(
        suppliers=tuple(s for s in _records(folder / "suppliers.csv") if isinstance(s, Supplier)),
        representations=tuple(
            r for r in _records(folder / "representations.csv") if isinstance(r, Representation)
        ),
        access=tuple(a for a in _records(folder / "access.csv") if isinstance(a, AccessAgreement)),
        deliveries=tuple(deliveries),
    )
    entries: list[ListEntry] = []
    for path in sorted((folder / "lists").glob("*.csv")):
        with path.open("rb") as stream:
            entries.extend(read_list_file(stream, shown(path)).entries)
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    return Example(register, tuple(entries), labels)


def example_matcher(today: dt.date) -> Matcher:
    catalog, index = load_compiled()
    return matcher_for(catalog, index, today, load_settings())


def screen_example(example: Example) -> list[SupplierFinding]:
    matcher = example_matcher(example.today)
    evidence = gather(example.register.deliveries, matcher)
    return screen(
        example.register,
        matcher.catalog,
        today=example.today,
        lists=example.lists,
        evidence=evidence,
        matcher=matcher,
    )


def expected_pairs(labels: dict[str, object]) -> set[Pair]:
    cases = labels["cases"]
    assert isinstance(cases, dict)
    return {(sid, kind) for sid, case in cases.items() for kind in case["expected"]}


def score(found: Iterable[SupplierFinding], example: Example) -> Result:
    want = expected_pairs(example.labels)
    got = {(f.supplier_id, f.kind.value) for f in found}
    result = Result(len(example.register.suppliers))
    names = {s.id: s.name for s in example.register.suppliers}
    for sid, kind in sorted(want | got):
        counts = result.counts.setdefault(kind, Counts())
        if (sid, kind) in want and (sid, kind) in got:
            counts.tp += 1
            continue
        if (sid, kind) in got:
            counts.fp += 1
            result.wrong.append(f"{sid} {names.get(sid, '?')!r}: unexpected {kind}")
        else:
            counts.fn += 1
            result.wrong.append(f"{sid} {names.get(sid, '?')!r}: missed {kind}")
    return result


def evaluate(folder: Path = EXAMPLE) -> Result:
    example = load_example(folder)
    return score(screen_example(example), example)


def table(result: Result) -> Sequence[str]:
    lines = [f"supplier register: {result.suppliers} suppliers (synthetic)"]
    lines.append(f"{'kind':<28} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}")
    total = Counts()
    for kind, c in result.counts.items():
        lines.append(
            f"{kind:<28} {c.tp:>4} {c.fp:>4} {c.fn:>4} {c.precision:>10.4f} {c.recall:>8.4f}"
        )
        total.tp, total.fp, total.fn = total.tp + c.tp, total.fp + c.fp, total.fn + c.fn
    lines.append(
        f"{'all':<28} {total.tp:>4} {total.fp:>4} {total.fn:>4} "
        f"{total.precision:>10.4f} {total.recall:>8.4f}"
    )
    lines.extend(f"  wrong: {line}" for line in result.wrong)
    return lines


def main() -> int:
    result = evaluate()
    print("\n".join(table(result)))
    return 0 if result.perfect else 1


if __name__ == "__main__":
    sys.exit(main())
