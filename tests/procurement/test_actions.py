"""Per-action results from the matcher's hits, and the totals over them (real catalog)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rootout.catalog.cache import load_compiled
from rootout.catalog.catalog import Catalog
from rootout.match.engine import Matcher
from rootout.model.observation import SourceRef
from rootout.procurement.actions import Action, ActionCollector, Via
from rootout.procurement.analysis import summarise
from rootout.procurement.records import build


@pytest.fixture(scope="module")
def catalog_and_matcher() -> tuple[Catalog, Matcher]:
    catalog, index = load_compiled()
    return catalog, Matcher(catalog, index=index)


ROWS = {
    "direct": (
        "KASPERSKY LAB, INC.",
        "2013-09-12",
        "38500.00",
        "KASPERSKY ENDPOINT SECURITY LICENSES",
    ),
    "reseller-2016": (
        "CONTOSO FEDERAL SOLUTIONS LLC",
        "2016-06-28",
        "71500.00",
        "KASPERSKY ENDPOINT SECURITY RENEWAL",
    ),
    "reseller-2019": (
        "ADVENTURE WORKS OFFICE SUPPLY INC",
        "2019-03-12",
        "399.95",
        "KASPERSKY TOTAL SECURITY RENEWAL",
    ),
    "affiliate": (
        "NORSAT INTERNATIONAL INC.",
        "2019-09-30",
        "88000.00",
        "PORTABLE SATELLITE TERMINALS",
    ),
    "before-acquisition": (
        "NORSAT INTERNATIONAL INC.",
        "2016-03-15",
        "45000.00",
        "PORTABLE SATELLITE TERMINAL",
    ),
    "removal": (
        "TAILSPIN IT SERVICES LLC",
        "2017-12-05",
        "9600.00",
        "UNINSTALL KASPERSKY SOFTWARE FROM WORKSTATIONS",
    ),
    "unrelated": ("WIDE WORLD IMPORTERS LLC", "2018-01-01", "10.00", "OFFICE SUPPLIES"),
}


def actions(
    matcher: Matcher, names: list[str], path: str = "a.csv", record: str = "transaction"
) -> list[Action]:
    collector = ActionCollector(matcher)
    for row, name in enumerate(names, start=1):
        supplier, date, amount, text = ROWS[name]
        fields = {
            "transaction_key": f"TX-{name}",
            "award_key": f"CONT_AWD_{name}",
            "supplier": supplier,
            "action_date": date,
            "amount": amount,
            "description": text,
            "agency": "Department of Justice",
        }
        built = build(fields, SourceRef(path, row + 1), row=row, kind=record)
        for observation in built.observations:
            collector.add(observation)
    return collector.actions()


def test_how_each_vendor_got_in(catalog_and_matcher: tuple[Catalog, Matcher]) -> None:
    _, matcher = catalog_and_matcher
    found = {
        a.get("transaction_key").removeprefix("TX-"): [
            (i.entity, i.via, i.removal) for i in a.involvements
        ]
        for a in actions(matcher, list(ROWS))
    }
    kaspersky = "kaspersky.ao-kaspersky-lab"
    assert found == {
        "direct": [(kaspersky, Via.RECIPIENT, False)],
        "reseller-2016": [(kaspersky, Via.DESCRIPTION, False)],
        "reseller-2019": [(kaspersky, Via.DESCRIPTION, False)],
        "affiliate": [("hytera.hytera-communications", Via.AFFILIATE, False)],
        "removal": [(kaspersky, Via.DESCRIPTION, True)],
    }


def test_rules_are_judged_at_each_action_date(catalog_and_matcher: tuple[Catalog, Matcher]) -> None:
    _, matcher = catalog_and_matcher
    by_key = {
        a.get("transaction_key"): a for a in actions(matcher, ["reseller-2016", "reseller-2019"])
    }
    assert by_key["TX-reseller-2016"].in_force == ()
    assert set(by_key["TX-reseller-2019"].in_force) >= {"BOD 17-01", "NDAA FY2018 §1634"}
    assert by_key["TX-reseller-2019"].channel == "reseller"


def test_totals_put_actions_after_a_prohibition_first(
    catalog_and_matcher: tuple[Catalog, Matcher],
) -> None:
    catalog, matcher = catalog_and_matcher
    summary = summarise(actions(matcher, list(ROWS)), catalog)
    order = [a.get("transaction_key") for a in summary.actions]
    assert order[:2] == ["TX-reseller-2019", "TX-affiliate"]  # in force, by date
    assert order[2:] == ["TX-direct", "TX-reseller-2016", "TX-removal"]
    channels = {t.key[0]: (t.actions, t.amount) for t in summary.by_channel}
    assert channels == {
        "affiliate": (1, Decimal("88000.00")),
        "reseller": (2, Decimal("71899.95")),
        "direct": (1, Decimal("38500.00")),
        "removal": (1, Decimal("9600.00")),
    }
    (first,) = summary.first_purchases
    assert (first.agency, first.on, first.channel) == (
        "Department of Justice",
        dt.date(2013, 9, 12),
        "direct",
    )
    rules = {r.short: (r.effective_from, r.actions_after) for r in summary.rules}
    assert rules["BOD 17-01"] == ("2017-09-13", 1)
    assert rules["NDAA FY2019 §889"] == ("2019-08-13", 1)


def test_repeated_transactions_and_superseded_award_summaries_count_once(
    catalog_and_matcher: tuple[Catalog, Matcher],
) -> None:
    catalog, matcher = catalog_and_matcher
    part1 = actions(matcher, ["direct", "reseller-2016"], "part_1.csv")
    part2 = actions(matcher, ["direct"], "part_2.csv")
    award = actions(matcher, ["direct"], "awards.csv", record="award")
    summary = summarise([*part1, *part2, *award], catalog)
    assert len(summary.actions) == 2
    (duplicate,) = summary.duplicates
    assert (duplicate.key, duplicate.kept, duplicate.dropped) == (
        "TX-direct",
        "part_1.csv:2",
        "part_2.csv:2",
    )
    assert summary.superseded_awards == 1
