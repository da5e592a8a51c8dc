"""The HTTP clients webhook posts go through: one per worker thread, reused, cookie-free."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

import httpx

from rootout.api.webhook_delivery import ThreadClients, new_client, post_once
from tests.agent._servers import serving


@dataclass
class KeepAliveReceiver:
    """Keeps connections open (HTTP/1.1), sets a cookie, and notes each post's peer and cookie."""

    url: str
    peers: list[tuple[str, int]] = field(default_factory=list)
    cookies: list[str | None] = field(default_factory=list)


@contextmanager
def keep_alive_receiver() -> Iterator[KeepAliveReceiver]:
    box: list[KeepAliveReceiver] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            box[0].peers.append(self.client_address)
            box[0].cookies.append(self.headers.get("Cookie"))
            self.send_response(200)
            self.send_header("Set-Cookie", "session=tenant-a; Path=/")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    with serving(Handler) as url:
        box.append(KeepAliveReceiver(f"{url}/hook"))
        yield box[0]


def test_posts_reuse_the_connection_and_send_no_cookie_back() -> None:
    with keep_alive_receiver() as receiver, new_client(5.0) as http:
        first = post_once(http, receiver.url, b"{}", {"content-type": "application/json"})
        second = post_once(http, receiver.url, b"{}", {"content-type": "application/json"})
    assert first.ok
    assert second.ok
    assert receiver.peers[0] == receiver.peers[1]
    assert receiver.cookies == [None, None]


def test_a_network_error_is_an_attempt_to_retry_not_an_exception() -> None:
    with keep_alive_receiver() as receiver:
        url = receiver.url  # the receiver is gone once the block ends
    with new_client(5.0) as http:
        attempt = post_once(http, url, b"{}", {})
    assert attempt.status_code is None
    assert attempt.retry
    assert attempt.error is not None
    assert attempt.error.startswith("ConnectError")


def test_each_thread_keeps_its_own_client_until_all_are_closed() -> None:
    clients = ThreadClients(timeout=5.0)
    here = clients.get()
    elsewhere: list[httpx.Client] = []
    worker = threading.Thread(target=lambda: elsewhere.append(clients.get()))
    worker.start()
    worker.join()

    assert clients.get() is here
    assert elsewhere[0] is not here
    clients.close()
    assert here.is_closed
    assert elsewhere[0].is_closed
    assert not clients.get().is_closed  # a thread that posts after close gets a new client
    clients.close()
