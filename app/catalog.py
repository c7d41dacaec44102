"""One index generation opened for serving: the case records, the facet bitsets, the searcher.

Everything that can be computed once per generation is computed here, at open time, so a request
only matches text and ANDs bitsets. A ``CatalogHolder`` swaps in a newer generation when the
``current`` link moves, and keeps the last good one if the new one cannot be opened.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from app.analysis import DANISH_STOP_WORDS, derived_forms, normalise
from app.background import load_background
from app.caches import BoundedCache, ranking_bytes
from app.errors import CaseNotFoundError, IndexUnavailableError, PartnerskabsbaseError
from app.facets import (
    FACETS,
    CaseFacts,
    FacetIndex,
    FacetSpec,
    FacetValue,
    Labels,
    YearIndex,
    bitset,
)
from app.generations import CURRENT, damaged_file, generation_dirs, read_manifest
from app.index import TEXT_FIELD, open_index
from app.markdown_render import plain_text, render_markdown
from app.settings import Settings
from app.spelling import Speller
from app.store import database_url_for, make_engine, read_cases
from app.text import words
from app.thesaurus import FILE_NAME as THESAURUS_FILE
from app.thesaurus import Thesaurus, load_thesaurus
from app.vocabulary import Vocabulary, load_vocabulary

log = logging.getLogger("partnerskabsbasen.catalog")
MANIFEST = "manifest.json"
RANKED_CACHE_BYTES = 64 * 2**20  # scored alternatives kept per generation (see caches.py)


@dataclass
class CaseRecord:
    """A case as served: front-matter facts, tags by URL parameter, body in three forms."""

    slug: str
    title: str
    summary: str
    partnership: str | None
    partners: list[dict[str, Any]]
    tags: dict[str, list[str]]
    facts: CaseFacts
    period_start_approx: bool
    period_end_approx: bool
    added: dt.date
    updated: dt.date | None
    source_publication: str
    source_pages: str | None
    source_section: str | None
    source_url: str | None
    key_results: list[str]
    keywords: list[str]
    links: list[dict[str, str]]
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

    def spans_of(self, field: str, analyzer: Any) -> dict[str, list[tuple[int, int]]]:
        """Per index key, where it occurs in the summary or body (computed once)."""
        cache = self.__dict__.setdefault("_spans_by_key", {})
        if field not in cache:
            by_key: dict[str, list[tuple[int, int]]] = {}
            for key, start, end in self.spans(field, analyzer):
                by_key.setdefault(key, []).append((start, end))
            cache[field] = by_key
        found: dict[str, list[tuple[int, int]]] = cache[field]
        return found

    @property
    def period_start(self) -> int | None:
        return self.facts.start

    @property
    def period_end(self) -> int | None:
        return self.facts.end

    @property
    def status(self) -> str:
        """The status as the source gives it at publication."""
        return self.facts.status

    @property
    def status_now(self) -> str:
        return self.facts.status_now

    @property
    def source_year(self) -> int:
        return self.facts.published

    @property
    def modified(self) -> dt.date:
        return self.updated or self.added

    @property
    def recency(self) -> tuple[int, int, int]:
        """Sort key of "Nyeste": the last year the case is known to run, then its start and
        the source's year."""
        facts = self.facts
        return (facts.last_known_year or facts.published, facts.start or 0, facts.published)

    def _year(self, year: int | None, approx: bool) -> str:
        return "ukendt" if year is None else f"ca. {year}" if approx else str(year)

    @property
    def period_label(self) -> str:
        start, end = self.facts.start, self.facts.end
        first = self._year(start, self.period_start_approx)
        last = self._year(end, self.period_end_approx)
        if start is None and end is None:
            return "Ukendt"
        if start is None:
            return f"til {last}"
        if end is None:
            return f"{first}–" if self.facts.status == "igangværende" else f"fra {first}"
        return (
            first
            if (start, self.period_start_approx) == (end, self.period_end_approx)
            else (f"{first}–{last}")
        )

    @property
    def status_label(self) -> str:
        """The status with its "as of": what the source said when it was published."""
        facts = self.facts
        if facts.status_now == "afsluttet" and facts.status != "afsluttet":
            return (
                f"Afsluttet efter kildens slutår {facts.end} "
                f"(igangværende ved udgivelsen i {facts.published})"
            )
        if facts.status == "igangværende":
            return f"Igangværende ved udgivelsen i {facts.published}; nyere status ukendt"
        if facts.status == "afsluttet":
            return f"Afsluttet i {facts.end}" if facts.end else "Afsluttet"
        return "Ukendt"


def _records(engine_url: str, vocab: Vocabulary, this_year: int) -> list[CaseRecord]:
    engine = make_engine(engine_url)
    try:
        rows, tags = read_cases(engine)
    finally:
        engine.dispose()
    records = []
    for row in rows:
        facts = CaseFacts(
            tags=tags[row.slug],
            publication=row.source_publication,
            status=row.status,
            start=row.period_start,
            end=row.period_end,
            published=row.source_year,
            this_year=this_year,
        )
        records.append(
            CaseRecord(
                slug=row.slug,
                title=row.title,
                summary=row.summary,
                partnership=row.partnership,
                partners=row.partners,
                tags={facet.param: facet.case_values(facts, vocab) for facet in FACETS},
                facts=facts,
                period_start_approx=row.period_start_approx,
                period_end_approx=row.period_end_approx,
                added=row.added,
                updated=row.updated,
                source_publication=row.source_publication,
                source_pages=row.source_pages,
                source_section=row.source_section,
                source_url=row.source_url,
                key_results=row.key_results,
                keywords=row.keywords,
                links=row.links,
                body_markdown=row.body_markdown,
                body_text=plain_text(row.body_markdown),
            )
        )
    return records


class Catalog:
    """A read-only view of one complete generation."""

    def __init__(self, generation: Path, settings: Settings) -> None:
        self.manifest: dict[str, Any] = read_manifest(generation)  # complete and intact, or raise
        self.generation = generation
        self._closed = False
        self.vocab: Vocabulary = load_vocabulary(generation / "content")
        self.index = open_index(generation / "whoosh")
        # Whoosh searchers are not thread-safe: one per thread that serves this generation.
        self._local = threading.local()
        self._searchers: list[Any] = []
        self._searchers_lock = threading.Lock()
        self.analyzer = self.index.schema["text"].analyzer
        self.ranked_cache: BoundedCache[str, tuple[int, list[tuple[int, float]]]] = BoundedCache(
            RANKED_CACHE_BYTES, ranking_bytes
        )
        self.tag_cache: dict[tuple[str, str, str], Any] = {}  # tags with their search links
        by_slug = {
            record.slug: record
            for record in _records(
                database_url_for(generation, settings.database_url),
                self.vocab,
                dt.date.today().year,
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
        self.labels = Labels.build(self.vocab)
        self.facets = self._facet_index()
        self.years = YearIndex.build({d: r.facts.active_years for d, r in self.records.items()})
        by_slug_desc = sorted(self.records, key=lambda d: self.records[d].slug)
        self.newest = sorted(by_slug_desc, key=lambda d: self.records[d].recency, reverse=True)
        rank = {docnum: position for position, docnum in enumerate(self.newest)}
        self.recently_added = sorted(
            self.records, key=lambda d: (-self.records[d].added.toordinal(), rank[d])
        )
        self.same_day_seconds = self._same_day_seconds()
        self.by_title = sorted(self.records, key=lambda d: self.records[d].title.casefold())
        self.added_dates = len({record.added for record in self.records.values()})
        self.speller = Speller.load(generation)
        self.last_modified = max((r.modified for r in self.records.values()), default=None)
        self.related_cache: dict[str, Any] = {}
        self.thesaurus: Thesaurus = load_thesaurus(generation / "content" / THESAURUS_FILE)[0]
        lexicon = self._lexicon()
        self.derived = derived_forms(lexicon)
        # Every index key in one string, so "is this key inside any word?" is one substring search
        # instead of a Whoosh wildcard walking the whole lexicon.
        self.lexicon_text = "\n".join(("", *lexicon, ""))
        self._vocabulary_keys = self._vocabulary_words()
        self._vocabulary_rank = {key: rank for rank, key in enumerate(self._vocabulary_keys)}
        self._vocabulary_sorted = sorted(key for key in self._vocabulary_keys if len(key) >= 4)
        self.background = load_background(generation / "content" / "background", self.vocab).notes
        self._warm = threading.Thread(
            target=self._warm_snippets, name="snippet-warmup", daemon=True
        )
        self._warm.start()

    @property
    def searcher(self) -> Any:
        """This thread's searcher of the generation (opened on first use, closed with it)."""
        found = getattr(self._local, "searcher", None)
        if found is None:
            found = self.index.searcher()
            self._local.searcher = found
            with self._searchers_lock:
                self._searchers.append(found)
        return found

    def inside_any_key(self, part: str) -> bool:
        """Whether some index key holds ``part`` (a prefix or wildcard on it can match)."""
        return part in self.lexicon_text

    def _warm_snippets(self) -> None:
        """Where each word occurs in each case, for the snippets: computed once per generation,
        in the background, so no request pays for it after the first seconds."""
        for record in list(self.records.values()):
            if self._closed:
                return
            record.spans_of("summary", self.analyzer)
            record.spans_of("body", self.analyzer)

    def _same_day_seconds(self) -> dict[str, int]:
        """Per slug, how many cases added the same day come after it in feed order."""
        days: dict[dt.date, list[str]] = {}
        for docnum in self.recently_added:
            record = self.records[docnum]
            days.setdefault(record.added, []).append(record.slug)
        return {s: len(day) - 1 - i for day in days.values() for i, s in enumerate(day)}

    def _lexicon(self) -> list[str]:
        reader = self.searcher.reader()
        return [
            key.decode("utf-8") if isinstance(key, bytes) else key
            for key in reader.lexicon(TEXT_FIELD)
        ]

    def _vocabulary_words(self) -> dict[str, list[tuple[FacetSpec, FacetValue]]]:
        """Per Danish key, the facet values whose label or synonyms hold it."""
        found: dict[str, list[tuple[FacetSpec, FacetValue]]] = {}
        for facet in FACETS:
            if not facet.indexed:
                continue
            for value in self.labels.values[facet.param]:
                term = self.vocab.term(facet.field, value.slug)
                synonyms = term.synonyms if term else ()
                for word in words(" ".join((value.label, *synonyms))):
                    if word not in DANISH_STOP_WORDS and len(word) >= 3:
                        found.setdefault(normalise(word), []).append((facet, value))
        return found

    def vocabulary_near(self, text: str) -> list[tuple[FacetSpec, FacetValue]]:
        """Facet values whose label or synonyms share a word (or a word's start) with the text."""
        near: list[tuple[FacetSpec, FacetValue]] = []
        for word in words(text):
            key = normalise(word)
            if len(key) < 4:
                continue
            longer = self._vocabulary_sorted  # keys starting with ``key``: one sorted range
            start = bisect.bisect_left(longer, key)
            stop = bisect.bisect_left(longer, key + chr(0x10FFFF), start)
            shorter = (key[:n] for n in range(4, len(key) + 1))  # keys ``key`` starts with
            found = {*longer[start:stop], *(k for k in shorter if k in self._vocabulary_rank)}
            for known in sorted(found, key=self._vocabulary_rank.__getitem__):
                near.extend(self._vocabulary_keys[known])
        return list(dict.fromkeys(near))

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
        self._closed = True
        with self._searchers_lock:
            for searcher in self._searchers:
                searcher.close()
            self._searchers.clear()
        self.index.close()


@dataclass
class CatalogHolder:
    """Serves the generation the ``current`` link points to, checked at the start of every
    request (one readlink), so all workers switch together. A generation that cannot be opened
    or verified is never served: the last good one keeps serving, or, at start-up, the newest
    intact generation on disk. A search that fails on damaged files flips ``failing`` (the
    health check answers 503) and switches to an intact generation where one exists."""

    settings: Settings
    catalog: Catalog | None = None
    error: str | None = None  # why the link's generation is not the one served
    failing: str | None = None  # damage found while serving; cleared when the link moves
    fallback: bool = False  # serving an older generation than the link's
    _target: str | None = None  # the link target last acted on
    _checked: float = 0.0
    _verified: dict[str, float] = field(default_factory=dict)  # generation → last re-check
    _damage: dict[str, str] = field(default_factory=dict)  # generation → what is damaged
    _retiring: list[tuple[threading.Timer, Catalog]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def link(self) -> Path:
        return self.settings.index_dir / CURRENT

    @property
    def target(self) -> str | None:
        """Where the link points now (relative, e.g. ``generations/<name>``)."""
        try:
            return os.readlink(self.link)
        except OSError:
            return None

    def needs_refresh(self) -> bool:
        return self.target != self._target or self._retry_due()

    def refresh(self, force: bool = False) -> None:
        if not force and not self.needs_refresh():
            return
        with self._lock:
            target = self.target
            if not force and target == self._target and not self._retry_due():
                return  # another thread opened it while this one waited
            self._checked = time.monotonic()
            self._open(target)

    def _retry_due(self) -> bool:
        """Without any catalog, try again every ``reload_interval`` (a missing link may come)."""
        return self.catalog is None and (
            time.monotonic() - self._checked >= self.settings.reload_interval
        )

    def _open(self, target: str | None) -> None:
        try:
            self._open_target(target)
        finally:
            # Only now: until the new catalog is in place, other requests must wait on the lock
            # rather than see the link "already handled" and answer from the old generation.
            self._target = target

    def _open_target(self, target: str | None) -> None:
        if target is None:
            self.error = f"intet bygget indeks i '{self.settings.index_dir.name}/{CURRENT}'"
        else:
            try:
                self._swap(Catalog(self.settings.index_dir / target, self.settings), False)
                return
            except Exception as exc:
                # Our own errors are Danish and name no path; anything else goes to the log only.
                why = f": {exc}" if isinstance(exc, PartnerskabsbaseError) else ""
                self.error = f"generationen '{Path(target).name}' kan ikke åbnes{why}"
                log.error("generation %s cannot be opened: %r", target, exc)
        log.error("%s", self.error)
        if self.catalog is None:
            self._fall_back(exclude=Path(target).name if target else None)
        else:
            self.fallback = True  # the last good generation keeps serving

    def _fall_back(self, exclude: str | None) -> bool:
        """Serve the newest intact generation other than ``exclude``; False if there is none."""
        serving = self.catalog.generation.name if self.catalog is not None else None
        for generation in generation_dirs(self.settings.index_dir):
            if generation.name in (exclude, serving):
                continue
            try:
                fresh = Catalog(generation, self.settings)
            except Exception as exc:
                log.warning("fallback generation %s cannot be opened: %s", generation.name, exc)
                continue
            self._swap(fresh, True)
            log.warning("serving the older generation %s instead: %s", generation.name, self.error)
            return True
        return False

    def _swap(self, fresh: Catalog, fallback: bool) -> None:
        old, self.catalog, self.fallback = self.catalog, fresh, fallback
        if not fallback:
            self.error = self.failing = None
        if old is not None:
            # Requests that already hold the old catalog finish first; close it a bit later.
            timer = threading.Timer(30.0, old.close)
            timer.daemon = True
            timer.start()
            self._retiring = [(t, c) for t, c in self._retiring if t.is_alive()] + [(timer, old)]

    def damaged(self, catalog: Catalog, exc: BaseException) -> bool:
        """Called when a request on ``catalog`` failed with an unexpected error: whether its
        files no longer match the manifest. If so, fail the health check and fall back."""
        name = catalog.generation.name
        now = time.monotonic()
        if name in self._damage:
            return True
        if now - self._verified.get(name, -60.0) < 10.0:
            return False  # verified moments ago: a bug, not damage (and no hashing storm)
        problem = damaged_file(catalog.generation, catalog.manifest)
        self._verified[name] = now
        if problem is None:
            return False
        self._damage[name] = problem
        with self._lock:
            if self.catalog is catalog:
                self.failing = f"generationen '{name}' er beskadiget: {problem}"
                self.error = self.failing
                log.error("%s (the request failed with %r)", self.failing, exc)
                self._fall_back(exclude=name)
        return True

    @contextmanager
    def serving(self) -> Iterator[Catalog]:
        """The catalog for one request; an error from damaged files becomes
        ``IndexUnavailableError`` (after the switch to an intact generation, if any)."""
        catalog = self.get()
        try:
            yield catalog
        except PartnerskabsbaseError:
            raise
        except Exception as exc:
            if self.damaged(catalog, exc):
                raise IndexUnavailableError(
                    "søgeindekset er beskadiget; prøv igen om et øjeblik"
                ) from exc
            raise

    @property
    def status(self) -> str:
        """``ok``, ``degraded`` (serving an older intact generation) or ``failing``."""
        if self.catalog is None or self.failing:
            return "failing"
        return "degraded" if self.fallback else "ok"

    def close(self) -> None:
        with self._lock:
            for timer, retiring in self._retiring:
                timer.cancel()
                if not retiring._closed:
                    retiring.close()
            self._retiring = []
            if self.catalog is not None:
                self.catalog.close()
                self.catalog, self._target = None, None

    def get(self) -> Catalog:
        self.refresh()
        catalog = self.catalog
        if catalog is None:
            raise IndexUnavailableError(self.error or "intet indeks er åbnet")
        return catalog
