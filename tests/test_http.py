"""HTTP behaviour: validators and 304s, Cache-Control, CORS, gzip, media types, security headers,
the access log, and the widget script."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send

from app.catalog import Catalog
from app.settings import Settings
from app.web.app import create_app
from app.web.http import ConditionalGetMiddleware, http_date

DATA_URLS = [
    "/api/v1/cases?q=hjemløse",
    "/api/v1/cases/valid-fuldkorn-virksomheder",
    "/api/v1/vocabularies",
    "/api/v1/cases.csv?sector=kommune",
    "/feed.json",
    "/feed.atom?q=psykiatri",
]
HTML_URLS = ["/", "/sog?q=hjemløse", "/sag/valid-fuldkorn-virksomheder", "/emner", "/om"]
ORIGIN = "https://intranet.example"
NEWEST_CHANGE = "Sun, 15 Mar 2026 00:00:00 GMT"  # valid-psykiatri-peer-region, added 2026-03-15
WIDGET_HARNESS = Path(__file__).parent / "js" / "widget_harness.js"


# --- ETag, Last-Modified, 304 -------------------------------------------------------------------


@pytest.mark.parametrize("url", DATA_URLS)
def test_conditional_get_gives_304_by_etag_and_by_date(client: TestClient, url: str) -> None:
    first = client.get(url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.status_code == 200 and re.fullmatch(r'W/"[0-9a-f]{32}"', etag)
    assert modified == NEWEST_CHANGE
    for headers in (
        {"If-None-Match": etag},
        {"If-None-Match": f'"other", {etag.removeprefix("W/")}'},
        {"If-None-Match": "*"},
        {"If-Modified-Since": modified},
        {"If-Modified-Since": "Mon, 16 Mar 2026 08:00:00 GMT"},
    ):
        again = client.get(url, headers=headers)
        assert again.status_code == 304, headers
        assert again.content == b""
        assert again.headers["etag"] == etag
        assert again.headers["cache-control"] == "public, max-age=300"
    for headers in (
        {"If-None-Match": 'W/"other"'},
        {"If-Modified-Since": "Sat, 14 Mar 2026 00:00:00 GMT"},
        {"If-None-Match": 'W/"other"', "If-Modified-Since": modified},  # the ETag decides
        {"If-Modified-Since": "not a date"},
    ):
        assert client.get(url, headers=headers).status_code == 200, headers


def test_etag_follows_the_body(client: TestClient) -> None:
    one, two = client.get("/feed.json"), client.get("/feed.json?q=psykiatri")
    assert one.headers["etag"] != two.headers["etag"]
    assert client.get("/feed.json").headers["etag"] == one.headers["etag"]


def test_etag_follows_the_index_generation() -> None:
    def app_for(generation: str) -> ConditionalGetMiddleware:
        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            await PlainTextResponse("same body")(scope, receive, send)

        return ConditionalGetMiddleware(app, validators=lambda: (generation, dt.date(2026, 1, 2)))

    first = TestClient(app_for("gen-1")).get("/feed.json")
    second = TestClient(app_for("gen-2")).get("/feed.json")
    assert first.text == second.text and first.headers["etag"] != second.headers["etag"]
    assert first.headers["last-modified"] == "Fri, 02 Jan 2026 00:00:00 GMT"


def test_last_modified_is_the_newest_change_in_the_catalog(catalog: Catalog) -> None:
    assert catalog.last_modified == dt.date(2026, 3, 15)
    assert http_date(catalog.last_modified) == NEWEST_CHANGE


def test_errors_are_not_validated(client: TestClient) -> None:
    error = client.get("/api/v1/cases?sector=ukendt")
    assert "etag" not in error.headers and error.headers["cache-control"] == "no-store"
    missing = client.get("/sag/findes-ikke")
    assert missing.status_code == 404 and "etag" not in missing.headers


@pytest.mark.parametrize("url", HTML_URLS)
def test_html_pages_have_an_etag_but_no_last_modified(client: TestClient, url: str) -> None:
    first = client.get(url)
    etag = first.headers["etag"]
    assert first.status_code == 200 and re.fullmatch(r'W/"[0-9a-f]{32}"', etag)
    assert "last-modified" not in first.headers  # a release changes pages, not the content
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert client.get(url, headers={"If-Modified-Since": NEWEST_CHANGE}).status_code == 200


# --- Cache-Control and media types --------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "media_type", "cache"),
    [
        ("/api/v1/cases", "application/json", "public, max-age=300"),
        ("/api/v1/cases/valid-fuldkorn-virksomheder", "application/json", "public, max-age=300"),
        ("/api/v1/vocabularies", "application/json", "public, max-age=300"),
        ("/api/v1/cases.csv", "text/csv; charset=utf-8", "public, max-age=300"),
        ("/feed.json", "application/feed+json", "public, max-age=300"),
        ("/feed.atom", "application/atom+xml", "public, max-age=300"),
        ("/widget.js", "application/javascript", "public, max-age=300"),
        ("/sog", "text/html; charset=utf-8", "public, max-age=60"),
        ("/api/docs", "text/html; charset=utf-8", "public, max-age=60"),
        ("/healthz", "application/json", "no-store"),
        ("/api/v1/cases/findes-ikke", "application/json", "no-store"),
        ("/findes-ikke", "text/html; charset=utf-8", "no-store"),
    ],
)
def test_media_type_and_cache_control(
    client: TestClient, url: str, media_type: str, cache: str
) -> None:
    response = client.get(url)
    assert response.headers["content-type"] == media_type
    assert response.headers["cache-control"] == cache


def test_csv_route_is_not_taken_for_a_case_slug(client: TestClient) -> None:
    response = client.get("/api/v1/cases.csv")
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")


# --- gzip ---------------------------------------------------------------------------------------


def test_gzip_when_asked_and_the_body_is_worth_it(client: TestClient) -> None:
    zipped = client.get("/api/v1/cases", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["vary"]
    assert zipped.json()["total"] == 3  # decoded transparently
    plain = client.get("/api/v1/cases", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.json() == zipped.json()
    small = client.get("/api/v1/cases/findes-ikke", headers={"Accept-Encoding": "gzip"})
    assert len(small.content) < 500 and "content-encoding" not in small.headers


# --- CORS ---------------------------------------------------------------------------------------

CORS_URLS = ["/api/v1/cases", "/api/v1/cases.csv", "/feed.json", "/feed.atom", "/widget.js"]


@pytest.mark.parametrize("url", CORS_URLS)
def test_cors_preflight_and_get(client: TestClient, url: str) -> None:
    preflight = client.options(
        url,
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "GET" in preflight.headers["access-control-allow-methods"]
    assert "if-none-match" in preflight.headers["access-control-allow-headers"].lower()
    response = client.get(url, headers={"Origin": ORIGIN})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "ETag" in response.headers["access-control-expose-headers"]


def test_html_pages_are_not_shared_cross_origin(client: TestClient) -> None:
    page = client.get("/sog", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in page.headers
    preflight = client.options(
        "/sog", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in preflight.headers


@pytest.fixture
def one_origin_client(built_settings: Settings) -> Iterator[TestClient]:
    settings = built_settings.model_copy(update={"cors_origins": [ORIGIN]})
    with TestClient(create_app(settings)) as client:
        yield client


def test_cors_origins_setting_limits_who_may_read(one_origin_client: TestClient) -> None:
    allowed = one_origin_client.get("/feed.json", headers={"Origin": ORIGIN})
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    other = one_origin_client.get("/feed.json", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    refused = one_origin_client.options(
        "/feed.json",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert refused.status_code == 400


# --- Security headers ---------------------------------------------------------------------------


def csp_of(headers: httpx.Headers) -> dict[str, list[str]]:
    header = headers["content-security-policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.mark.parametrize("url", HTML_URLS)
def test_html_pages_get_a_strict_csp_they_can_live_with(client: TestClient, url: str) -> None:
    response = client.get(url)
    csp = csp_of(response.headers)
    assert csp["default-src"] == ["'self'"] and csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"] and csp["img-src"] == ["'self'", "data:"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    html = response.text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html), "inline style or handler"


@pytest.mark.parametrize("url", ["/api/v1/cases", "/feed.json", "/feed.atom", "/widget.js"])
def test_data_gets_nosniff_but_no_frame_rules(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "x-frame-options" not in response.headers
    assert "content-security-policy" not in response.headers


# --- Access log ---------------------------------------------------------------------------------


def test_one_json_access_line_per_request_on_stdout(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    response = client.get("/api/v1/cases?q=hjem", headers={"Accept-Encoding": "identity"})
    client.get("/api/v1/cases/findes-ikke")
    out = capsys.readouterr()
    lines = [json.loads(line) for line in out.out.splitlines()]  # nothing but JSON
    assert len(lines) == 2 and "partnerskabsbasen.access" not in out.err
    assert not logging.getLogger("partnerskabsbasen.access").propagate
    first, second = lines
    assert set(first) == {"method", "path", "status", "duration_ms", "bytes"}  # no query string
    assert {k: first[k] for k in ("method", "path", "status")} == {
        "method": "GET",
        "path": "/api/v1/cases",
        "status": 200,
    }
    assert first["bytes"] == len(response.content)
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert second["status"] == 404 and second["path"] == "/api/v1/cases/findes-ikke"


# --- The widget ---------------------------------------------------------------------------------


def test_widget_is_served_as_javascript_and_never_parses_feed_text_as_html(
    client: TestClient,
) -> None:
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["last-modified"]
    source = response.text
    assert "data-partnerskabsbasen" in source and "/feed.json" in source
    assert "document.currentScript" in source
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", source)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_widget_renders_a_list_and_keeps_the_fallback_on_failure(client: TestClient) -> None:
    """Runs widget.js in Node with a small fake DOM (tests/js/widget_harness.js) on a real feed,
    plus two hostile items: a javascript: link (dropped) and markup in a title (kept as text)."""
    feed = client.get("/feed.json?target_group=hjemloese").json()
    feed["items"] += [
        {"id": "x", "url": "javascript:alert(1)", "title": "Klik", "content_text": ""},
        {"id": "y", "url": "https://a.example/", "title": "<img src=x onerror=alert(1)>",
         "content_text": ""},
    ]  # fmt: skip
    script = client.get("/widget.js").text
    done = subprocess.run(
        ["node", str(WIDGET_HARNESS)],
        input=json.dumps({"script": script, "feed": feed}),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["fetched"] == [
        "https://partnerskabsbasen.example/feed.json?target_group=hjemloese",
        "https://partnerskabsbasen.example/feed.json?q=x",
    ]
    ok = result["ok"]
    assert ok["tag"] == "section" and ok["lang"] == "da"
    assert ok["heading"] == "Nyeste om hjemløse"
    assert ok["links"] == [
        {
            "href": "http://testserver/sag/valid-hjemloese-kommune-frivillige",
            "text": "Frivillige og kommune hjælper hjemløse i egen bolig",
            "time": "10. januar 2026",
            "datetime": "2026-01-10",
        },
        {
            "href": "https://a.example/",
            "text": "<img src=x onerror=alert(1)>",
            "time": None,
            "datetime": None,
        },
    ]
    assert result["failed"] == {"fallback": "Nyeste partnerskaber", "children": 1}
