"""Certificates from trust stores: PEM bundles, DER files, tool output.

Each certificate becomes a CERTIFICATE observation with ``cert_subject`` and
``cert_issuer`` (RFC 4514 strings), ``cert_sha1`` / ``cert_sha256`` (upper-case
hex of the DER bytes), ``name`` (the subject's common name), validity, and
``store`` (the file, keychain or database it was found in).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID

from rootout.ingest.collect.base import Host, Tally
from rootout.ingest.formats.certs import certificate_fields as reader_fields
from rootout.model.observation import Observation, ObservationKind

_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----\r?\n(.*?)-----END CERTIFICATE-----", re.DOTALL)


@dataclass(frozen=True, slots=True)
class CertBlock:
    """One encoded certificate and where it starts (1-based line; 0 when not line-based)."""

    data: bytes
    line: int
    pem: bool


def pem_blocks(data: bytes) -> list[CertBlock]:
    """Every ``BEGIN CERTIFICATE`` block, with the line its BEGIN marker is on."""
    blocks = []
    for match in _PEM.finditer(data):
        line = data.count(b"\n", 0, match.start()) + 1
        blocks.append(CertBlock(match.group(0), line, True))
    return blocks


def cert_blocks(data: bytes) -> list[CertBlock]:
    """PEM blocks, or the whole input as one DER certificate when it has none."""
    blocks = pem_blocks(data)
    if not blocks and data[:1] == b"\x30":
        return [CertBlock(data, 0, False)]
    return blocks


def certificate_fields(cert: x509.Certificate) -> dict[str, str]:
    """Canonical and descriptive fields of a parsed certificate (may raise ValueError):
    the certificate readers' fields plus the subject's common name as ``name``."""
    common_names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    name = common_names[0].value if common_names else ""
    text = name if isinstance(name, str) else name.decode("utf-8", errors="replace")
    return {"name": text, **reader_fields(cert)}


def parse_block(block: CertBlock) -> x509.Certificate:
    """The certificate in a block (ValueError when malformed).

    Real trust stores hold old roots with non-positive serial numbers; cryptography
    warns about those, and the warning is not the user's concern here.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        if block.pem:
            return x509.load_pem_x509_certificate(block.data)
        return x509.load_der_x509_certificate(block.data)


def certificate_observations(
    host: Host,
    tally: Tally,
    blocks: list[CertBlock],
    *,
    where: str,
    store: str,
    extra: dict[str, str] | None = None,
) -> Iterator[Observation]:
    """One observation per block that parses; a block that does not is a problem."""
    for block in blocks:
        spot = f"{where}:{block.line}" if block.line else where
        with tally.guard(spot):
            cert = parse_block(block)
            fields = certificate_fields(cert)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CryptographyDeprecationWarning)
                serial = format(cert.serial_number, "X")
            yield host.observe(
                ObservationKind.CERTIFICATE,
                {**fields, "store": store},
                where,
                line=block.line,
                extra={"serial_number": serial, **(extra or {})},
            )
