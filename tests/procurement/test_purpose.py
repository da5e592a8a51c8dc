"""Purchase or removal: the description split that decides procurement vs procurement_removal."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rootout.procurement.purpose import classify


@pytest.mark.parametrize(
    ("text", "removal", "purchase"),
    [
        ("remove Kaspersky", "Kaspersky", ""),
        ("replace Hikvision cameras", "Hikvision cameras", ""),
        ("RIP AND REPLACE HUAWEI ZTE EQUIPMENT", "HUAWEI ZTE EQUIPMENT", ""),
        (
            "REMOVE AND REPLACE HIKVISION CAMERAS WITH AXIS CAMERAS",
            "HIKVISION CAMERAS",
            "WITH AXIS CAMERAS",
        ),
        (
            "REPLACE MCAFEE WITH KASPERSKY ENDPOINT SECURITY",
            "MCAFEE",
            "WITH KASPERSKY ENDPOINT SECURITY",
        ),
        ("REMOVE MCAFEE AND KASPERSKY", "MCAFEE AND KASPERSKY", ""),
        (
            "REMOVE KASPERSKY AND INSTALL MICROSOFT DEFENDER",
            "KASPERSKY",
            "AND INSTALL MICROSOFT DEFENDER",
        ),
        ("UNINSTALL KASPERSKY FROM ALL WORKSTATIONS", "KASPERSKY", "FROM ALL WORKSTATIONS"),
        ("KASPERSKY ANTIVIRUS REMOVAL", "KASPERSKY ANTIVIRUS", ""),
        (
            "KASPERSKY REMOVAL AND ENDPOINT PROTECTION MIGRATION SERVICES",
            "KASPERSKY",
            "AND ENDPOINT PROTECTION MIGRATION SERVICES",
        ),
        (
            "REMOVAL OF KASPERSKY SOFTWARE AND INSTALLATION OF DEFENDER",
            "KASPERSKY SOFTWARE",
            "AND INSTALLATION OF DEFENDER",
        ),
        ("REMOVAL AND REPLACEMENT OF HIKVISION CAMERAS, BLDG 12", "HIKVISION CAMERAS", "BLDG 12"),
        ("MIGRATE FROM KASPERSKY TO DEFENDER", "KASPERSKY", "TO DEFENDER"),
        (
            "DECOMMISSION IVMS-4200 SERVERS AND CAMERAS AT FIELD OFFICES",
            "IVMS-4200 SERVERS AND CAMERAS",
            "AT FIELD OFFICES",
        ),
        ("AXIS CAMERAS TO REPLACE HIKVISION UNITS", "HIKVISION UNITS", "AXIS CAMERAS TO"),
        (
            "HIKVISION CAMERA INSTALLATION AND DEBRIS REMOVAL",
            "DEBRIS",
            "HIKVISION CAMERA INSTALLATION AND",
        ),
        ("KASPERSKY LICENSES REPLACED WITH DEFENDER", "KASPERSKY LICENSES", "WITH DEFENDER"),
        ("RIP AND REPLACE PROGRAM - HUAWEI EQUIPMENT", "PROGRAM HUAWEI EQUIPMENT", ""),
    ],
)
def test_removal_objects_are_split_from_what_is_bought(
    text: str, removal: str, purchase: str
) -> None:
    result = classify(text)
    assert result.is_removal
    assert (result.removal, result.purchase) == (removal, purchase)


@pytest.mark.parametrize(
    "text",
    [
        "Kaspersky Total Security renewal",
        "REPLACEMENT LICENSES FOR KASPERSKY ENDPOINT SECURITY",
        "HIKVISION REPLACEMENT CAMERAS",
        "REMOTE MONITORING SERVICES",
        "REMOVABLE MEDIA ENCRYPTION SOFTWARE",
        "KASPERSKY ENDPOINT SECURITY FOR BUSINESS - ADVANCED, 500 NODES",
    ],
)
def test_purchases_that_look_like_removals_stay_purchases(text: str) -> None:
    result = classify(text)
    assert not result.is_removal
    assert (result.removal, result.purchase) == ("", text)


def test_a_cue_with_nothing_named_removes_the_whole_text() -> None:
    assert classify("DECOMMISSIONING").removal == ""
    assert classify("HIKVISION DECOMMISSIONING").removal == "HIKVISION"


WORDS = st.sampled_from(
    [
        "remove",
        "replace",
        "rip",
        "and",
        "of",
        "with",
        "kaspersky",
        "hikvision",
        "removal",
        "replacement",
        "cameras",
        "licenses",
        "renewal",
        "to",
        "from",
        "uninstall",
        "decommission",
        ",",
        ";",
        "-",
        "IVMS-4200",
        "Huawei",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=14).map(" ".join) | st.text(max_size=80))
def test_both_parts_are_made_of_whole_words_of_the_text(text: str) -> None:
    """The DuckDB prefilter relies on it: a word found in a part is a word of the description."""
    result = classify(text)
    words = set(re.findall(r"[^\W_]+", text))
    for part in (result.removal, result.purchase):
        assert set(re.findall(r"[^\W_]+", part)) <= words
