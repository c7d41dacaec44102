"""Over HTTP: our server with 1 and 2 workers (wrk walking lists of distinct URLs) and Datasette.

Each server starts fresh, so a cold list meets no cache; a warm-up touches only other URLs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.settings import PROJECT_DIR, Settings
from bench.timing import summary

BENCH = Path(__file__).resolve().parent
THREADS = 2


def wait_for(url: str, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


@contextmanager
def server(command: list[str], env: dict[str, str], probe: str) -> Iterator[None]:
    process = subprocess.Popen(
        command, cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for(probe)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def fetch(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as response:
        response.read()
    return (time.perf_counter() - start) * 1000


def wrk(base: str, paths: list[str], workdir: Path, seconds: int) -> dict[str, float]:
    listing = workdir / "paths.txt"
    listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
    command = ["wrk", f"-t{THREADS}", "-c8", f"-d{seconds}s", "--timeout", "30s", "--latency",
               "-s", str(BENCH / "walk.lua"), base, "--", str(listing), str(THREADS)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("{"))
    result: dict[str, float] = json.loads(line)
    result["distinct"] = min(result["requests"], len(paths))
    return result


def ours(
    settings: Settings, port: int, lists: dict[str, list[str]], warm: list[str], seconds: int
) -> dict[str, dict[str, float]]:
    env = {
        **os.environ,
        "PB_CONTENT_DIR": str(settings.content_dir),
        "PB_INDEX_DIR": str(settings.index_dir),
        "PB_LOG_LEVEL": "WARNING",
    }
    base = f"http://127.0.0.1:{port}"
    out = {}
    workdir = settings.index_dir.parent
    for workers in (1, 2):
        command = [sys.executable, "-m", "app", "serve", "--port", str(port),
                   "--workers", str(workers)]  # fmt: skip
        for name, paths in lists.items():
            with server(command, env, f"{base}/healthz"):
                for path in warm:  # other URLs than the measured ones
                    fetch(base + path)
                out[f"{name}_{workers}w"] = wrk(base, paths, workdir, seconds)
                if workers == 1 and name == "cold":
                    out["trivial_1w"] = wrk(base, ["/healthz"], workdir, seconds)
    return out


def datasette(db: Path, port: int, paths: list[str], budget_s: float) -> dict[str, float]:
    """Datasette, one request at a time down the cold list, for at most ``budget_s``."""
    command = [sys.executable, "-m", "datasette", "serve", str(db), "--port", str(port),
               "--setting", "facet_time_limit_ms", "60000",
               "--setting", "sql_time_limit_ms", "60000"]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    with server(command, dict(os.environ), f"{base}/-/versions.json"):
        fetch(base + paths[-1])
        ms: list[float] = []
        deadline = time.monotonic() + budget_s
        for path in paths:
            ms.append(fetch(base + path))
            if time.monotonic() > deadline:
                break
    result = summary(ms)
    result["rps"] = 1000 * len(ms) / sum(ms)
    return result
