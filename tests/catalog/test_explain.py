"""`catalog explain` near misses are meaningful: whole tokens, no short-name noise, prefixes named."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from rootout.catalog import Catalog, load_catalog
from rootout.catalog.explain import explain_text, shared_prefixes
from rootout.cli.main import app
from tests.conftest import FIXTURES

PACK = FIXTURES / "catalog" / "explain"
KASPA = "'kaspa' shares the prefix 'kasp' with 'kaspersky' but whole-token matching requires 'kaspersky'"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog([PACK], builtin=False)


def test_kaspa_names_the_prefix_it_shares_and_the_token_required(catalog: Catalog) -> None:
    result = explain_text(catalog, "Kaspa Wallet")
    assert result.hits == []
    reasons = {n.object_id: n.reason for n in result.near}
    assert reasons["sig.fx.name-token"] == KASPA
    assert "neg.fx.kaspa-wallet" in reasons  # the catalog's own trap is shown too


def test_short_names_are_not_near_misses(catalog: Catalog) -> None:
    # partial_ratio once said "Kaspa Wallet" resembles 'KES' (similarity 67).
    for text in ("Kaspa Wallet", "Keystone Wallet", "KEY"):
        assert not [n for n in explain_text(catalog, text).near if "'KES'" in n.reason]
    assert explain_text(catalog, "Keystone Wallet").near == []


def test_a_misspelt_name_points_to_the_word_that_differs(catalog: Catalog) -> None:
    result = explain_text(catalog, "Kasperksy Endpoint Security 12.4")
    assert result.hits == []
    reasons = {n.object_id: n.reason for n in result.near}
    assert reasons["sig.fx.name-token"].startswith("'kasperksy' shares the prefix 'kasper'")
    assert reasons["fx.kes"] == (
        "resembles 'Kaspersky Endpoint Security' (token similarity 96), but 'kaspersky' "
        "does not occur as a whole word ('kaspersky' is closest to 'kasperksy')"
    )


def test_a_name_missing_its_brand_word(catalog: Catalog) -> None:
    (near,) = explain_text(catalog, "Endpoint Security").near
    assert near.object_id == "fx.kes"
    assert "but 'kaspersky' does not occur as a whole word" in near.reason


def test_no_near_list_when_something_hits(catalog: Catalog) -> None:
    result = explain_text(catalog, "Kaspersky Endpoint Security 12.4 for Windows (x64)")
    assert {v.signature_id for v, _, _ in result.hits} == {"sig.fx.kes.name", "sig.fx.name-token"}
    assert result.near == []


def test_shared_prefixes_skip_short_and_present_words() -> None:
    assert list(shared_prefixes(("kaspa",), ("kaspersky",))) == [("kaspa", "kaspersky", "kasp")]
    assert list(shared_prefixes(("kas",), ("kaspersky",))) == []  # prefix under four letters
    assert list(shared_prefixes(("kaspa", "kaspersky"), ("kaspersky",))) == []  # whole word present
    assert list(shared_prefixes(("keso",), ("kes",))) == []  # catalog word under four letters


def test_cli_prints_the_prefix_explanation(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "rootout.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("ROOTOUT_CONFIG", str(config))
    monkeypatch.delenv("ROOTOUT_CATALOG", raising=False)
    result = CliRunner().invoke(app, ["catalog", "explain", "Kaspa Wallet", "--catalog", str(PACK)])
    assert result.exit_code == 0, result.output
    assert "MISS: no signature matches" in result.output
    assert KASPA in result.output


def test_a_known_name_without_signatures_says_so(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        'pack: unsigned\nversion: "1"\ndescription: an entity no signature points to\n'
        "sources:\n  - {id: src.x, url: https://example.org, title: X, publisher: X, "
        'date: "2024", reliability: official}\n'
        "entities:\n  - {id: ex.parent, name: Example Parent Ltd, sources: [src.x]}\n",
        encoding="utf-8",
    )
    (near,) = explain_text(load_catalog([pack], builtin=False), "Example Parent Holdings").near
    assert near.reason == (
        "resembles 'Example Parent Ltd' (token similarity 100) and contains all its words, "
        "but no signature points to it"
    )
