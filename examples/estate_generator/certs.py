"""``certutil -store Root`` of the post-migration host, from synthetic certificates.

Every certificate is generated here with ``cryptography``: RSA keys are built from
primes drawn from a seeded random stream and PKCS#1 v1.5 signatures are
deterministic, so each run yields the same certificates, serials and thumbprints.
No real certificate is copied. The Kaspersky one only carries the subject that
Kaspersky's HTTPS-scanning root uses (identifiers.md §1.8); the other roots have
invented CA-like names marked as synthetic or example.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from .common import RESIDUAL_HOST, rng, utc, write_text

_SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p**0.5) + 1))]


def _probably_prime(n: int, r: random.Random, rounds: int = 24) -> bool:
    if any(n % p == 0 for p in _SMALL_PRIMES):
        return n in _SMALL_PRIMES
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(rounds):
        x = pow(r.randrange(2, n - 2), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(r: random.Random, bits: int) -> int:
    while True:
        candidate = r.getrandbits(bits) | (3 << (bits - 2)) | 1
        if _probably_prime(candidate, r):
            return candidate


def rsa_key(r: random.Random, bits: int = 2048) -> rsa.RSAPrivateKey:
    """A valid RSA key drawn deterministically from ``r`` (for examples, never for use)."""
    e = 65537
    while True:
        p, q = _prime(r, bits // 2), _prime(r, bits // 2)
        phi = (p - 1) * (q - 1)
        if p != q and math.gcd(e, phi) == 1:
            break
    d = pow(e, -1, phi)
    public = rsa.RSAPublicNumbers(e, p * q)
    numbers = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), public)
    return numbers.private_key()


@dataclass(frozen=True, slots=True)
class Root:
    country: str
    organisation: str
    common_name: str
    not_before: dt.datetime
    years: int = 25
    unit: str = ""


ROOTS = (
    Root(
        "US",
        "Example Agency",
        "Example Agency Root CA",
        utc(2021, 4, 6, 17, 12),
        20,
        "Information Technology",
    ),
    Root(
        "US",
        "Synthetic Trust Services (example)",
        "Synthetic Global Root CA G2",
        utc(2013, 8, 1, 12),
    ),
    Root(
        "GB",
        "Example Certificate Authority Ltd (synthetic)",
        "Example TLS RSA Root R1",
        utc(2016, 5, 19),
        25,
    ),
    Root(
        "US",
        "Sample PKI Co (synthetic)",
        "Sample Timestamping Root CA 2019",
        utc(2019, 3, 20, 19, 39),
        20,
    ),
    Root(
        "RU",
        "AO Kaspersky Lab",
        "Kaspersky Anti-Virus Personal Root Certificate",
        utc(2023, 2, 14, 9, 41, 3),
        10,
    ),
)


def _name(root: Root) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, root.country)]
    parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, root.organisation))
    if root.unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, root.unit))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, root.common_name))
    return x509.Name(parts)


def certificate(root: Root) -> x509.Certificate:
    r = rng(f"cert/{root.common_name}")
    key = rsa_key(r)
    name = _name(root)
    not_after = root.not_before.replace(year=root.not_before.year + root.years)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(r.getrandbits(127) | (1 << 126))
        .not_valid_before(root.not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    return builder.sign(key, hashes.SHA256())


def certutil_name(name: x509.Name) -> str:
    """certutil's spelling: most specific RDN first, ``, `` between them."""
    return ", ".join(rdn.rfc4514_string() for rdn in reversed(name.rdns))


def certutil_time(when: dt.datetime) -> str:
    hour = when.hour % 12 or 12
    return f"{when.month}/{when.day}/{when.year} {hour}:{when.minute:02d} {'AM' if when.hour < 12 else 'PM'}"


def certutil_store(certs: list[x509.Certificate]) -> str:
    lines = ['Root "Trusted Root Certification Authorities"']
    for index, cert in enumerate(certs):
        lines += [
            f"================ Certificate {index} ================",
            f"Serial Number: {cert.serial_number:x}",
            f"Issuer: {certutil_name(cert.issuer)}",
            f" NotBefore: {certutil_time(cert.not_valid_before_utc)}",
            f" NotAfter: {certutil_time(cert.not_valid_after_utc)}",
            f"Subject: {certutil_name(cert.subject)}",
            "Signature matches Public Key",
            "Root Certificate: Subject matches Issuer",
            f"Cert Hash(sha1): {cert.fingerprint(hashes.SHA1()).hex()}",
            "No key provider information",
            "Cannot find the certificate and private key for decryption.",
            "",
        ]
    lines.append("CertUtil: -store command completed successfully.")
    return "\n".join(lines) + "\n"


def generate(out: Path) -> list[Path]:
    path = out / "certstores" / f"{RESIDUAL_HOST}.txt"
    write_text(path, certutil_store([certificate(root) for root in ROOTS]), newline="\r\n")
    return [path]
