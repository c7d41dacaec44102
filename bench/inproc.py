"""Our side, in process: ``app.search.search`` and ``app.casepage.case_page`` called directly.

Every mix runs on a freshly opened catalog, so no ranked-query or related-case cache from an
earlier mix helps; "repeat" then runs the cold list again on the same, now warm, catalog.
"""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Iterator
from contextlib import contextmanager

from app.casepage import case_page
from app.catalog import Catalog, CatalogHolder
from app.search import Paths, search
from app.settings import Settings
from bench.queries import Query, search_query
from bench.timing import timed

PATHS = Paths(search="/sog", base_url="http://127.0.0.1:8000")


@contextmanager
def fresh(settings: Settings) -> Iterator[Catalog]:
    holder = CatalogHolder(settings)
    try:
        yield holder.get()
    finally:
        holder.close()


def searches(settings: Settings, mixes: dict[str, list[Query]]) -> dict[str, dict[str, float]]:
    out = {}
    for name, mix in mixes.items():
        queries = [search_query(q) for q in mix]
        with fresh(settings) as catalog:
            out[name] = timed(lambda q, c=catalog: search(c, q, PATHS), queries)
            if name == "cold":
                out["repeat"] = timed(lambda q, c=catalog: search(c, q, PATHS), queries)
    return out


def case_pages(settings: Settings, slugs: list[str]) -> dict[str, float]:
    with fresh(settings) as catalog:
        return timed(lambda s, c=catalog: case_page(c, s, PATHS), slugs)


def profile_cold(settings: Settings, mix: list[Query], slugs: list[str], top: int = 30) -> None:
    """Print the top costs of the cold mix and of cold case pages (separate, untimed passes)."""
    queries = [search_query(q) for q in mix]
    for name, items, run in (
        ("cold search", queries, lambda c, q: search(c, q, PATHS)),
        ("cold case page", slugs, lambda c, s: case_page(c, s, PATHS)),
    ):
        with fresh(settings) as catalog:
            profiler = cProfile.Profile()
            profiler.enable()
            for item in items:
                run(catalog, item)
            profiler.disable()
        print(f"=== profile: {name}, {len(items)} calls", flush=True)
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top // 2)
