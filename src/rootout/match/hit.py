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
_PRESENCE = frozenset({Evidence.PRODUCT, Evidence.VENDOR_PRESENCE})


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
        kind = self.observation.kind
        if evidence in _PRESENCE and kind is ObservationKind.NETWORK_DEVICE:
            return Evidence.HARDWARE  # an Nmap vendor or a device banner names who made the device
        if evidence in _PRESENCE and kind is ObservationKind.DNS_QUERY:
            return Evidence.TRAFFIC
        if evidence is Evidence.PRODUCT and kind in ARTIFACT_KINDS:
            return Evidence.ARTIFACT
        return evidence
