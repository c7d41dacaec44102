"""The SQL peers: SQLite FTS5 (Python sqlite3) and PostgreSQL full-text search ('danish').

Both get the same cases and tags as our catalog (every facet value of every case, one row in a
tag table) and answer the same search as ours: the text match (all words), the facet
selections (OR within a facet, AND across), the total, the top 20 by rank with a snippet, and
every facet counted by one GROUP BY over the matching rows joined to the tag table, each facet
leaving out its own selection (as ours does).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.catalog import Catalog
from app.facets import FACETS, bits
from app.text import words
from bench.queries import Query

PARAMS = tuple(facet.param for facet in FACETS)
Rows = list[tuple[Any, ...]]


def rows_of(catalog: Catalog) -> tuple[Rows, Rows]:
    cases = [
        (d, r.slug, r.title, r.summary, r.body_text, str(r.added))
        for d, r in sorted(catalog.records.items())
    ]
    tags = [
        (d, param, value)
        for param, values in catalog.facets.masks.items()
        for value, mask in values.items()
        for d in bits(mask)
    ]
    return cases, tags


class Dialect:
    mark = "?"

    def text(self) -> str:
        return "id IN (SELECT rowid FROM fts WHERE fts MATCH ?)"

    def text_arg(self, q: str) -> str:
        return " ".join('"' + w.replace('"', "") + '"' for w in words(q))

    def top(self, where: str) -> str:
        return (
            "SELECT c.slug, c.title, snippet(fts, 2, '<mark>', '</mark>', '…', 12) "
            "FROM fts JOIN cases c ON c.id = fts.rowid WHERE fts MATCH ? AND "
            f"{where.replace('id IN', 'c.id IN')} ORDER BY rank LIMIT 20"
        )


class Postgres(Dialect):
    mark = "%s"

    def text(self) -> str:
        return "tsv @@ plainto_tsquery('danish', %s)"

    def text_arg(self, q: str) -> str:
        return q

    def top(self, where: str) -> str:
        return (
            "SELECT slug, title, ts_headline('danish', body, plainto_tsquery('danish', %s)) "
            "FROM (SELECT slug, title, body, ts_rank(tsv, plainto_tsquery('danish', %s)) AS r "
            f"FROM cases WHERE {self.text()} AND {where} ORDER BY r DESC LIMIT 20) s "
            "ORDER BY r DESC"
        )


def _filters(d: Dialect, selections: dict[str, list[str]], skip: str | None) -> tuple[str, list]:
    parts, args = ["1=1"], []
    for param, values in sorted(selections.items()):
        if param != skip and values:
            marks = ", ".join(d.mark for _ in values)
            parts.append(
                f"id IN (SELECT case_id FROM tags WHERE param = {d.mark} AND value IN ({marks}))"
            )
            args += [param, *values]
    return " AND ".join(parts), args


def statements(d: Dialect, query: Query) -> list[tuple[str, list]]:
    q, selections = query
    arg = d.text_arg(q)
    text, text_args = (d.text(), [arg]) if arg.strip() else ("1=1", [])
    where, args = _filters(d, selections, None)
    total = (f"SELECT count(*) FROM cases WHERE {text} AND {where}", text_args + args)
    if text_args:
        extra = [arg, arg] if isinstance(d, Postgres) else []
        top = (d.top(where), extra + text_args + args)
    else:
        top = (f"SELECT slug, title, summary FROM cases WHERE {where} "
               "ORDER BY added DESC LIMIT 20", args)  # fmt: skip
    unions, facet_args = [], []
    for param in PARAMS:
        own, own_args = _filters(d, selections, param)
        unions.append(
            f"SELECT param, value, count(*) FROM tags WHERE param = {d.mark} AND case_id IN "
            f"(SELECT id FROM cases WHERE {text} AND {own}) GROUP BY param, value"
        )
        facet_args += [param, *text_args, *own_args]
    return [total, top, (" UNION ALL ".join(unions), facet_args)]


def sqlite_db(catalog: Catalog, path: Path) -> Path:
    cases, tags = rows_of(catalog)
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE cases (id INTEGER PRIMARY KEY, slug, title, summary, body, added);"
        "CREATE TABLE tags (case_id INTEGER, param TEXT, value TEXT);"
        "CREATE VIRTUAL TABLE fts USING fts5(title, summary, body, content='cases', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2');"
    )
    conn.executemany("INSERT INTO cases VALUES (?, ?, ?, ?, ?, ?)", cases)
    conn.executemany("INSERT INTO tags VALUES (?, ?, ?)", tags)
    conn.executescript(
        "INSERT INTO fts(fts) VALUES ('rebuild');"
        "CREATE INDEX tags_value ON tags (param, value, case_id);"
        "CREATE INDEX tags_case ON tags (case_id, param);"
        "CREATE INDEX cases_added ON cases (added);"
        "ANALYZE;"
    )
    conn.commit()
    conn.close()
    return path


def sqlite_runner(path: Path) -> tuple[Callable[[Query], object], Callable[[], None]]:
    """A search function on a freshly opened connection, and its close."""
    conn = sqlite3.connect(path)
    d = Dialect()

    def run(query: Query) -> object:
        return [conn.execute(sql, args).fetchall() for sql, args in statements(d, query)]

    return run, conn.close


def postgres_load(catalog: Catalog, dsn: str) -> None:
    import psycopg

    cases, tags = rows_of(catalog)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            "DROP TABLE IF EXISTS tags; DROP TABLE IF EXISTS cases;"
            "CREATE TABLE cases (id int PRIMARY KEY, slug text, title text, summary text, "
            "body text, added date, tsv tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('danish', title), 'A') || "
            "setweight(to_tsvector('danish', summary), 'B') || "
            "to_tsvector('danish', body)) STORED);"
            "CREATE TABLE tags (case_id int, param text, value text);"
        )
        with conn.cursor() as cur:
            with cur.copy("COPY cases (id, slug, title, summary, body, added) FROM STDIN") as cp:
                for row in cases:
                    cp.write_row(row)
            with cur.copy("COPY tags FROM STDIN") as cp:
                for row in tags:
                    cp.write_row(row)
        conn.execute(
            "CREATE INDEX cases_tsv ON cases USING gin (tsv);"
            "CREATE INDEX tags_value ON tags (param, value, case_id);"
            "CREATE INDEX tags_case ON tags (case_id, param);"
            "CREATE INDEX cases_added ON cases (added);"
        )
        conn.execute("VACUUM ANALYZE cases")
        conn.execute("VACUUM ANALYZE tags")


def postgres_runner(dsn: str) -> tuple[Callable[[Query], object], Callable[[], None]]:
    import psycopg

    conn = psycopg.connect(dsn, autocommit=True)
    d = Postgres()

    def run(query: Query) -> object:
        return [conn.execute(sql, args).fetchall() for sql, args in statements(d, query)]

    return run, conn.close
