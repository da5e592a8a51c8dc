"""Run the matcher over every case and score it.

Scoring is per case: the set of (covered entity, basis) pairs the matcher
predicts for the case's asset against the expected set. Each pair counts once
per case as a true positive, false positive or false negative; precision and
recall are reported overall (micro-averaged), per covered entity and per basis.
Whether a finding is historical (seen when no legal basis was yet, or any
longer, in force) is checked separately for every true-positive pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rootout.catalog.catalog import Catalog, load_catalog
from rootout.match.engine import Matcher
from rootout.model.finding import Basis, Finding
from tests.eval.cases import EVAL_TODAY, Case, CaseError, Pair, load_all
from tests.eval.counts import Counts
from tests.eval.generate import generate

MIN_RECALL = 0.98
MIN_PRECISION = 0.995
REQUIRED_STEPS = ("raw", "key", "signature", "entity", "designation", "legal_basis")


@dataclass(frozen=True)
class Outcome:
    """One case as the matcher saw it."""

    case: Case
    findings: tuple[Finding, ...]

    @property
    def predicted(self) -> frozenset[Pair]:
        return frozenset((f.entity, f.basis) for f in self.findings)

    @property
    def false_positives(self) -> frozenset[Pair]:
        return self.predicted - self.case.pairs

    @property
    def false_negatives(self) -> frozenset[Pair]:
        return self.case.pairs - self.predicted

    def predicted_historical(self, pair: Pair) -> bool:
        return all(f.historical for f in self.findings if (f.entity, f.basis) == pair)

    @property
    def historical_errors(self) -> list[str]:
        return [
            f"{e.entity} {e.basis.value}: expected "
            f"{'historical' if e.historical else 'in force'}, got "
            f"{'historical' if not e.historical else 'in force'}"
            for e in self.case.expected
            if e.pair in self.predicted and self.predicted_historical(e.pair) != e.historical
        ]

    @property
    def correct(self) -> bool:
        return self.predicted == self.case.pairs and not self.historical_errors

    def describe(self, pairs: Iterable[Pair]) -> str:
        items = sorted(f"{entity} {basis.value}" for entity, basis in pairs)
        return ", ".join(items) or "nothing"

    @property
    def got(self) -> str:
        parts = []
        for pair in sorted(self.predicted, key=lambda p: (p[0], p[1].value)):
            signatures = sorted({f.signature for f in self.findings if (f.entity, f.basis) == pair})
            historical = " historical" if self.predicted_historical(pair) else ""
            parts.append(f"{pair[0]} {pair[1].value}{historical} [{', '.join(signatures)}]")
        return "; ".join(parts) or "nothing"


@dataclass
class Result:
    catalog_version: str
    outcomes: list[Outcome]
    notes: list[str]
    chain_problems: list[str]
    dangling: list[str] = field(default_factory=list)
    """Explanation steps whose catalog reference does not resolve (reported, not in ``passed``)."""
    overall: Counts = field(default_factory=Counts)
    by_entity: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_basis: dict[Basis, Counts] = field(default_factory=lambda: defaultdict(Counts))

    @property
    def historical_errors(self) -> list[tuple[Outcome, str]]:
        return [(o, error) for o in self.outcomes for error in o.historical_errors]

    @property
    def failing(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.correct]

    @property
    def known_issues(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.known_issue]

    @property
    def unexplained(self) -> list[Outcome]:
        """Wrong cases that no ``known_issue`` mark accounts for: regressions or new finds."""
        return [o for o in self.failing if not o.case.known_issue]

    @property
    def stale_marks(self) -> list[Outcome]:
        """Cases marked as known issues that the matcher now gets right."""
        return [o for o in self.known_issues if o.correct]

    @property
    def meets_thresholds(self) -> bool:
        return self.overall.recall >= MIN_RECALL and self.overall.precision >= MIN_PRECISION

    @property
    def passed(self) -> bool:
        return self.meets_thresholds and not self.chain_problems and not self.historical_errors


def score(result: Result) -> None:
    for outcome in result.outcomes:
        case_pairs = outcome.case.pairs
        for entity, basis in outcome.predicted | case_pairs:
            hit = (entity, basis) in outcome.predicted
            wanted = (entity, basis) in case_pairs
            for counts in (result.overall, result.by_entity[entity], result.by_basis[basis]):
                counts.tp += hit and wanted
                counts.fp += hit and not wanted
                counts.fn += wanted and not hit


def chain_problems(catalog: Catalog, finding: Finding, case_id: str) -> list[str]:
    """What is missing from one finding's explanation chain, or cites nothing readable."""
    kinds = {step.kind for step in finding.explanation}
    needed = list(REQUIRED_STEPS)
    if finding.basis is Basis.AFFILIATE or (
        finding.matched_entity != finding.entity and finding.basis is not Basis.EMBEDDED
    ):
        needed.append("relation")
    problems = [
        f"{case_id}: {finding.id} has no {kind} step" for kind in needed if kind not in kinds
    ]
    if finding.basis is Basis.EMBEDDED and not kinds & {"embedding", "component"}:
        problems.append(f"{case_id}: {finding.id} is embedded without an embedding/component step")
    for step in finding.explanation:
        for source_id in step.sources:
            source = catalog.sources.get(source_id)
            if source is None or not source.url.strip():
                problems.append(
                    f"{case_id}: {step.kind} step cites {source_id!r}, not a source with a URL"
                )
    return problems


def dangling_refs(catalog: Catalog, finding: Finding, case_id: str) -> list[str]:
    """Steps naming a catalog id that ``rootout catalog show`` cannot find."""
    return [
        f"{case_id}: {step.kind} step names {step.ref!r}, which is not a catalog object"
        for step in finding.explanation
        if step.ref is not None and step.ref not in catalog
    ]


def all_cases(catalog: Catalog) -> tuple[list[Case], list[str]]:
    """Hand-labelled and generated cases, with the generators' notes."""
    files = load_all()
    generated = generate(files, catalog)
    cases = [case for f in files for case in f.cases] + generated.cases
    seen: dict[str, str] = {}
    for case in cases:
        key = case.id.lower()
        if key in seen:
            raise CaseError(f"case id {case.id!r} is used twice")
        seen[key] = case.id
    return cases, generated.notes


def evaluate(catalog: Catalog, cases: Sequence[Case], notes: Sequence[str] = ()) -> Result:
    matcher = Matcher(catalog, today=EVAL_TODAY)
    by_asset: dict[str, list[Finding]] = defaultdict(list)
    observations = (o for case in cases for o in case.observations)
    for finding in matcher.match(observations):
        by_asset[finding.observation.asset.key].append(finding)
    outcomes = []
    problems: list[str] = []
    dangling: list[str] = []
    for case in cases:
        found = tuple(by_asset.get(case.observations[0].asset.key, ()))
        outcomes.append(Outcome(case, found))
        for finding in found:
            problems.extend(chain_problems(catalog, finding, case.id))
            dangling.extend(dangling_refs(catalog, finding, case.id))
    result = Result(catalog.version, outcomes, list(notes), problems, sorted(set(dangling)))
    score(result)
    return result


def run(catalog: Catalog | None = None) -> Result:
    """The whole evaluation over the built-in catalog (or ``catalog``)."""
    catalog = catalog or load_catalog()
    cases, notes = all_cases(catalog)
    return evaluate(catalog, cases, notes)
