"""The peer baseline: the same cases in an SQLite database with FTS5, for Datasette."""

from __future__ import annotations

from pathlib import Path

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
    "period",
)
PARAM_OF = {
    "sectors": "sector",
    "target_groups": "target_group",
    "policy_areas": "policy_area",
    "success_factors": "success_factor",
    "barriers": "barrier",
    "geography": "geography",
    "period": "period",
}
FACET_QS = "&".join(
    [f"_facet_array={name}" for name in ARRAY_FACETS] + ["_facet=source", "_facet=status"]
)


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
