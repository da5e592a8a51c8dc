"""Tiny real HTTP servers on loopback: a scripted scan endpoint and a forwarding proxy."""

from __future__ import annotations

import http.client
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Script:
    """Answers to give in turn (status, headers); the last one repeats. Records every request."""

    answers: list[tuple[int, dict[str, str]]]
    seen: list[Seen] = field(default_factory=list)

    def next_answer(self) -> tuple[int, dict[str, str]]:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def _scan_handler(script: Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            script.seen.append(Seen(self.path, dict(self.headers.items()), body))
            status, headers = script.next_answer()
            payload = (
                b'{"scan_id": "x", "status": "queued"}'
                if status < 300
                else (b'{"error": {"code": "nope", "message": "scripted failure"}}')
            )
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_args: object) -> None:
            pass

    return Handler


def _proxy_handler(requests: list[str]) -> type[BaseHTTPRequestHandler]:
    class Proxy(BaseHTTPRequestHandler):
        """A plain HTTP forward proxy: absolute-URI requests are sent on to their target."""

        def do_POST(self) -> None:
            requests.append(self.path)
            target = urllib.parse.urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {k: v for k, v in self.headers.items() if k.lower() != "proxy-connection"}
            upstream = http.client.HTTPConnection(target.hostname or "", target.port, timeout=10)
            upstream.request("POST", target.path, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            upstream.close()

        def log_message(self, *_args: object) -> None:
            pass

    return Proxy


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def scan_server(script: Script) -> Iterator[str]:
    with serving(_scan_handler(script)) as url:
        yield url


@contextmanager
def forward_proxy(requests: list[str]) -> Iterator[str]:
    with serving(_proxy_handler(requests)) as url:
        yield url
