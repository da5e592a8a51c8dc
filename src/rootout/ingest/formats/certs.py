"""Certificates: PEM bundles, DER files, and Windows certificate-store listings.

Every certificate becomes a ``certificate`` observation with ``cert_subject``
and ``cert_issuer`` (RFC 4514 for parsed certificates; as Windows writes them
for listings), ``cert_sha1`` / ``cert_sha256`` (hex), validity and store.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding

from rootout.errors import InputError, Location
from rootout.ingest.base import Reader, register
from rootout.ingest.textio import file_asset, head_text, iter_lines
from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind, SourceRef

MAX_DER = 1024 * 1024
"""Largest DER certificate file accepted (real ones are a few KiB)."""


def _observation(
    fields: Mapping[str, str], asset: Asset, source: SourceRef, extra: Mapping[str, str]
) -> Observation:
    return Observation(
        kind=ObservationKind.CERTIFICATE,
        fields={k: v.strip() for k, v in fields.items() if v and v.strip()},
        asset=asset,
        source=source,
        extra={k: v.strip() for k, v in extra.items() if v and v.strip()},
    )


def certificate_fields(cert: x509.Certificate) -> dict[str, str]:
    """Canonical fields of a parsed certificate."""
    return {
        "cert_subject": cert.subject.rfc4514_string(),
        "cert_issuer": cert.issuer.rfc4514_string(),
        "cert_sha1": cert.fingerprint(hashes.SHA1())
        .hex()
        .upper(),  # an identifier, not a signature
        "cert_sha256": cert.fingerprint(hashes.SHA256()).hex().upper(),
        "not_valid_before": cert.not_valid_before_utc.isoformat(),
        "not_valid_after": cert.not_valid_after_utc.isoformat(),
    }


def _parsed(cert: x509.Certificate, asset: Asset, source: SourceRef) -> Observation:
    try:
        fields = certificate_fields(cert)
        serial = format(cert.serial_number, "X")
    except ValueError as exc:  # malformed names or dates are found lazily
        raise InputError(Location(source.path, source.line), f"bad certificate: {exc}") from None
    return _observation(fields, asset, source, {"serial_number": serial})


# --------------------------------------------------------------------------- PEM

_BEGIN = "-----BEGIN CERTIFICATE-----"
_END = "-----END CERTIFICATE-----"


@register
class PemReader(Reader):
    name = "pem"
    description = "PEM certificates: one or many (bundles, macOS security find-certificate -a -p)"
    priority = 20

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return _BEGIN in head_text(head)

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        display = str(path)
        asset = file_asset(path)
        block: list[str] | None = None
        start = count = 0
        for number, line in enumerate(iter_lines(stream, display), 1):
            text = line.strip()
            if text == _BEGIN:
                if block is not None:
                    raise InputError(Location(display, start), "certificate has no END line")
                block, start = [text], number
            elif block is not None:
                block.append(text)
                if text == _END:
                    count += 1
                    cert = _load_pem("\n".join(block), Location(display, start))
                    source = SourceRef(display, start, f"certificate[{count}]", self.name)
                    yield _parsed(cert, asset, source)
                    block = None
        if block is not None:
            raise InputError(Location(display, start), "certificate has no END line")
        if count == 0:
            raise InputError(Location(display), f"no {_BEGIN} block")


def _load_pem(text: str, where: Location) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise InputError(where, f"not a valid PEM certificate: {exc}") from None


# --------------------------------------------------------------------------- DER


def _der_length(data: bytes, offset: int) -> tuple[int, int] | None:
    """(length, offset of the content) of the DER element whose length byte is at ``offset``."""
    if offset >= len(data):
        return None
    first = data[offset]
    if first < 0x80:
        return first, offset + 1
    size = first & 0x7F
    if not 1 <= size <= 4 or offset + 1 + size > len(data):
        return None
    return int.from_bytes(data[offset + 1 : offset + 1 + size], "big"), offset + 1 + size


def looks_like_der_certificate(head: bytes) -> bool:
    """SEQUENCE { SEQUENCE (tbsCertificate) { [0] version ... } ...}: cheap, never raises."""
    if len(head) < 8 or head[0] != 0x30:
        return False
    outer = _der_length(head, 1)
    if outer is None or outer[1] >= len(head) or head[outer[1]] != 0x30:
        return False
    tbs = _der_length(head, outer[1] + 1)
    return tbs is not None and tbs[1] < len(head) and head[tbs[1]] in (0xA0, 0x02)


@register
class DerReader(Reader):
    name = "der"
    description = "A DER-encoded X.509 certificate (.cer, .crt, .der)"
    priority = 25

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return looks_like_der_certificate(head)

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        display = str(path)
        data = stream.read(MAX_DER + 1)
        if len(data) > MAX_DER:
            raise InputError(Location(display), f"larger than {MAX_DER} bytes: not one certificate")
        try:
            cert = x509.load_der_x509_certificate(data)
        except ValueError as exc:
            raise InputError(Location(display), f"not a DER certificate: {exc}") from None
        yield _parsed(cert, file_asset(path), SourceRef(display, 0, "", self.name))


def der_bytes(cert: x509.Certificate) -> bytes:
    """The certificate's DER encoding (for tests and exports)."""
    return cert.public_bytes(Encoding.DER)


# --------------------------------------------------------------------------- Windows listings

_CERTUTIL_BLOCK = re.compile(r"^=+ Certificate (\d+) =+$")
_CERTUTIL_KEYS = {
    "Serial Number": "serial_number",
    "Issuer": "cert_issuer",
    "Subject": "cert_subject",
    "NotBefore": "not_valid_before",
    "NotAfter": "not_valid_after",
    "Cert Hash(sha1)": "cert_sha1",
    "Cert Hash(sha256)": "cert_sha256",
}


def _hex(text: str) -> str:
    """A thumbprint without the spaces older Windows versions put between bytes."""
    return re.sub(r"\s+", "", text)


def _certutil_observation(
    values: dict[str, str], store: str, path: str, block: tuple[int, int], reader: str
) -> Observation:
    index, line = block
    if not (values.get("cert_subject") or values.get("cert_sha1")):
        raise InputError(Location(path, line), f"certificate {index} has neither Subject nor hash")
    fields = {k: v for k, v in values.items() if k != "serial_number"}
    for key in ("cert_sha1", "cert_sha256"):
        if key in fields:
            fields[key] = _hex(fields[key])
    extra = {"serial_number": values.get("serial_number", "")}
    source = SourceRef(path, line, f"certificate[{index}]", reader)
    return _observation({**fields, "store": store}, file_asset(path), source, extra)


@register
class CertutilStoreReader(Reader):
    name = "certutil-store"
    description = "Windows certutil -store listing (English output)"
    priority = 20

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return any(_CERTUTIL_BLOCK.match(line.strip()) for line in head_text(head).splitlines())

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        display = str(path)
        store = ""
        block: tuple[int, int] | None = None
        values: dict[str, str] = {}
        for number, line in enumerate(iter_lines(stream, display), 1):
            text = line.strip()
            if match := _CERTUTIL_BLOCK.match(text):
                if block is not None:
                    yield _certutil_observation(values, store, display, block, self.name)
                block, values = (int(match[1]), number), {}
            elif block is None:
                store = store or text.split(" ", 1)[0]  # `Root "Trusted Root Certification..."`
            elif text.startswith("CertUtil:"):
                yield _certutil_observation(values, store, display, block, self.name)
                block = None
            else:
                key, sep, value = text.partition(":")
                indent = len(line) - len(line.lstrip())
                if sep and key in _CERTUTIL_KEYS and indent <= 1:  # deeper lines are details
                    values.setdefault(_CERTUTIL_KEYS[key], value.strip())
        if block is not None:
            yield _certutil_observation(values, store, display, block, self.name)


def ps_store(parent_path: str) -> str:
    """The store of a PSParentPath.

    ``Microsoft.PowerShell.Security\\Certificate::LocalMachine\\Root`` -> ``LocalMachine\\Root``.
    """
    return parent_path.rsplit("::", 1)[-1].strip()


_PS_FIELDS = {
    "Subject": "cert_subject",
    "Issuer": "cert_issuer",
    "Thumbprint": "cert_sha1",
    "NotBefore": "not_valid_before",
    "NotAfter": "not_valid_after",
}
_PS_EXTRA = {"SerialNumber": "serial_number", "FriendlyName": "friendly_name"}


def _ps_observation(
    record: Mapping[str, str], group_store: str, asset: Asset, source: SourceRef
) -> Observation | None:
    fields = {canon: record.get(name, "") for name, canon in _PS_FIELDS.items()}
    if not (fields["cert_subject"] or fields["cert_sha1"]):
        return None
    fields["store"] = ps_store(record.get("PSParentPath", "")) or group_store
    extra = {canon: record.get(name, "") for name, canon in _PS_EXTRA.items()}
    return _observation(fields, asset, source, extra)


_PS_LINE = re.compile(r"^(?P<key>[A-Za-z][\w.]*)\s*: ?(?P<value>.*)$")
_PS_GROUP = re.compile(r"^\s+PSParentPath: (?P<value>.*)$")


@register
class PsCertListReader(Reader):
    name = "ps-cert-list"
    description = r"PowerShell Get-ChildItem Cert:\... | Format-List output"
    priority = 20

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        text = head_text(head)
        return bool(re.search(r"^Thumbprint\s+: [0-9A-Fa-f]{40}\s*$", text, re.M)) and bool(
            re.search(r"^Subject\s+: ", text, re.M)
        )

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        display = str(path)
        asset = file_asset(path)
        group = ""
        record: dict[str, str] = {}
        start = count = 0
        last = ""
        lines = itertools.chain(
            iter_lines(stream, display), [""]
        )  # a blank line ends the last record
        for number, line in enumerate(lines, 1):
            if group_match := _PS_GROUP.match(line):
                group = ps_store(group_match["value"])
            elif not line.strip():
                if record:
                    count += 1
                    source = SourceRef(display, start, f"certificate[{count}]", self.name)
                    if observation := _ps_observation(record, group, asset, source):
                        yield observation
                record, last = {}, ""
            elif (match := _PS_LINE.match(line)) and not line[0].isspace():
                start = start if record else number
                last = match["key"]
                record[last] = match["value"].strip()
            elif last and line[0].isspace():
                record[last] += " " + line.strip()  # Format-List wraps long values
            else:
                raise InputError(Location(display, number), "not a 'Name : value' line")


@register
class PsCertCsvReader(Reader):
    name = "ps-cert-csv"
    description = r"PowerShell Get-ChildItem Cert:\... | Export-Csv"
    priority = 20

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        lines = [line for line in head_text(head).splitlines() if line.strip()]
        header = next((line for line in lines if not line.startswith("#TYPE")), "")
        return all(f'"{name}"' in header for name in ("Thumbprint", "Subject", "Issuer"))

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        display = str(path)
        lines = iter_lines(stream, display, keepends=True)
        first = next(lines, "")
        skipped = 1 if first.startswith("#TYPE") else 0
        rows = csv.DictReader(lines if skipped else itertools.chain([first], lines))
        try:
            for count, row in enumerate(rows, 1):
                record = {k: v or "" for k, v in row.items() if isinstance(k, str)}
                source = SourceRef(display, rows.line_num + skipped, f"row[{count}]", self.name)
                host = record.get("PSComputerName", "").strip()
                asset = Asset(kind=AssetKind.HOST, name=host) if host else file_asset(path)
                if observation := _ps_observation(record, "", asset, source):
                    yield observation
        except csv.Error as exc:
            raise InputError(
                Location(display, rows.line_num + skipped), f"bad CSV: {exc}"
            ) from None
