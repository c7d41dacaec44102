"""Search latency in the process with the search log on and off: ``python -m bench.searchlog``.

Builds the real cases (or ``--size N`` synthetic ones) into a temporary index and times the
search routes' path – ``search()`` plus the ``record_search()`` hook – over a few hundred
distinct queries (words and two-word phrases from the case titles, some with a facet). Each
query runs with the log off and on, in alternating order, for several rounds; the log that is on
is the real one: a bounded queue and a background thread writing to SQLite every ``--flush``
seconds. Not part of the test gate; prints medians, p95 and the on/off ratio.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from starlette.requests import Request

from app.build import build
from app.catalog import Catalog, CatalogHolder
from app.query import SearchQuery
from app.search import Paths, search
from app.searchlog import SearchLog, SqlLogStore
from app.settings import PROJECT_DIR, Settings
from app.text import words
from app.web.searchlog import record_search
from bench.synthetic import make_collection

PATHS = Paths(search="/sog", base_url="")
HOOK_CALLS = 5_000
FACETS = (None, ("sector", "kommune"), ("sector", "civilsamfund"), ("target_group", "unge"))


def distinct_queries(catalog: Catalog, count: int, seed: int = 2026) -> list[SearchQuery]:
    titles = [record.title for record in catalog.records.values()]
    vocabulary = sorted({w.lower() for title in titles for w in words(title) if len(w) > 3})
    rng = random.Random(seed)
    texts = set(vocabulary)
    while len(texts) < count * 2 and len(vocabulary) > 1:
        texts.add(" ".join(rng.sample(vocabulary, 2)))
    chosen = rng.sample(sorted(texts), min(count, len(texts)))
    out = []
    for text in chosen:
        facet = rng.choice(FACETS)
        selections = {facet[0]: [facet[1]]} if facet else {}
        out.append(SearchQuery(q=text, selections=selections))
    return out


def request_for(log: SearchLog) -> Request:
    app = SimpleNamespace(state=SimpleNamespace(search_log=log))
    return Request({"type": "http", "path": "/sog", "app": app, "headers": []})


def timed(catalog: Catalog, query: SearchQuery, request: Request) -> float:
    start = time.perf_counter()
    page = search(catalog, query, PATHS)
    record_search(request, query, page)
    return (time.perf_counter() - start) * 1000


def summary(timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    median, mean = statistics.median(ordered), statistics.fmean(ordered)
    return f"median {median:.3f} ms, mean {mean:.3f} ms, p95 {p95:.3f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size", type=int, default=0, help="synthetic cases (0: the real ones)")
    parser.add_argument("--flush", type=float, default=1.0, help="seconds between log writes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pb-bench-searchlog-") as tmp:
        root = Path(tmp)
        content = PROJECT_DIR / "content"
        if args.size:
            content = make_collection(content, root / "content", args.size)
        settings = Settings(content_dir=content, index_dir=root / "index")
        build(settings)
        holder = CatalogHolder(settings)
        catalog = holder.get()
        queries = distinct_queries(catalog, args.queries)
        store = SqlLogStore(f"sqlite:///{root / 'var' / 'searchlog.sqlite'}")
        on = SearchLog(store, flush_interval=args.flush)
        off = SearchLog(store, enabled=False)
        on.start()
        for query in queries:  # warm the caches once, as a running server would be
            search(catalog, query, PATHS)
        timings: dict[str, list[float]] = {"off": [], "on": []}
        requests = {"off": request_for(off), "on": request_for(on)}
        for round_ in range(args.rounds):
            for number, query in enumerate(queries):
                order = ("off", "on") if (number + round_) % 2 else ("on", "off")
                for name in order:
                    timings[name].append(timed(catalog, query, requests[name]))
        page = search(catalog, queries[0], PATHS)
        hook_started = time.perf_counter()
        for _ in range(HOOK_CALLS):
            record_search(requests["on"], queries[0], page)
        hook_us = (time.perf_counter() - hook_started) / HOOK_CALLS * 1e6
        on.close()
        holder.close()
    print(f"{len(queries)} distinct queries × {args.rounds} rounds, {catalog.size} cases")
    print(f"log off: {summary(timings['off'])}")
    print(f"log on:  {summary(timings['on'])}  ({on.written} rows written, {on.dropped} dropped)")
    median_ratio = statistics.median(timings["on"]) / statistics.median(timings["off"])
    mean_ratio = statistics.fmean(timings["on"]) / statistics.fmean(timings["off"])
    print(f"ratio on/off: median {median_ratio:.3f}, mean {mean_ratio:.3f}")
    print(f"record_search() alone: {hook_us:.1f} µs per call ({HOOK_CALLS} calls)")


if __name__ == "__main__":
    main()
