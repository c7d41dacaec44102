"""The query mixes: distinct cold queries drawn from the collection's own words, and a Zipf mix.

A query is ``(q, selections)``. Words come from one case's own text (so 2–3 words co-occur as
they would in a real search); about a third of the queries also select one or two facet values
that occur in the collection. Seeded, so every run and every peer gets the same list.
"""

from __future__ import annotations

import random
from urllib.parse import urlencode

from app.analysis import DANISH_STOP_WORDS
from app.catalog import Catalog
from app.query import SearchQuery
from app.text import words

Query = tuple[str, dict[str, list[str]]]


def _text_words(catalog: Catalog) -> list[list[str]]:
    out = []
    for record in catalog.records.values():
        text = f"{record.title} {record.summary} {record.body_text}"
        found = {w.lower() for w in words(text) if len(w) >= 4 and w.isalpha()}
        out.append(sorted(found - DANISH_STOP_WORDS))
    return out


def distinct_queries(catalog: Catalog, count: int, seed: int = 7) -> list[Query]:
    rng = random.Random(seed)
    per_case = [w for w in _text_words(catalog) if len(w) >= 3]
    facets = {
        param: sorted(v for v, mask in values.items() if mask)
        for param, values in catalog.facets.masks.items()
    }
    params = sorted(p for p, values in facets.items() if values)
    seen: set[str] = set()
    out: list[Query] = []
    while len(out) < count:
        k = rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
        q = " ".join(rng.sample(rng.choice(per_case), k))
        selections: dict[str, list[str]] = {}
        if rng.random() < 0.35:
            for param in rng.sample(params, rng.choice((1, 1, 2))):
                selections[param] = [rng.choice(facets[param])]
        key = url_of("", (q, selections))
        if key not in seen:
            seen.add(key)
            out.append((q, selections))
    return out


def zipf_mix(pool: list[Query], count: int, s: float = 1.1, seed: int = 11) -> list[Query]:
    """A log-like mix: query i of the pool is drawn with weight 1/(i+1)^s."""
    rng = random.Random(seed)
    weights = [1 / (i + 1) ** s for i in range(len(pool))]
    return rng.choices(pool, weights=weights, k=count)


def search_query(query: Query) -> SearchQuery:
    return SearchQuery(q=query[0], selections=query[1])


def url_of(prefix: str, query: Query) -> str:
    q, selections = query
    pairs = [("q", q)] + [(p, v) for p, values in sorted(selections.items()) for v in values]
    return f"{prefix}?{urlencode(pairs)}"
