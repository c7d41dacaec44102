"""The editors' search insight page in the real browser: the Bearer header sent with
``extra_http_headers``, a search made in the browser showing up, links and the period form, and
an axe-core WCAG 2.1 AA audit with no serious or critical violation.

The server is ``python -m app serve`` over the browser fixture cases, with an editor token and a
search log flushed every 0.1 s, so a search reaches the page within a moment.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from app.build import build
from app.settings import PROJECT_DIR
from tests.browser.conftest import Site, free_port, new_page, wait_until_healthy
from tests.browser.test_accessibility import audit
from tests.conftest import FIXTURES, make_content, make_settings

pytestmark = pytest.mark.browser

TOKEN = "browser-redaktionens-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PAGE = "/redaktion/soegninger"
WAIT_SECONDS = 10


@pytest.fixture(scope="module")
def editor_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("editor-site")
    settings = make_settings(root, make_content(root / "content", FIXTURES / "browser_cases"))
    build(settings)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PB_CONTENT_DIR": str(settings.content_dir),
        "PB_INDEX_DIR": str(settings.index_dir),
        "PB_BASE_URL": base_url,
        "PB_LOG_LEVEL": "WARNING",
        "PB_EDITOR_TOKEN": TOKEN,
        "PB_SEARCH_LOG_URL": f"sqlite:///{root / 'var' / 'log.sqlite'}",
        "PB_SEARCH_LOG_FLUSH_INTERVAL": "0.1",
    }
    env.pop("PB_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_healthy(process, base_url)
        for q in ("xyzzyqq", "ensomhd", "peer", "peer"):  # none, corrected, twice
            url = f"{base_url}/sog?{urllib.parse.urlencode({'q': q})}"
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.status == 200
        yield Site(base_url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


@pytest.fixture
def editor(browser: Browser, editor_site: Site) -> Iterator[Page]:
    """A tab that sends the editor's Bearer header with every request, as an extension would."""
    yield from new_page(browser, editor_site, extra_http_headers=AUTH)


@pytest.fixture
def visitor(browser: Browser, editor_site: Site) -> Iterator[Page]:
    yield from new_page(browser, editor_site)


@pytest.fixture
def narrow_editor(browser: Browser, editor_site: Site) -> Iterator[Page]:
    yield from new_page(
        browser, editor_site, extra_http_headers=AUTH, viewport={"width": 320, "height": 640}
    )


def open_until(page: Page, path: str, selector: str) -> None:
    """Reload until the search log's next flush (every 0.1 s) has brought the row."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        response = page.goto(path)
        assert response is not None and response.status == 200
        if page.locator(selector).count() or time.monotonic() > deadline:
            return
        time.sleep(0.1)


def test_a_search_in_the_browser_shows_up_for_the_editor(editor: Page) -> None:
    editor.goto("/sog")
    editor.locator("#q").fill("Klima  Aarhus")
    editor.locator("#q").press("Enter")
    expect(editor).to_have_url(re.compile(r"/sog\?q=Klima\+\+Aarhus"))

    open_until(editor, PAGE, "#top a:text-is('klima aarhus')")
    row = editor.locator("#top tr", has=editor.locator("a:text-is('klima aarhus')"))
    expect(row.locator("td").nth(2)).to_have_text("1")
    row.locator("a").click()
    expect(editor).to_have_url(re.compile(r"/sog\?q=klima\+aarhus$"))
    expect(editor.locator("h1")).to_be_visible()


def test_each_section_lists_its_searches(editor: Page) -> None:
    open_until(editor, PAGE, "#corrected a:text-is('ensomhd')")
    expect(editor.locator("#zero tbody a")).to_have_text(["xyzzyqq"])
    expect(editor.locator("#corrected tbody a")).to_have_text(["ensomhd"])
    peer = editor.locator("#top tr", has=editor.locator("a:text-is('peer')"))
    expect(peer.locator("td").nth(2)).to_have_text("2")


def test_the_period_links_and_the_date_form_keep_the_header(editor: Page) -> None:
    editor.goto(PAGE)
    editor.get_by_role("link", name="Seneste 7 dage").click()
    expect(editor).to_have_url(re.compile(rf"{PAGE}\?dage=7$"))
    expect(editor.get_by_role("link", name="Seneste 7 dage")).to_have_attribute(
        "aria-current", "page"
    )
    editor.get_by_label("Fra").fill("2026-01-01")
    editor.get_by_label("Til").fill("2026-01-31")
    editor.get_by_role("button", name="Vis perioden").click()
    expect(editor).to_have_url(re.compile(rf"{PAGE}\?fra=2026-01-01&til=2026-01-31$"))
    expect(editor.locator("#summary")).to_contain_text("Fra 1. januar 2026 til 31. januar 2026")


def test_without_the_header_the_browser_gets_the_plain_404(visitor: Page) -> None:
    response = visitor.goto(PAGE)
    assert response is not None and response.status == 404
    expect(visitor.locator("h1")).to_have_text("Siden findes ikke")


def test_the_editor_page_has_no_serious_or_critical_wcag_violations(
    editor: Page, axe_source: str
) -> None:
    open_until(editor, PAGE, "#corrected a:text-is('ensomhd')")
    audit(editor, axe_source)


def test_the_editor_page_reflows_at_320_px(narrow_editor: Page) -> None:
    open_until(narrow_editor, PAGE, "#top tbody a")
    overflow = narrow_editor.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow} px of horizontal scrolling at 320 px"
