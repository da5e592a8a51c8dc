"""Verification details: CPE conversion and regex patterns."""

from __future__ import annotations

import pytest

from rootout.match.verify import cpe23


@pytest.mark.parametrize(
    ("uri", "formatted"),
    [
        (
            "cpe:/a:kaspersky_lab:kaspersky_internet_security:2017",
            "cpe:2.3:a:kaspersky_lab:kaspersky_internet_security:2017:*:*:*:*:*:*:*",
        ),
        (
            "cpe:/a:kaspersky_lab:kaspersky_anti-virus:6.0::workstations",
            "cpe:2.3:a:kaspersky_lab:kaspersky_anti-virus:6.0:*:workstations:*:*:*:*:*",
        ),
        (
            "cpe:/a:vendor:prod:1.0:sp1:~~pro~win~x64~",
            "cpe:2.3:a:vendor:prod:1.0:sp1:*:*:pro:win:x64:*",
        ),
        ("cpe:/h:Hikvision", "cpe:2.3:h:hikvision:*:*:*:*:*:*:*:*:*"),
    ],
)
def test_cpe22_uris_become_cpe23_formatted_strings(uri: str, formatted: str) -> None:
    assert cpe23(uri) == formatted
    assert len(formatted.split(":")) == 13  # "cpe", "2.3" and eleven components
    assert cpe23(formatted) == formatted
