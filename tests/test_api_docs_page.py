"""The API docs page (app.web.docs): every file it needs comes from the site, under a CSP of 'self'.

The browser proof (rendered operations with every other host blocked) is
tests/browser/test_api_docs.py; these tests pin the page, its assets and the pinned package.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.settings import PROJECT_DIR
from app.web.docs import ASSETS, asset_dir

LOCK_FILES = ("requirements.lock", "requirements-dev.lock", "requirements-bench.lock")


def csp_of(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def test_docs_page_loads_nothing_from_another_host(client: TestClient) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    linked = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert sorted(linked) == [
        "/api/docs/swagger-ui-bundle.js",
        "/api/docs/swagger-ui.css",
        "/static/api-docs.js",
        "/static/favicon.svg",
    ]
    assert 'data-openapi-url="/api/v1/openapi.json"' in response.text
    assert "<style" not in response.text and "style=" not in response.text
    assert re.search(r"<script>|<script [^>]*>[^<]", response.text) is None  # no inline script


def test_docs_csp_allows_only_the_site_itself(client: TestClient) -> None:
    response = client.get("/api/docs")
    csp = csp_of(response.headers["content-security-policy"])
    for directive in ("default-src", "script-src", "style-src", "connect-src", "font-src"):
        assert csp[directive] == ["'self'"], directive
    assert csp["img-src"] == ["'self'", "data:"]  # icons inside Swagger UI's stylesheet
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'self'"]
    assert response.headers["x-frame-options"] == "SAMEORIGIN"


@pytest.mark.parametrize(
    ("url", "media_type", "marker"),
    [
        ("/api/docs/swagger-ui-bundle.js", "text/javascript", "SwaggerUIBundle"),
        ("/api/docs/swagger-ui.css", "text/css", ".swagger-ui"),
        ("/static/api-docs.js", "text/javascript", "validatorUrl: null"),
        ("/static/favicon.svg", "image/svg+xml", "<svg"),
    ],
)
def test_docs_assets_are_served_by_the_site(
    client: TestClient, url: str, media_type: str, marker: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert marker in response.text


def test_swagger_assets_are_cached_and_other_package_files_are_not_served(
    client: TestClient,
) -> None:
    assert (
        client.get("/api/docs/swagger-ui.css").headers["cache-control"] == "public, max-age=86400"
    )
    for name in ("redoc.standalone.js", "favicon.png", "..%2Fcore.py", "nothing.js"):
        assert client.get(f"/api/docs/{name}").status_code == 404, name


def test_swagger_ui_comes_from_the_hash_pinned_package() -> None:
    assert sorted(ASSETS) == sorted(p.name for p in asset_dir().iterdir() if p.name in ASSETS)
    for lock in LOCK_FILES:
        text = (PROJECT_DIR / lock).read_text(encoding="utf-8")
        assert re.search(r"^fastapi-offline==1\.7\.7 \\\n +--hash=sha256:", text, re.M), lock
