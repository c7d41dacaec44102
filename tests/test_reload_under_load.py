"""Live content updates: the server rebuilds and swaps the index while under a bounded load,
and not one request fails or comes back incomplete; with two workers, no client ever sees the
new collection and then the old one. A broken file keeps the last good index."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import httpx
import pytest

from app.build import build
from app.settings import PROJECT_DIR, Settings
from tests.conftest import FIXTURES, make_content

REQUESTS = 400  # bounded load: a fixed number of requests per client on 127.0.0.1
SERVE = [sys.executable, "-m", "app", "serve"]


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


@contextmanager
def running_server(
    port: int, options: list[str], env: dict[str, str], stdout: Path, stderr: Path | None = None
) -> Iterator[str]:
    """``python -m app serve`` on ``port`` until the block ends: its base URL once /healthz
    answers 200; if it never does, the log's tail is the failure. Output to ``stdout`` (and
    ``stderr``, else the same file)."""
    command = [*SERVE, "--port", str(port), *options]
    with stdout.open("wb") as out, (stderr or Path(os.devnull)).open("wb") as err:
        errors = err if stderr else subprocess.STDOUT
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=out, stderr=errors)
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
            log = (stderr or stdout).read_text()[-3000:]
            raise AssertionError(f"server did not start:\n{log}") from None
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


class LiveServer(NamedTuple):
    base: str
    settings: Settings
    workers: int


@pytest.fixture()
def live_server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    workers = getattr(request, "param", 1)
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
    options = ["--reload-content", "--workers", str(workers)]
    with running_server(port, options, env, tmp_path / "server.log") as base:
        yield LiveServer(base, settings, workers)


def connections(base: str, clients: int, workers: int) -> list[list[httpx.Client]]:
    """Keep-alive connections, two per client, and each client's two to two different workers
    when there are several (the kernel spreads connections over the SO_REUSEPORT sockets)."""
    by_worker: dict[int, list[httpx.Client]] = {}
    for _ in range(200):
        client = httpx.Client(base_url=base, timeout=10)
        by_worker.setdefault(client.get("/healthz").json()["worker"], []).append(client)
        enough = 2 * clients if workers == 1 else clients
        if len(by_worker) == min(workers, 2) and all(len(c) >= enough for c in by_worker.values()):
            break
    pools = list(by_worker.values())
    if workers == 1:
        chosen = [pools[0][2 * i : 2 * i + 2] for i in range(clients)]
    else:
        chosen = [[pools[0][i], pools[1][i]] for i in range(clients)] if len(pools) > 1 else []
    used = {id(c) for pair in chosen for c in pair}
    for client in (c for pool in pools for c in pool if id(c) not in used):
        client.close()
    assert len(pools) == min(workers, 2), f"connections reached {len(pools)} of {workers} workers"
    return chosen


def load_loop(
    conns: list[httpx.Client], failures: list[str], totals: list[int], stop: threading.Event
) -> None:
    """One client: sequential requests, alternating over its connections."""
    for number in range(REQUESTS):
        client = conns[number % len(conns)]
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


def runs(totals: list[int]) -> list[tuple[int, int]]:
    """(total, how many requests in a row saw it), in order."""
    found: list[tuple[int, int]] = []
    for total in totals:
        if found and found[-1][0] == total:
            found[-1] = (total, found[-1][1] + 1)
        else:
            found.append((total, 1))
    return found


@pytest.mark.parametrize("live_server", [1, 2], indirect=True, ids=["1-worker", "2-workers"])
def test_rebuild_while_serving_loses_no_request(live_server: LiveServer) -> None:
    """Every client sees the old collection, then the new one, never back: with two workers
    too, each client alternating between a connection to each."""
    base, settings, workers = live_server
    before = httpx.get(f"{base}/healthz").json()
    start = httpx.get(f"{base}/api/v1/cases", params={"q": "kommune"}).json()["total"]
    clients = 4
    pools = connections(base, clients, workers)
    failures: list[str] = []
    totals: list[list[int]] = [[] for _ in range(clients)]
    stop = threading.Event()
    loaders = [
        threading.Thread(target=load_loop, args=(pools[i], failures, totals[i], stop))
        for i in range(clients)
    ]
    for loader in loaders:
        loader.start()
    new_case = settings.cases_dir / "valid-ny-kommunesag.md"
    text = (FIXTURES / "cases" / "valid-hjemloese-kommune-frivillige.md").read_text()
    new_case.write_text(
        text.replace("Frivillige og kommune hjælper", "Ny kommunesag hvor frivillige hjælper")
    )
    wait_until(lambda: httpx.get(f"{base}/healthz").json()["generation"] != before["generation"])
    stop.set()
    for loader in loaders:
        loader.join(timeout=120)
    for pool in pools:
        for client in pool:
            client.close()
    assert failures == []
    for seen in totals:
        assert len(seen) >= REQUESTS // 2
        # the old and the new collection, nothing between; and never back to the old one
        order = runs(seen)
        assert [total for total, _ in order] in ([start], [start + 1], [start, start + 1]), order
    assert any(len(runs(seen)) == 2 for seen in totals)  # some client saw the switch itself
    after = httpx.get(f"{base}/api/v1/cases", params={"q": "kommune"}).json()["total"]
    assert after == start + 1
    assert httpx.get(f"{base}/sag/valid-ny-kommunesag").status_code == 200


def test_broken_file_keeps_the_last_good_index(live_server: LiveServer) -> None:
    base, settings, _ = live_server
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
