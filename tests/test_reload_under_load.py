"""Live content updates: the server rebuilds and swaps the index while under a bounded load,
and not one request fails or comes back incomplete. A broken file keeps the last good index."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.build import build
from app.settings import PROJECT_DIR, Settings
from tests.conftest import FIXTURES, make_content

REQUESTS = 400  # bounded load: a fixed number of requests on 127.0.0.1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until(check, seconds: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


@pytest.fixture()
def live_server(tmp_path: Path) -> Iterator[tuple[str, Settings]]:
    content = make_content(tmp_path / "content")
    settings = Settings(content_dir=content, index_dir=tmp_path / "index", reload_interval=0.1)
    build(settings)
    port = free_port()
    env = {
        **os.environ,
        "PB_CONTENT_DIR": str(content),
        "PB_INDEX_DIR": str(settings.index_dir),
        "PB_RELOAD_INTERVAL": "0.1",
        "PB_LOG_LEVEL": "WARNING",
    }
    env.pop("PB_DATABASE_URL", None)
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port), "--reload-content"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        try:
            wait_until(up)
        except AssertionError:
            raise AssertionError(f"server did not start:\n{log.read_text()[-3000:]}") from None
        yield base, settings
    finally:
        server.terminate()
        server.wait(timeout=10)


def load_loop(base: str, failures: list[str], totals: list[int], stop: threading.Event) -> None:
    with httpx.Client(base_url=base, timeout=10) as client:
        for _ in range(REQUESTS):
            try:
                response = client.get("/api/v1/cases", params={"q": "kommune", "per_page": 50})
                body = response.json()
                if response.status_code != 200 or len(body["results"]) != body["total"]:
                    failures.append(f"{response.status_code}: {response.text[:200]}")
                totals.append(body["total"])
            except (httpx.HTTPError, ValueError, KeyError) as exc:
                failures.append(repr(exc))
            if stop.is_set() and len(totals) > REQUESTS // 2:
                break


def test_rebuild_while_serving_loses_no_request(live_server: tuple[str, Settings]) -> None:
    base, settings = live_server
    before = httpx.get(f"{base}/healthz").json()
    start = httpx.get(f"{base}/api/v1/cases", params={"q": "kommune"}).json()["total"]
    failures: list[str] = []
    totals: list[int] = []
    stop = threading.Event()
    loader = threading.Thread(target=load_loop, args=(base, failures, totals, stop))
    loader.start()
    new_case = settings.cases_dir / "valid-ny-kommunesag.md"
    text = (FIXTURES / "cases" / "valid-hjemloese-kommune-frivillige.md").read_text()
    new_case.write_text(
        text.replace("Frivillige og kommune hjælper", "Ny kommunesag hvor frivillige hjælper")
    )
    wait_until(lambda: httpx.get(f"{base}/healthz").json()["generation"] != before["generation"])
    stop.set()
    loader.join(timeout=120)
    assert failures == []
    assert len(totals) >= REQUESTS // 2
    # the old and the new collection, nothing between; and never back to the old one
    assert set(totals) <= {start, start + 1}, set(totals)
    assert totals == sorted(totals)
    after = httpx.get(f"{base}/api/v1/cases", params={"q": "kommune"}).json()["total"]
    assert after == start + 1
    assert httpx.get(f"{base}/sag/valid-ny-kommunesag").status_code == 200


def test_broken_file_keeps_the_last_good_index(live_server: tuple[str, Settings]) -> None:
    base, settings = live_server
    before = httpx.get(f"{base}/healthz").json()
    shutil.copy2(
        FIXTURES / "invalid" / "misspelt-target-group.md",
        settings.cases_dir / "misspelt-target-group.md",
    )
    wait_until(
        lambda: (
            (httpx.get(f"{base}/healthz").json().get("last_content_build") or {}).get("ok") is False
        )
    )
    health = httpx.get(f"{base}/healthz").json()
    assert health["generation"] == before["generation"]
    assert health["cases"] == before["cases"] == 3
    report = "\n".join(health["last_content_build"]["output"])
    assert "misspelt-target-group.md:15: target_groups[0]" in report
    assert httpx.get(f"{base}/api/v1/cases").json()["total"] == 3
