"""Findings and their explanations: frozen records, no behaviour beyond ids."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from enum import StrEnum

from rootout.catalog.model import Confidence
from rootout.model.observation import Observation


class Basis(StrEnum):
    """Why an observation ties to a covered entity."""

    DIRECT = "direct"  # a product or identifier of a designated entity itself
    AFFILIATE = "affiliate"  # of an entity that relations tie to a designated one
    EMBEDDED = "embedded"  # covered technology inside another product
    RESIDUAL = "residual"  # artifacts left without the product
    NETWORK = "network"  # MAC prefix, Nmap vendor or model, DNS queries
    PROCUREMENT = "procurement"  # a contract action buying from or of a covered entity
    PROCUREMENT_REMOVAL = "procurement_removal"  # a contract action to remove or replace it
    SUPPLIER = "supplier"


class LegalStatus(StrEnum):
    IN_FORCE = "in_force"  # the designation applied on the observation date
    HISTORICAL = "historical"  # seen before the designation took effect (or after it ended)


CONFIDENCE_RANK = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}


def weakest(*levels: Confidence) -> Confidence:
    return min(levels, key=CONFIDENCE_RANK.__getitem__)


@dataclass(frozen=True, slots=True)
class Step:
    """One link of an explanation chain.

    ``kind`` is one of: raw, key, signature, product, entity, relation, embedding,
    component, designation, legal_basis, note. ``ref`` is the catalog id (when the
    step is a catalog fact); ``sources`` the ids of its sources.
    """

    kind: str
    text: str
    ref: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LegalBasisRef:
    legal_basis: str
    designation: str
    status: LegalStatus
    short: str


@dataclass(frozen=True, slots=True)
class Finding:
    """An observation tied to a covered entity, with why and under which rules."""

    id: str
    basis: Basis
    confidence: Confidence
    entity: str
    """The designated (covered) entity the chain ends at."""
    matched_entity: str
    """The entity the signature itself points to (differs for affiliates and embeddings)."""
    product: str | None
    signature: str
    evidence: str
    observation: Observation
    matched_field: str
    matched_value: str
    legal: tuple[LegalBasisRef, ...]
    explanation: tuple[Step, ...]
    observed_on: dt.date

    @property
    def historical(self) -> bool:
        return bool(self.legal) and all(ref.status is LegalStatus.HISTORICAL for ref in self.legal)


def finding_id(asset_key: str, basis: Basis, target: str, evidence_key: str) -> str:
    """A stable id: the same thing seen on the same asset gets the same id in every scan."""
    digest = hashlib.sha256(f"{asset_key}\0{basis.value}\0{target}\0{evidence_key}".encode())
    return "F" + digest.hexdigest()[:15]
