"""The real site over HTTP, and Debian's Chromium driven by Playwright.

The server runs ``python -m app serve`` in a subprocess on a free local port, serving an index
built from ``tests/fixtures/browser_cases`` (25 short fictional cases, five per page). The
browser is the system Chromium (``apt-get install chromium``); Playwright's own browser download
is not used. Without Chromium the browser tests skip on a developer machine and fail under CI.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from app.build import build
from app.settings import PROJECT_DIR
from tests.conftest import FIXTURES, REAL_CONTENT, make_content, make_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PER_PAGE = 5
STARTUP_SECONDS = 30
TIMEOUT_MS = 10_000


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(reason: str) -> None:
    """Skip on a developer machine; under CI a missing tool is a failure, never a skip."""
    if on_ci():
        pytest.fail(f"{reason} (CI is set, so the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@dataclass(frozen=True)
class Site:
    """The running server."""

    base_url: str

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_healthy(process: subprocess.Popen[bytes], base_url: str) -> None:
    for _ in range(STARTUP_SECONDS * 10):
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        try:
            code = process.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            continue
        output = process.stdout.read().decode() if process.stdout else ""
        raise RuntimeError(f"the server exited with {code} before it was ready:\n{output}")
    raise RuntimeError(f"the server did not answer /healthz within {STARTUP_SECONDS} s")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """``python -m app serve`` over the browser fixture cases, five results per page."""
    root = tmp_path_factory.mktemp("browser-site")
    content = make_content(root / "content", cases=FIXTURES / "browser_cases")
    shutil.copy2(REAL_CONTENT / "thesaurus.yml", content / "thesaurus.yml")
    shutil.copytree(REAL_CONTENT / "background", content / "background")
    settings = make_settings(root, content)
    build(settings)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PB_CONTENT_DIR": str(settings.content_dir),
        "PB_INDEX_DIR": str(settings.index_dir),
        "PB_BASE_URL": base_url,
        "PB_PER_PAGE_DEFAULT": str(PER_PAGE),
        "PB_LOG_LEVEL": "WARNING",
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


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} is missing; install Debian's chromium (apt-get install chromium)")
    chromium = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


def new_page(browser: Browser, site: Site, **options: object) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(base_url=site.base_url, locale="da-DK", **options)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser, site: Site) -> Iterator[Page]:
    """A fresh browser tab (own cookies and history) with JavaScript on; relative URLs work."""
    yield from new_page(browser, site)


@pytest.fixture
def page_without_js(browser: Browser, site: Site) -> Iterator[Page]:
    yield from new_page(browser, site, java_script_enabled=False)


@pytest.fixture
def narrow_page(browser: Browser, site: Site) -> Iterator[Page]:
    """A 320 CSS px wide phone viewport (WCAG 1.4.10 Reflow)."""
    yield from new_page(browser, site, viewport={"width": 320, "height": 640})


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        missing(f"{path.relative_to(PROJECT_DIR)} is missing; run 'npm ci' in the project folder")
    return path.read_text(encoding="utf-8")
