"""``rootout agent``: scan this machine and post the scan to a rootout server (docs/server.md).

Exit codes: 0 when the scan was delivered (or written with ``--dry-run``), 4
when the server refused it or could not be reached after the retries. With
``--every`` the agent keeps running; a failed run is reported and the next run
goes ahead; SIGTERM or Ctrl-C stops it (after a run in progress).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from rootout.errors import ConfigError, RootoutError

if TYPE_CHECKING:
    from rootout.agent.run import Target

err = Console(stderr=True, highlight=False)


def _token(token: str | None, token_file: Path | None) -> str:
    if token_file is not None:
        try:
            return token_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"--token-file {token_file}: {exc.strerror}") from None
    if not token:
        raise ConfigError("give the agent token: --token, --token-file or ROOTOUT_AGENT_TOKEN")
    return token


def agent(
    server: str | None = typer.Option(
        None,
        "--server",
        envvar="ROOTOUT_AGENT_SERVER",
        help="Server URL, e.g. https://rootout.example.org",
    ),
    token: str | None = typer.Option(
        None, "--token", envvar="ROOTOUT_AGENT_TOKEN", help="An agent token (rto_...)."
    ),
    token_file: Path | None = typer.Option(
        None, "--token-file", help="Read the token from this file (keeps it out of `ps`)."
    ),
    proxy: str | None = typer.Option(
        None, "--proxy", help="Proxy URL; default HTTPS_PROXY/HTTP_PROXY/NO_PROXY."
    ),
    every: str | None = typer.Option(
        None, "--every", help="Keep running and scan at this interval (30m, 6h, 1d)."
    ),
    once: bool = typer.Option(False, "--once", help="Scan once and exit (the default)."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Collect and write the payload (-o) without sending it."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="With --dry-run: file for the payload (.gz: compressed)."
    ),
    attempts: int = typer.Option(
        8, "--attempts", min=1, help="Requests per scan, retries included."
    ),
    timeout: float = typer.Option(60.0, "--timeout", min=1.0, help="Seconds per request."),
) -> None:
    """Scan this machine and post the scan to a rootout server (retries, proxies, schedule)."""
    from rootout.agent import run

    if dry_run:
        if output is None:
            raise ConfigError("--dry-run needs -o FILE for the payload")
        scan = run.collect_payload()
        size = run.write_payload(scan, output)
        typer.echo(
            f"scan {scan.scan_id}: {len(scan.observations)} observations, {size} bytes -> {output}"
        )
        return
    if not server:
        raise ConfigError("give the server URL: --server or ROOTOUT_AGENT_SERVER")
    if every is not None and once:
        raise ConfigError("--every and --once exclude each other")
    from rootout.agent.client import RetryPolicy

    target = run.Target(server, _token(token, token_file), proxy, timeout, RetryPolicy(attempts))
    if every is None:
        _run_once(target)
        return
    _run_scheduled(target, every)


def _run_once(target: Target) -> None:
    from rootout.agent import run

    scan = run.collect_payload()
    posted = run.send(scan, target, lambda line: err.print(line, markup=False))
    state = "queued" if posted.status_code == 202 else f"already received ({posted.job['status']})"
    typer.echo(
        f"scan {scan.scan_id}: {len(scan.observations)} observations sent to {target.server}: {state}"
    )


def _run_scheduled(target: Target, every: str) -> None:
    from rootout.agent.schedule import parse_interval, run_every, stop_on_signals

    seconds = parse_interval(every)
    stop = threading.Event()

    def report(exc: RootoutError) -> None:
        err.print(f"error: {exc} (next scan in {every})", markup=False)

    with stop_on_signals(stop):
        runs = run_every(seconds, lambda: _run_once(target), stop, report)
    err.print(f"stopped after {runs} run(s)", markup=False)
