"""The dashboard's pages over one seeded store (read only): content, filters, links, headers."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from rootout.api.roles import Role
from tests.api.conftest import client
from tests.web.conftest import Seeded, csrf_in, web_login


@pytest.fixture
def seeded(seeded_server: Seeded) -> Seeded:
    return seeded_server


@pytest.fixture
def viewer(seeded: Seeded) -> TestClient:
    return web_login(seeded.app, seeded.users[Role.VIEWER])


def _text(html: str) -> str:
    """The page's visible text, tags removed, whitespace folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_pages_need_a_login_and_come_back_after_it(seeded: Seeded) -> None:
    browser = client(seeded.app)
    answer = browser.get("/findings?basis=direct", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Ffindings%3Fbasis%3Ddirect"
    form = browser.get(answer.headers["location"])
    assert 'name="next" value="/findings?basis=direct"' in form.text
    done = browser.post(
        "/login",
        data={
            "username": seeded.users[Role.VIEWER],
            "password": "correct horse battery staple",
            "csrf_token": csrf_in(form.text),
            "next": "/findings?basis=direct",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/findings?basis=direct"
    cookie = done.headers["set-cookie"]
    assert "rootout_session=" in cookie
    assert all(flag in cookie for flag in ("Secure", "HttpOnly", "SameSite=strict"))


def test_a_wrong_password_or_a_forged_login_form_is_refused(seeded: Seeded) -> None:
    browser = client(seeded.app)
    token = csrf_in(browser.get("/login").text)
    user = seeded.users[Role.VIEWER]
    wrong = browser.post("/login", data={"username": user, "password": "nope", "csrf_token": token})
    assert wrong.status_code == 401
    assert "Wrong user name or password" in wrong.text
    forged = client(seeded.app)  # no login-form cookie: a cross-site post
    answer = forged.post(
        "/login",
        data={"username": user, "password": "correct horse battery staple", "csrf_token": token},
    )
    assert answer.status_code == 403
    assert "rootout_session" not in answer.headers.get("set-cookie", "")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_login_never_redirects_to_another_site(seeded: Seeded, target: str) -> None:
    browser = client(seeded.app)
    token = csrf_in(browser.get("/login").text)
    answer = browser.post(
        "/login",
        data={
            "username": seeded.users[Role.VIEWER],
            "password": "correct horse battery staple",
            "csrf_token": token,
            "next": target,
        },
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/"


PAGES = [
    "/",
    "/findings",
    "/assets",
    "/cases",
    "/contracts",
    "/catalog",
    "/catalog?kind=signatures",
    "/catalog/kaspersky.ao-kaspersky-lab",
    "/reports",
    "/upload",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_accessible_html_with_strict_headers(viewer: TestClient, path: str) -> None:
    answer = viewer.get(path)
    assert answer.status_code == 200, answer.text
    html = answer.text
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html
    assert '<a class="skip" href="#main">' in html
    assert all(tag in html for tag in ("<header", "<nav", '<main id="main"'))
    assert "<script" not in html
    for match in re.finditer(r'<(?:input|select)\b(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html):
        assert f'<label for="{match.group(1)}"' in html, (
            f"{path}: input {match.group(1)} unlabelled"
        )
    assert "<th>" not in html, f"{path}: a table header without scope"
    csp = answer.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "script-src" not in csp  # falls back to 'none': no script runs at all
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "same-origin"


def test_overview_counts_and_charts(viewer: TestClient, seeded: Seeded) -> None:
    html = viewer.get("/").text
    text = _text(html)
    assert f"{len(seeded.findings)} active findings" in text
    assert "AO Kaspersky Lab" in text
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 3
    assert "Findings seen in each scan" in text
    assert f"{seeded.case} " in text  # a deadline of the case is due


def test_findings_filter_search_and_page_through_the_url(viewer: TestClient) -> None:
    all_ids = set(re.findall(r'href="/findings/(F[0-9a-f]+)"', viewer.get("/findings").text))
    assert len(all_ids) == 2
    agent = viewer.get("/findings", params={"q": "network agent"}).text
    assert len(set(re.findall(r'href="/findings/(F[0-9a-f]+)"', agent))) == 1
    assert 'value="network agent"' in agent
    assert "No findings match" in viewer.get("/findings", params={"basis": "embedded"}).text
    assert "No findings match" in viewer.get("/findings", params={"asset": "elsewhere"}).text
    assert "No findings match" in viewer.get("/findings", params={"status": "gone"}).text
    submitted = viewer.get("/findings?q=&entity=&basis=&status=open&confidence=low&asset=")
    assert len(set(re.findall(r'href="/findings/(F[0-9a-f]+)"', submitted.text))) == 2
    assert viewer.get("/cases?status=").status_code == 200  # "any" in the cases filter
    bad = viewer.get("/findings", params={"basis": "nonsense"})
    assert bad.status_code == 422
    assert "basis" in bad.text


def test_a_finding_shows_its_chain_down_to_the_raw_value_and_sources(
    viewer: TestClient, seeded: Seeded
) -> None:
    html = viewer.get(f"/findings/{seeded.findings[0]}").text
    text = _text(html)
    assert "Explanation" in text
    assert "raw : name = " in text.replace("raw:", "raw :")
    assert "ws-0042/programs.json" in text
    assert '<a href="https://www.govinfo.gov/' in html  # a designation's source, linked
    assert 'href="/catalog/kaspersky.ao-kaspersky-lab"' in html
    assert f'<a href="/cases/{seeded.case}">{seeded.case}</a>' in html  # its removal case
    assert viewer.get("/findings/F0000000000000000").status_code == 404


def test_assets_list_and_detail(viewer: TestClient, seeded: Seeded) -> None:
    listing = viewer.get("/assets").text
    link = re.search(r'href="(/assets/[^"]+)">ws-0042<', listing)
    assert link, listing
    detail = viewer.get(link.group(1)).text
    assert all(f in detail for f in seeded.findings)
    assert viewer.get("/assets/host:name:nowhere").status_code == 404


def test_reports_download_like_the_api(viewer: TestClient, seeded: Seeded) -> None:
    listing = viewer.get("/reports").text
    assert 'href="/reports/csv?variant=csv"' in listing
    answer = viewer.get("/reports/csv", params={"variant": "csv"})
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    ids = {row["id"] for row in csv.DictReader(io.StringIO(answer.text))}
    assert ids == set(seeded.findings)
    assert viewer.get("/reports/nope").status_code == 404


def test_catalog_object_lists_its_sources_with_urls(viewer: TestClient) -> None:
    html = viewer.get("/catalog/kaspersky.ao-kaspersky-lab").text
    assert "kaspersky.yaml" in html
    assert re.search(r'<a href="https?://[^"]+" rel="noreferrer noopener">', html)
    assert viewer.get("/catalog/no.such.object").status_code == 404


def test_the_stylesheet_is_served(viewer: TestClient) -> None:
    answer = client(viewer.app).get("/static/site.css")  # type: ignore[arg-type]
    assert answer.headers["content-type"].startswith("text/css")
    assert ":focus-visible" in answer.text
    assert client(viewer.app).get("/static/app.py").status_code == 404  # type: ignore[arg-type]
