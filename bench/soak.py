"""Soak: a 2-worker server with live content reloads under a steady mixed load, for minutes.

A copy of content/ is built and served by ``python -m app serve --workers 2 --reload-content``.
Client threads (keep-alive, each its own connection) send a mix of distinct queries (cold) and
repeated ones (a Zipf mix, mostly cached), three API searches to one search page. Every
``--reload-every`` seconds one case file is edited, so the watcher rebuilds and both workers
switch. Each ``--sample`` seconds the table gets a row: throughput, p50 and p99, errors, the
generation served and the resident memory of each worker (``VmRSS`` in /proc/<pid>/status).

    python -m bench.soak --minutes 10 [--clients 4] [--reload-every 60] [--markdown FILE]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from app.build import build
from app.catalog import CatalogHolder
from app.settings import PROJECT_DIR, Settings
from bench.queries import Query, distinct_queries, url_of, zipf_mix

EDIT_MARK = "\n\nSoak-testens redigering nr. {n}.\n"


@dataclass
class Window:
    """What the clients saw since the last sample."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ms: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(ms)
            if error:
                self.errors.append(error)

    def take(self) -> tuple[list[float], list[str]]:
        with self.lock:
            taken = self.latencies, self.errors
            self.latencies, self.errors = [], []
            return taken


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def workers_of(server: int) -> list[int]:
    """The serving processes: the spawned workers (not builds, not the resource tracker)."""
    found = []
    for pid in children(server):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(b"spawn_main" in part for part in command):  # not the resource tracker
            found.append(pid)
    return sorted(found)


def client(base: str, urls: list[str], window: Window, stop: threading.Event) -> None:
    with httpx.Client(base_url=base, timeout=30) as http:
        position = 0
        while not stop.is_set():
            url = urls[position % len(urls)]
            position += 1
            start = time.perf_counter()
            error = None
            try:
                response = http.get(url)
                if response.status_code != 200:
                    error = f"{response.status_code} {url}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__} {url}"
            window.add((time.perf_counter() - start) * 1000, error)


def edit_case(case: Path, number: int) -> None:
    text = case.read_text(encoding="utf-8")
    marker = text.rfind("\n\nSoak-testens redigering nr.")
    base = text[:marker] + "\n" if marker >= 0 else text
    case.write_text(base.rstrip("\n") + EDIT_MARK.format(n=number), encoding="utf-8")


def mixed_urls(settings: Settings, client_number: int) -> list[str]:
    holder = CatalogHolder(settings)
    catalog = holder.get()
    try:
        distinct = distinct_queries(catalog, 3000, seed=100 + client_number)
        repeated = zipf_mix(distinct_queries(catalog, 300, seed=7), 3000, seed=client_number)
    finally:
        holder.close()
    mixed: list[Query] = [q for pair in zip(distinct, repeated, strict=True) for q in pair]
    return [
        url_of("/sog" if i % 4 == 3 else "/api/v1/cases", query) for i, query in enumerate(mixed)
    ]


def start_server(settings: Settings, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PB_CONTENT_DIR": str(settings.content_dir),
        "PB_INDEX_DIR": str(settings.index_dir),
        "PB_LOG_LEVEL": "WARNING",
    }
    env.pop("PB_DATABASE_URL", None)
    command = [sys.executable, "-m", "app", "serve", "--port", str(port)]
    command += ["--workers", "2", "--reload-content"]
    with log.open("wb") as output:
        return subprocess.Popen(
            command, cwd=PROJECT_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )


def wait_healthy(base: str, log: Path, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server did not become healthy:\n{log.read_text()[-3000:]}")


def generation(base: str) -> str:
    try:
        return str(httpx.get(f"{base}/healthz", timeout=10).json()["generation"])[-12:]
    except (httpx.HTTPError, ValueError, KeyError):
        return "?"


def soak(minutes: float, clients: int, reload_every: float, sample: float) -> list[str]:
    root = Path(tempfile.mkdtemp(prefix="pb-soak-"))
    shutil.copytree(PROJECT_DIR / "content", root / "content")
    settings = Settings(content_dir=root / "content", index_dir=root / "index")
    build(settings)
    url_lists = [mixed_urls(settings, n) for n in range(clients)]
    case = sorted(settings.cases_dir.glob("*.md"))[0]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(settings, port, root / "server.log")
    window, stop = Window(), threading.Event()
    lines = [
        "| min | req/s | p50 ms | p99 ms | errors | generation | RSS MB per worker |",
        "|---:|---:|---:|---:|---:|---|---|",
    ]
    totals: list[float] = []
    all_errors: list[str] = []
    try:
        wait_healthy(base, root / "server.log")
        threads = [
            threading.Thread(target=client, args=(base, urls, window, stop), daemon=True)
            for urls in url_lists
        ]
        for thread in threads:
            thread.start()
        started = last_edit = time.monotonic()
        edits = 0
        window.take()
        last_sample = started
        while time.monotonic() - started < minutes * 60:
            time.sleep(min(sample, max(0.1, started + minutes * 60 - time.monotonic())))
            now = time.monotonic()
            if now - last_edit >= reload_every:
                edits += 1
                edit_case(case, edits)
                last_edit = now
            latencies, errors = window.take()
            totals.extend(latencies)
            all_errors.extend(errors)
            rss = " / ".join(f"{rss_mb(pid):.0f}" for pid in workers_of(server.pid))
            lines.append(
                f"| {(now - started) / 60:.1f} | {len(latencies) / (now - last_sample):.0f} "
                f"| {percentile(latencies, 0.5):.1f} | {percentile(latencies, 0.99):.1f} "
                f"| {len(errors)} | {generation(base)} | {rss} |"
            )
            print(lines[-1], flush=True)
            last_sample = now
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        elapsed = time.monotonic() - started
        lines.append("")
        lines.append(
            f"{len(totals)} requests in {elapsed / 60:.1f} min "
            f"({len(totals) / elapsed:.0f} req/s), "
            f"p99 {percentile(totals, 0.99):.1f} ms, {len(all_errors)} errors, {edits} content "
            f"edits; watcher: {watcher_state(base)}."
        )
        for error in sorted(set(all_errors))[:10]:
            lines.append(f"  error: {error}")
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)
    return lines


def watcher_state(base: str) -> str:
    try:
        state = httpx.get(f"{base}/healthz", timeout=10).json()["content_watcher"]
    except (httpx.HTTPError, ValueError, KeyError):
        return "?"
    if not state:
        return "none"
    success = (state.get("last_success") or {}).get("at", "never")
    return f"{state['state']}, last successful reload {success}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--reload-every", type=float, default=60.0, help="seconds")
    parser.add_argument("--sample", type=float, default=10.0, help="seconds per table row")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    lines = soak(args.minutes, args.clients, args.reload_every, args.sample)
    print("\n".join(lines))
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
