"""Browser tests: Playwright drives Debian's headless Chromium against the real server.

The server runs under uvicorn on a free loopback port over a temporary SQLite
store. The main flow runs with JavaScript disabled (every page must work
without it); the XSS check runs with JavaScript on and the CSP bypassed, so only
the escaping stands between the payload and a dialog. Screenshots of every step
go to build/test-artifacts/. Never ``playwright install``: no browser downloads.
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from rootout.api import accounts
from rootout.api.app import create_app
from rootout.api.roles import Role
from rootout.api.settings import ServerSettings
from tests.api.conftest import PASSWORD, PROGRAMS, TODAY
from tests.conftest import REPO
from tests.web.conftest import module_environment

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "build" / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--no-first-run",
]
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
ANALYST = "analyst@acme.example"


def _need_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")


@dataclass(frozen=True)
class Server:
    url: str


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, _catalog_cache: Path) -> Iterator[Server]:
    """The real server (uvicorn, lifespan on) on a free loopback port with a tenant and analyst."""
    _need_chromium()
    folder = tmp_path_factory.mktemp("browser")
    with module_environment(folder, _catalog_cache):
        app = create_app(
            ServerSettings(db=str(folder / "rootout.db"), upload_dir=folder / "uploads"),
            today=TODAY,
        )
        accounts.create_tenant(app.state.rootout.engine, "acme")
        accounts.create_user(app.state.rootout.engine, "acme", ANALYST, PASSWORD, Role.ANALYST)
        app.state.rootout.catalog()  # load it before the first page asks
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        uv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        thread = threading.Thread(target=uv.run, kwargs={"sockets": [listener]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not uv.started:
            assert thread.is_alive(), "uvicorn stopped while starting"
            assert time.monotonic() < deadline, "uvicorn did not start within 30 s"
            time.sleep(0.05)
        yield Server(f"http://127.0.0.1:{port}")
        uv.should_exit = True
        thread.join(15)
        listener.close()
        app.state.rootout.engine.dispose()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _login(page: Any, server: Server, path: str = "/") -> None:
    page.goto(server.url + path)
    assert "/login" in page.url
    page.get_by_label("User name").fill(ANALYST)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(server.url + path) + r"$"))


def _upload(page: Any, server: Server, name: str, content: bytes, folder: str, label: str) -> None:
    page.goto(server.url + "/upload")
    page.get_by_label("Inventory file").set_input_files(
        {"name": name, "mimeType": "application/json", "buffer": content}
    )
    page.get_by_label("Asset folder").fill(folder)
    page.get_by_label("Label").fill(label)
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("Stored as scan").wait_for()


def test_the_analyst_flow_without_javascript(server: Server, chromium: Any) -> None:
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    _login(page, server)
    _shot(page, "01-overview-empty")

    _upload(page, server, "programs.json", PROGRAMS.read_bytes(), "ws-0042", "first scan")
    assert "2 findings" in page.locator("main").inner_text()
    _shot(page, "02-uploaded")

    page.goto(server.url + "/findings")
    page.get_by_label("Search").fill("network agent")
    page.get_by_label("Confidence at least").select_option("high")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"/findings\?.*q=network\+agent"))
    assert "confidence=high" in page.url  # bookmarkable
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1
    _shot(page, "03-findings-filtered")

    rows.first.get_by_role("link").first.click()
    page.get_by_role("heading", name="Explanation").wait_for()
    chain = page.locator("ol.chain")
    assert "Kaspersky Security Center Network Agent" in chain.inner_text()
    assert chain.locator('a[href^="https://"]').count() > 0  # each fact's source, linked
    _shot(page, "04-explanation")

    page.goto(server.url + "/cases")
    page.get_by_role("button", name="Open cases for new findings").click()
    page.get_by_text("Cases opened:").wait_for()
    page.locator("main table tbody tr th a").first.click()
    assert page.locator("#case-status").inner_text() == "open"
    page.get_by_label("New status").select_option("planned")
    page.get_by_label("Reason").fill("replacement ordered")
    page.get_by_role("button", name="Change status").click()
    page.get_by_text("Status changed to planned").wait_for()
    assert page.locator("#case-status").inner_text() == "planned"
    assert "replacement ordered" in page.locator("main").inner_text()
    _shot(page, "05-case-planned")
    context.close()


def test_keyboard_reaches_the_skip_link_first(server: Server, chromium: Any) -> None:
    context = chromium.new_context()
    page = context.new_page()
    page.goto(server.url + "/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    ring = page.evaluate(
        "[getComputedStyle(document.activeElement).outlineStyle,"
        " getComputedStyle(document.activeElement).outlineWidth]"
    )
    assert ring == ["solid", "3px"]  # a visible focus ring
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    context.close()


def _hostile_inventory() -> bytes:
    """The real programs fixture with hostile program names (one still matches the catalog)."""
    programs = json.loads(PROGRAMS.read_text(encoding="utf-8"))
    programs[0]["name"] = SCRIPT  # matched by its publisher, AO Kaspersky Lab
    programs[0]["version"] = ATTRIBUTE
    return json.dumps(programs).encode()


def test_hostile_names_show_as_text(server: Server, chromium: Any) -> None:
    context = chromium.new_context(bypass_csp=True)  # only the escaping protects this page
    page = context.new_page()
    page.set_default_timeout(20_000)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _login(page, server)
    _upload(page, server, "programs.json", _hostile_inventory(), "xss-host", ATTRIBUTE)

    page.goto(server.url + "/findings?asset=xss-host")
    assert SCRIPT in page.locator("main table").inner_text()
    _shot(page, "06-xss-findings")
    page.locator("main table tbody tr th a").first.click()
    page.get_by_role("heading", name="Observed fields").wait_for()
    fields = page.locator("main").inner_text()
    assert SCRIPT in fields
    assert ATTRIBUTE in fields
    _shot(page, "07-xss-finding")

    page.goto(server.url + "/")  # the scan label in the trend table
    assert ATTRIBUTE in page.locator("main").inner_text()
    page.goto(server.url + "/findings?q=" + ATTRIBUTE.replace(" ", "+"))  # reflected in a value
    assert page.get_by_label("Search").input_value() == ATTRIBUTE
    _shot(page, "08-xss-search")
    assert page.locator("main script, main img").count() == 0
    assert dialogs == []
    context.close()
