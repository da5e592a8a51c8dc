"""DNS query logs (rootout.ingest.formats.dnslog)."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from rootout.errors import InputError
from rootout.ingest.formats.dnslog import (
    DnsCsvReader,
    ZeekDnsJsonReader,
    ZeekDnsTsvReader,
    zeek_unescape,
)
from rootout.model.observation import AssetKind, Observation, ObservationKind
from tests.conftest import FIXTURES
from tests.ingest._endpoint_fuzz import inputs, survives

NETWORK = FIXTURES / "inputs" / "network"
TSV = NETWORK / "dns.log"
JSON = NETWORK / "dns.json.log"
CSV = NETWORK / "dns-queries.csv"
Readers = type[ZeekDnsTsvReader | ZeekDnsJsonReader | DnsCsvReader]


def read(reader: Readers, path: Path) -> list[Observation]:
    with path.open("rb") as stream:
        return list(reader().read(path, stream))


def read_bytes(reader: Readers, data: bytes) -> list[Observation]:
    return list(reader().read(Path("dns.log"), io.BytesIO(data)))


def test_zeek_tsv_queries() -> None:
    observations = read(ZeekDnsTsvReader, TSV)
    domains = [o.fields["domain"] for o in observations]
    assert len(domains) == 12  # the 13th record's query is unset ("-")
    assert "s07.upd.kaspersky.com" in domains
    assert "hik-connect.com" in domains
    kaspersky = observations[domains.index("s07.upd.kaspersky.com")]
    assert kaspersky.kind is ObservationKind.DNS_QUERY
    assert kaspersky.asset.kind is AssetKind.HOST
    assert kaspersky.asset.name == "10.20.4.17"
    assert kaspersky.fields == {
        "domain": "s07.upd.kaspersky.com",
        "ip": "10.20.4.17",
        "query_type": "A",
    }
    assert kaspersky.observed_at == dt.datetime(2024, 9, 16, 10, 2, 13, 8715, tzinfo=dt.UTC)
    assert kaspersky.source.line == 11
    assert kaspersky.extra["answers"] == "203.0.113.7"
    nxdomain = observations[domains.index("wpad.corp.example")]
    assert "answers" not in nxdomain.extra  # unset "-" is no value


def test_zeek_json_reads_the_same_queries_as_tsv() -> None:
    def key(o: Observation) -> tuple[object, ...]:
        return (
            o.fields["domain"],
            o.asset.name,
            o.observed_at,
            o.fields.get("query_type"),
            o.extra.get("answers"),
        )

    assert [key(o) for o in read(ZeekDnsJsonReader, JSON)] == [
        key(o) for o in read(ZeekDnsTsvReader, TSV)
    ]


def test_zeek_json_iso_timestamps() -> None:
    line = b'{"ts":"2024-09-16T10:02:13.008715Z","id.orig_h":"10.0.0.9","query":"example.org"}\n'
    (observation,) = read_bytes(ZeekDnsJsonReader, line)
    assert observation.observed_at == dt.datetime(2024, 9, 16, 10, 2, 13, 8715, tzinfo=dt.UTC)


def test_zeek_tsv_reads_its_header_not_fixed_positions() -> None:
    data = (
        b"#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n"
        b"#fields\tquery\tts\tid.orig_h\t_node_name\n"
        b"#types\tstring\ttime\taddr\tstring\n"
        b"example\\x09tab.org\t1726480933.0\t10.0.0.9\tworker-1\n"
        b"(empty)\t1726480934.0\t10.0.0.9\tworker-1\n"
    )
    observations = read_bytes(ZeekDnsTsvReader, data)
    assert [o.fields["domain"] for o in observations] == ["example\ttab.org"]
    assert zeek_unescape("a\\x2cb") == "a,b"


@pytest.mark.parametrize(
    ("reader", "data", "line", "message"),
    [
        (
            ZeekDnsTsvReader,
            b"#separator \\x09\n#fields\tts\tquery\n1\tx.org\textra\n",
            3,
            "3 values for 2",
        ),
        (ZeekDnsTsvReader, b"#separator \\x09\n#fields\tts\tuid\n", 2, "no 'query' column"),
        (ZeekDnsTsvReader, b"#separator \\x09\n#fields\tts\tquery\nsoon\tx.org\n", 3, "epoch"),
        (ZeekDnsJsonReader, b'{"query":"a.org"}\n{"query":\n', 2, "not JSON"),
        (ZeekDnsJsonReader, b'{"query":"a.org"}\n[1,2]\n', 2, "must be an object"),
        (DnsCsvReader, b"time,client,qname\nyesterday,10.0.0.1,a.org\n", 2, "ISO 8601"),
        (DnsCsvReader, b"time,client,qname\n1,10.0.0.1,a.org,surplus\n", 2, "4 cells for 3"),
        (DnsCsvReader, b"time,client\n1,10.0.0.1\n", 1, "no query column"),
    ],
)
def test_malformed_records_report_their_line(
    reader: Readers, data: bytes, line: int, message: str
) -> None:
    with pytest.raises(InputError, match=message) as info:
        read_bytes(reader, data)
    assert info.value.location.line == line


def test_dns_csv_fixture() -> None:
    observations = read(DnsCsvReader, CSV)
    assert [(o.source.line, o.asset.name, o.fields["domain"]) for o in observations][:2] == [
        (2, "10.20.4.17", "www.bing.com"),
        (3, "10.20.4.17", "dnl-07.geo.kaspersky.com"),
    ]
    assert len(observations) == 7  # the blank line is skipped
    assert observations[-1].source.line == 9
    assert observations[0].extra == {"response_code": "NOERROR"}  # unknown columns kept as evidence
    assert observations[0].observed_at == dt.datetime(2024, 9, 16, 10, 2, 11, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "header",
    ["ts,src_ip,qname", "Date Time,Client IP,Query Name", "event_time,source_address,dns_query"],
)
def test_dns_csv_header_aliases(header: str) -> None:
    data = f"{header}\n1726480933,10.0.0.9,hik-connect.com\n".encode()
    assert DnsCsvReader.sniff(Path("q.csv"), data)
    (observation,) = read_bytes(DnsCsvReader, data)
    assert (observation.fields["domain"], observation.asset.name) == ("hik-connect.com", "10.0.0.9")
    assert observation.observed_at == dt.datetime.fromtimestamp(1726480933, dt.UTC)


def test_dns_csv_without_client_column_names_the_asset_after_the_file() -> None:
    data = b"time,qname\n1726480933,hik-connect.com\n"
    (observation,) = list(DnsCsvReader().read(Path("resolver-7.csv"), io.BytesIO(data)))
    assert (observation.asset.kind, observation.asset.name) == (AssetKind.HOST, "resolver-7")
    assert "ip" not in observation.fields


def test_sniffing() -> None:
    assert ZeekDnsTsvReader.sniff(TSV, TSV.read_bytes())
    assert ZeekDnsJsonReader.sniff(JSON, JSON.read_bytes())
    assert DnsCsvReader.sniff(CSV, CSV.read_bytes())
    assert not DnsCsvReader.sniff(
        Path("apps.csv"), b"name,domain,ip\nx,y,z\n"
    )  # too loose to claim
    conn_log = TSV.read_bytes().replace(b"\tquery\t", b"\tservice\t")
    assert not ZeekDnsTsvReader.sniff(TSV, conn_log)


SEEDS = [TSV.read_bytes(), JSON.read_bytes(), CSV.read_bytes()]
SCALED = int(os.environ.get("ROOTOUT_FUZZ_EXAMPLES", "500"))
READERS: tuple[Readers, ...] = (ZeekDnsTsvReader, ZeekDnsJsonReader, DnsCsvReader)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs(SEEDS))
def test_fuzz_dns(data: bytes) -> None:
    for reader in READERS:
        survives(reader, Path("dns.log"), data)


@pytest.mark.slow
@settings(max_examples=SCALED, deadline=None, suppress_health_check=list(HealthCheck))
@given(inputs(SEEDS))
def test_fuzz_dns_scaled(data: bytes) -> None:
    for reader in READERS:
        survives(reader, Path("dns.log"), data)
