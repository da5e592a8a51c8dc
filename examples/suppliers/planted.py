"""The planted cases and the hard negatives of the synthetic register.

Each planted supplier carries the finding kinds a correct screening reports on
``TODAY`` (``rootout.suppliers.model.SupplierFindingKind`` values); each hard
negative looks like a case and must report nothing. Real names are only those of
catalog entities (``src/rootout/catalog/packs``), spelt as the catalog spells them;
every other company, person, product and date is invented.
"""

from __future__ import annotations

import datetime as dt

from cast import Access, Delivered, Rep, Supplier
from delivered import KES_APP, SMARTPSS_APP, Fleet, Product

D = dt.date
HIKVISION = "Hangzhou Hikvision Digital Technology Co.,Ltd."  # hikvision.hangzhou-hikvision
SEPURA = "Sepura Limited"  # hytera.sepura, subsidiary of Hytera since 2017-05


def _sam(signed: dt.date, signer: str, provides: str = "does not", uses: str = "does not") -> Rep:
    """An annual FAR 52.204-26 representation in SAM, expiring a year after signing."""
    return Rep("52.204-26", provides, uses, signed, signer, signed.replace(year=signed.year + 1))


PRODUCTS = (
    Product(
        "vantory-vw",
        "Vantory VideoWall Controller",
        "4.2.0",
        "Dravlyn Integration Group",
        "maven",
        "ivms-4200",
        "dravlyn",
    ),
    Product(
        "skelmont-swg",
        "Skelmont Secure Web Proxy",
        "7.1.3",
        "Skelmont Software Inc.",
        "maven",
        "kav4proxy",
        "skelmont",
    ),
)
FLEETS = (
    Fleet("quorvane", "quorvane-it.example", 6, (KES_APP,)),
    Fleet("brisely", "brisely-security.example", 4, (SMARTPSS_APP,)),
)
LATE_FLEETS = (Fleet("plouvane", "plouvane-desktop.example", 4, (KES_APP,)),)
"""Inventories of :func:`late_additions` (written after the others, so theirs keep)."""


def planted() -> list[Supplier]:
    """Suppliers screening must flag, each with the kinds it must report."""
    return [
        Supplier(
            "",
            "China Telecom (Americas) Corp.",
            "telecom",
            ("international private line circuits",),
            access=(Access("network-core", D(2019, 4, 1), D(2022, 3, 31)),),
            expected=("covered_entity",),
            group="planted",
            note="Covered entity itself (FCC Covered List); its circuits ended 2022-03-31, so no "
            "representation is due.",
        ),
        Supplier(
            "",
            "Norsat International Inc.",
            "telecom",
            ("satellite terminals",),
            country="CA",
            expected=("covered_entity",),
            group="planted",
            note="Catalog entity: a subsidiary of Hytera since 2017 (affiliate of a covered entity).",
        ),
        Supplier(
            "",
            "Kaspersky Labs Limited",
            "reseller",
            ("anti-virus licences",),
            country="GB",
            expected=("covered_entity", "screening_list"),
            group="planted",
            note="Kaspersky entity, and on the Entity List rows of the imported CSL (89 FR 52362).",
        ),
        Supplier(
            "",
            "Meridale Vision Systems Inc.",
            "facilities",
            ("video surveillance installation",),
            country="US",
            parent_name=HIKVISION,
            reps=(_sam(D(2026, 2, 9), "Dana Whitlow"),),
            access=(Access("facilities-cctv", D(2024, 5, 1), tenant="agency-prod"),),
            expected=("covered_parent", "representation_contradicted"),
            group="planted",
            note="Parent is Hikvision; it still represents 'does not provide / does not use'.",
        ),
        Supplier(
            "",
            "Tarnwick Radio Services Ltd",
            "telecom",
            ("TETRA radio maintenance",),
            country="GB",
            parent_name=SEPURA,
            expected=("covered_parent",),
            group="planted",
            note="Parent Sepura Limited is a Hytera subsidiary: found by walking the ownership.",
        ),
        Supplier(
            "",
            "Quillbrook Federal Systems LLC",
            "integrator",
            ("help desk staffing",),
            country="US",
            reps=(_sam(D(2024, 6, 12), "Morgan Adeyemi"),),
            access=(Access("helpdesk", D(2023, 9, 1), tenant="agency-prod"),),
            expected=("representation_lapsed",),
            group="planted",
            note="Its only SAM representation expired on 2025-06-12; access is still open.",
        ),
        Supplier(
            "",
            "Vexmont Cloud Records Inc.",
            "cloud",
            ("records management SaaS",),
            country="US",
            access=(Access("records-archive", D(2026, 2, 1), tenant="agency-prod"),),
            expected=("representation_missing",),
            group="planted",
            note="Open access to the records archive and no representation at all.",
        ),
        Supplier(
            "",
            "Quorvane Managed IT LLC",
            "integrator",
            ("managed endpoint support",),
            country="US",
            reps=(
                _sam(D(2026, 4, 20), "Priya Halvorsen"),
                Rep("52.204-23", "does not", "does not", D(2026, 4, 20), "Priya Halvorsen"),
            ),
            access=(Access("helpdesk", D(2025, 1, 6), tenant="agency-prod"),),
            delivered=(
                Delivered("delivered/quorvane/AppInvRawData.csv", "inventory", D(2026, 10, 5)),
            ),
            expected=("representation_contradicted", "covered_delivery"),
            group="planted",
            note="Attests under FAR 52.204-23 that it 'does not use' Kaspersky products; its "
            "technicians' laptop inventory shows Kaspersky Endpoint Security for Windows.",
        ),
        Supplier(
            "",
            "Dravlyn Integration Group",
            "integrator",
            ("video wall integration",),
            country="US",
            reps=(Rep("52.204-24", "will not", "does not", D(2026, 3, 2), "Elliot Marsh"),),
            access=(Access("facilities-cctv", D(2026, 3, 16), D(2027, 3, 15), "agency-prod"),),
            delivered=(Delivered(PRODUCTS[0].path, "sbom", D(2026, 6, 30)),),
            expected=("representation_contradicted", "covered_delivery"),
            group="planted",
            note="Says 'will not provide'; the SBOM of the controller it delivered embeds "
            "Hikvision's iVMS-4200 client.",
        ),
        Supplier(
            "",
            "Skelmont Software Inc.",
            "software",
            ("secure web proxy appliances",),
            country="US",
            delivered=(Delivered(PRODUCTS[1].path, "sbom", D(2026, 9, 15)),),
            expected=("covered_delivery",),
            group="planted",
            note="Its proxy's SBOM contains kav4proxy (Kaspersky Anti-Virus for Proxy Server); "
            "no access, no representation due.",
        ),
        Supplier(
            "",
            "Brisely Security Integrators LLC",
            "facilities",
            ("access control and CCTV",),
            country="US",
            reps=(
                Rep(
                    "52.204-24",
                    "will",
                    "does",
                    D(2026, 5, 11),
                    "Jordan Okafor",
                    disclosure="Equipment: SmartPSS Lite video client produced by Zhejiang Dahua "
                    "Technology Co., Ltd. (OEM), installed on the integrator's service laptop; "
                    "proposed use: configuring the legacy warehouse recorders until their "
                    "replacement in 2027.",
                ),
            ),
            access=(Access("facilities-cctv", D(2026, 5, 18), tenant="agency-prod"),),
            delivered=(
                Delivered("delivered/brisely/AppInvRawData.csv", "inventory", D(2026, 8, 3)),
            ),
            expected=("covered_delivery",),
            group="planted",
            note="Disclosed: 'will provide / does use' with a full disclosure, so its inventory "
            "is evidence but no contradiction.",
        ),
        Supplier(
            "",
            "Brackenholt Office Systems LLC",
            "reseller",
            ("office furniture",),
            country="US",
            uei="K7LMQ2RTX4N9",
            cage="5BQT8",
            expected=("screening_list",),
            group="planted",
            note="Excluded in the SAM exclusions extract (matched by UEI; the extract spells the "
            "name differently).",
        ),
        Supplier(
            "",
            "Zelvora Components Trading Ltd",
            "reseller",
            ("network transceivers",),
            country="HK",
            expected=("screening_list",),
            group="planted",
            note="On the (synthetic) Entity List rows of the imported CSL under an alternate name.",
        ),
        Supplier(
            "",
            "Corvish Camera Supply LLC",
            "reseller",
            ("Hikvision IP cameras", "video recorders"),
            country="US",
            uei="C9RWX3MKT7QZ",
            expected=("provides_covered",),
            group="planted",
            note="Its catalogue line names Hikvision cameras; no access and nothing delivered yet.",
        ),
    ]


def hard_negatives() -> list[Supplier]:
    """Suppliers that look like cases and must report nothing."""
    return [
        Supplier(
            "",
            "Stelmark Endpoint Services LLC",
            "integrator",
            ("Kaspersky removal and migration to an approved anti-virus",),
            country="US",
            uei="M2TQK8XRV4WN",
            reps=(_sam(D(2026, 3, 3), "Reese Calloway"),),
            access=(Access("helpdesk", D(2026, 3, 9), D(2027, 3, 8), "agency-prod"),),
            group="hard_negative",
            note="Offers to remove Kaspersky: naming the product is not offering it.",
        ),
        Supplier(
            "",
            "Kaspa Networks LLC",
            "reseller",
            ("network switches",),
            country="US",
            uei="N4HWT8ZKQ2LD",
            reps=(_sam(D(2026, 7, 1), "Avery Brandt"),),
            access=(Access("network-core", D(2025, 9, 1), tenant="agency-prod"),),
            group="hard_negative",
            note="'Kaspa' is not Kaspersky.",
        ),
        Supplier(
            "",
            "Huawen Foods LLC",
            "facilities",
            ("cafeteria catering",),
            country="US",
            uei="HW3T9XKD6RMB",
            reps=(_sam(D(2026, 1, 15), "Lin Prescott"),),
            group="hard_negative",
            note="'Huawen' is not Huawei.",
        ),
        Supplier(
            "",
            "Honor Device Co., Ltd.",
            "reseller",
            ("mobile phones",),
            group="hard_negative",
            note="Catalog trap: Huawei sold Honor in November 2020; not an affiliate since.",
        ),
        Supplier(
            "",
            "Lorex Technology Inc.",
            "facilities",
            ("security cameras",),
            country="CA",
            group="hard_negative",
            note="Catalog trap: a Dahua subsidiary only from 2018-02 to 2023.",
        ),
        Supplier(
            "",
            "Pellistor Data Services Inc.",
            "integrator",
            ("data centre cabling",),
            country="US",
            uei="PD2V7KMX4QHN",
            reps=(_sam(D(2024, 3, 1), "Casey Lund"),),
            access=(Access("network-core", D(2022, 6, 1), D(2025, 1, 31), "agency-prod"),),
            group="hard_negative",
            note="Lapsed representation, but its access ended in 2025.",
        ),
        Supplier(
            "",
            "Strovane Analytics LLC",
            "consulting",
            ("data analytics support",),
            country="US",
            uei="S8QZ4LNT2VXR",
            reps=(_sam(D(2024, 5, 1), "Robin Ivers"), _sam(D(2026, 4, 28), "Robin Ivers")),
            access=(Access("case-tracker", D(2023, 1, 9), tenant="agency-prod"),),
            group="hard_negative",
            note="Its 2024 representation lapsed, but it signed a current one in 2026.",
        ),
        Supplier(
            "",
            "Glaestead Relocation Services",
            "logistics",
            ("office moves",),
            country="US",
            uei="G5MVX9TRK3QP",
            access=(Access("facilities-portal", D(2027, 1, 4), tenant="agency-prod"),),
            group="hard_negative",
            note="No representation yet, but its access only starts in 2027.",
        ),
        Supplier(
            "",
            "Threlix Office Supply Co.",
            "reseller",
            ("toner and paper",),
            country="US",
            uei="T6KQR2WZ8NDV",
            reps=(_sam(D(2026, 6, 2), "Sam Okonkwo"),),
            group="hard_negative",
            note="Its SAM exclusion was terminated on 2023-05-01.",
        ),
    ]


def late_additions() -> list[Supplier]:
    """Cases added after the first cast: they come last, so every earlier supplier keeps its
    id (each takes the place of the last background supplier)."""
    return [
        Supplier(
            "",
            "Plouvane Desktop Services LLC",
            "integrator",
            ("desktop support",),
            country="US",
            uei="P4WK7TZQ2MHX",
            reps=(_sam(D(2026, 5, 4), "Jesse Marlow"),),
            access=(Access("helpdesk", D(2025, 11, 3), tenant="agency-prod"),),
            delivered=(
                Delivered("delivered/plouvane/AppInvRawData.csv", "inventory", D(2026, 9, 14)),
            ),
            expected=("covered_delivery",),
            group="hard_negative",
            note="FAR 52.204-26 'does not use' and Kaspersky Endpoint Security in its inventory, "
            "but no FAR 52.204-23 attestation: Kaspersky is outside 52.204-26 (§889), so a "
            "covered delivery (ask for the 52.204-23(c)(1) report), not a contradiction.",
        ),
    ]
