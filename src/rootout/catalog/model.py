"""Typed, frozen catalog objects.

A catalog pack is YAML with one list per object kind (``sources``,
``legal_bases``, ``entities``, ``relations``, ``designations``, ``products``,
``signatures``, ``embeddings``, ``hard_negatives``). Each object is parsed into
one of the models below. Every model forbids unknown keys, so a typo in a pack is
an error with its ``path:line`` rather than a silently ignored field.

Field descriptions here are the reference: ``docs/catalog.md`` documents every
field, and a test fails when one is missing from it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from rootout.catalog.dates import CatalogDate

ObjectId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.:-]*$", min_length=2, max_length=120),
]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class Reliability(StrEnum):
    """How far a source can be trusted, best first."""

    OFFICIAL = (
        "official"  # official primary document (statute, FR notice, registry, vendor's own docs)
    )
    PRESS = "press"  # reputable reporting or secondary legal commentary
    CODE = "code"  # vendor or public code, public data files
    UNCONFIRMED = "unconfirmed"  # a lead nobody has checked against a primary source


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class RelationKind(StrEnum):
    SUBSIDIARY_OF = "subsidiary_of"
    CONTROLLED_BY = "controlled_by"
    MAJORITY_OWNED_BY = "majority_owned_by"
    SUCCESSOR_OF = "successor_of"
    BRAND_OF = "brand_of"
    AFFILIATE_OF = "affiliate_of"
    FORMERLY_AFFILIATED = "formerly_affiliated"


class EntityKind(StrEnum):
    COMPANY = "company"
    BRAND = "brand"
    CATEGORY = "category"  # a categorical listing, e.g. "foreign-produced UAS"


class Scope(StrEnum):
    ALL_PRODUCTS_AND_SERVICES = "all_products_and_services"
    INFORMATION_SECURITY_PRODUCTS = "information_security_products"
    CYBERSECURITY_SOFTWARE = "cybersecurity_software"
    TELECOM_EQUIPMENT = "telecom_equipment"
    VIDEO_SURVEILLANCE_EQUIPMENT = "video_surveillance_equipment"
    TELECOM_SERVICES = "telecom_services"
    VIDEO_SURVEILLANCE_SERVICES = "video_surveillance_services"
    INTERNATIONAL_TELECOM_SERVICES = "international_telecom_services"
    EXPORTS = "exports"  # export-control listings (BIS Entity List)
    UAS = "uas"
    ROUTERS = "routers"
    POWER_INVERTERS = "power_inverters"
    ROBOTIC_DEVICES = "robotic_devices"


class LegalKind(StrEnum):
    DIRECTIVE = "directive"
    STATUTE = "statute"
    REGULATION = "regulation"
    CONTRACT_CLAUSE = "contract_clause"
    LIST = "list"
    DETERMINATION = "determination"
    SANCTIONS = "sanctions"
    ORGANISATION_POLICY = "organisation_policy"


class DayUnit(StrEnum):
    BUSINESS = "business"
    CALENDAR = "calendar"


class SignatureKind(StrEnum):
    PRODUCT_NAME = "product_name"
    PUBLISHER = "publisher"
    SIGNER = "signer"
    PACKAGE = "package"
    SERVICE = "service"
    DRIVER = "driver"
    PROCESS = "process"
    FILE_PATH = "file_path"
    REGISTRY_KEY = "registry_key"
    BUNDLE_ID = "bundle_id"
    BROWSER_EXTENSION = "browser_extension"
    CERT_SUBJECT = "cert_subject"
    CERT_FINGERPRINT = "cert_fingerprint"
    CPE = "cpe"
    PURL = "purl"
    MAC_PREFIX = "mac_prefix"
    MODEL_PREFIX = "model_prefix"
    DNS_DOMAIN = "dns_domain"


class MatchMode(StrEnum):
    EXACT = "exact"  # equal after case-folding
    PREFIX = "prefix"
    SUFFIX = "suffix"  # for dns_domain: on a label boundary
    GLOB = "glob"  # shell wildcards * ? [..], whole value
    REGEX = "regex"  # Python regular expression, searched
    NAME = "name"  # equal after full name normalisation (legal forms, versions, editions dropped)
    TOKENS = "tokens"  # the pattern's tokens appear contiguously, on word boundaries


class Ecosystem(StrEnum):
    DEB = "deb"
    RPM = "rpm"
    MSI = "msi"
    HOMEBREW = "homebrew"
    CHOCOLATEY = "chocolatey"
    WINGET = "winget"
    SNAP = "snap"
    FLATPAK = "flatpak"
    NPM = "npm"
    PYPI = "pypi"
    MAVEN = "maven"
    CHROME = "chrome"
    FIREFOX = "firefox"
    EDGE = "edge"


class Evidence(StrEnum):
    """What a signature hit says about the product it points to."""

    PRODUCT = "product"  # the product is (or was) installed or present
    ARTIFACT = "artifact"  # a part that can outlive the product: driver, service, cert, folder
    REMOVAL_TOOL = "removal_tool"  # the vendor's own removal or scan tool: past or present use
    TRAFFIC = "traffic"  # network behaviour of an installed product or device
    HARDWARE = "hardware"  # a device made by the entity (MAC registrant, model number)
    VENDOR_PRESENCE = "vendor_presence"  # software published by the entity, not itself covered


class EmbeddingKind(StrEnum):
    OEM_ENGINE = "oem_engine"
    SDK = "sdk"
    WHITE_LABEL = "white_label"
    SIGNATURES = "signatures"
    COMPONENT = "component"
    ODM_HARDWARE = "odm_hardware"


class _Object(BaseModel):
    """Base of every catalog object: frozen, no unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class Sourced(_Object):
    id: ObjectId = Field(description="Stable identifier, unique across all packs.")
    sources: tuple[ObjectId, ...] = Field(
        min_length=1, description="Ids of the sources that support this object (at least one)."
    )
    notes: str | None = Field(default=None, description="Free text for reviewers.")


class Source(_Object):
    """A public document a catalog fact rests on."""

    id: ObjectId = Field(description="Stable identifier, unique across all packs.")
    url: NonEmpty = Field(description="Where the document can be read.")
    title: NonEmpty = Field(description="The document's title as published.")
    publisher: NonEmpty = Field(description="Who published it (agency, outlet, repository).")
    date: CatalogDate = Field(
        description="Publication date, or for a repository file the date it last changed; "
        "YYYY, YYYY-MM or YYYY-MM-DD as precisely as known."
    )
    reliability: Reliability = Field(
        description="official, press, code or unconfirmed (see the reliability grades)."
    )
    notes: str | None = Field(default=None, description="Free text for reviewers.")


class Identifier(_Object):
    scheme: str = Field(
        pattern=r"^(uei|duns|cage|lei|country_registry|ticker|other)$",
        description="uei, duns, cage, lei, country_registry, ticker or other.",
    )
    value: NonEmpty = Field(description="The identifier as issued.")
    sources: tuple[ObjectId, ...] = Field(min_length=1, description="Sources for this identifier.")


class Entity(Sourced):
    """An organisation, brand or listed category."""

    name: NonEmpty = Field(description="Current legal or best-known name.")
    kind: EntityKind = Field(default=EntityKind.COMPANY, description="company, brand or category.")
    aliases: tuple[NonEmpty, ...] = Field(
        default=(),
        description="Other names: former names, spellings in registries, transliterations.",
    )
    country: str | None = Field(
        default=None, pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 country code."
    )
    identifiers: tuple[Identifier, ...] = Field(
        default=(), description="UEI, DUNS, CAGE, LEI and other registry identifiers, each sourced."
    )
    confidence: Confidence = Field(
        default=Confidence.HIGH,
        description="How sure the catalog is that this entity exists as described.",
    )


class Relation(Sourced):
    """A dated edge between two entities."""

    subject: ObjectId = Field(description="The entity the relation is about.")
    kind: RelationKind = Field(description="subsidiary_of, controlled_by, majority_owned_by, ...")
    object: ObjectId = Field(
        description="The entity it points to (the parent, owner or predecessor)."
    )
    valid_from: CatalogDate | None = Field(default=None, description="First date it holds.")
    valid_to: CatalogDate | None = Field(default=None, description="Last date it holds.")
    confidence: Confidence = Field(description="high, medium or low.")


class ReportField(_Object):
    name: ObjectId = Field(description="Field key, snake_case.")
    label: NonEmpty = Field(description="Label shown to a person.")
    required: bool = Field(default=True, description="The rule requires it (false: 'if known').")
    basis: Reliability = Field(
        default=Reliability.OFFICIAL,
        description="How the field's requirement is known: from the rule text (official), "
        "a press summary (press) or unconfirmed.",
    )


class ReportSpec(_Object):
    id: ObjectId = Field(description="Stable identifier of the report template.")
    title: NonEmpty = Field(description="Report title.")
    fields: tuple[ReportField, ...] = Field(min_length=1, description="Fields the report carries.")


class Deadline(_Object):
    days: int = Field(ge=0, description="Number of days allowed.")
    unit: DayUnit = Field(description="business (US federal calendar) or calendar days.")
    from_event: str = Field(
        pattern=r"^(identification|notification|issuance|effective|obligation:[a-z0-9_.:-]+)$",
        description="What starts the clock: identification, notification, issuance, effective, "
        "or obligation:<id> for the completion of another obligation.",
    )
    repeat_every: int | None = Field(
        default=None, ge=1, description="Repeats every N days of the same unit (status reports)."
    )


class Obligation(_Object):
    id: ObjectId = Field(description="Stable identifier of the obligation.")
    action: NonEmpty = Field(description="What must be done.")
    deadline: Deadline | None = Field(default=None, description="When it is due.")
    report: ObjectId | None = Field(default=None, description="Id of the report spec it produces.")
    valid_from: CatalogDate | None = Field(
        default=None, description="First date this version of the obligation applies."
    )
    valid_to: CatalogDate | None = Field(default=None, description="Last date it applies.")
    sources: tuple[ObjectId, ...] = Field(min_length=1, description="Sources for this obligation.")


class LegalBasis(Sourced):
    """A rule: directive, statute, regulation, list or determination."""

    title: NonEmpty = Field(description="Full title.")
    short: NonEmpty = Field(description="Short name used in reports, e.g. 'FAR 52.204-23'.")
    kind: LegalKind = Field(
        description="directive, statute, regulation, contract_clause, list, ..."
    )
    citation: str | None = Field(default=None, description="Formal citation, e.g. '89 FR 52434'.")
    issued: CatalogDate | None = Field(default=None, description="Date issued or published.")
    effective_from: CatalogDate = Field(description="Date its prohibition or duty starts.")
    effective_to: CatalogDate | None = Field(default=None, description="Date it ends, if it has.")
    reaches: tuple[RelationKind, ...] = Field(
        default=(),
        description="Relation kinds through which a designation under this basis extends "
        "to other entities (e.g. subsidiary_of, controlled_by).",
    )
    obligations: tuple[Obligation, ...] = Field(default=(), description="Duties it imposes.")
    reports: tuple[ReportSpec, ...] = Field(default=(), description="Reports it requires.")
    applies_to: str | None = Field(
        default=None, description="Who must comply (federal agencies, contractors, carriers)."
    )


class Exception_(_Object):
    id: ObjectId = Field(description="Stable identifier of the exception.")
    description: NonEmpty = Field(description="What is excepted.")
    sources: tuple[ObjectId, ...] = Field(min_length=1, description="Sources for the exception.")


class Designation(Sourced):
    """Entity X is covered under legal basis Y from date D, with a scope."""

    entity: ObjectId = Field(description="The designated entity.")
    legal_basis: ObjectId = Field(description="The rule that designates it.")
    scope: tuple[Scope, ...] = Field(min_length=1, description="What of the entity's is covered.")
    purposes: tuple[NonEmpty, ...] = Field(
        default=(),
        description="Uses the coverage is limited to (the §889 security purposes); empty: any use.",
    )
    effective_from: CatalogDate = Field(description="First date the designation applies.")
    effective_to: CatalogDate | None = Field(default=None, description="Last date it applies.")
    exceptions: tuple[Exception_, ...] = Field(default=(), description="What the rule excepts.")
    confidence: Confidence = Field(default=Confidence.HIGH, description="high, medium or low.")


class Removal(_Object):
    uninstall_tool: str | None = Field(default=None, description="The vendor's removal tool.")
    uninstall_parameters: tuple[str, ...] = Field(
        default=(), description="Parameters a protected uninstall needs (e.g. KLLOGIN/KLPASSWD)."
    )
    leftovers: tuple[str, ...] = Field(
        default=(), description="Drivers, services, certificates, folders to check afterwards."
    )
    replacement: str | None = Field(default=None, description="Category of replacement needed.")
    sources: tuple[ObjectId, ...] = Field(min_length=1, description="Sources for the guidance.")


class Product(Sourced):
    """A product of an entity, covered or not (an embedding's host product is not)."""

    name: NonEmpty = Field(description="Product name as the vendor writes it.")
    entity: ObjectId = Field(description="The entity that makes or publishes it.")
    category: NonEmpty = Field(
        description="e.g. antivirus, endpoint_management, camera, client_software."
    )
    line: str | None = Field(
        default=None,
        pattern=r"^(consumer|business|server|ot|mobile|hardware|developer|service)$",
        description="consumer, business, server, ot, mobile, hardware, developer or service.",
    )
    aliases: tuple[NonEmpty, ...] = Field(default=(), description="Other names and abbreviations.")
    removal: Removal | None = Field(default=None, description="How to remove it.")
    valid_from: CatalogDate | None = Field(default=None, description="First sold or released.")
    valid_to: CatalogDate | None = Field(default=None, description="Discontinued.")
    confidence: Confidence = Field(default=Confidence.HIGH, description="high, medium or low.")


class Guard(_Object):
    pattern: NonEmpty = Field(description="A value that must NOT match for the signature to fire.")
    match: MatchMode = Field(
        default=MatchMode.TOKENS, description="How the guard pattern is applied."
    )
    reason: NonEmpty = Field(description="The false-positive trap it avoids.")


class Signature(Sourced):
    """What identifies a product or entity in an observed field value."""

    kind: SignatureKind = Field(description="Which observed field it applies to.")
    patterns: tuple[NonEmpty, ...] = Field(
        min_length=1, description="One or more patterns; any one matching is a hit."
    )
    match: MatchMode = Field(description="exact, prefix, suffix, glob, regex, name or tokens.")
    confidence: Confidence = Field(description="high, medium or low.")
    product: ObjectId | None = Field(default=None, description="The product it identifies.")
    entity: ObjectId | None = Field(
        default=None, description="The entity it identifies (taken from the product when omitted)."
    )
    ecosystem: Ecosystem | None = Field(
        default=None,
        description="For package, browser_extension: deb, rpm, msi, winget, chrome, ...",
    )
    evidence: Evidence | None = Field(
        default=None,
        description="What a hit shows: product, artifact, removal_tool, traffic, hardware or "
        "vendor_presence (default by kind).",
    )
    guards: tuple[Guard, ...] = Field(default=(), description="Must-not-match patterns.")
    requires: tuple[SignatureKind, ...] = Field(
        default=(),
        description="Other signature kinds of the same entity that must also hit on the asset "
        "(corroboration for weak patterns such as kl*.sys).",
    )
    valid_from: CatalogDate | None = Field(
        default=None, description="First date the identifier is meaningful."
    )
    valid_to: CatalogDate | None = Field(default=None, description="Last date it is meaningful.")
    registry_date: CatalogDate | None = Field(
        default=None, description="For generated MAC prefixes: the date of the registry file."
    )

    @model_validator(mode="after")
    def _target(self) -> Signature:
        if self.product is None and self.entity is None:
            raise ValueError("a signature needs a product or an entity")
        return self

    @property
    def effective_evidence(self) -> Evidence:
        return self.evidence or DEFAULT_EVIDENCE[self.kind]


DEFAULT_EVIDENCE: dict[SignatureKind, Evidence] = {
    SignatureKind.PRODUCT_NAME: Evidence.PRODUCT,
    SignatureKind.PUBLISHER: Evidence.PRODUCT,
    SignatureKind.SIGNER: Evidence.PRODUCT,
    SignatureKind.PACKAGE: Evidence.PRODUCT,
    SignatureKind.SERVICE: Evidence.ARTIFACT,
    SignatureKind.DRIVER: Evidence.ARTIFACT,
    SignatureKind.PROCESS: Evidence.PRODUCT,
    SignatureKind.FILE_PATH: Evidence.ARTIFACT,
    SignatureKind.REGISTRY_KEY: Evidence.ARTIFACT,
    SignatureKind.BUNDLE_ID: Evidence.PRODUCT,
    SignatureKind.BROWSER_EXTENSION: Evidence.PRODUCT,
    SignatureKind.CERT_SUBJECT: Evidence.ARTIFACT,
    SignatureKind.CERT_FINGERPRINT: Evidence.ARTIFACT,
    SignatureKind.CPE: Evidence.PRODUCT,
    SignatureKind.PURL: Evidence.PRODUCT,
    SignatureKind.MAC_PREFIX: Evidence.HARDWARE,
    SignatureKind.MODEL_PREFIX: Evidence.HARDWARE,
    SignatureKind.DNS_DOMAIN: Evidence.TRAFFIC,
}


class Embedding(Sourced):
    """Third-party product P contains covered technology T."""

    host_product: ObjectId = Field(description="The third-party product (a catalog product id).")
    technology_entity: ObjectId = Field(
        description="The covered entity whose technology is inside."
    )
    technology_product: ObjectId | None = Field(
        default=None, description="The covered product inside, when known."
    )
    kind: EmbeddingKind = Field(
        description="oem_engine, sdk, white_label, signatures, component, odm_hardware."
    )
    valid_from: CatalogDate | None = Field(default=None, description="First date it held.")
    valid_to: CatalogDate | None = Field(default=None, description="Last date it held.")
    confidence: Confidence = Field(description="high, medium or low.")
    detail: str | None = Field(
        default=None, description="Which versions or features carry it (e.g. 'full file-based AV')."
    )


class HardNegative(_Object):
    """A real value that must never resolve to the named entity: a known trap."""

    id: ObjectId = Field(description="Stable identifier.")
    kind: SignatureKind = Field(description="The field kind the value would be seen as.")
    value: NonEmpty = Field(description="The trap value as it appears in real data.")
    not_entity: ObjectId | None = Field(
        default=None,
        description="The covered entity it must not resolve to (none: must not match at all).",
    )
    reason: NonEmpty = Field(description="Why it is a trap.")
    sources: tuple[ObjectId, ...] = Field(min_length=1, description="Sources for the value.")


class Disable(_Object):
    """An organisation pack switching a built-in object off."""

    id: ObjectId = Field(description="Id of the object to disable.")
    reason: NonEmpty = Field(description="Why it is disabled (kept in the audit trail).")


class Extend(_Object):
    """An organisation pack adding names or identifiers to an existing entity."""

    entity: ObjectId = Field(description="Id of the entity to extend.")
    aliases: tuple[NonEmpty, ...] = Field(default=(), description="Names to add.")
    identifiers: tuple[Identifier, ...] = Field(default=(), description="Identifiers to add.")


class PackHeader(_Object):
    pack: ObjectId = Field(description="Pack name, unique among loaded packs.")
    version: NonEmpty = Field(description="Pack version, e.g. 2026.11.28.")
    description: NonEmpty = Field(description="What the pack holds.")
    generated_from: str | None = Field(
        default=None, description="For generated packs: the input file and its date."
    )


KIND_MODELS: dict[str, type[_Object]] = {
    "sources": Source,
    "legal_bases": LegalBasis,
    "entities": Entity,
    "relations": Relation,
    "designations": Designation,
    "products": Product,
    "signatures": Signature,
    "embeddings": Embedding,
    "hard_negatives": HardNegative,
    "disable": Disable,
    "extend": Extend,
}
"""Top-level pack keys and the model each list item is parsed into."""

HEADER_KEYS = frozenset(PackHeader.model_fields)
