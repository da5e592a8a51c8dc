"""Certificates (rootout.ingest.formats.certs)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from hypothesis import HealthCheck, given, settings

from rootout.errors import InputError
from rootout.ingest.formats.certs import (
    CertutilStoreReader,
    DerReader,
    PemReader,
    PsCertCsvReader,
    PsCertListReader,
    looks_like_der_certificate,
    ps_store,
)
from rootout.model.observation import AssetKind, Observation, ObservationKind
from tests.conftest import FIXTURES
from tests.ingest._endpoint_fuzz import inputs, survives

CERTS = FIXTURES / "inputs" / "certs"
KASPERSKY_DER = CERTS / "kaspersky-personal-root.cer"
KASPERSKY_SUBJECT = "CN=Kaspersky Anti-Virus Personal Root Certificate,O=AO Kaspersky Lab,C=RU"
Readers = type[PemReader | DerReader | CertutilStoreReader | PsCertListReader | PsCertCsvReader]
READERS: tuple[Readers, ...] = (
    PemReader,
    DerReader,
    CertutilStoreReader,
    PsCertListReader,
    PsCertCsvReader,
)


def read(reader: Readers, path: Path) -> list[Observation]:
    with path.open("rb") as stream:
        return list(reader().read(path, stream))


def kaspersky() -> x509.Certificate:
    return x509.load_der_x509_certificate(KASPERSKY_DER.read_bytes())


def sha1_hex(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA1()).hex()


def test_der_certificate_fields() -> None:
    (observation,) = read(DerReader, KASPERSKY_DER)
    cert = kaspersky()
    assert observation.kind is ObservationKind.CERTIFICATE
    assert observation.fields["cert_subject"] == KASPERSKY_SUBJECT
    assert observation.fields["cert_issuer"] == KASPERSKY_SUBJECT  # self-signed root
    assert observation.fields["cert_sha1"] == sha1_hex(cert).upper()
    assert observation.fields["cert_sha256"] == cert.fingerprint(hashes.SHA256()).hex().upper()
    assert observation.fields["not_valid_before"] == "2019-04-01T00:00:00+00:00"
    assert observation.fields["not_valid_after"] == "2039-04-01T00:00:00+00:00"
    assert observation.extra["serial_number"] == format(cert.serial_number, "X")
    assert observation.asset.kind is AssetKind.HOST
    assert observation.asset.name == "kaspersky-personal-root"


def test_pem_and_der_of_one_certificate_read_the_same() -> None:
    (pem,) = read(PemReader, CERTS / "kaspersky-personal-root.pem")
    (der,) = read(DerReader, KASPERSKY_DER)
    assert pem.fields == der.fields


def test_pem_bundles_keep_every_certificate_with_its_line() -> None:
    chain = read(PemReader, CERTS / "example-corp-chain.pem")
    assert [(o.source.line, o.source.pointer) for o in chain] == [
        (2, "certificate[1]"),
        (15, "certificate[2]"),
    ]
    assert [o.fields["cert_subject"] for o in chain] == [
        "CN=Example Corp Issuing CA 01,O=Example Corp,C=US",
        "CN=Example Corp Root CA,O=Example Corp,C=US",
    ]
    assert chain[0].fields["cert_issuer"] == chain[1].fields["cert_subject"]
    macos = read(PemReader, CERTS / "macos-find-certificate.pem")
    assert len(macos) == 3
    assert KASPERSKY_SUBJECT in {o.fields["cert_subject"] for o in macos}


def test_windows_listings_name_the_same_certificates() -> None:
    """certutil, Format-List and Export-Csv of one store agree with the certificate's own hash."""
    digest = sha1_hex(kaspersky())
    windows_subject = "CN=Kaspersky Anti-Virus Personal Root Certificate, O=AO Kaspersky Lab, C=RU"
    for reader, name in (
        (CertutilStoreReader, "certutil-store-root.txt"),
        (PsCertListReader, "ps-cert-list.txt"),
        (PsCertCsvReader, "ps-certs.csv"),
    ):
        observations = read(reader, CERTS / name)
        by_subject = {o.fields["cert_subject"]: o for o in observations}
        found = by_subject[windows_subject]
        assert found.fields["cert_sha1"].lower() == digest, name
        assert found.fields["cert_issuer"] == windows_subject, name
        assert found.fields["store"] in ("Root", "LocalMachine\\Root"), name


def test_certutil_store_details() -> None:
    observations = read(CertutilStoreReader, CERTS / "certutil-store-root.txt")
    assert [o.source.pointer for o in observations] == ["certificate[0]", "certificate[1]"]
    assert [o.source.line for o in observations] == [2, 14]
    assert observations[0].fields["not_valid_after"] == "1/1/2040 12:00 AM"
    # the listing writes this hash with spaces between bytes (older Windows): they are dropped
    assert observations[1].fields["cert_sha1"] == sha1_hex(kaspersky())
    assert observations[1].fields["store"] == "Root"


def test_powershell_list_is_utf16_with_wrapped_values() -> None:
    raw = (CERTS / "ps-cert-list.txt").read_bytes()
    assert raw.startswith(b"\xff\xfe")  # as `> file` writes it in Windows PowerShell 5.1
    observations = read(PsCertListReader, CERTS / "ps-cert-list.txt")
    assert [o.fields["store"] for o in observations] == ["LocalMachine\\Root"] * 2
    assert (
        observations[1].extra["friendly_name"] == "Kaspersky Anti-Virus Personal Root Certificate"
    )


def test_powershell_csv_rows_and_lines() -> None:
    observations = read(PsCertCsvReader, CERTS / "ps-certs.csv")
    assert [o.source.line for o in observations] == [3, 4, 5]  # after #TYPE and the header
    assert [o.fields["store"] for o in observations] == [
        "LocalMachine\\Root",
        "LocalMachine\\Root",
        "LocalMachine\\CA",
    ]


def test_powershell_csv_with_computer_name_names_the_asset() -> None:
    data = b'"PSComputerName","Subject","Issuer","Thumbprint"\n"WS-0417","CN=a","CN=a","00FF"\n'
    (observation,) = list(PsCertCsvReader().read(Path("certs.csv"), io.BytesIO(data)))
    assert observation.asset.name == "WS-0417"
    assert observation.source.line == 2


def test_ps_store() -> None:
    assert (
        ps_store("Microsoft.PowerShell.Security\\Certificate::CurrentUser\\My") == "CurrentUser\\My"
    )


@pytest.mark.parametrize(
    ("reader", "data", "line", "message"),
    [
        (PemReader, b"-----BEGIN CERTIFICATE-----\nMIIB\n", 1, "no END line"),
        (
            PemReader,
            b"x\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            2,
            "not a valid PEM",
        ),
        (
            PemReader,
            b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            0,
            "no -----BEGIN",
        ),
        (DerReader, b"\x30\x82\x01\x00garbage", 0, "not a DER certificate"),
        (
            CertutilStoreReader,
            b"My\n================ Certificate 0 ================\nNo key\n",
            2,
            "neither",
        ),
        (PsCertListReader, b"Subject : CN=a\n???\n", 2, "not a 'Name : value' line"),
    ],
)
def test_malformed(reader: Readers, data: bytes, line: int, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        list(reader().read(Path("certs.txt"), io.BytesIO(data)))
    assert info.value.location.line == line


def test_sniffing_picks_one_reader_per_fixture() -> None:
    expected = {
        "certutil-store-root.txt": CertutilStoreReader,
        "example-corp-chain.pem": PemReader,
        "intranet.corp.example.crt": PemReader,
        "kaspersky-personal-root.cer": DerReader,
        "kaspersky-personal-root.pem": PemReader,
        "macos-find-certificate.pem": PemReader,
        "ps-cert-list.txt": PsCertListReader,
        "ps-certs.csv": PsCertCsvReader,
    }
    for path in sorted(CERTS.iterdir()):
        claims = [r for r in READERS if r.sniff(path, path.read_bytes()[:65536])]
        assert claims == [expected[path.name]], path.name
    assert looks_like_der_certificate(KASPERSKY_DER.read_bytes())
    assert not looks_like_der_certificate(b"\x30\x03\x02\x01\x00")


SEEDS = [p.read_bytes() for p in sorted(CERTS.iterdir())]
SCALED = int(os.environ.get("ROOTOUT_FUZZ_EXAMPLES", "500"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs(SEEDS))
def test_fuzz_certificates(data: bytes) -> None:
    for reader in READERS:
        survives(reader, Path("certs.pem"), data)


@pytest.mark.slow
@settings(max_examples=SCALED, deadline=None, suppress_health_check=list(HealthCheck))
@given(inputs(SEEDS))
def test_fuzz_certificates_scaled(data: bytes) -> None:
    for reader in READERS:
        survives(reader, Path("certs.pem"), data)
