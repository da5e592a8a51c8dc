"""The Kaspersky pack: the identifiers users rely on hit, and the known traps do not.

The pack is loaded on its own (plus a stub for the two sources it borrows from other
packs), so these tests fail only for reasons inside kaspersky.yaml. One test also lints
the whole built-in catalog and looks for problems located in this pack.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rootout.catalog.catalog import Catalog, assemble
from rootout.catalog.explain import explain_text
from rootout.catalog.lint import lint_paths
from rootout.catalog.loader import BUILTIN_PACKS, read_packs
from rootout.catalog.model import SignatureKind
from rootout.match.verify import verify

PACK = BUILTIN_PACKS / "kaspersky.yaml"
AO = "kaspersky.ao-kaspersky-lab"

# Sources the pack cites but other packs define (legal.yaml, the IEEE registry source).
BORROWED_SOURCES = ("src.fr-2024-13532", "src.ieee-oui-arp-scan")


def _stub_pack(path: Path) -> Path:
    items = "".join(
        f"  - id: {source_id}\n"
        f"    url: https://example.invalid/{source_id}\n"
        "    title: stub\n    publisher: stub\n"
        '    date: "2024"\n    reliability: official\n'
        for source_id in BORROWED_SOURCES
    )
    path.write_text(
        f'pack: stub\nversion: "0"\ndescription: borrowed sources\nsources:\n{items}',
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    stub = _stub_pack(tmp_path_factory.mktemp("stub") / "stub.yaml")
    built, problems = assemble(read_packs([PACK, stub]))
    assert problems == []
    return built


def hits(catalog: Catalog, text: str) -> dict[str, tuple[str, str | None]]:
    """Signature id -> (entity, product) for every signature ``text`` hits."""
    return {
        v.signature_id: (entity, product) for v, entity, product in explain_text(catalog, text).hits
    }


def test_pack_has_no_lint_problems_in_the_full_catalog() -> None:
    _, problems = lint_paths([])
    ours = [p for p in problems if Path(p.location.path).name == PACK.name]
    assert ours == []


def test_versioned_kes_display_name_hits_the_kes_product(catalog: Catalog) -> None:
    text = "Kaspersky Endpoint Security 12.4 for Windows (x64)"
    found = hits(catalog, text)
    assert found["sig.kaspersky.kes.name"] == (AO, "kaspersky.kes")
    verdict = verify(catalog.signatures["sig.kaspersky.kes.name"], text)
    assert verdict.key == "kaspersky endpoint security"


def test_network_agent_display_name_hits_network_agent(catalog: Catalog) -> None:
    found = hits(catalog, "Kaspersky Security Center Network Agent")
    assert found["sig.kaspersky.network-agent.name"] == (AO, "kaspersky.network-agent")
    assert "sig.kaspersky.ksc.name" not in found


@pytest.mark.parametrize(
    "publisher", ["AO Kaspersky Lab", "Kaspersky Lab JSC", "Kaspersky Lab ZAO"]
)
def test_publisher_spellings_hit_the_publisher_signature(catalog: Catalog, publisher: str) -> None:
    assert verify(catalog.signatures["sig.kaspersky.publisher.name"], publisher).hit


def test_minifilter_driver_hits_case_insensitively(catalog: Catalog) -> None:
    signature = catalog.signatures["sig.kaspersky.driver.minifilter"]
    assert verify(signature, "klif.sys").hit
    assert verify(signature, "KLIF.SYS").hit
    assert signature.confidence.value == "high"


def test_kavnsi_driver_of_avnos_hits_no_kaspersky_driver_signature(catalog: Catalog) -> None:
    drivers = [s for s in catalog.signatures.values() if s.kind is SignatureKind.DRIVER]
    assert drivers
    assert not [s.id for s in drivers if verify(s, "kavnsi.sys").hit]


def test_weak_kl_driver_pattern_needs_a_signer(catalog: Catalog) -> None:
    signature = catalog.signatures["sig.kaspersky.driver.kl-pattern"]
    assert verify(signature, "klupd_KES-21-9_arkmon.sys").hit
    assert signature.requires == (SignatureKind.SIGNER,)
    assert signature.confidence.value == "low"


@pytest.mark.parametrize("text", ["Kaspa Wallet", "Kaspa NG", "kaspad", "UltraAV", "UltraVPN"])
def test_kaspa_and_ultraav_hit_nothing(catalog: Catalog, text: str) -> None:
    assert hits(catalog, text) == {}


def test_documented_update_host_is_high_confidence_agent_traffic(catalog: Catalog) -> None:
    found = hits(catalog, "s07.upd.kaspersky.com")
    assert "sig.kaspersky.dns.agent-documented" in found
    assert catalog.signatures["sig.kaspersky.dns.agent-documented"].confidence.value == "high"


def test_observed_download_host_is_medium_confidence_agent_traffic(catalog: Catalog) -> None:
    found = hits(catalog, "dnl-05.geo.kaspersky.com")
    assert "sig.kaspersky.dns.agent-observed" in found
    assert "sig.kaspersky.dns.agent-documented" not in found
    assert catalog.signatures["sig.kaspersky.dns.agent-observed"].confidence.value == "medium"


@pytest.mark.parametrize("host", ["www.kaspersky.com", "support.kaspersky.com", "my.kaspersky.com"])
def test_browsing_hosts_are_not_product_evidence(catalog: Catalog, host: str) -> None:
    dns = [s for s in catalog.signatures.values() if s.kind is SignatureKind.DNS_DOMAIN]
    assert not [s.id for s in dns if verify(s, host).hit]
    vetoed = verify(catalog.signatures["sig.kaspersky.dns.registered"], host)
    assert vetoed.pattern is not None  # the registered domain matched, and a guard vetoed it
    assert "guard" in vetoed.reason


def test_other_hosts_under_the_registered_domain_are_low_confidence(catalog: Catalog) -> None:
    verdict = verify(
        catalog.signatures["sig.kaspersky.dns.registered"], "bincdn.kaspersky-labs.com"
    )
    assert verdict.hit
    assert catalog.signatures["sig.kaspersky.dns.registered"].confidence.value == "low"


def test_cpe_22_uri_under_the_old_vendor_name_hits(catalog: Catalog) -> None:
    found = hits(catalog, "cpe:/a:kaspersky_lab:kaspersky_internet_security:2017")
    assert found["sig.kaspersky.cpe.vendor"] == (AO, None)


def test_cpe_vendor_must_be_kaspersky_not_the_product(catalog: Catalog) -> None:
    signature = catalog.signatures["sig.kaspersky.cpe.vendor"]
    assert verify(signature, "cpe:2.3:a:kaspersky:total_security:-:*:*:*:*:*:*:*").hit
    assert not verify(signature, "cpe:2.3:a:acme:kaspersky:1.0:*:*:*:*:*:*:*").hit


def test_windows_server_product_is_not_confused_with_other_products(catalog: Catalog) -> None:
    signature = catalog.signatures["sig.kaspersky.ksws.name"]
    assert verify(signature, "Kaspersky Security 11 for Windows Server").hit
    assert not verify(signature, "Kaspersky Security Center").hit
    assert not verify(signature, "Kaspersky Security for Microsoft Exchange Server").hit


def test_root_certificate_in_a_distinguished_name_hits(catalog: Catalog) -> None:
    subject = "C=RU, O=AO Kaspersky Lab, CN=Kaspersky Anti-Virus Personal Root Certificate"
    assert "sig.kaspersky.cert.personal-root" in hits(catalog, subject)
    website = verify(catalog.signatures["sig.kaspersky.cert.token"], "CN=www.kaspersky.com")
    assert not website.hit


def test_zonealarm_update_host_points_to_the_check_point_host_product(catalog: Catalog) -> None:
    found = hits(catalog, "kav8.zonealarm.com")
    entity, product = found["sig.thirdparty.checkpoint.kav8-dns"]
    assert product == "thirdparty.checkpoint.harmony-endpoint"
    assert entity == "thirdparty.check-point-software"
    hosts = {e.host_product for e in catalog.embeddings.values() if e.technology_entity == AO}
    assert product in hosts


def test_us_subsidiary_reaches_the_russian_parent_on_the_ban_date(catalog: Catalog) -> None:
    parents = catalog.parents_at("kaspersky.kaspersky-lab-inc", dt.date(2024, 7, 20))
    assert AO in {r.object for r in parents}


def test_no_signature_matches_a_hard_negative_of_this_pack(catalog: Catalog) -> None:
    clashes = []
    for negative in catalog.hard_negatives.values():
        for signature in catalog.signatures.values():
            if signature.kind is not negative.kind:
                continue
            wrong = (
                negative.not_entity is None
                or catalog.signature_entity(signature) == negative.not_entity
            )
            if wrong and verify(signature, negative.value).hit:
                clashes.append((negative.id, signature.id))
    assert clashes == []
