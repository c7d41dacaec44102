"""The peer baseline: the same cases in an SQLite database with FTS5, for Datasette."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import sqlite_utils

from app.catalog import CatalogHolder
from app.settings import Settings

ARRAY_FACETS = (
    "sectors",
    "target_groups",
    "policy_areas",
    "success_factors",
    "barriers",
    "geography",
    "kommunegrupper",
    "period",
)
PARAM_OF = {
    "sectors": "sector",
    "target_groups": "target_group",
    "policy_areas": "policy_area",
    "success_factors": "success_factor",
    "barriers": "barrier",
    "geography": "geography",
    "kommunegrupper": "kommunegruppe",
    "period": "period",
}
FACET_QS = "&".join(
    [f"_facet_array={name}" for name in ARRAY_FACETS] + ["_facet=source", "_facet=status"]
)


ARRAY_OF = {param: name for name, param in PARAM_OF.items()}


def datasette_path(query: tuple[str, dict[str, list[str]]]) -> str:
    """The same search as ours: ``_search`` plus one filter per selected value, all facets."""
    q, selections = query
    pairs = [("_search", q)] if q else []
    for param, values in sorted(selections.items()):
        name = ARRAY_OF.get(param)
        pairs += [(f"{name}__arraycontains" if name else param, v) for v in values]
    return f"/datasette/cases.json?{urlencode([*pairs, ('_size', '20')])}&{FACET_QS}"


def write_datasette_db(settings: Settings, path: Path) -> Path:
    holder = CatalogHolder(settings)
    catalog = holder.get()
    rows = [
        {
            "slug": r.slug,
            "title": r.title,
            "summary": r.summary,
            "body": r.body_text,
            **{name: r.tags.get(PARAM_OF[name], []) for name in ARRAY_FACETS},
            "source": r.source_publication,
            "status": r.status,
            "added": str(r.added),
        }
        for r in catalog.records.values()
    ]
    holder.close()
    db = sqlite_utils.Database(path)
    db["cases"].insert_all(rows, pk="slug")
    db["cases"].enable_fts(["title", "summary", "body"], fts_version="FTS5")
    db.close()
    return path
