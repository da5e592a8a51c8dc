"""A verified signature hit: the unit passed from verification to resolution."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rootout.catalog.model import Evidence, Signature
from rootout.match.verify import Verdict
from rootout.model.observation import Observation, ObservationKind

ARTIFACT_KINDS = frozenset(
    {
        ObservationKind.SERVICE,
        ObservationKind.DRIVER,
        ObservationKind.KERNEL_MODULE,
        ObservationKind.CERTIFICATE,
        ObservationKind.REGISTRY_KEY,
        ObservationKind.FILE,
    }
)
"""Observations of parts that can outlive a product: a name or publisher seen on them
says the part is there, not that the product is installed."""


@dataclass(frozen=True, slots=True)
class Hit:
    """A verified signature hit on one field of one observation."""

    observation: Observation
    field: str
    signature: Signature
    verdict: Verdict
    on: dt.date

    @property
    def evidence(self) -> Evidence:
        """What this hit shows: the signature's evidence, except that a product name or
        publisher on a leftover-prone part (service, driver, certificate...) is an artifact."""
        evidence = self.signature.effective_evidence
        if evidence is Evidence.PRODUCT and self.observation.kind in ARTIFACT_KINDS:
            return Evidence.ARTIFACT
        return evidence
