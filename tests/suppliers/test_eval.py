"""The synthetic supplier register: screening finds every planted case and nothing else."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

from rootout.suppliers.model import SupplierFindingKind
from tests.suppliers.eval import EXAMPLE, evaluate, expected_pairs, load_example, score, table

REQUIRED_KINDS = {k.value for k in SupplierFindingKind}


def test_screening_finds_every_planted_case_and_nothing_else() -> None:
    result = evaluate()
    assert result.suppliers == 300
    assert result.perfect, "\n".join(table(result))
    for kind, counts in result.counts.items():
        assert (counts.precision, counts.recall) == (1.0, 1.0), kind


def test_every_finding_kind_is_planted_and_hard_negatives_are_labelled() -> None:
    labels = load_example().labels
    planted = {kind for _, kind in expected_pairs(labels)}
    assert planted == REQUIRED_KINDS
    groups = {case["group"] for case in labels["cases"].values()}
    assert groups == {"planted", "hard_negative"}
    assert labels["synthetic"] is True


def test_labels_name_suppliers_of_the_register() -> None:
    example = load_example()
    ids = {s.id: s.name for s in example.register.suppliers}
    for sid, case in example.labels["cases"].items():
        assert ids[sid] == case["name"]


def test_a_missed_case_counts_as_a_false_negative() -> None:
    example = load_example()
    result = score([], example)
    want = expected_pairs(example.labels)
    assert sum(c.fn for c in result.counts.values()) == len(want)
    assert not result.perfect
    for kind in {kind for _, kind in want}:
        assert result.counts[kind].recall == 0.0, kind


def test_delivered_files_exist_and_readme_says_synthetic() -> None:
    example = load_example()
    assert example.register.deliveries
    for delivery in example.register.deliveries:
        assert Path(delivery.path).is_file(), delivery.path
    assert "SYNTHETIC" in (EXAMPLE / "README.md").read_text(encoding="utf-8")


def test_generator_rewrites_the_committed_files(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(EXAMPLE / "generate.py"), str(tmp_path)], check=True)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert Path("labels.json") in written
    committed = sorted(
        p.relative_to(EXAMPLE)
        for p in EXAMPLE.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc", ".md")
    )
    assert committed == written  # nothing stale left beside the generated files
    for relative in written:
        same = filecmp.cmp(tmp_path / relative, EXAMPLE / relative, shallow=False)
        assert same, f"{relative} differs: run python examples/suppliers/generate.py"
    labels = json.loads((tmp_path / "labels.json").read_text(encoding="utf-8"))
    assert labels == load_example().labels
