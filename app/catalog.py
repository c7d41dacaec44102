"""One index generation opened for serving: the case records, the facet bitsets, the searcher.

Everything that can be computed once per generation is computed here, at open time, so a request
only matches text and ANDs bitsets. A ``CatalogHolder`` swaps in a newer generation when the
``current`` link moves, and keeps the last good one if the new one cannot be opened.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from app.errors import CaseNotFoundError, IndexUnavailableError
from app.facets import FACETS, FacetIndex, bitset, period_buckets
from app.index import open_index
from app.markdown_render import plain_text, render_markdown
from app.settings import Settings
from app.spelling import Speller
from app.store import database_url_for, make_engine, read_cases
from app.vocabulary import Vocabulary, load_vocabulary

log = logging.getLogger("partnerskabsbasen.catalog")
MANIFEST = "manifest.json"


@dataclass
class CaseRecord:
    """A case as served: front-matter facts, tags by URL parameter, body in three forms."""

    slug: str
    title: str
    summary: str
    partnership: str | None
    partners: list[dict[str, Any]]
    tags: dict[str, list[str]]
    period_start: int
    period_end: int | None
    ongoing: bool
    status: str
    added: dt.date
    updated: dt.date | None
    source_publication: str
    source_pages: str | None
    source_section: str | None
    key_results: list[str]
    body_markdown: str
    body_text: str = ""

    @cached_property
    def body_html(self) -> str:
        return render_markdown(self.body_markdown)

    def spans(self, field: str, analyzer: Any) -> list[tuple[str, int, int]]:
        """(index key, start, end) of every token of the summary or body, computed once."""
        cache = self.__dict__.setdefault("_spans", {})
        if field not in cache:
            text = self.summary if field == "summary" else self.body_text
            cache[field] = [
                (t.text, t.startchar, t.endchar) for t in analyzer(text, chars=True, mode="index")
            ]
        spans: list[tuple[str, int, int]] = cache[field]
        return spans

    @property
    def modified(self) -> dt.date:
        return self.updated or self.added

    @property
    def period_label(self) -> str:
        if self.ongoing:
            return f"{self.period_start}–"
        if self.period_end is None:
            return f"fra {self.period_start}"
        if self.period_end == self.period_start:
            return str(self.period_start)
        return f"{self.period_start}–{self.period_end}"


def _records(engine_url: str, this_year: int) -> list[CaseRecord]:
    engine = make_engine(engine_url)
    try:
        rows, tags = read_cases(engine)
    finally:
        engine.dispose()
    records = []
    for row in rows:
        by_param = {facet.param: tags[row.slug].get(facet.field, []) for facet in FACETS}
        by_param["source"] = [row.source_publication]
        by_param["status"] = [row.status]
        by_param["period"] = period_buckets(
            row.period_start, row.period_end, row.period_ongoing, this_year
        )
        records.append(
            CaseRecord(
                slug=row.slug,
                title=row.title,
                summary=row.summary,
                partnership=row.partnership,
                partners=row.partners,
                tags=by_param,
                period_start=row.period_start,
                period_end=row.period_end,
                ongoing=row.period_ongoing,
                status=row.status,
                added=row.added,
                updated=row.updated,
                source_publication=row.source_publication,
                source_pages=row.source_pages,
                source_section=row.source_section,
                key_results=row.key_results,
                body_markdown=row.body_markdown,
                body_text=plain_text(row.body_markdown),
            )
        )
    return records


class Catalog:
    """A read-only view of one complete generation."""

    def __init__(self, generation: Path, settings: Settings) -> None:
        manifest_path = generation / MANIFEST
        if not manifest_path.exists():
            raise IndexUnavailableError(
                f"generationen '{generation.name}' er ufuldstændig (ingen {MANIFEST})."
            )
        self.generation = generation
        self.manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
        self.vocab: Vocabulary = load_vocabulary(generation / "content")
        self.index = open_index(generation / "whoosh")
        self.searcher = self.index.searcher()
        self.analyzer = self.index.schema["text"].analyzer
        self.ranked_cache: dict[str, tuple[int, list[tuple[int, float]]]] = {}
        self.tag_cache: dict[tuple[str, str, str], Any] = {}  # tags with their search links
        by_slug = {
            record.slug: record
            for record in _records(
                database_url_for(generation, settings.database_url), dt.date.today().year
            )
        }
        reader = self.searcher.reader()
        self.records: dict[int, CaseRecord] = {}
        for docnum, stored in reader.iter_docs():
            if stored["slug"] in by_slug:
                self.records[docnum] = by_slug[stored["slug"]]
        if len(self.records) != len(by_slug):
            raise IndexUnavailableError(
                f"generationen '{generation.name}': indekset og databasen er ikke enige "
                f"({len(self.records)} mod {len(by_slug)} sager)."
            )
        self.docnum_by_slug = {record.slug: docnum for docnum, record in self.records.items()}
        self.facets = self._facet_index()
        self.newest = sorted(
            self.records, key=lambda d: (self.records[d].added, self.records[d].slug), reverse=True
        )
        self.by_title = sorted(self.records, key=lambda d: self.records[d].title.casefold())
        self.speller = Speller.load(generation)
        self.last_modified = max((r.modified for r in self.records.values()), default=None)

    def _facet_index(self) -> FacetIndex:
        masks: dict[str, dict[str, int]] = {facet.param: {} for facet in FACETS}
        for docnum, record in self.records.items():
            for param, values in record.tags.items():
                for value in values:
                    masks[param][value] = masks[param].get(value, 0) | (1 << docnum)
        return FacetIndex(masks=masks, all_docs=bitset(self.records))

    @property
    def size(self) -> int:
        return len(self.records)

    def case(self, slug: str) -> CaseRecord:
        docnum = self.docnum_by_slug.get(slug)
        if docnum is None:
            raise CaseNotFoundError(slug)
        return self.records[docnum]

    def close(self) -> None:
        self.searcher.close()
        self.index.close()


@dataclass
class CatalogHolder:
    """Holds the catalog of the current generation and reopens it when the link moves."""

    settings: Settings
    catalog: Catalog | None = None
    error: str | None = None
    _target: str | None = None
    _checked: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def link(self) -> Path:
        return self.settings.index_dir / "current"

    def _read_target(self) -> str | None:
        try:
            return os.readlink(self.link)
        except OSError:
            return None

    def refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._checked < self.settings.reload_interval:
            return
        with self._lock:
            self._checked = now
            target = self._read_target()
            if target is None:
                self.error = f"intet bygget indeks i '{self.settings.index_dir.name}/current'"
                return
            if target == self._target and self.catalog is not None:
                return
            try:
                fresh = Catalog(self.settings.index_dir / target, self.settings)
            except Exception as exc:
                self.error = f"generationen '{target}' kan ikke åbnes: {exc}"
                self._target = target if self.catalog is None else self._target
                log.error("could not open generation %s: %s", target, exc)
                return
            old, self.catalog, self._target, self.error = self.catalog, fresh, target, None
            if old is not None:
                # Requests that already hold the old catalog finish first; close it a bit later.
                threading.Timer(30.0, old.close).start()

    def close(self) -> None:
        with self._lock:
            if self.catalog is not None:
                self.catalog.close()
                self.catalog, self._target = None, None

    def get(self) -> Catalog:
        self.refresh()
        if self.catalog is None:
            raise IndexUnavailableError(self.error or "intet indeks er åbnet")
        return self.catalog
