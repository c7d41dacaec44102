"""/api/docs works on an intranet without internet: everything comes from the site itself."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route

from tests.browser.conftest import Site

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob") or parts.hostname in LOCAL_HOSTS


def test_api_docs_render_with_every_other_host_blocked(page: Page, site: Site) -> None:
    requested: list[str] = []
    blocked: list[str] = []

    def only_this_site(route: Route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.on("request", lambda request: requested.append(request.url))
    page.context.route("**/*", only_this_site)
    page.add_init_script(WATCH_CSP)

    page.goto(site.url("/api/docs"))
    operations = page.locator(".opblock")
    operations.first.wait_for()
    assert operations.count() >= 10
    assert page.locator(".info .title").inner_text().startswith("Partnerskabsbasen API")
    listed = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/cases" in [path.replace("\u200b", "") for path in listed]

    # Unfold one operation and run "Try it out", so Swagger UI draws its richer parts (schemas,
    # highlighted responses) and fetches from the site under the page's CSP.
    health = page.locator(".opblock", has=page.locator('[data-path="/healthz"]'))
    health.locator(".opblock-summary").click()
    health.get_by_role("button", name="Try it out").click()
    health.get_by_role("button", name="Execute").click()
    status = health.locator(".live-responses-table tbody .response-col_status").first
    assert status.inner_text().strip().startswith("200")

    assert any(url.endswith("/api/docs/swagger-ui-bundle.js") for url in requested)
    assert any(url.endswith("/api/v1/openapi.json") for url in requested)
    assert blocked == []
    assert [url for url in requested if not is_local(url)] == []
    assert page.evaluate("window.__cspViolations") == []
