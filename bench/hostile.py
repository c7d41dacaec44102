"""Hostile queries: ``make bench-hostile`` (or ``python -m bench.hostile [--size N]``).

A hostile query is 20 random 24-letter words, new words every time, so no cache ever helps. In
the same run, on the same catalog: an ordinary query (the cold mix: distinct 1–3-word queries
from the collection's own text) against a hostile one, in process and over HTTP one request at
a time; then, over HTTP, the ordinary queries and ``/healthz`` while HOSTILE_CLIENTS clients send
hostile queries, paced as in the original report and then as fast as they are answered. The
figures go into bench/results.md between markers, so ``make bench`` keeps them.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import string
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from app.build import build
from app.search import search
from app.settings import PROJECT_DIR, Settings
from bench import httpbench, inproc
from bench.queries import Query, distinct_queries, search_query, url_of
from bench.report import machine
from bench.timing import summary

BENCH = Path(__file__).resolve().parent
WORDS, LETTERS = 20, 24
HOSTILE_CLIENTS = 3
LOAD_POOL = 2000  # distinct ordinary queries for the two load phases
LOAD_S = 6.0  # seconds each load phase lasts (if its distinct ordinary queries last)
PACED_RATE = 2.6  # requests/s per hostile client: the load that once slowed /healthz to 780 ms
BEGIN, END = "<!-- hostile: begin -->", "<!-- hostile: end -->"


def hostile_text(rng: random.Random) -> str:
    return " ".join(
        "".join(rng.choice(string.ascii_lowercase) for _ in range(LETTERS)) for _ in range(WORDS)
    )


def in_process(settings: Settings, ordinary: list[Query], count: int) -> dict[str, Any]:
    """Ordinary and hostile queries in turn on one freshly opened catalog."""
    rng = random.Random(5)
    times: dict[str, list[float]] = {"ordinary": [], "hostile": []}
    with inproc.fresh(settings) as catalog:
        for query in ordinary[-20:]:  # warm-up on queries not measured
            search(catalog, search_query(query), inproc.PATHS)
        for query in ordinary[:count]:
            pair = {"ordinary": query, "hostile": (hostile_text(rng), {})}
            for name, one in pair.items():
                start = time.perf_counter()
                search(catalog, search_query(one), inproc.PATHS)
                times[name].append((time.perf_counter() - start) * 1000)
    return {name: summary(ms) for name, ms in times.items()}


def fetch(url: str) -> tuple[float, int]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=300) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return (time.perf_counter() - start) * 1000, status


def hostile_url(base: str, rng: random.Random) -> str:
    return f"{base}/api/v1/cases?{urlencode({'q': hostile_text(rng)})}"


def _sequential(urls: list[str]) -> dict[str, Any]:
    return summary([fetch(url)[0] for url in urls])


def _under_load(base: str, urls: list[str], rate: float | None) -> dict[str, Any]:
    """The ordinary URLs and /healthz in turn, for at least LOAD_S seconds, while
    HOSTILE_CLIENTS clients send hostile queries, each ``rate`` a second (None: as fast as they
    are answered)."""
    stop = threading.Event()
    statuses: list[int] = []

    def attacker(seed: int) -> None:
        own, due = random.Random(seed), time.monotonic()
        while not stop.is_set():
            statuses.append(fetch(hostile_url(base, own))[1])
            if rate:
                due += 1 / rate
                stop.wait(max(0.0, due - time.monotonic()))

    attackers = [threading.Thread(target=attacker, args=(s,)) for s in range(HOSTILE_CLIENTS)]
    for thread in attackers:
        thread.start()
    time.sleep(0.5)
    started = time.perf_counter()
    loaded: dict[str, list[float]] = {"ordinary": [], "healthz": []}
    for url in urls:
        loaded["ordinary"].append(fetch(url)[0])
        loaded["healthz"].append(fetch(f"{base}/healthz")[0])
        if time.perf_counter() - started > LOAD_S:
            break
    elapsed = time.perf_counter() - started
    stop.set()
    for thread in attackers:
        thread.join()
    return {
        "ordinary": summary(loaded["ordinary"]),
        "healthz": summary(loaded["healthz"]),
        "hostile_rps": len(statuses) / (elapsed + 0.5),
        "shed": sum(1 for status in statuses if status == 503) / max(1, len(statuses)),
    }


def over_http(settings: Settings, port: int, ordinary: list[Query], count: int) -> dict[str, Any]:
    """One worker: quiet, one request at a time; then ordinary and /healthz under hostile load."""
    env = {
        **os.environ,
        "PB_CONTENT_DIR": str(settings.content_dir),
        "PB_INDEX_DIR": str(settings.index_dir),
        "PB_LOG_LEVEL": "WARNING",
        "PB_SEARCH_LOG": "false",
    }
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "app", "serve", "--port", str(port), "--workers", "1"]
    urls = [base + url_of("/api/v1/cases", q) for q in ordinary]
    rng = random.Random(9)
    out: dict[str, Any] = {}
    with httpbench.server(command, env, f"{base}/healthz"):
        for url in urls[-20:]:
            fetch(url)
        out["ordinary"] = _sequential(urls[-20 - count : -20])
        out["hostile"] = _sequential([hostile_url(base, rng) for _ in range(count)])
        out["healthz"] = _sequential([f"{base}/healthz"] * count)
        half = (len(urls) - 20 - count) // 2  # distinct ordinary URLs for each load phase
        out["paced"] = _under_load(base, urls[:half], PACED_RATE)
        out["flat"] = _under_load(base, urls[half : 2 * half], None)
    return out


def _ms(s: dict[str, Any]) -> str:
    return f"{s['median_ms']:.1f} / {s['p95_ms']:.1f}"


def ratio(a: dict[str, Any], b: dict[str, Any]) -> float:
    return float(statistics.median(a["raw"]) / statistics.median(b["raw"]))


LOAD_ROWS = (("ordinary", "ordinary query"), ("healthz", "`/healthz`"))


def _load_row(http: dict[str, Any], key: str, label: str) -> str:
    quiet = http[key]
    cells = [label, _ms(quiet)]
    for phase in ("paced", "flat"):
        loaded = http[phase][key]
        cells += [_ms(loaded), f"{ratio(loaded, quiet):.2f}"]
    return "| " + " | ".join(cells) + " |"


def render(result: dict[str, Any]) -> str:
    ours, http = result["inproc"], result["http"]
    return "\n".join(
        [
            BEGIN,
            "## Hostile queries",
            "",
            f"`make bench-hostile` on {result['date']}, {result['cases']} cases: {machine()}. "
            f"A hostile query is {WORDS} random {LETTERS}-letter words, new every time; an "
            "ordinary one is from the cold mix (distinct, never cached). Median / p95 ms, "
            "ratios of medians from the same run. HTTP: one worker, one request at a time; "
            f"under load, {HOSTILE_CLIENTS} clients send hostile queries while distinct "
            f"ordinary queries and `/healthz` are timed in turn for {LOAD_S:.0f} s.",
            "",
            "| where | n | ordinary | hostile | hostile ÷ ordinary |",
            "|---|---|---|---|---|",
            f"| in process | {ours['hostile']['n']} | {_ms(ours['ordinary'])} | "
            f"{_ms(ours['hostile'])} | {ratio(ours['hostile'], ours['ordinary']):.2f} |",
            f"| HTTP | {http['hostile']['n']} | {_ms(http['ordinary'])} | {_ms(http['hostile'])} "
            f"| {ratio(http['hostile'], http['ordinary']):.2f} |",
            "",
            "| over HTTP, median / p95 ms | quiet | hostile clients paced | loaded ÷ quiet "
            "| hostile clients flat out | loaded ÷ quiet |",
            "|---|---|---|---|---|---|",
            *[_load_row(http, key, label) for key, label in LOAD_ROWS],
            "",
            f"Paced: each client {PACED_RATE} requests/s (the load of the original report); "
            f"the server answered {http['paced']['hostile_rps']:.1f} hostile requests/s, "
            f"{100 * http['paced']['shed']:.0f} % of them 503. Flat out: "
            f"{http['flat']['hostile_rps']:.1f}/s, {100 * http['flat']['shed']:.0f} % 503.",
            END,
        ]
    )


def write(section: str) -> None:
    path = BENCH / "results.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1000, help="synthetic cases; 0: content/")
    parser.add_argument("--count", type=int, default=100, help="queries per measurement")
    parser.add_argument("--port", type=int, default=8898)
    parser.add_argument("--content", type=Path, default=PROJECT_DIR / "content")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        content = args.content
        if args.size:
            from bench.synthetic import make_collection

            content = make_collection(args.content, workdir / "content", args.size)
        settings = Settings(content_dir=content, index_dir=workdir / "index")
        print("… building", flush=True)
        build(settings)
        with inproc.fresh(settings) as catalog:
            pool = distinct_queries(catalog, args.count + LOAD_POOL + 40)
            cases = catalog.size
        print("… in process", flush=True)
        result: dict[str, Any] = {"cases": cases, "date": time.strftime("%Y-%m-%d")}
        result["inproc"] = in_process(settings, pool[: args.count] + pool[-20:], args.count)
        print("… over HTTP", flush=True)
        result["http"] = over_http(settings, args.port, pool[args.count :], args.count)
    section = render(result)
    write(section)
    print(section)


if __name__ == "__main__":
    main()
