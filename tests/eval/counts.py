"""True and false positives and negatives, and the precision and recall they give.

Shared by the three evaluations: the labelled set (tests.eval), the contracts corpus
(tests.procurement.eval) and the supplier register (tests.suppliers.eval)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
