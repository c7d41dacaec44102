"""The HTTP edge through the test client: HEAD, allowed hosts, forwarded headers, links built
from the request, security headers on every error (500 and 503 too), and error bodies that
keep internals and long echoes out. Over a real socket: tests/test_server_edge.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send

from app.settings import Settings
from app.web.app import create_app
from app.web.hosts import ForwardedMiddleware, host_allowed, host_name
from tests.conftest import run_async

CASE = "valid-fuldkorn-virksomheder"
GET_URLS = [
    "/",
    "/sog?q=hjemløse",
    f"/sag/{CASE}",
    "/emner",
    "/emner/sektor",
    "/om",
    "/statistik",
    "/sammenlign?sag=valid-fuldkorn-virksomheder&sag=valid-hjemloese-kommune-frivillige",
    "/api/docs",
    "/api/v1/cases?q=hjemløse",
    f"/api/v1/cases/{CASE}",
    "/api/v1/cases.csv",
    "/api/v1/vocabularies",
    "/api/v1/openapi.json",
    "/feed.json",
    "/feed.atom",
    "/widget.js",
    "/healthz",
    "/static/site.css",
]
VARYING = {"date"}
SECURITY = ("x-content-type-options", "referrer-policy")
HTML_SECURITY = ("content-security-policy", "x-frame-options", "permissions-policy")


@pytest.mark.parametrize("url", GET_URLS)
@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_head_answers_like_get_without_a_body(client: TestClient, url: str, encoding: str) -> None:
    headers = {"Accept-Encoding": encoding}
    get, head = client.get(url, headers=headers), client.head(url, headers=headers)
    assert get.status_code == head.status_code == 200, head.text[:200]
    assert head.content == b""
    assert {k: v for k, v in head.headers.items() if k not in VARYING} == {
        k: v for k, v in get.headers.items() if k not in VARYING
    }


def test_head_of_a_missing_page_is_the_same_404(client: TestClient) -> None:
    head = client.head("/sag/findes-ikke")
    assert head.status_code == 404 and head.content == b""
    assert (
        head.headers["content-length"] == client.get("/sag/findes-ikke").headers["content-length"]
    )


# --- Host -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/emner/", "/sog?q=", "/", "/api/v1/cases", "/feed.json"])
def test_a_foreign_host_gets_400_in_the_error_shape_with_the_headers(
    client: TestClient, url: str
) -> None:
    response = client.get(url, headers={"Host": "evil.example"}, follow_redirects=False)
    assert response.status_code == 400
    assert "evil.example" not in response.text and "location" not in response.headers
    for name in SECURITY:
        assert name in response.headers
    if url.startswith(("/api", "/feed")):
        assert response.json()["error"]["code"] == "host_not_allowed"
    else:
        assert "host_not_allowed" in response.text
        for name in HTML_SECURITY:
            assert name in response.headers


def test_healthz_answers_any_host_for_load_balancer_probes(client: TestClient) -> None:
    assert client.get("/healthz", headers={"Host": "10.0.0.7:8000"}).status_code == 200


def test_redirects_stay_on_an_allowed_host(client: TestClient) -> None:
    response = client.get("/sog?q=&page=1", headers={"Host": "localhost:5000"},
                          follow_redirects=False)  # fmt: skip
    assert response.status_code == 303 and response.headers["location"].startswith("/sog")


@pytest.mark.parametrize(
    ("host", "allowed", "ok"),
    [
        ("localhost:8000", ["localhost"], True),
        ("[::1]:8000", ["::1"], True),
        ("::1", ["::1"], True),
        ("LocalHost.", ["localhost"], True),
        ("a.example.org", ["*.example.org"], True),
        ("example.org.evil", ["*.example.org"], False),
        ("evil.example", ["localhost"], False),
        ("", ["localhost"], False),
        ("anything", ["*"], True),
    ],
)
def test_host_patterns(host: str, allowed: list[str], ok: bool) -> None:
    assert host_allowed(host, allowed) is ok


def test_host_name_drops_the_port() -> None:
    assert [host_name(h) for h in ("a.dk:80", "[::1]:8000", "a.dk")] == ["a.dk", "::1", "a.dk"]


@pytest.fixture
def unset_client(built_settings: Settings) -> Iterator[TestClient]:
    """PB_BASE_URL unset, the site reached as http://localhost:5555."""
    settings = built_settings.model_copy(update={"base_url": ""})
    with TestClient(create_app(settings), base_url="http://localhost:5555") as client:
        yield client


def test_base_url_setting_is_added_to_the_allowed_hosts(built_settings: Settings) -> None:
    settings = built_settings.model_copy(update={"base_url": "https://pb.example.org"})
    with TestClient(create_app(settings), base_url="https://pb.example.org") as client:
        page = client.get(f"/sag/{CASE}")
        assert page.status_code == 200 and f"https://pb.example.org/sag/{CASE}" in page.text
        assert page.headers["strict-transport-security"] == "max-age=31536000"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"/sag/{CASE}", f"http://localhost:5555/sag/{CASE}"),
        ("/sog?q=hjemløse", "http://localhost:5555/feed.json?q="),
        ("/feed.json", '"id":"http://localhost:5555/sag/'),
        ("/feed.atom", "<id>http://localhost:5555/sag/"),
        ("/api/v1/cases.csv", "http://localhost:5555/sag/"),
    ],
)
def test_without_base_url_links_point_where_the_request_came(
    unset_client: TestClient, url: str, expected: str
) -> None:
    response = unset_client.get(url, headers={"X-Forwarded-Host": "evil.example"})
    assert response.status_code == 200
    assert expected in response.text
    assert "8000" not in response.text.replace("8000-", "")  # no default port anywhere
    assert "evil.example" not in response.text  # the test client is no trusted proxy
    assert "strict-transport-security" not in response.headers  # plain http


# --- Forwarded headers ------------------------------------------------------------------------


def forwarded(trusted: list[str], client: str, headers: dict[str, str]) -> dict[str, object]:
    seen: dict[str, object] = {}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.update(scheme=scope["scheme"], client=scope["client"][0],
                    host=dict(scope["headers"]).get(b"host", b"").decode())  # fmt: skip
        await PlainTextResponse("")(scope, receive, send)

    middleware = ForwardedMiddleware(app, trusted)
    scope = {"type": "http", "method": "GET", "path": "/", "headers": [(b"host", b"a.dk")],
             "scheme": "http", "client": (client, 1)}  # fmt: skip
    scope["headers"] += [(k.lower().encode(), v.encode()) for k, v in headers.items()]  # type: ignore[operator]

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b""}

    async def send(message: object) -> None:
        pass

    run_async(middleware(scope, receive, send))  # type: ignore[arg-type]
    return seen


PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "pb.example.org",
                 "X-Forwarded-For": "203.0.113.9, 10.0.0.2"}  # fmt: skip


def test_forwarded_headers_count_from_a_trusted_proxy_only() -> None:
    assert forwarded(["10.0.0.0/8"], "10.1.2.3", PROXY_HEADERS) == {
        "scheme": "https", "client": "10.0.0.2", "host": "pb.example.org"}  # fmt: skip
    assert forwarded(["127.0.0.1"], "10.1.2.3", PROXY_HEADERS) == {
        "scheme": "http", "client": "10.1.2.3", "host": "a.dk"}  # fmt: skip
    assert (
        forwarded(["10.0.0.0/8"], "10.1.2.3", {"X-Forwarded-Proto": "gopher"})["scheme"] == "http"
    )


# --- Errors: headers, no internals, short echoes ------------------------------------------------


@pytest.fixture
def fragile_client(built_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(built_settings), raise_server_exceptions=False) as client:
        yield client


def explode(*args: object, **kwargs: object) -> None:
    raise RuntimeError("geheim: /srv/hemmelig/sti SELECT * FROM cases")


@pytest.mark.parametrize(
    ("target", "url", "html"),
    [
        ("app.web.html.case_page", f"/sag/{CASE}", True),
        ("app.web.api.search", "/api/v1/cases", False),
    ],
)
def test_a_500_carries_the_security_headers_and_no_internals(
    fragile_client: TestClient, monkeypatch: pytest.MonkeyPatch, target: str, url: str, html: bool,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setattr(target, explode)
    capsys.readouterr()
    response = fragile_client.get(url)
    assert response.status_code == 500
    for name in (*SECURITY, *(HTML_SECURITY if html else ())):
        assert name in response.headers, name
    assert response.headers["cache-control"] == "no-store"
    assert "geheim" not in response.text and "SELECT" not in response.text
    assert "Der skete en intern fejl" in response.text
    logged = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["status"] for line in logged] == [500]  # the access log sees 500s too


@pytest.fixture
def no_index_client(tmp_path: Path, built_settings: Settings) -> Iterator[TestClient]:
    settings = built_settings.model_copy(update={"index_dir": tmp_path / "hemmelig-mappe"})
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.parametrize("url", ["/api/v1/cases", "/sog", "/feed.json"])
def test_a_503_says_so_in_danish_without_the_index_path(
    no_index_client: TestClient, url: str
) -> None:
    response = no_index_client.get(url)
    assert response.status_code == 503
    assert "hemmelig" not in response.text and "/current" not in response.text
    assert "midlertidigt utilgængelig" in response.text
    for name in SECURITY:
        assert name in response.headers


@pytest.mark.parametrize("url", ["/api/v1/cases?sector=", "/sog?sector=", "/sag/", "/emner/"])
def test_an_echoed_value_is_shortened(client: TestClient, url: str) -> None:
    value = "x" * 60_000  # the test client's limit is 64 KiB; over a socket 32 KiB is a 414
    response = client.get(url + value)
    assert response.status_code in (400, 404)
    assert len(response.content) < 8_000
    assert "x" * 79 + "…" in response.text and "x" * 81 not in response.text


def test_a_missing_topic_speaks_of_a_topic(client: TestClient) -> None:
    response = client.get("/emner/nope")
    assert response.status_code == 404
    assert "Emnet &#39;nope&#39; findes ikke" in response.text and "Sagen" not in response.text
