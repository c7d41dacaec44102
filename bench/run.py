"""Benchmarks: ``make bench`` (or ``python -m bench.run [--quick] [--sizes 1000 10000]``).

For synthetic collections of 1,000 and 10,000 cases: build time and index size; in process, a
cold mix (distinct queries from the collection's own words, each run once on a freshly opened
catalog), a log-like Zipf mix and the cold list repeated on the warm catalog, plus the case page
over many distinct cases; over HTTP with 1 and 2 workers, wrk walking lists of distinct URLs.
In the same run, on the same cases and the same query lists: SQLite FTS5 and PostgreSQL
full-text search ('danish') with the same facets counted in SQL, and Datasette. Figures are
also given as ratios, since the machine is shared and noisy. Writes bench/results.md.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from app.build import build
from app.settings import PROJECT_DIR, Settings
from bench import httpbench, inproc, peers, timing
from bench.datasette_db import datasette_path, write_datasette_db
from bench.pgserver import postgres
from bench.queries import distinct_queries, url_of, zipf_mix
from bench.report import render
from bench.timing import timed

BENCH = Path(__file__).resolve().parent


def peer_runs(runner: Any, mixes: dict[str, list]) -> dict[str, dict[str, float]]:
    out = {}
    for name, mix in mixes.items():
        run, close = runner()  # a fresh connection per mix
        out[name] = timed(run, mix)
        close()
    return out


def measure(size: int, workdir: Path, args: argparse.Namespace, dsn: str | None) -> dict:
    content = collection(size, workdir, args.content)
    settings = Settings(content_dir=content, index_dir=workdir / "index")
    start = time.perf_counter()
    build(settings)
    build_s = time.perf_counter() - start
    generation = (settings.index_dir / "current").resolve()
    index_mb = sum(p.stat().st_size for p in generation.rglob("*") if p.is_file()) / 1e6
    with inproc.fresh(settings) as catalog:
        pool = distinct_queries(catalog, args.queries + args.http_queries + 100)
        slugs = sorted(r.slug for r in catalog.records.values())
        sqlite_path = peers.sqlite_db(catalog, workdir / "fts5.db")
        if dsn:
            peers.postgres_load(catalog, dsn)
    cold = pool[: args.queries]
    mixes = {"cold": cold, "zipf": zipf_mix(pool[: args.queries], args.queries)}
    random.Random(3).shuffle(slugs)
    row: dict[str, Any] = {"size": size, "build_s": build_s, "index_mb": index_mb}
    print(f"  built in {build_s:.0f} s; in-process runs", flush=True)
    row["ours"] = inproc.searches(settings, mixes)
    row["case_page"] = inproc.case_pages(settings, slugs[: args.cases])
    row["fts5"] = peer_runs(lambda: peers.sqlite_runner(sqlite_path), mixes)
    if dsn:
        row["postgres"] = peer_runs(lambda: peers.postgres_runner(dsn), mixes)
    if args.profile:
        inproc.profile_cold(settings, cold, slugs[: args.cases])
    print("  HTTP runs", flush=True)
    http_pool = pool[args.queries : args.queries + args.http_queries]
    lists = {
        "cold": [url_of("/api/v1/cases", q) for q in http_pool],
        "zipf": [url_of("/api/v1/cases", q) for q in zipf_mix(http_pool, len(http_pool))],
        "case": [f"/api/v1/cases/{slug}" for slug in slugs],
    }
    warm = [url_of("/api/v1/cases", q) for q in pool[-20:]] + [f"/api/v1/cases/{slugs[-1]}"]
    row["http"] = httpbench.ours(settings, args.port, lists, warm, args.seconds)
    db = write_datasette_db(settings, workdir / "datasette.db")
    row["datasette"] = httpbench.datasette(
        db, args.port, [datasette_path(q) for q in cold], args.datasette_s
    )
    return row


def collection(size: int, workdir: Path, source: Path) -> Path:
    from bench.synthetic import make_collection

    return make_collection(source, workdir / "content", size)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="1,000 cases, fewer queries")
    parser.add_argument("--sizes", type=int, nargs="+", default=None)
    parser.add_argument("--port", type=int, default=8899)
    parser.add_argument("--profile", action="store_true", help="cProfile the cold mix")
    parser.add_argument("--content", type=Path, default=PROJECT_DIR / "content")
    args = parser.parse_args()
    args.sizes = args.sizes or ([1000] if args.quick else [1000, 10000])
    args.queries = 1000 if args.quick else 1500
    args.http_queries = 1500 if args.quick else 4000
    args.cases = 500 if args.quick else 2000
    args.seconds = 3 if args.quick else 5
    args.datasette_s = 5.0 if args.quick else 15.0
    timing.BUDGET_S = 20.0 if args.quick else 30.0
    rows = []
    with postgres() as dsn:
        for size in args.sizes:
            with tempfile.TemporaryDirectory() as tmp:
                print(f"… {size} cases", flush=True)
                rows.append(measure(size, Path(tmp), args, dsn))
            text = render(rows, quick=args.quick)  # written after every size
            path = BENCH / "results.md"
            old = path.read_text(encoding="utf-8") if path.exists() else ""
            path.write_text(keep_other_sections(old, text + "\n"), encoding="utf-8")
    print(text)


def keep_other_sections(old: str, new: str) -> str:
    """``new`` (this run's report) followed by everything the other benchmarks wrote into
    results.md: from the first ``<!-- … -->`` marker on (derived forms, hostile queries, soak),
    since this report itself holds no marker."""
    if "<!--" not in old:
        return new
    return new.rstrip("\n") + "\n\n" + old[old.index("<!--") :]


if __name__ == "__main__":
    main()
