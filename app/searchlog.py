"""The search log: what people search for, kept for the editors, never who searched.

A row holds the normalised query, the canonical filters, the number of results, whether a
spelling correction was applied, the surface (``html`` or ``api``) and the hour (UTC) – no IP
address, cookie, user agent or user id. A request only appends an event to a bounded in-memory
queue (a full queue drops and counts); a background thread writes the queue in batches every
``flush_interval`` seconds or ``batch_size`` events, and deletes rows older than the retention at
start and at most once an hour. A failing or slow database is logged and never reaches a search.
Each worker process has its own queue and thread and appends its own rows.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlencode

from sqlalchemy import Engine, delete, event, insert
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel, col

from app.settings import Settings
from app.store import make_engine

log = logging.getLogger("partnerskabsbasen.searchlog")
SURFACES = ("html", "api")
BATCH_SIZE = 200
QUEUE_SIZE = 10_000
PRUNE_EVERY = 3600.0  # seconds between deletions of rows past the retention
CLOSE_TIMEOUT = 5.0


class SearchLogModel(SQLModel, registry=registry()):
    """Its own metadata, so building the case store never creates the log table and back."""


class SearchLogRow(SearchLogModel, table=True):
    __tablename__ = "pb_search_log"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(index=True, description="The hour of the search, UTC")
    surface: str = Field(max_length=8)
    query: str  # no length limits: a long row must not sink the batch it is written in
    selections: str = ""
    results: int
    corrected: bool = False


@dataclass(frozen=True)
class SearchEvent:
    """One search, already normalised: the fields of a log row."""

    at: dt.datetime
    surface: str
    query: str
    selections: str
    results: int
    corrected: bool


def normalise_query(q: str) -> str:
    """Stripped, whitespace collapsed, casefolded: ``" A  b"`` → ``"a b"``. Control characters
    count as spaces (PostgreSQL refuses NUL, and one such row would sink its batch)."""
    return " ".join(
        "".join(" " if unicodedata.category(c) == "Cc" else c for c in q).split()
    ).casefold()


def canonical_selections(selections: Mapping[str, Sequence[str]]) -> str:
    """Filters as a query string of sorted ``param=value`` pairs, whatever order they came in."""
    pairs = sorted({(param, value) for param, values in selections.items() for value in values})
    return urlencode(pairs)


def utc_hour(moment: dt.datetime) -> dt.datetime:
    """The UTC hour of a moment (naive means UTC): when, but not precisely enough to link."""
    utc = moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return utc.replace(minute=0, second=0, microsecond=0)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def log_url(settings: Settings) -> str:
    """``search_log_url``, else the case database, else ``var/searchlog.sqlite`` by the index."""
    if settings.search_log_url:
        return settings.search_log_url
    if settings.database_url:
        return settings.database_url
    return f"sqlite:///{settings.index_dir.parent / 'var' / 'searchlog.sqlite'}"


# (when, surface, query, filters, results, corrected) as recorded, before normalisation
Queued = tuple[dt.datetime, str, str, Mapping[str, Sequence[str]], int, bool]


class LogStore(Protocol):
    """Where events go; the SQL store, or a stand-in in tests."""

    def write(self, events: Sequence[SearchEvent]) -> None: ...

    def prune(self, before: dt.datetime) -> int: ...


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    """WAL, so the editors' page reads while worker processes append."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class SqlLogStore:
    """The ``pb_search_log`` table in any SQLAlchemy database; the schema is made on first use."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine | None = None
        self._ready = False

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            if self.url.startswith("sqlite:///"):
                path = self.url.removeprefix("sqlite:///")
                if path and path != ":memory:":
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._engine = make_engine(self.url)
            if self.url.startswith("sqlite"):
                event.listen(self._engine, "connect", _sqlite_pragmas)
        return self._engine

    def ensure_schema(self) -> Engine:
        if not self._ready:
            SearchLogModel.metadata.create_all(self.engine)
            self._ready = True
        return self.engine

    def write(self, events: Sequence[SearchEvent]) -> None:
        with self.ensure_schema().begin() as connection:
            connection.execute(insert(SearchLogRow), [asdict(e) for e in events])

    def prune(self, before: dt.datetime) -> int:
        old = delete(SearchLogRow).where(col(SearchLogRow.at) < utc_hour(before))
        with self.ensure_schema().begin() as connection:
            done = connection.execute(old)
        return int(done.rowcount or 0)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


class SearchLog:
    """A bounded queue in front of a store, written by one background thread."""

    def __init__(
        self,
        store: LogStore,
        *,
        enabled: bool = True,
        retention_days: int = 90,
        flush_interval: float = 5.0,
        batch_size: int = BATCH_SIZE,
        queue_size: int = QUEUE_SIZE,
        close_timeout: float = CLOSE_TIMEOUT,
        now: Callable[[], dt.datetime] = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store, self.enabled = store, enabled
        self.retention = dt.timedelta(days=retention_days)
        self.flush_interval, self.batch_size, self.close_timeout = (
            flush_interval,
            batch_size,
            close_timeout,
        )
        self.now, self.monotonic = now, monotonic
        self._queue: queue.Queue[Queued] = queue.Queue(maxsize=queue_size)
        self._wake, self._stop = threading.Event(), threading.Event()
        self._flushing = threading.Lock()
        self._thread: threading.Thread | None = None
        self._last_prune: float | None = None
        self.dropped = self.written = self.failed = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> SearchLog:
        return cls(
            SqlLogStore(log_url(settings)),
            enabled=settings.search_log,
            retention_days=settings.search_log_retention_days,
            flush_interval=settings.search_log_flush_interval,
        )

    # --- the request side: never blocks, never raises ---

    def record(
        self,
        q: str,
        selections: Mapping[str, Sequence[str]],
        results: int,
        corrected: bool,
        surface: str,
    ) -> None:
        """Queue the search as it came; the writer thread normalises it (a few µs here)."""
        if not self.enabled:
            return
        try:
            self._queue.put_nowait((self.now(), surface, q, selections, results, corrected))
        except queue.Full:
            self.dropped += 1
            return
        if self._queue.qsize() >= self.batch_size:
            self._wake.set()

    @property
    def pending(self) -> int:
        return self._queue.qsize()

    # --- the writing side ---

    def _drain(self) -> list[SearchEvent]:
        events: list[SearchEvent] = []
        while True:
            try:
                moment, surface, q, selections, results, corrected = self._queue.get_nowait()
            except queue.Empty:
                return events
            query, filters = normalise_query(q), canonical_selections(selections)
            events.append(
                SearchEvent(utc_hour(moment), surface, query, filters, results, corrected)
            )

    def flush(self) -> int:
        """Write every queued event now (and prune if an hour has passed); the count written."""
        with self._flushing:
            events = self._drain()
            written = self._write(events) if events else 0
            self._prune_if_due()
            return written

    def _write(self, events: list[SearchEvent]) -> int:
        try:
            self.store.write(events)
        except Exception:
            self.failed += len(events)
            log.warning("could not write %d logged searches; dropped", len(events), exc_info=True)
            return 0
        self.written += len(events)
        return len(events)

    def prune(self) -> int:
        """Delete rows older than the retention; the number deleted (0 when the store fails)."""
        self._last_prune = self.monotonic()
        try:
            return self.store.prune(self.now() - self.retention)
        except Exception:
            log.warning("could not delete old logged searches", exc_info=True)
            return 0

    def _prune_if_due(self) -> None:
        if self._last_prune is None or self.monotonic() - self._last_prune >= PRUNE_EVERY:
            self.prune()

    def _run(self) -> None:
        with self._flushing:
            self._prune_if_due()  # at start
        while not self._stop.is_set():
            self._wake.wait(self.flush_interval)
            self._wake.clear()
            self._flush_safely()
        self._flush_safely()  # whatever came in during the last one

    def _flush_safely(self) -> None:
        try:
            self.flush()
        except Exception:  # the thread must outlive any surprise
            log.warning("the search log's flush failed", exc_info=True)

    def start(self) -> None:
        if self.enabled and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="search-log", daemon=True)
            self._thread.start()

    def close(self) -> None:
        """Stop the thread after a last flush; a hung store is given ``close_timeout`` seconds."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(self.close_timeout)
            if self._thread.is_alive():
                return  # hung in the store: leave it its connection, the thread is a daemon
            self._thread = None
        if isinstance(self.store, SqlLogStore):
            self.store.dispose()
