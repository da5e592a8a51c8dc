"""The supplier register and supplier findings: frozen records, no behaviour beyond look-ups.

File formats (CSV, UTF-8, one header row; empty cells allowed unless stated).
``rootout suppliers import FILE`` detects the kind from the header, or takes
``--kind``; ``--map SRC=FIELD`` renames other columns (a SAM.gov entity extract's
``Unique Entity ID=uei``, ``CAGE Code=cage``, ``Legal Business Name=name``,
``Physical Address Country Code=country``).

``suppliers.csv`` — :class:`Supplier`
    ``supplier_id,name,uei,cage,duns,country,parent_name,parent_uei,provides``.
    ``name`` is required. ``supplier_id`` may be empty: the id is then derived
    (:func:`rootout.suppliers.register.derive_id`) from the UEI (``uei-<UEI>``), else
    from the normalised name (``name-<slug>``). ``uei``: the SAM Unique Entity ID, 12
    characters A-Z/0-9 without the letters O and I, not starting with 0, case-insensitive
    (GSA, https://www.gsa.gov/node/132988); ``cage``: 5 characters A-Z/0-9; ``duns``: 9
    digits; ``country``:
    ISO 3166-1 alpha-2 or alpha-3 (stored as alpha-2). ``provides``: ``;``-separated
    products and services.
``representations.csv`` — :class:`Representation`
    ``supplier_id,clause,provides,uses,disclosure,signed_on,signer,expires_on``.
    ``clause`` is ``52.204-24`` or ``52.204-26`` (the §889 representations) or ``52.204-23``
    (a contractor's attestation about Kaspersky Lab covered articles in performance of the
    contract); ``provides`` is ``will``/``will not`` (-24) or ``does``/``does not`` (-26,
    -23); ``uses`` is ``does``/``does not``; a ``disclosure`` is required when either answer
    is ``will`` or ``does`` (for -23: the 52.204-23(c) report); dates ISO.
``access.csv`` — :class:`AccessAgreement`
    ``supplier_id,system,tenant,start,end``; an empty ``end`` means open.
``deliveries.csv`` — :class:`Delivery`
    ``supplier_id,path,kind,delivered_on``; ``path`` relative to the CSV file,
    ``kind`` ``sbom`` or ``inventory``. Each delivered file is read with rootout's
    readers and matched with its matcher; its findings are the supplier's evidence.

Screening lists (``rootout suppliers lists import FILE``): the trade.gov Consolidated
Screening List CSV and the SAM.gov exclusions extract CSV, both read into
:class:`ListEntry`.

The pure screening entry point is :func:`rootout.suppliers.screen.screen`::

    screen(register, catalog, *, today, lists=(), evidence=()) -> list[SupplierFinding]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from rootout.catalog.model import Confidence
from rootout.model.finding import Finding, Step


class Clause(StrEnum):
    """The FAR clause a representation or attestation row answers."""

    FAR_52_204_23 = "52.204-23"  # attestation: does / does not provide; does / does not use
    FAR_52_204_24 = "52.204-24"  # per offer or order: will / will not provide; does / does not use
    FAR_52_204_26 = "52.204-26"  # annual, in SAM: does / does not provide; does / does not use

    @property
    def is_attestation(self) -> bool:
        """52.204-23 (Kaspersky) is a contract clause the contractor attests compliance with,
        not one of the §889 representations (52.204-24/-26) a supplier with access must make."""
        return self is Clause.FAR_52_204_23


class DeliveryKind(StrEnum):
    SBOM = "sbom"
    INVENTORY = "inventory"


@dataclass(frozen=True, slots=True)
class Supplier:
    id: str
    name: str
    uei: str | None = None
    cage: str | None = None
    duns: str | None = None
    country: str | None = None
    """ISO 3166-1 alpha-2, upper case."""
    parent_name: str | None = None
    parent_uei: str | None = None
    provides: tuple[str, ...] = ()
    line: int = 0
    """Line of the import file the supplier was read from (0 when not from a file)."""
    source: str = ""
    """The import file's name (empty when not from a file)."""


@dataclass(frozen=True, slots=True)
class Representation:
    """One FAR 52.204-24 or -26 representation, or 52.204-23 attestation, a supplier made.

    ``provides``/``uses`` are True for "will"/"does", False for "will not"/"does not",
    None when the row left them empty.
    """

    supplier_id: str
    clause: Clause
    provides: bool | None
    uses: bool | None
    signed_on: dt.date
    signer: str
    disclosure: str | None = None
    expires_on: dt.date | None = None
    line: int = 0
    source: str = ""

    def lapsed(self, today: dt.date) -> bool:
        return self.expires_on is not None and self.expires_on < today

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.supplier_id, self.clause.value, self.signed_on.isoformat())


@dataclass(frozen=True, slots=True)
class AccessAgreement:
    """A supplier may access ``system`` of ``tenant`` from ``start`` to ``end`` (None: open)."""

    supplier_id: str
    system: str
    start: dt.date
    tenant: str | None = None
    end: dt.date | None = None
    line: int = 0

    def active(self, today: dt.date) -> bool:
        return self.start <= today and (self.end is None or today <= self.end)


@dataclass(frozen=True, slots=True)
class Delivery:
    """A file a supplier delivered: ``path`` is resolved against the CSV's folder."""

    supplier_id: str
    path: str
    kind: DeliveryKind
    delivered_on: dt.date | None = None
    line: int = 0


@dataclass(frozen=True)
class Register:
    suppliers: tuple[Supplier, ...] = ()
    representations: tuple[Representation, ...] = ()
    access: tuple[AccessAgreement, ...] = ()
    deliveries: tuple[Delivery, ...] = ()

    def supplier(self, supplier_id: str) -> Supplier | None:
        return self.by_id.get(supplier_id)

    @property
    def by_id(self) -> Mapping[str, Supplier]:
        return MappingProxyType({s.id: s for s in self.suppliers})

    def representations_of(self, supplier_id: str) -> tuple[Representation, ...]:
        return tuple(r for r in self.representations if r.supplier_id == supplier_id)

    def access_of(self, supplier_id: str) -> tuple[AccessAgreement, ...]:
        return tuple(a for a in self.access if a.supplier_id == supplier_id)

    def deliveries_of(self, supplier_id: str) -> tuple[Delivery, ...]:
        return tuple(d for d in self.deliveries if d.supplier_id == supplier_id)


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One entry of an imported screening list (CSL or SAM exclusions)."""

    list_name: str
    """``csl`` or ``sam_exclusions``."""
    entry_id: str
    name: str
    source: str
    """The list inside the list: "Entity List (EL) - Bureau of Industry and Security", an
    exclusion program, ..."""
    alt_names: tuple[str, ...] = ()
    uei: str | None = None
    cage: str | None = None
    duns: str | None = None
    country: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    detail: str = ""
    """Programs, Federal Register notice, exclusion type: shown in explanations."""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Evidence:
    """Findings of one delivered file, linked to the supplier that delivered it."""

    supplier_id: str
    path: str
    kind: DeliveryKind
    findings: tuple[Finding, ...] = ()
    delivered_on: dt.date | None = None
    error: str | None = None
    """Why the file could not be read (missing, unknown format); None when it was."""


class SupplierFindingKind(StrEnum):
    COVERED_ENTITY = "covered_entity"  # the supplier is a covered entity, affiliate or brand
    COVERED_PARENT = "covered_parent"  # its parent (as registered) is covered
    PROVIDES_COVERED = "provides_covered"  # its listed products/services name a covered product
    SCREENING_LIST = "screening_list"  # it appears on an imported screening list
    COVERED_DELIVERY = "covered_delivery"  # a delivered SBOM/inventory contains covered tech
    REPRESENTATION_MISSING = "representation_missing"  # active access, no representation
    REPRESENTATION_LAPSED = "representation_lapsed"  # active access, every one expired
    REPRESENTATION_CONTRADICTED = "representation_contradicted"  # "does not" vs evidence


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_RANK = MappingProxyType(
    {Severity.CRITICAL: 3, Severity.HIGH: 2, Severity.MEDIUM: 1, Severity.LOW: 0}
)


@dataclass(frozen=True, slots=True)
class SupplierFinding:
    """Why a supplier needs attention, and what to ask it for.

    ``entity`` is the covered entity the finding ends at (None for a missing or
    lapsed representation and for a screening-list entry). ``evidence`` holds the
    matcher findings the supplier finding rests on (identifier or name match of the
    supplier, or components of a delivered file); ``explanation`` is the plain chain
    from the register row to the conclusion.
    """

    id: str
    supplier_id: str
    kind: SupplierFindingKind
    severity: Severity
    confidence: Confidence
    title: str
    explanation: tuple[Step, ...]
    ask: str
    """What to ask the supplier for."""
    observed_on: dt.date
    """The screening date (``today``) the finding was judged at."""
    entity: str | None = None
    evidence: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportProblem:
    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"
