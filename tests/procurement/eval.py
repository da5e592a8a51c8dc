"""``python -m tests.procurement.eval``: precision and recall on the synthetic contracts corpus.

The corpus (``examples/contracts``) labels every transaction row with what a
correct reading finds: ``kind:vendor`` pairs, kind one of ``recipient`` (bought
from the covered company), ``affiliate`` (from a company a catalog relation ties
to it), ``description`` (its product named, an unrelated recipient: a reseller
or integrator) and ``removal`` (work to remove or replace it). The vendor is the
covered entity's pack (``kaspersky``, ``hikvision``...). Each pair counts once
per row as a true positive, false positive or false negative; rows marked
``messy`` (unreadable on purpose) and ``duplicate`` (a repeat across parts) are
left out, and so are rows marked ``known_issue`` (listed with what was found).
Exit status 1 when a kind falls below the thresholds.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rootout.catalog.cache import load_compiled
from rootout.ingest.scan import read_inputs
from rootout.match.engine import Matcher
from rootout.procurement.actions import Action, ActionCollector
from tests.eval.counts import Counts

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "examples" / "contracts"
TRANSACTIONS = CORPUS / "data" / "transactions"
LABELS = CORPUS / "labels.csv"
KINDS = ("recipient", "affiliate", "description", "removal")
MIN_PRECISION = 0.95
MIN_RECALL = 0.95
Pair = tuple[str, str]


@dataclass
class Result:
    counts: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in KINDS})
    wrong: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    """Rows labelled known_issue: left out of the counts, listed with what was found."""
    rows: int = 0

    def below(self) -> list[str]:
        return [
            f"{kind}: precision {c.precision:.3f}, recall {c.recall:.3f}"
            for kind, c in self.counts.items()
            if c.precision < MIN_PRECISION or c.recall < MIN_RECALL
        ]


def predicted(action: Action) -> set[Pair]:
    pairs = {(i.via.value, i.entity.split(".")[0]) for i in action.purchases}
    pairs |= {("removal", i.entity.split(".")[0]) for i in action.removals}
    return pairs


def expected(text: str) -> set[Pair]:
    pairs = set()
    for item in filter(None, text.split(";")):
        kind, _, vendor = item.partition(":")
        pairs.add((kind, vendor))
    return pairs


def read_actions(paths: Iterable[Path]) -> list[Action]:
    catalog, index = load_compiled()
    collector = ActionCollector(Matcher(catalog, index=index))
    read_inputs(list(paths), sink=collector.add)
    return collector.actions()


def score(actions: Iterable[Action], labels: Path = LABELS) -> Result:
    found = {(Path(a.path).name, a.get("transaction_key")): predicted(a) for a in actions}
    result = Result()
    with labels.open(encoding="utf-8", newline="") as handle:
        for label in csv.DictReader(handle):
            if label["status"] in ("messy", "duplicate"):
                continue
            key = (label["file"], label["contract_transaction_unique_key"])
            want, got = expected(label["expected"]), found.get(key, set())
            if label["status"] == "known_issue":
                result.known.append(f"{key[1]}: {label['note']}; got {sorted(got)}")
                continue
            result.rows += 1
            for kind, vendor in want | got:
                counts = result.counts.setdefault(kind, Counts())
                if (kind, vendor) in want and (kind, vendor) in got:
                    counts.tp += 1
                elif (kind, vendor) in got:
                    counts.fp += 1
                else:
                    counts.fn += 1
            if want != got:
                result.wrong.append(f"{key[1]}: expected {sorted(want)}, got {sorted(got)}")
    return result


def evaluate() -> Result:
    return score(read_actions([TRANSACTIONS]))


def main() -> int:
    result = evaluate()
    print(f"contracts corpus: {result.rows} labelled rows")
    print(f"{'kind':<12} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>10} {'recall':>8}")
    totals: dict[str, Counts] = defaultdict(Counts)
    for kind, c in result.counts.items():
        print(f"{kind:<12} {c.tp:>5} {c.fp:>5} {c.fn:>5} {c.precision:>10.4f} {c.recall:>8.4f}")
        totals["all"].tp += c.tp
        totals["all"].fp += c.fp
        totals["all"].fn += c.fn
    c = totals["all"]
    print(f"{'all':<12} {c.tp:>5} {c.fp:>5} {c.fn:>5} {c.precision:>10.4f} {c.recall:>8.4f}")
    for line in result.wrong:
        print(f"  wrong: {line}")
    for line in result.known:
        print(f"  known issue (not counted): {line}")
    below = result.below()
    for line in below:
        print(f"below threshold ({MIN_PRECISION}/{MIN_RECALL}): {line}")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
