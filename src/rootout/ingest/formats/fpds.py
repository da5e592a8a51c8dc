"""FPDS-NG ATOM feed (``https://www.fpds.gov/ezsearch/FEEDS/ATOM?...``): contract actions as XML.

Each ``<entry>`` holds one ``<ns1:award>`` (or ``<ns1:IDV>``) in the namespace
``https://www.fpds.gov/FPDS``. Elements are found by local name, so a feed saved
with another prefix reads the same. Element paths (formats.md §10):

| record key | element |
|---|---|
| piid, modification | ``awardID/awardContractID/{PIID, modNumber}`` (IDV: ``contractID/IDVID``) |
| parent_piid | ``awardID/referencedIDVID/PIID`` |
| action_date | ``relevantContractDates/signedDate`` |
| amount | ``dollarValues/obligatedAmount`` |
| agency, sub_agency, office | ``purchaserInformation/contractingOfficeAgencyID`` (``@departmentName``, ``@name``), ``contractingOfficeID/@name`` |
| description | ``contractData/descriptionOfContractRequirement`` |
| psc, naics | ``productOrServiceInformation/{productOrServiceCode, principalNAICSCode}`` |
| supplier, dba_name | ``vendor/vendorHeader/{vendorName, vendorDoingAsBusinessName or vendorAlternateName}`` |
| duns, cage, parent_name | ``vendor/vendorSiteDetails/vendorDUNSInformation/{DUNSNumber, cageCode, globalParentDUNSName}`` |
| uei | ``vendor/vendorSiteDetails/vendorUEIInformation/UEI`` (newer feeds; **UNCONFIRMED**) |

The award key is built the way USAspending names awards
(``CONT_AWD_<PIID>_<agency>_<parent PIID>_<parent agency>``), so the same award
read from FPDS and from a USAspending download is the same asset. Parsed with
defusedxml: a DTD with entities or an external reference is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from rootout.errors import InputError, Location
from rootout.ingest.base import Reader, register
from rootout.ingest.textio import head_text
from rootout.model.observation import Observation, SourceRef
from rootout.procurement.records import RecordError, award_key, build

ACTIONS = frozenset({"award", "IDV", "OtherTransactionAward", "OtherTransactionIDV"})


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(element: Element | None, path: str) -> Element | None:
    """The first descendant along ``a/b/c`` by local names."""
    for name in path.split("/"):
        if element is None:
            return None
        element = next((child for child in element if _local(child.tag) == name), None)
    return element


def _text(element: Element | None, path: str = "", attribute: str = "") -> str:
    found = _find(element, path) if path else element
    if found is None:
        return ""
    value = found.get(attribute, "") if attribute else (found.text or "")
    return value.strip()


def _first(element: Element, *paths: str) -> str:
    return next((value for path in paths if (value := _text(element, path))), "")


def action_record(action: Element) -> dict[str, str]:
    """The record keys of one ``award`` or ``IDV`` element."""
    idv = _local(action.tag).endswith("IDV")
    ids = "contractID/IDVID" if idv else "awardID/awardContractID"
    piid, agency = _text(action, f"{ids}/PIID"), _text(action, f"{ids}/agencyID")
    parent_piid = _text(action, "awardID/referencedIDVID/PIID")
    parent_agency = _text(action, "awardID/referencedIDVID/agencyID")
    office = _find(action, "purchaserInformation/contractingOfficeAgencyID")
    funding = _find(action, "purchaserInformation/fundingRequestingAgencyID")
    duns = "vendor/vendorSiteDetails/vendorDUNSInformation"
    key = (
        f"CONT_IDV_{piid}_{agency}" if idv else award_key(piid, agency, parent_piid, parent_agency)
    )
    mod = _text(action, f"{ids}/modNumber")
    number = _text(action, f"{ids}/transactionNumber")
    return {
        "award_key": key if piid else "",
        "transaction_key": f"FPDS_{key}_{mod or '0'}_{number or '0'}" if piid else "",
        "piid": piid,
        "modification": mod,
        "parent_piid": parent_piid,
        "parent_agency_code": parent_agency,
        "action_date": _text(action, "relevantContractDates/signedDate"),
        "amount": _text(action, "dollarValues/obligatedAmount"),
        "agency": _text(office, attribute="departmentName"),
        "agency_code": _text(office, attribute="departmentID"),
        "sub_agency": _text(office, attribute="name"),
        "sub_agency_code": _text(office),
        "office": _text(action, "purchaserInformation/contractingOfficeID", "name"),
        "office_code": _text(action, "purchaserInformation/contractingOfficeID"),
        "funding_agency": _text(funding, attribute="departmentName"),
        "funding_sub_agency": _text(funding, attribute="name"),
        "description": _text(action, "contractData/descriptionOfContractRequirement"),
        "psc": _text(action, "productOrServiceInformation/productOrServiceCode"),
        "psc_description": _text(
            action, "productOrServiceInformation/productOrServiceCode", "description"
        ),
        "naics": _text(action, "productOrServiceInformation/principalNAICSCode"),
        "naics_description": _text(
            action, "productOrServiceInformation/principalNAICSCode", "description"
        ),
        "award_type": _text(action, "contractData/contractActionType", "description"),
        "supplier": _text(action, "vendor/vendorHeader/vendorName"),
        "dba_name": _first(
            action,
            "vendor/vendorHeader/vendorDoingAsBusinessName",
            "vendor/vendorHeader/vendorAlternateName",
        ),
        "duns": _text(action, f"{duns}/DUNSNumber"),
        "cage": _text(action, f"{duns}/cageCode"),
        "parent_name": _text(action, f"{duns}/globalParentDUNSName"),
        "parent_duns": _text(action, f"{duns}/globalParentDUNSNumber"),
        "uei": _text(action, "vendor/vendorSiteDetails/vendorUEIInformation/UEI"),
        "parent_uei": _text(
            action, "vendor/vendorSiteDetails/vendorUEIInformation/ultimateParentUEI"
        ),
        "recipient_country": _text(
            action, "vendor/vendorSiteDetails/vendorLocation/countryCode", "name"
        ),
    }


@register
class FpdsAtomReader(Reader):
    name = "fpds-atom"
    description = "FPDS-NG ATOM feed of contract actions (award and IDV entries)"
    priority = 20

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        text = head_text(head)
        return (
            "<" in text[:512]
            and "fpds.gov/FPDS" in text
            and ("<feed" in text or ":award" in text or "<award" in text)
        )

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        display = str(path)
        count = 0
        try:
            for _event, element in iterparse(stream, events=("end",), forbid_dtd=True):
                if _local(element.tag) not in ACTIONS:
                    continue
                count += 1
                yield from self._action(element, display, count)
                element.clear()
        except ParseError as exc:
            line = exc.position[0] if exc.position else 0
            raise InputError(Location(display, line), f"not well-formed XML: {exc}") from None
        except DefusedXmlException as exc:
            raise InputError(Location(display), f"refused: {exc}") from None
        except (LookupError, UnicodeError) as exc:  # an XML declaration naming a bad encoding
            raise InputError(Location(display, 1), f"cannot decode: {exc}") from None
        if count == 0:
            raise InputError(Location(display), "no FPDS award or IDV elements")

    def _action(self, element: Element, display: str, count: int) -> Iterator[Observation]:
        pointer = f"/feed/entry[{count}]/{_local(element.tag)}"
        source = SourceRef(display, 0, pointer, self.name)
        try:
            built = build(action_record(element), source, row=count, kind="fpds")
        except RecordError as exc:
            self.bad_record(InputError(Location(display), f"{pointer}: {exc}"))
            return
        for warning in built.warnings:
            if not warning.startswith("no action date"):
                self.bad_record(
                    InputError(Location(display), f"{pointer}: {warning}"), skipped=False
                )
        yield from built.observations
