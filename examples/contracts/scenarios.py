"""The SYNTHETIC corpus's cast: agencies, firms, items, and the covered-vendor scenarios.

Agency and sub-agency names and codes are real (usaspending-api
``usaspending_api/data/agency_codes_list.csv``); offices and PIID prefixes are
invented. Covered companies are named as they are (no identifiers are given
for them: their UEI, DUNS and CAGE are not invented). Resellers, integrators
and every other firm are fictional, with invented identifiers.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

PSC = {
    "7030": "ADP SOFTWARE",
    "7021": "ADP CENTRAL PROCESSING UNIT (CPU, COMPUTER), DIGITAL",
    "6350": "MISCELLANEOUS ALARM, SIGNAL, AND SECURITY DETECTION SYSTEMS",
    "5820": "RADIO AND TELEVISION COMMUNICATION EQUIPMENT, EXCEPT AIRBORNE",
    "5805": "TELEPHONE AND TELEGRAPH EQUIPMENT",
    "N063": "INSTALLATION OF EQUIPMENT- ALARM, SIGNAL, AND SECURITY DETECTION SYSTEMS",
    "D399": "IT AND TELECOM- OTHER IT AND TELECOMMUNICATIONS",
    "7510": "OFFICE SUPPLIES",
    "7110": "OFFICE FURNITURE",
    "6640": "LABORATORY EQUIPMENT AND SUPPLIES",
    "S201": "HOUSEKEEPING- CUSTODIAL JANITORIAL",
    "S206": "HOUSEKEEPING- GUARD",
    "R408": "SUPPORT- PROFESSIONAL: PROGRAM MANAGEMENT/SUPPORT",
    "Z1AA": "MAINTENANCE OF OFFICE BUILDINGS",
}
NAICS = {
    "511210": "SOFTWARE PUBLISHERS",
    "423430": "COMPUTER AND COMPUTER PERIPHERAL EQUIPMENT AND SOFTWARE MERCHANT WHOLESALERS",
    "541512": "COMPUTER SYSTEMS DESIGN SERVICES",
    "541519": "OTHER COMPUTER RELATED SERVICES",
    "561621": "SECURITY SYSTEMS SERVICES (EXCEPT LOCKSMITHS)",
    "334220": "RADIO AND TELEVISION BROADCASTING AND WIRELESS COMMUNICATIONS EQUIPMENT MANUFACTURING",
    "334310": "AUDIO AND VIDEO EQUIPMENT MANUFACTURING",
    "424120": "STATIONERY AND OFFICE SUPPLIES MERCHANT WHOLESALERS",
    "337214": "OFFICE FURNITURE (EXCEPT WOOD) MANUFACTURING",
    "334516": "ANALYTICAL LABORATORY INSTRUMENT MANUFACTURING",
    "561720": "JANITORIAL SERVICES",
    "561612": "SECURITY GUARDS AND PATROL SERVICES",
    "541611": "ADMINISTRATIVE MANAGEMENT AND GENERAL MANAGEMENT CONSULTING SERVICES",
    "238220": "PLUMBING, HEATING, AND AIR-CONDITIONING CONTRACTORS",
}


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    sub_code: str
    sub_name: str
    piid_prefix: str

    @property
    def office_code(self) -> str:
        return f"{self.sub_code}A1"

    @property
    def office_name(self) -> str:
        return f"{self.piid_prefix} CONTRACTING OFFICE"


HHS, DOJ, TREAS = (
    "Department of Health and Human Services",
    "Department of Justice",
    "Department of the Treasury",
)
DHS, DOI = "Department of Homeland Security", "Department of the Interior"
NIH = Agency("075", HHS, "7529", "National Institutes of Health", "NIHOA")
CDC = Agency("075", HHS, "7523", "Centers for Disease Control and Prevention", "CDCPG")
BOP = Agency("015", DOJ, "1540", "Federal Prison System / Bureau of Prisons", "BOPNA")
FBI = Agency("015", DOJ, "1549", "Federal Bureau of Investigation", "FBIHQ")
DEA = Agency("015", DOJ, "1524", "Drug Enforcement Administration", "DEAHQ")
USMS = Agency("015", DOJ, "1544", "U.S. Marshals Service", "USMSP")
OCC = Agency("020", TREAS, "2046", "Office of the Comptroller of the Currency", "OCCAQ")
IRS = Agency("020", TREAS, "2050", "Internal Revenue Service", "IRSPR")
MINT = Agency("020", TREAS, "2044", "United States Mint", "MINTP")
STATE = Agency("019", "Department of State", "1900", "Department of State", "DOSAQ")
CBP = Agency("070", DHS, "7014", "U.S. Customs and Border Protection", "CBPPD")
ICE = Agency("070", DHS, "7012", "U.S. Immigration and Customs Enforcement", "ICEPR")
FEMA = Agency("070", DHS, "7022", "Federal Emergency Management Agency", "FEMAP")
TSA = Agency("070", DHS, "7013", "Transportation Security Administration", "TSAPR")
NPS = Agency("014", DOI, "1443", "National Park Service", "NPSCO")
USGS = Agency("014", DOI, "1434", "U.S. Geological Survey", "USGSA")
BLM = Agency("014", DOI, "1422", "Bureau of Land Management", "BLMAQ")
NASA = Agency(
    "080",
    "National Aeronautics and Space Administration",
    "8000",
    "National Aeronautics and Space Administration",
    "NASAP",
)
ED = Agency("091", "Department of Education", "9100", "Department of Education", "EDCPO")
HUD = Agency(
    "086",
    "Department of Housing and Urban Development",
    "8600",
    "Department of Housing and Urban Development",
    "HUDCP",
)
DOE = Agency("089", "Department of Energy", "8900", "Department of Energy", "DOEPR")
ALL = (
    NIH,
    CDC,
    BOP,
    FBI,
    DEA,
    USMS,
    OCC,
    IRS,
    MINT,
    STATE,
    CBP,
    ICE,
    FEMA,
    TSA,
    NPS,
    USGS,
    BLM,
    NASA,
    ED,
    HUD,
    DOE,
)


def _fake_id(name: str, length: int, digits: bool = False) -> str:
    raw = hashlib.sha256(name.encode()).hexdigest().upper()
    if digits:
        return str(int(raw, 16))[:length]
    return "".join(ch for ch in raw if ch not in "IO")[:length]


@dataclass(frozen=True)
class Vendor:
    name: str
    country: str = "UNITED STATES"
    country_code: str = "USA"
    real: bool = False
    """A real company: no identifiers are invented for it."""

    @property
    def parent(self) -> str:
        return self.name

    @property
    def dba(self) -> str:
        return ""

    @property
    def uei(self) -> str:
        return "" if self.real else _fake_id(self.name, 12)

    @property
    def duns(self) -> str:
        return "" if self.real else _fake_id(self.name, 9, digits=True)

    @property
    def cage(self) -> str:
        return "" if self.real else _fake_id(self.name + "cage", 5)


KASPERSKY = Vendor("KASPERSKY LAB, INC.", real=True)
HIKVISION_USA = Vendor("HIKVISION USA INC", real=True)
DAHUA_USA = Vendor("DAHUA TECHNOLOGY USA INC", real=True)
ZTE_USA = Vendor("ZTE USA INC", real=True)
HUAWEI_USA = Vendor("HUAWEI TECHNOLOGIES USA INC", real=True)
HYTERA_AMERICA = Vendor("HYTERA AMERICA INC", real=True)
NORSAT = Vendor("NORSAT INTERNATIONAL INC.", "CANADA", "CAN", real=True)
SEPURA = Vendor("SEPURA LIMITED", "UNITED KINGDOM", "GBR", real=True)
LOREX = Vendor("LOREX TECHNOLOGY INC.", "CANADA", "CAN", real=True)
CONTOSO = Vendor("CONTOSO FEDERAL SOLUTIONS LLC")
FABRIKAM = Vendor("FABRIKAM SECURITY INTEGRATORS INC")
NORTHWIND = Vendor("NORTHWIND SURVEILLANCE LLC")
TAILSPIN = Vendor("TAILSPIN IT SERVICES LLC")
WOODGROVE = Vendor("WOODGROVE TECHNOLOGY PARTNERS INC")
LITWARE = Vendor("LITWARE GOVERNMENT SYSTEMS INC")
PROSEWARE = Vendor("PROSEWARE INC")
ADVENTURE = Vendor("ADVENTURE WORKS OFFICE SUPPLY INC")
FIRMS = (
    CONTOSO,
    FABRIKAM,
    NORTHWIND,
    TAILSPIN,
    WOODGROVE,
    LITWARE,
    PROSEWARE,
    ADVENTURE,
    *(
        Vendor(name)
        for name in (
            "WIDE WORLD IMPORTERS LLC",
            "COHO JANITORIAL SERVICES LLC",
            "ALPINE LABORATORY SUPPLY CO",
            "BLUE YONDER FUELS INC",
            "FOURTH COFFEE CONSULTING LLC",
            "TREY RESEARCH INC",
            "LUCERNE PUBLISHING LLC",
            "GRAPHIC DESIGN INSTITUTE INC",
            "CITY POWER AND LIGHT SERVICES LLC",
            "HUMONGOUS INSURANCE SERVICES INC",
            "A DATUM CORPORATION",
            "SOUTHRIDGE VIDEO SYSTEMS INC",
            "FABRIKAM OFFICE FURNITURE LLC",
            "NOD PUBLISHERS INC",
            "MARGIES TRAVEL LLC",
            "WINGTIP TOYS AND TRAINING LLC",
            "KASPAR CONSULTING GROUP LLC",
            "ZTEK SOLUTIONS LLC",
            "HIKARI VISION SYSTEMS INC",
            "DAHUANG ENGINEERING LLC",
        )
    ),
)
"""Fictional firms (the last four have names close to covered vendors' and are not covered)."""


@dataclass(frozen=True)
class Item:
    template: str
    psc: str = "7030"
    naics: str = "511210"
    agencies: tuple[Agency, ...] = ALL

    @property
    def psc_description(self) -> str:
        return PSC[self.psc]

    @property
    def naics_description(self) -> str:
        return NAICS[self.naics]

    def text(self, rng: random.Random) -> str:
        return self.template.format(n=rng.choice((5, 10, 12, 25, 50, 100, 250)))


BACKGROUND_ITEMS = (
    Item("MICROSOFT OFFICE 365 E3 LICENSES ({n} USERS)", "7030", "423430"),
    Item("ADOBE ACROBAT PRO SUBSCRIPTION RENEWAL", "7030", "423430"),
    Item("SYMANTEC ENDPOINT PROTECTION RENEWAL, {n} SEATS", "7030", "423430"),
    Item("MCAFEE ENDPOINT SECURITY SUITE MAINTENANCE", "7030", "423430"),
    Item("TREND MICRO APEX ONE LICENSES", "7030", "423430"),
    Item("TABLEAU DESKTOP LICENSES", "7030", "511210"),
    Item("DELL LATITUDE 5440 LAPTOPS (QTY {n})", "7021", "423430"),
    Item("CISCO CATALYST 9300 SWITCHES AND SMARTNET", "7021", "423430"),
    Item("REMOVABLE MEDIA ENCRYPTION SOFTWARE", "7030", "511210"),
    Item("REMOTE MONITORING SERVICES FOR NETWORK OPERATIONS", "D399", "541519"),
    Item("HELP DESK SUPPORT SERVICES", "D399", "541512"),
    Item("AXIS P3245-V DOME CAMERAS AND INSTALLATION", "6350", "561621"),
    Item("BOSCH ACCESS CONTROL SYSTEM MAINTENANCE", "N063", "561621"),
    Item("MOTOROLA APX 6000 PORTABLE RADIOS (QTY {n})", "5820", "334220"),
    Item("APPLE IPHONE 15 DEVICES AND CASES", "5805", "334220"),
    Item("OFFICE SUPPLIES - TONER AND PAPER", "7510", "424120"),
    Item("ERGONOMIC OFFICE CHAIRS (QTY {n})", "7110", "337214"),
    Item("LABORATORY PIPETTES AND REAGENTS", "6640", "334516", (NIH, CDC)),
    Item("FLOW CYTOMETER SERVICE AGREEMENT", "6640", "334516", (NIH, CDC)),
    Item("JANITORIAL SERVICES FOR FIELD OFFICE", "S201", "561720"),
    Item("ARMED GUARD SERVICES", "S206", "561612"),
    Item("SNOW REMOVAL SERVICES", "Z1AA", "561720"),
    Item("ASBESTOS REMOVAL AND ABATEMENT, BUILDING {n}", "Z1AA", "238220"),
    Item("PROGRAM MANAGEMENT SUPPORT SERVICES", "R408", "541611"),
)


@dataclass(frozen=True)
class Scenario:
    agency: Agency
    vendor: Vendor
    date: str
    amount: str
    description: str
    expected: str = ""
    status: str = "ok"
    note: str = ""
    mods: tuple[tuple[str, str, str], ...] = ()
    psc: str = "7030"
    naics: str = "511210"


K, KI = "recipient:kaspersky", "description:kaspersky"
KR = "removal:kaspersky"
CAM = {"psc": "6350", "naics": "334310"}
INSTALL = {"psc": "N063", "naics": "561621"}
RADIO = {"psc": "5820", "naics": "334220"}

COVERED = (
    # NIH bought Kaspersky from 2008 (press); direct from Kaspersky Lab, Inc.
    Scenario(
        NIH,
        KASPERSKY,
        "2008-03-14",
        "4875.00",
        "KASPERSKY ANTI-VIRUS 2008 LICENSES FOR NIH WORKSTATIONS",
        K,
    ),
    Scenario(
        NIH,
        KASPERSKY,
        "2009-02-20",
        "5210.00",
        "KASPERSKY ANTI-VIRUS LICENSE RENEWAL",
        K,
        mods=(("2009-06-11", "1250.00", "ADD LICENSES"),),
    ),
    Scenario(
        NIH,
        KASPERSKY,
        "2010-03-02",
        "6100.00",
        "KASPERSKY ANTI-VIRUS FOR WINDOWS WORKSTATIONS RENEWAL",
        K,
    ),
    Scenario(
        NIH,
        KASPERSKY,
        "2011-01-18",
        "7450.00",
        "KASPERSKY ENDPOINT SECURITY 8 FOR WINDOWS LICENSES",
        K,
    ),
    Scenario(
        NIH,
        KASPERSKY,
        "2012-02-07",
        "8900.00",
        "KASPERSKY SECURITY CENTER AND ENDPOINT SECURITY MAINTENANCE",
        K,
    ),
    Scenario(
        NIH,
        KASPERSKY,
        "2013-03-22",
        "11200.00",
        "KASPERSKY ENDPOINT SECURITY FOR BUSINESS - SELECT, 300 NODES",
        K,
        mods=(
            ("2014-03-20", "11200.00", "EXERCISE OPTION YEAR 1"),
            ("2015-03-19", "11800.00", "EXERCISE OPTION YEAR 2"),
        ),
    ),
    Scenario(
        NIH,
        KASPERSKY,
        "2016-02-11",
        "12400.00",
        "KASPERSKY ENDPOINT SECURITY FOR BUSINESS RENEWAL",
        K,
        mods=(("2017-10-24", "-3100.00", "DEOBLIGATE REMAINING FUNDS"),),
    ),
    Scenario(
        NIH,
        TAILSPIN,
        "2017-12-05",
        "9600.00",
        "UNINSTALL KASPERSKY SOFTWARE FROM LABORATORY WORKSTATIONS PER BOD 17-01",
        KR,
        psc="D399",
        naics="541519",
    ),
    # Justice: Bureau of Prisons direct, FBI and DEA through resellers
    Scenario(
        BOP,
        KASPERSKY,
        "2013-09-12",
        "38500.00",
        "KASPERSKY ENDPOINT SECURITY LICENSES FOR BOP INSTITUTIONS",
        K,
    ),
    Scenario(
        BOP, KASPERSKY, "2014-09-08", "41200.00", "KASPERSKY ENDPOINT SECURITY LICENSE RENEWAL", K
    ),
    Scenario(
        BOP,
        KASPERSKY,
        "2015-09-15",
        "52300.00",
        "KASPERSKY ENDPOINT SECURITY FOR BUSINESS ADVANCED RENEWAL",
        K,
    ),
    Scenario(
        BOP,
        KASPERSKY,
        "2016-09-20",
        "57800.00",
        "KASPERSKY ENDPOINT SECURITY FOR BUSINESS ADVANCED RENEWAL",
        K,
    ),
    Scenario(
        BOP,
        CONTOSO,
        "2017-11-15",
        "24000.00",
        "REMOVE KASPERSKY ENDPOINT SECURITY AND REPLACE WITH SYMANTEC ENDPOINT PROTECTION",
        KR,
        psc="D399",
        naics="541519",
    ),
    Scenario(
        FBI,
        CONTOSO,
        "2015-06-30",
        "64000.00",
        "KASPERSKY ENDPOINT SECURITY FOR BUSINESS ADVANCED 1 YEAR RENEWAL",
        KI,
        psc="7030",
        naics="423430",
    ),
    Scenario(
        FBI,
        CONTOSO,
        "2016-06-28",
        "71500.00",
        "KASPERSKY SECURITY FOR MAIL SERVER AND ENDPOINT RENEWAL",
        KI,
        naics="423430",
    ),
    Scenario(
        DEA,
        NORTHWIND,
        "2016-08-09",
        "9800.00",
        "REPLACEMENT LICENSES FOR KASPERSKY ENDPOINT SECURITY",
        KI,
        note="'replacement licenses' is a purchase",
        naics="423430",
    ),
    # Treasury: OCC direct, IRS through a reseller
    Scenario(OCC, KASPERSKY, "2012-04-17", "3950.00", "KASPERSKY ANTI-VIRUS LICENSES", K),
    Scenario(OCC, KASPERSKY, "2014-04-10", "4300.00", "KASPERSKY ENDPOINT SECURITY RENEWAL", K),
    Scenario(OCC, KASPERSKY, "2016-04-12", "4700.00", "KASPERSKY ENDPOINT SECURITY RENEWAL", K),
    Scenario(
        OCC,
        WOODGROVE,
        "2018-01-23",
        "15600.00",
        "KASPERSKY REMOVAL AND ENDPOINT PROTECTION MIGRATION SERVICES",
        KR,
        psc="D399",
        naics="541519",
    ),
    Scenario(
        IRS,
        LITWARE,
        "2014-07-29",
        "18750.00",
        "KASPERSKY SECURITY FOR VIRTUALIZATION LICENSES",
        KI,
        naics="423430",
    ),
    # State: three small contracts since FY2012 under $9,000 in total (press)
    Scenario(STATE, KASPERSKY, "2012-08-21", "2150.00", "KASPERSKY ANTI-VIRUS SOFTWARE", K),
    Scenario(
        STATE,
        PROSEWARE,
        "2014-05-06",
        "2890.00",
        "KASPERSKY INTERNET SECURITY LICENSES FOR POST",
        KI,
        naics="423430",
    ),
    Scenario(
        STATE, KASPERSKY, "2016-07-19", "3420.00", "KASPERSKY ENDPOINT SECURITY LICENSE RENEWAL", K
    ),
    Scenario(
        STATE,
        PROSEWARE,
        "2017-12-18",
        "5200.00",
        "REPLACEMENT OF KASPERSKY ANTIVIRUS ON STANDALONE SYSTEMS",
        KR,
        psc="D399",
        naics="541519",
    ),
    # purchases after the prohibitions (the shape of a violation)
    Scenario(
        FEMA,
        CONTOSO,
        "2015-11-03",
        "12500.00",
        "KASPERSKY SECURITY CENTER MAINTENANCE RENEWAL",
        KI,
        note="bad amount",
        naics="423430",
    ),
    Scenario(
        NPS,
        ADVENTURE,
        "2019-03-12",
        "399.95",
        "KASPERSKY TOTAL SECURITY RENEWAL (5 DEVICES)",
        KI,
        naics="423430",
    ),
    Scenario(
        USGS,
        ADVENTURE,
        "2021-06-08",
        "620.00",
        "KASPERSKY SMALL OFFICE SECURITY 10 SEATS",
        KI,
        naics="423430",
    ),
    # Hikvision: direct, through integrators, and removals
    Scenario(
        CBP,
        HIKVISION_USA,
        "2016-05-17",
        "48700.00",
        "HIKVISION IP CAMERAS AND NETWORK VIDEO RECORDERS",
        "recipient:hikvision",
        **CAM,
    ),
    Scenario(
        ICE,
        HIKVISION_USA,
        "2018-06-05",
        "22300.00",
        "HIKVISION DOME CAMERAS AND NVR FOR FIELD OFFICE",
        "recipient:hikvision",
        **CAM,
    ),
    Scenario(
        NASA,
        HIKVISION_USA,
        "2019-09-24",
        "31000.00",
        "HIKVISION THERMAL CAMERAS",
        "recipient:hikvision",
        **CAM,
    ),
    Scenario(
        NPS,
        FABRIKAM,
        "2015-04-14",
        "18900.00",
        "HIKVISION DS-2CD2142FWD-I CAMERAS AND INSTALLATION",
        "description:hikvision",
        **INSTALL,
    ),
    Scenario(
        USMS,
        FABRIKAM,
        "2017-08-22",
        "7400.00",
        "IVMS-4200 CLIENT SOFTWARE SETUP AND HIKVISION NVR INTEGRATION",
        "description:hikvision",
        **INSTALL,
    ),
    Scenario(
        MINT,
        FABRIKAM,
        "2020-02-11",
        "3100.00",
        "HIK-CONNECT MOBILE VIEWING SETUP FOR EXISTING CAMERAS",
        "description:hikvision",
        **INSTALL,
    ),
    Scenario(
        HUD,
        FABRIKAM,
        "2021-05-25",
        "26400.00",
        "HIKVISION CAMERA SYSTEM EXPANSION, 16 CAMERAS",
        "description:hikvision",
        **INSTALL,
    ),
    Scenario(
        CBP,
        FABRIKAM,
        "2020-06-16",
        "142000.00",
        "REMOVE AND REPLACE HIKVISION CAMERAS WITH NDAA COMPLIANT CAMERAS",
        "removal:hikvision",
        **INSTALL,
    ),
    Scenario(
        ICE,
        NORTHWIND,
        "2020-09-29",
        "36500.00",
        "DECOMMISSION IVMS-4200 SERVERS AND CAMERAS AT FIELD OFFICES",
        "removal:hikvision",
        **INSTALL,
    ),
    Scenario(
        TSA,
        NORTHWIND,
        "2021-03-09",
        "58000.00",
        "AXIS CAMERAS TO REPLACE HIKVISION UNITS",
        "removal:hikvision",
        **INSTALL,
    ),
    # Dahua and its former subsidiary Lorex
    Scenario(
        FEMA,
        DAHUA_USA,
        "2018-04-10",
        "12800.00",
        "DAHUA PTZ CAMERAS FOR WAREHOUSE",
        "recipient:dahua",
        **CAM,
    ),
    Scenario(
        BLM,
        NORTHWIND,
        "2019-05-21",
        "6750.00",
        "DSS EXPRESS VIDEO MANAGEMENT SOFTWARE AND DAHUA NVR",
        "description:dahua",
        **INSTALL,
    ),
    Scenario(
        ED,
        NORTHWIND,
        "2020-10-06",
        "5900.00",
        "DAHUA 4MP BULLET CAMERAS (QTY 12)",
        "description:dahua",
        **INSTALL,
    ),
    Scenario(
        DOE,
        NORTHWIND,
        "2021-07-13",
        "4400.00",
        "DECOMMISSION LEGACY DAHUA DVR SYSTEM",
        "removal:dahua",
        **INSTALL,
    ),
    Scenario(
        CDC,
        LOREX,
        "2019-05-02",
        "2499.00",
        "LOREX SECURITY CAMERA SYSTEM",
        "affiliate:dahua",
        **CAM,
    ),
    Scenario(
        CDC,
        LOREX,
        "2024-03-19",
        "2699.00",
        "LOREX SECURITY CAMERA SYSTEM",
        note="Lorex after Dahua sold it (catalog relation ends 2023)",
        **CAM,
    ),
    # Huawei, ZTE, Hytera and Hytera's subsidiaries
    Scenario(
        STATE,
        HUAWEI_USA,
        "2012-09-11",
        "28000.00",
        "HUAWEI NETWORK SWITCHES FOR EMBASSY LAN",
        "recipient:huawei",
        psc="7021",
        naics="423430",
    ),
    Scenario(
        ED,
        LITWARE,
        "2014-02-18",
        "19500.00",
        "HUAWEI ENTERPRISE ROUTERS AND SWITCHES",
        "description:huawei",
        psc="7021",
        naics="423430",
    ),
    Scenario(
        TSA,
        WOODGROVE,
        "2020-11-17",
        "33000.00",
        "REMOVAL OF HUAWEI NETWORK EQUIPMENT",
        "removal:huawei",
        psc="D399",
        naics="541519",
    ),
    Scenario(
        ICE,
        ZTE_USA,
        "2016-01-26",
        "4200.00",
        "ZTE MOBILE HOTSPOTS",
        "recipient:zte",
        psc="5805",
        naics="334220",
    ),
    Scenario(
        USMS,
        HYTERA_AMERICA,
        "2016-11-08",
        "16300.00",
        "HYTERA DMR PORTABLE RADIOS",
        "recipient:hytera",
        **RADIO,
    ),
    Scenario(
        NASA,
        NORSAT,
        "2016-03-15",
        "45000.00",
        "PORTABLE SATELLITE TERMINAL",
        note="Norsat before Hytera bought it (2017)",
        **RADIO,
    ),
    Scenario(
        FEMA,
        NORSAT,
        "2019-07-30",
        "88000.00",
        "PORTABLE SATELLITE TERMINALS",
        "affiliate:hytera",
        **RADIO,
    ),
    Scenario(
        STATE,
        SEPURA,
        "2018-10-02",
        "21500.00",
        "TETRA RADIO TERMINALS FOR POST",
        "affiliate:hytera",
        **RADIO,
    ),
    # traps: a surname, and a description that names Kaspersky without buying from it
    Scenario(
        DEA,
        Vendor("KASPERSKY & ASSOCIATES CPA LLC"),
        "2018-02-14",
        "7200.00",
        "FORENSIC ACCOUNTING SUPPORT",
        note="a surname, not the vendor",
        psc="R408",
        naics="541611",
    ),
    Scenario(
        FBI,
        TAILSPIN,
        "2019-04-02",
        "4800.00",
        "MALWARE ANALYSIS TRAINING: KASPERSKY AND ESET THREAT REPORTS AS CASE STUDIES",
        status="known_issue",
        note="names Kaspersky without buying from it; a word search cannot tell",
        psc="R408",
        naics="541611",
    ),
)
"""Covered-vendor rows, with what a correct reading finds (``kind:vendor``)."""
