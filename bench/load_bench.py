"""Server load: many agents posting scans at once, then a check that each is stored exactly once.

Starts ``rootout serve`` as a subprocess on loopback over a fresh store (SQLite,
and PostgreSQL when ``ROOTOUT_TEST_PG_URL`` is set), creates one
tenant per ten agents and one agent token per agent, and runs N agents
(asyncio + httpx) that post gzip JSON scans of ``--items`` program rows
(realistic names and publishers from ``bench/inventory.py``; one host in ten
carries a covered product) back to back for ``--seconds``. Each agent behaves
like ``rootout agent``: a new scan id per scan, the same scan id on every retry,
exponential backoff with jitter on connection errors, 429 and 5xx.

It reports accepted throughput and the p50/p99 latency of accepted posts, waits
for the server's queue to drain, then checks the store: every acknowledged scan
id must have exactly one stored scan (found by its ``agent/<scan_id>/`` input
paths) and exactly one ``scan.ingested`` event. The ``crash`` run kills the
server with SIGKILL half-way through and starts it again on the same store.

Usage: ``python bench/load_bench.py [--agents 100] [--items 300] [--seconds 120]
[--store sqlite|postgresql] [--run steady|crash]``; prints one JSON result per run
(and writes them all with ``--json FILE``); exits 1 if any scan was lost or duplicated.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from inventory import BASE, COVERED, _tail

from rootout.agent.client import RETRY_STATUSES, RetryPolicy, retry_after
from rootout.api import accounts
from rootout.api.roles import Role
from rootout.store.db import connect

AGENTS_PER_TENANT = 10
POLICY = RetryPolicy(attempts=10_000, base_seconds=0.25, max_seconds=4.0)
UNINSTALL = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"


@dataclass
class Tally:
    acked: set[tuple[str, str]] = field(default_factory=set)
    """(tenant, scan id) the server answered 200/202 for."""
    latencies: list[float] = field(default_factory=list)
    retries: int = 0
    gave_up: int = 0
    """Scans never acknowledged before the agents gave up (counted as lost)."""
    connection_errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    ack_times: list[float] = field(default_factory=list)


def host_template(
    agent: int, items: int, rng: random.Random, tail: list[tuple[str, str]]
) -> dict[str, Any]:
    """One agent's machine: a base image, a long tail, a covered product on one host in ten."""
    software = list(BASE) + rng.sample(tail, items - len(BASE) - 1)
    software.append(rng.choice(COVERED) if agent % 10 == 0 else rng.choice(tail))
    name = f"WS-{agent:05d}"
    observations = [
        {
            "kind": "program",
            "fields": {
                "name": product,
                "publisher": vendor,
                "version": f"{rng.randint(1, 24)}.{rng.randint(0, 9)}.{rng.randint(0, 999)}",
            },
            "source": {
                "path": UNINSTALL,
                "pointer": f"{{{uuid.UUID(int=rng.getrandbits(128))}}}".upper(),
                "format": "collect-windows",
            },
        }
        for product, vendor in software
    ]
    return {
        "version": 1,
        "agent_version": "bench",
        "host": {
            "kind": "host",
            "name": name,
            "identifiers": [["host_uuid", str(uuid.UUID(int=agent + 1))]],
        },
        "coverage": [{"source": "uninstall", "status": "read", "count": len(observations)}],
        "observations": observations,
    }


def scan_body(template: dict[str, Any], scan_id: str) -> bytes:
    document = {
        **template,
        "scan_id": scan_id,
        "collected_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    return gzip.compress(json.dumps(document).encode(), compresslevel=6)


async def post_until_acked(
    client: httpx.AsyncClient, body: bytes, give_up: float, tally: Tally
) -> bool:
    """POST one scan, retrying like ``rootout agent`` until it is acknowledged or ``give_up``."""
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    retry = 0
    while time.monotonic() < give_up:
        wait: float | None = None
        started = time.perf_counter()
        try:
            response = await client.post("/api/v1/agent/scans", content=body, headers=headers)
        except httpx.TransportError:
            tally.connection_errors += 1
        else:
            tally.statuses[response.status_code] = tally.statuses.get(response.status_code, 0) + 1
            if response.status_code in (200, 202):
                tally.latencies.append(time.perf_counter() - started)
                tally.ack_times.append(time.monotonic())
                return True
            if response.status_code not in RETRY_STATUSES:
                raise RuntimeError(f"refused: {response.status_code} {response.text[:200]}")
            wait = retry_after(response.headers.get("Retry-After"))
        retry += 1
        tally.retries += 1
        await asyncio.sleep(POLICY.backoff(retry) if wait is None else wait)
    return False


async def agent_loop(
    url: str,
    token: str,
    tenant: str,
    template: dict[str, Any],
    stop_at: float,
    give_up: float,
    tally: Tally,
) -> None:
    async with httpx.AsyncClient(
        base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60.0, trust_env=False
    ) as client:
        while time.monotonic() < stop_at:
            scan_id = str(uuid.uuid4())
            if await post_until_acked(client, scan_body(template, scan_id), give_up, tally):
                tally.acked.add((tenant, scan_id))
            else:
                tally.gave_up += 1


class Server:
    """``rootout serve`` as a subprocess; ``kill`` is SIGKILL, as a crash would be."""

    def __init__(self, db: str, port: int, log: Path, lease_seconds: int) -> None:
        self.db, self.port, self.log = db, port, log
        self.env = {**os.environ, "ROOTOUT_SERVER_INGEST_LEASE_SECONDS": str(lease_seconds)}
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> float:
        command = [str(Path(sys.executable).parent / "rootout"), "serve", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--db", self.db]
        started = time.monotonic()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=self.env
            )
        while True:
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=30).status_code == 200:
                    return time.monotonic() - started
            except httpx.TransportError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited; see {self.log}")
            time.sleep(0.1)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(60)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare(db: str, agents: int) -> list[tuple[str, str]]:
    """Tenants and one agent token per agent: (tenant, token) per agent."""
    engine = connect(db)
    tokens = []
    for agent in range(agents):
        tenant = f"customer-{agent // AGENTS_PER_TENANT:03d}"
        accounts.create_tenant(engine, tenant)
        new = accounts.create_token(engine, tenant, f"agent {agent}", Role.AGENT, actor="bench")
        tokens.append((tenant, new.secret))
    engine.dispose()
    return tokens


def queue_depth(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                sa.text("SELECT count(*) FROM ingest_jobs WHERE status IN ('queued', 'processing')")
            ).scalar_one()
        )


def check_store(engine: sa.Engine, acked: set[tuple[str, str]]) -> dict[str, int]:
    """Exactly-once: each acknowledged scan id has one stored scan and one ``scan.ingested`` event."""
    stored: dict[tuple[str, str], set[str]] = {}
    ingested: dict[tuple[str, str], int] = {}
    with engine.connect() as conn:
        for tenant, scan_id, path in conn.execute(
            sa.text("SELECT tenant_id, scan_id, path FROM inputs WHERE path LIKE 'agent/%'")
        ):
            stored.setdefault((tenant, path.split("/")[1]), set()).add(scan_id)
        for tenant, object_id in conn.execute(
            sa.text("SELECT tenant_id, object_id FROM events WHERE action = 'scan.ingested'")
        ):
            ingested[(tenant, object_id)] = ingested.get((tenant, object_id), 0) + 1
        jobs = dict(
            conn.execute(sa.text("SELECT status, count(*) FROM ingest_jobs GROUP BY status")).all()
        )
        reclaimed = conn.execute(
            sa.text("SELECT count(*) FROM ingest_jobs WHERE attempts > 1")
        ).scalar_one()
        scans = conn.execute(sa.text("SELECT count(*) FROM scans")).scalar_one()
        findings = conn.execute(sa.text("SELECT count(*) FROM findings")).scalar_one()
    return {
        "acked": len(acked),
        "stored_scans": int(scans),
        "findings": int(findings),
        "jobs_done": int(jobs.get("done", 0)),
        "jobs_failed": int(jobs.get("failed", 0)),
        "jobs_claimed_again": int(reclaimed),
        "lost": sum(1 for key in acked if not stored.get(key)),
        "duplicated": sum(1 for ids in stored.values() if len(ids) > 1)
        + sum(1 for n in ingested.values() if n > 1),
        "stored_not_acked": sum(1 for key in stored if key not in acked),
    }


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def processing_now(engine: sa.Engine) -> int:
    """Jobs marked as being processed: after a kill, those the dead server left behind."""
    query = sa.text("SELECT count(*) FROM ingest_jobs WHERE status = 'processing'")
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def wait_until_processing(engine: sa.Engine, seconds: float = 30.0) -> int:
    """Wait (a while) until the server is in the middle of processing a job, to kill it then."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        processing = processing_now(engine)
        if processing:
            return processing
        time.sleep(0.02)
    return 0


async def run_agents(
    engine: sa.Engine,
    server: Server,
    tokens: list[tuple[str, str]],
    templates: list[dict[str, Any]],
    seconds: float,
    crash: bool,
) -> tuple[Tally, dict[str, float]]:
    tally = Tally()
    start = time.monotonic()
    stop_at = start + seconds
    give_up = stop_at + 120
    tasks = [
        asyncio.create_task(
            agent_loop(server.url, token, tenant, template, stop_at, give_up, tally)
        )
        for (tenant, token), template in zip(tokens, templates, strict=True)
    ]
    timings: dict[str, float] = {}
    if crash:
        await asyncio.sleep(seconds / 2)
        timings["processing_at_kill"] = await asyncio.to_thread(wait_until_processing, engine)
        server.kill()
        killed = time.monotonic()
        timings["killed_at"] = killed - start
        # what the dead server left half-done (the job seen above may have finished just before)
        timings["orphaned_at_kill"] = await asyncio.to_thread(processing_now, engine)
        timings["restart_seconds"] = await asyncio.to_thread(server.start)
    await asyncio.gather(*tasks)
    if crash:
        after = [moment for moment in tally.ack_times if moment > killed]
        timings["no_acks_seconds"] = (min(after) if after else time.monotonic()) - killed
    timings["posting_seconds"] = time.monotonic() - start
    return tally, timings


def fresh_pg_database(url: str) -> str:
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"rootout_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{url.rsplit('/', 1)[0]}/{name}"


def drop_pg_database(admin_url: str, url: str) -> None:
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def run(args: argparse.Namespace, store: str, crash: bool) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="rootout-load-"))
    pg = os.environ.get("ROOTOUT_TEST_PG_URL", "")
    db = fresh_pg_database(pg) if store == "postgresql" else str(work / "server.db")
    tokens = prepare(db, args.agents)
    rng = random.Random(1634)
    tail = _tail(rng, 5000)
    templates = [host_template(a, args.items, rng, tail) for a in range(args.agents)]
    server = Server(db, free_port(), work / "server.log", args.lease_seconds)
    server.start()
    engine = connect(db)
    try:
        tally, timings = asyncio.run(
            run_agents(engine, server, tokens, templates, args.seconds, crash)
        )
        queued_at_end = queue_depth(engine)
        drain_start = time.monotonic()
        while queue_depth(engine) and time.monotonic() - drain_start < args.drain_timeout:
            time.sleep(1)
        drain = time.monotonic() - drain_start
        checked = check_store(engine, tally.acked)
    finally:
        server.stop()
        engine.dispose()
        if store == "postgresql":
            drop_pg_database(pg, db)
    posting = timings["posting_seconds"]
    return {
        "store": store,
        "agents": args.agents,
        "items": args.items,
        "seconds": args.seconds,
        "crash": crash,
        "lease_seconds": args.lease_seconds,
        "accepted_per_second": round(len(tally.acked) / posting, 1),
        "p50_ms": round(percentile(tally.latencies, 0.50) * 1000, 1),
        "p99_ms": round(percentile(tally.latencies, 0.99) * 1000, 1),
        "retries": tally.retries,
        "gave_up": tally.gave_up,
        "connection_errors": tally.connection_errors,
        "statuses": tally.statuses,
        "queued_at_end": queued_at_end,
        "drain_seconds": round(drain, 1),
        "processed_per_second": round(checked["jobs_done"] / (posting + drain), 1),
        **{k: round(v, 1) for k, v in timings.items()},
        **checked,
        "log": str(server.log),
    }


def machine() -> str:
    cpus = os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.machine()}, {cpus} CPUs, {memory:.0f} GiB, Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--agents", type=int, default=100)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument(
        "--store",
        choices=["sqlite", "postgresql"],
        action="append",
        help="Store(s) to run on (default: sqlite, and postgresql when ROOTOUT_TEST_PG_URL is set)",
    )
    parser.add_argument(
        "--run",
        choices=["steady", "crash"],
        action="append",
        help="steady: no restart; crash: SIGKILL and restart half-way (default: both)",
    )
    parser.add_argument("--drain-timeout", type=float, default=3600.0)
    parser.add_argument(
        "--lease-seconds",
        type=int,
        default=300,
        help="The server's ingest_lease_seconds: when a killed server's job is taken again",
    )
    parser.add_argument("--json", type=Path, help="Also write the results as JSON here")
    args = parser.parse_args()
    stores = args.store or ["sqlite"] + (
        ["postgresql"] if os.environ.get("ROOTOUT_TEST_PG_URL") else []
    )
    if "postgresql" in stores and not os.environ.get("ROOTOUT_TEST_PG_URL"):
        parser.error("--store postgresql needs ROOTOUT_TEST_PG_URL (an admin URL)")
    results = []
    for store in stores:
        for kind in args.run or ["steady", "crash"]:
            result = run(args, store, kind == "crash")
            result["machine"] = machine()
            print(json.dumps(result, indent=1), flush=True)
            results.append(result)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    ok = all(r["lost"] == r["gave_up"] == r["duplicated"] == r["jobs_failed"] == 0 for r in results)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
