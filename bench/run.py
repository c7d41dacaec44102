"""Benchmarks: ``make bench`` (or ``python -m bench.run [--sizes 1000 10000]``).

For synthetic collections of 1,000 and 10,000 cases: build time and index size; in-process
search latency with a query and all facets; HTTP throughput and latency of /api/v1/cases with 1
and 2 worker processes (wrk on 127.0.0.1, bounded runs). In the same run, on the same cases and
queries, two baselines: a trivial endpoint of the same server (the ceiling) and Datasette serving
the same cases from SQLite with FTS5 and the same facets. Figures are reported as ratios to those
baselines, because the machines are shared and noisy. Writes bench/results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.build import build
from app.catalog import CatalogHolder
from app.query import SearchQuery
from app.search import Paths, search
from app.settings import PROJECT_DIR, Settings
from bench.datasette_db import FACET_QS, write_datasette_db
from bench.synthetic import make_collection

BENCH = Path(__file__).resolve().parent
QUERIES = [
    SearchQuery(q="kommune"),
    SearchQuery(q="hjemløse frivillige kommune"),
    SearchQuery(q="psykiatri", selections={"sector": ["region", "kommune"]}),
    SearchQuery(q="udsatte unge", selections={"policy_area": ["beskaeftigelse"]}),
    SearchQuery(q="frivillige", selections={"target_group": ["aeldre"], "status": ["afsluttet"]}),
    SearchQuery(q="partnerskab"),
    SearchQuery(q="samarbejde", sort="newest"),
    SearchQuery(selections={"sector": ["fond"]}),
]
HTTP_QUERY = "q=kommune&sector=kommune&sector=region"
DATASETTE_QUERY = f"_search=kommune&_size=20&{FACET_QS}"
WRK = [
    "wrk",
    "-t2",
    "-c16",
    "-d6s",
    "--timeout",
    "30s",
    "--latency",
    "-s",
    str(BENCH / "latency.lua"),
]


def in_process(settings: Settings, rounds: int = 25) -> dict[str, float]:
    holder = CatalogHolder(settings)
    catalog = holder.get()
    paths = Paths(search="/sog", base_url="")
    for query in QUERIES:  # warm caches once, as a running server would be
        search(catalog, query, paths)
    timings = []
    for _ in range(rounds):
        for query in QUERIES:
            start = time.perf_counter()
            search(catalog, query, paths)
            timings.append((time.perf_counter() - start) * 1000)
    holder.close()
    timings.sort()
    return {
        "median_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
    }


def wait_for(url: str, seconds: float = 90.0) -> None:
    import urllib.request

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
            process.kill()  # a server busy in a long query may ignore SIGTERM
            process.wait(timeout=10)


def sequential(url: str, count: int = 3) -> dict[str, float]:
    """For a server too slow to finish a request inside wrk's window: timed one at a time."""
    import urllib.request

    timings = []
    for _ in range(count):
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=300) as response:
            response.read()
        timings.append((time.perf_counter() - start) * 1000)
    mean = statistics.mean(timings)
    return {
        "rps": 1000 / mean,
        "p50_ms": statistics.median(timings),
        "p95_ms": max(timings),
        "p99_ms": max(timings),
        "requests": count,
        "errors": 0,
        "sequential": 1,
    }


def wrk(url: str) -> dict[str, float]:
    done = subprocess.run([*WRK, url], capture_output=True, text=True, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("{"))
    result: dict[str, float] = json.loads(line)
    if not result["requests"]:
        return sequential(url)
    return result


def http_runs(settings: Settings, workdir: Path, port: int) -> dict[str, dict[str, float]]:
    env = {
        **os.environ,
        "PB_CONTENT_DIR": str(settings.content_dir),
        "PB_INDEX_DIR": str(settings.index_dir),
        "PB_LOG_LEVEL": "WARNING",
    }
    base = f"http://127.0.0.1:{port}"
    results = {}
    for workers in (1, 2):
        command = [
            sys.executable,
            "-m",
            "app",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
        with server(command, env, f"{base}/healthz"):
            wrk(f"{base}/api/v1/cases?{HTTP_QUERY}")  # warm-up
            results[f"ours_{workers}w"] = wrk(f"{base}/api/v1/cases?{HTTP_QUERY}")
            if workers == 1:
                results["trivial_1w"] = wrk(f"{base}/healthz")
    db = write_datasette_db(settings, workdir / "datasette.db")
    command = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        str(db),
        "--port",
        str(port),
        "--setting",
        "facet_time_limit_ms",
        "10000",
        "--setting",
        "sql_time_limit_ms",
        "10000",
    ]
    with server(command, env, f"{base}/-/versions.json"):
        url = f"{base}/datasette/cases.json?{DATASETTE_QUERY}"
        wrk(url)
        results["datasette_1w"] = wrk(url)
    return results


def measure(size: int, workdir: Path, port: int, source: Path) -> dict[str, object]:
    content = make_collection(source, workdir / "content", size)
    settings = Settings(content_dir=content, index_dir=workdir / "index")
    start = time.perf_counter()
    report = build(settings)
    build_s = time.perf_counter() - start
    generation = (settings.index_dir / "current").resolve()
    size_mb = sum(p.stat().st_size for p in generation.rglob("*") if p.is_file()) / 1e6
    cases = getattr(report, "cases", 0)
    return {
        "size": size,
        "cases": cases,
        "build_s": build_s,
        "index_mb": size_mb,
        "in_process": in_process(settings),
        "http": http_runs(settings, workdir, port),
    }


def render(rows: list[dict[str, object]]) -> str:
    from bench.report import render_table

    return render_table(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--port", type=int, default=8899)
    parser.add_argument(
        "--content",
        type=Path,
        default=PROJECT_DIR / "content",
        help="content folder whose cases seed the synthetic collections",
    )
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            print(f"… {size} cases", flush=True)
            rows.append(measure(size, Path(tmp), args.port, args.content))
        text = render(rows)  # written after every size, so a long run keeps what it measured
        (BENCH / "results.md").write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
