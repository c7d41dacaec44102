"""Search insight for editors: the search log (``app.searchlog``), its aggregation
(``app.insight``) and the pages under /redaktion (``app.web.editor``), on SQLite and PostgreSQL.

Every test makes its own searches and reads them back; the log is emptied before each test.
Writes are forced with ``SearchLog.flush()``, never waited for.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import multiprocessing
import threading
import time
from collections.abc import Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import delete, select

from app.catalog import Catalog
from app.insight import CSV_COLUMNS, Period, period_for, search_url
from app.searchlog import (
    SearchEvent,
    SearchLog,
    SearchLogRow,
    SqlLogStore,
    canonical_selections,
    log_url,
    normalise_query,
    utc_hour,
)
from app.settings import Settings
from app.web.app import create_app
from tests.conftest import fresh_postgres_database

TOKEN = "en-lang-tilfaeldig-redaktionsnoegle"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PAGE = "/redaktion/soegninger"
CSV_PATH = "/redaktion/soegninger.csv"
BOM = b"\xef\xbb\xbf"


# --- fixtures ---


@pytest.fixture(scope="module")
def log_db(built_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A log database of the same kind as the case store: PostgreSQL or an SQLite file."""
    if built_settings.database_url:
        return fresh_postgres_database()
    return f"sqlite:///{tmp_path_factory.mktemp('searchlog') / 'log.sqlite'}"


def insight_settings(built: Settings, url: str, **changes: Any) -> Settings:
    update: dict[str, Any] = {
        "editor_token": SecretStr(TOKEN),
        "search_log_url": url,
        "search_log_flush_interval": 3600.0,  # only the tests' own flush() writes
        **changes,
    }
    return built.model_copy(update=update)


def clear(url: str) -> None:
    store = SqlLogStore(url)
    with store.ensure_schema().begin() as connection:
        connection.execute(delete(SearchLogRow))
    store.dispose()


@pytest.fixture(scope="module")
def module_client(built_settings: Settings, log_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(insight_settings(built_settings, log_db))) as client:
        yield client


@pytest.fixture
def editor(module_client: TestClient, log_db: str) -> TestClient:
    """The site with an editor token and an empty search log."""
    search_log(module_client).flush()
    clear(log_db)
    return module_client


def search_log(client: TestClient) -> SearchLog:
    log: SearchLog = client.app.state.search_log  # type: ignore[attr-defined]
    return log


def catalog_of(client: TestClient) -> Catalog:
    catalog: Catalog = client.app.state.catalogs.get()  # type: ignore[attr-defined]
    return catalog


def get_all(client: TestClient, *urls: str) -> None:
    for url in urls:
        assert client.get(url).status_code == 200, url


def logged(url: str) -> list[SearchLogRow]:
    store = SqlLogStore(url)
    with store.ensure_schema().connect() as connection:
        found = [SearchLogRow(**row._mapping) for row in connection.execute(select(SearchLogRow))]
    store.dispose()
    return found


class Sections(HTMLParser):
    """The editor page's tables: section id → rows of {query, href, filters, count, results}."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.sections: dict[str, list[dict[str, str]]] = {}
        self.section: str | None = None
        self.row: list[str] | None = None
        self.href = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section":
            self.section = found.get("id")
            self.sections[self.section or ""] = []
        elif tag == "tr" and self.section:
            self.row = []
        elif tag == "td" and self.row is not None:
            self.row.append("")
        elif tag == "a" and self.row is not None and found.get("href"):
            self.href = found["href"] or ""

    def handle_data(self, data: str) -> None:
        if self.row:
            self.row[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self.row and self.section:
            query, filters, count, results = (cell.strip() for cell in self.row)
            self.sections[self.section].append(
                {
                    "query": query,
                    "href": self.href,
                    "filters": filters,
                    "count": count,
                    "results": results,
                }
            )
        if tag == "tr":
            self.row = None
        elif tag == "section":
            self.section = None


def editor_sections(client: TestClient, query: str = "") -> dict[str, list[dict[str, str]]]:
    response = client.get(f"{PAGE}{query}", headers=AUTH)
    assert response.status_code == 200, response.text
    return Sections(response.text).sections


def queries(rows: list[dict[str, str]]) -> list[str]:
    return [row["query"] for row in rows]


# --- what is recorded ---


def test_a_search_made_a_moment_ago_shows_up_on_the_page(editor: TestClient) -> None:
    get_all(editor, "/sog?q=Hjemløse&target_group=hjemloese")
    assert "hjemløse" not in queries(editor_sections(editor)["top"])  # still in the queue

    assert search_log(editor).flush() == 1

    [row] = editor_sections(editor)["top"]
    assert row["query"] == "hjemløse" and row["filters"] == "target_group=hjemloese"
    assert row["count"] == "1"
    assert row["href"] == "/sog?q=hjeml%C3%B8se&target_group=hjemloese"


def test_each_row_links_to_the_search_it_counts(editor: TestClient) -> None:
    get_all(editor, "/sog?q=frivillige&sector=kommune&sector=civilsamfund")
    search_log(editor).flush()
    [row] = editor_sections(editor)["top"]

    api = editor.get(row["href"].replace("/sog", "/api/v1/cases", 1)).json()
    assert api["q"] == "frivillige"
    assert {c["param"] for c in api["applied_filters"]} == {"q", "sector"}
    assert str(api["total"]) == row["results"]
    assert api["total"] > 0


def test_queries_are_normalised_and_filters_canonical_so_the_same_search_counts_once(
    editor: TestClient, log_db: str
) -> None:
    get_all(
        editor,
        "/sog?q=%20%20Frivillige%20%20%20KOMMUNE%20&sector=kommune&sector=civilsamfund",
        "/api/v1/cases?sector=civilsamfund&q=frivillige+kommune&sector=kommune",
    )
    search_log(editor).flush()

    rows = logged(log_db)
    assert {(r.query, r.selections) for r in rows} == {
        ("frivillige kommune", "sector=civilsamfund&sector=kommune")
    }
    assert sorted(r.surface for r in rows) == ["api", "html"]
    [row] = editor_sections(editor)["top"]
    assert row["count"] == "2"


def test_control_characters_and_long_filters_are_stored_safely(
    editor: TestClient, log_db: str
) -> None:
    every_place = [term.slug for term in catalog_of(editor).vocab.terms["geography"]]
    many = "&".join(f"geography={value}" for value in every_place)
    get_all(editor, "/sog?q=peer%00st%C3%B8tte%0A", f"/api/v1/cases?q=x&{many}")
    search_log(editor).flush()
    rows = {row.query: row for row in logged(log_db)}
    assert set(rows) == {"peer støtte", "x"}
    assert rows["x"].selections.count("geography=") == len(every_place) > 100


def test_the_year_range_is_a_filter_and_sort_is_not(editor: TestClient, log_db: str) -> None:
    get_all(editor, "/sog?q=peer&year_to=2020&year_from=2010&sort=title")
    search_log(editor).flush()
    [row] = logged(log_db)
    assert row.selections == "year_from=2010&year_to=2020"


def test_a_row_holds_no_ip_cookie_user_agent_or_user_and_only_the_hour(
    editor: TestClient, log_db: str
) -> None:
    columns = set(SearchLogRow.model_fields)
    assert columns == {"id", "at", "surface", "query", "selections", "results", "corrected"}
    secrets = {
        "User-Agent": "Hemmelig-Browser/1.0",
        "Cookie": "session=hemmelig-cookie",
        "X-Forwarded-For": "203.0.113.77",
        "Authorization": "Bearer hemmelig-bruger",
    }
    before = dt.datetime.now(dt.UTC)
    assert editor.get("/sog?q=peer", headers=secrets).status_code == 200
    search_log(editor).flush()

    [row] = logged(log_db)
    stored = " ".join(str(value) for value in row.model_dump().values())
    for secret in ("Hemmelig", "hemmelig", "203.0.113.77", "testclient"):
        assert secret not in stored
    assert (row.at.minute, row.at.second, row.at.microsecond) == (0, 0, 0)
    assert utc_hour(before) <= row.at <= dt.datetime.now(dt.UTC)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/feed.json?q=peer",
        "/feed.atom?q=peer",
        "/api/v1/cases.csv?q=peer",
        "/widget.js",
        "/sag/valid-psykiatri-peer-region",
        "/sog",  # nothing searched for
        "/api/v1/cases",
        "/sog?q=NGO&per_page=1&page=2",  # paging on, not a new search
        "/sog?q=peer&sector=findes-ikke",  # refused (400), not a search
    ],
)
def test_only_searches_on_the_page_and_the_api_are_recorded(
    editor: TestClient, log_db: str, url: str
) -> None:
    editor.get(url)
    editor.get("/sog?q=kontrol")
    search_log(editor).flush()
    assert [row.query for row in logged(log_db)] == ["kontrol"]


def test_a_head_request_is_not_a_search(editor: TestClient, log_db: str) -> None:
    """Link checkers and monitors send HEAD; only the GET beside it is a search someone made."""
    assert editor.head("/sog?q=linkcheck").status_code == 200
    assert editor.head("/api/v1/cases?q=linkcheck").status_code == 200
    editor.get("/sog?q=kontrol")
    search_log(editor).flush()
    assert [row.query for row in logged(log_db)] == ["kontrol"]


# --- the page ---


def test_zero_result_and_corrected_searches_are_listed_in_their_sections(
    editor: TestClient,
) -> None:
    get_all(editor, "/sog?q=xyzzyqq", "/api/v1/cases?q=frivilig", "/sog?q=hjemløse")
    get_all(editor, "/sog?q=xyzzyqq")
    get_all(editor, "/sog?q=hjemløse frivilig kommune")  # a suggestion, but not applied
    search_log(editor).flush()

    sections = editor_sections(editor)
    assert queries(sections["top"]) == [
        "xyzzyqq",
        "frivilig",
        "hjemløse",
        "hjemløse frivilig kommune",
    ]  # ties by text
    assert sections["top"][0]["count"] == "2"
    assert queries(sections["zero"]) == ["xyzzyqq"]
    assert sections["zero"][0]["results"] == "0"
    assert queries(sections["corrected"]) == ["frivilig"]
    assert int(sections["corrected"][0]["results"]) > 0
    text = editor.get(PAGE, headers=AUTH).text
    assert "5 søgninger, heraf 2 uden resultater og 1 med rettet stavning" in text


def write_at(url: str, *moments: dt.datetime, query: str = "gammel") -> None:
    store = SqlLogStore(url)
    store.write([SearchEvent(utc_hour(m), "html", query, "", 1, False) for m in moments])
    store.dispose()


def test_the_period_chooses_the_rows(editor: TestClient, log_db: str) -> None:
    now = dt.datetime.now(dt.UTC)
    write_at(log_db, now - dt.timedelta(days=3), query="for-tre-dage-siden")
    write_at(log_db, now - dt.timedelta(days=20), query="for-tyve-dage-siden")
    write_at(log_db, now - dt.timedelta(days=60), query="for-tres-dage-siden")

    assert set(queries(editor_sections(editor, "?dage=7")["top"])) == {"for-tre-dage-siden"}
    assert len(editor_sections(editor)["top"]) == 2  # 30 days by default
    assert len(editor_sections(editor, "?dage=90")["top"]) == 3
    day = (now - dt.timedelta(days=20)).date().isoformat()
    assert queries(editor_sections(editor, f"?fra={day}&til={day}")["top"]) == [
        "for-tyve-dage-siden"
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [("?dage=5", "skal være 7, 30 eller 90"), ("?fra=2026-02-01&til=2026-01-01", "ligger efter")],
)
def test_an_impossible_period_is_a_danish_400(editor: TestClient, query: str, message: str) -> None:
    response = editor.get(f"{PAGE}{query}", headers=AUTH)
    assert response.status_code == 400
    assert message in response.text


def test_period_for_reads_days_or_dates() -> None:
    today = dt.date(2026, 3, 31)
    assert period_for(None, None, None, today) == Period(dt.date(2026, 3, 2), today, 30)
    assert period_for(7, None, None, today).start == dt.date(2026, 3, 25)
    assert period_for(7, dt.date(2026, 1, 1), None, today) == Period(dt.date(2026, 1, 1), today)
    assert period_for(None, None, dt.date(2026, 1, 30), today).start == dt.date(2026, 1, 1)


def test_search_url_rebuilds_text_and_filters() -> None:
    assert (
        search_url("/sog", "æble grød", "sector=kommune")
        == "/sog?q=%C3%A6ble+gr%C3%B8d&sector=kommune"
    )
    assert search_url("/sog", "", "sector=stat") == "/sog?sector=stat"
    assert normalise_query("  Æble \t GRØD ") == "æble grød"
    assert canonical_selections({"sector": ["stat", "kommune"], "barrier": ["x"]}) == (
        "barrier=x&sector=kommune&sector=stat"
    )


# --- access ---


def not_found_like(response: Any, reference: Any) -> None:
    assert response.status_code == 404
    assert response.headers["content-type"] == reference.headers["content-type"]
    assert response.content == reference.content
    assert response.headers["cache-control"] == "no-store"


PROBES = [
    pytest.param("GET", PAGE, {}, id="no-header"),
    pytest.param("GET", PAGE, {"Authorization": "Bearer forkert"}, id="wrong-token"),
    pytest.param("GET", PAGE, {"Authorization": f"Bearer {TOKEN[:-1]}"}, id="token-prefix"),
    pytest.param("GET", PAGE, {"Authorization": f"Bearer {TOKEN}x"}, id="token-longer"),
    pytest.param("GET", PAGE, {"Authorization": f"Basic {TOKEN}"}, id="other-scheme"),
    pytest.param("GET", PAGE, {"Authorization": TOKEN}, id="no-scheme"),
    pytest.param("GET", PAGE, {"Authorization": "Bearer "}, id="empty-token"),
    pytest.param("GET", f"{PAGE}?dage=banan", {}, id="bad-parameter"),
    pytest.param("GET", f"{PAGE}/", {}, id="trailing-slash"),
    pytest.param("GET", "/redaktion", {}, id="prefix"),
    pytest.param("GET", "/redaktion/", {}, id="prefix-slash"),
    pytest.param("POST", PAGE, {}, id="post"),
    pytest.param("POST", PAGE, AUTH, id="post-with-token"),
    pytest.param("DELETE", PAGE, {}, id="delete"),
    pytest.param("GET", CSV_PATH, {}, id="csv-no-header"),
    pytest.param("GET", CSV_PATH, {"Authorization": "Bearer forkert"}, id="csv-wrong-token"),
]


@pytest.mark.parametrize(("method", "path", "headers"), PROBES)
def test_without_the_right_token_it_is_any_unknown_page(
    editor: TestClient, method: str, path: str, headers: dict[str, str]
) -> None:
    unknown = "/findes-ikke.csv" if path.endswith(".csv") else "/findes-ikke"
    reference = editor.request(method, unknown)
    response = editor.request(method, path, headers=headers, follow_redirects=False)
    not_found_like(response, reference)


@pytest.mark.parametrize("path", [PAGE, CSV_PATH])
def test_without_the_setting_even_a_token_gets_404(
    built_settings: Settings, log_db: str, path: str
) -> None:
    settings = insight_settings(built_settings, log_db, editor_token=None)
    with TestClient(create_app(settings)) as client:
        reference = client.get("/findes-ikke.csv" if path.endswith(".csv") else "/findes-ikke")
        not_found_like(client.get(path, headers=AUTH), reference)
        empty = insight_settings(built_settings, log_db, editor_token=SecretStr(""))
        with TestClient(create_app(empty)) as blank:
            response = blank.get(path, headers={"Authorization": "Bearer "})
            not_found_like(response, reference)


@pytest.mark.parametrize("path", [PAGE, CSV_PATH])
def test_with_the_right_token_200_and_never_cached(editor: TestClient, path: str) -> None:
    response = editor.get(path, headers=AUTH)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    lower = editor.get(path, headers={"authorization": f"bearer {TOKEN}"})
    assert lower.status_code == 200


def test_the_editor_pages_are_not_in_the_openapi_schema(editor: TestClient) -> None:
    paths = editor.get("/api/v1/openapi.json").json()["paths"]
    assert paths and not [path for path in paths if "redaktion" in path]


# --- CSV ---


def test_the_csv_reads_back_with_the_csv_module(editor: TestClient) -> None:
    get_all(editor, "/sog?q=xyzzyqq", "/sog?q=frivilig", "/sog?q=hjemløse&sector=kommune")
    get_all(editor, "/sog?q==HYPERLINK(1)")
    search_log(editor).flush()

    response = editor.get(f"{CSV_PATH}?dage=7", headers=AUTH)
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(BOM)
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    rows = list(reader)
    by_section: dict[str, set[str]] = {}
    for row in rows:
        by_section.setdefault(row["afsnit"], set()).add(row["soegning"])
    assert by_section == {
        "Mest søgte": {"xyzzyqq", "frivilig", "hjemløse", "'=hyperlink(1)"},
        "Søgninger uden resultater": {"xyzzyqq", "'=hyperlink(1)"},
        "Søgninger med rettet stavning": {"frivilig"},
    }
    hjem = next(row for row in rows if row["soegning"] == "hjemløse")
    assert hjem["filtre"] == "sector=kommune" and hjem["antal"] == "1"
    assert hjem["url"] == "http://testserver/sog?q=hjeml%C3%B8se&sector=kommune"
    api = editor.get(hjem["url"].replace("http://testserver/sog", "/api/v1/cases")).json()
    assert str(api["total"]) == hjem["resultater"]


# --- off the request path ---


class RaisingStore:
    def write(self, events: Sequence[SearchEvent]) -> None:
        raise OSError("the database is down")

    def prune(self, before: dt.datetime) -> int:
        raise OSError("the database is down")


class SlowStore:
    """Takes ``seconds`` per write, like a database that hangs."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.writes = seconds, 0
        self.started = threading.Event()

    def write(self, events: Sequence[SearchEvent]) -> None:
        self.started.set()
        time.sleep(self.seconds)
        self.writes += 1

    def prune(self, before: dt.datetime) -> int:
        return 0


class BrokenLog:
    enabled = True

    def record(self, *args: object) -> None:
        raise RuntimeError("the log itself is broken")

    def start(self) -> None: ...

    def close(self) -> None: ...


SEARCHES = ["/sog?q=peer", "/sog?q=xyzzyqq", "/api/v1/cases?q=frivilig&sector=kommune"]


def answers(client: TestClient) -> list[tuple[int, str]]:
    return [(r.status_code, r.text) for r in (client.get(url) for url in SEARCHES)]


def test_a_failing_log_neither_breaks_nor_changes_a_search(
    built_settings: Settings, log_db: str, caplog: pytest.LogCaptureFixture
) -> None:
    reference_app = create_app(insight_settings(built_settings, log_db, search_log=False))
    with TestClient(reference_app) as reference:
        expected = answers(reference)
    raising = create_app(insight_settings(built_settings, log_db))
    raising.state.search_log = SearchLog(RaisingStore(), flush_interval=0.01, batch_size=1)
    with TestClient(raising) as client:
        assert answers(client) == expected
        search_log(client).flush()
        assert search_log(client).failed >= 1
    broken = create_app(insight_settings(built_settings, log_db))
    broken.state.search_log = BrokenLog()
    with TestClient(broken) as client:
        assert answers(client) == expected
    assert "could not write" in caplog.text and "could not record" in caplog.text


def timed(client: TestClient, urls: list[str]) -> list[float]:
    durations = []
    for url in urls:
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        durations.append(time.perf_counter() - started)
    return durations


def test_a_slow_log_does_not_slow_a_search(built_settings: Settings, log_db: str) -> None:
    hang = 2.0
    urls = [f"/sog?q=peer&year_from={year}" for year in range(2000, 2010)]
    app = create_app(insight_settings(built_settings, log_db))
    store = SlowStore(hang)
    app.state.search_log = SearchLog(store, batch_size=1, flush_interval=0.01, close_timeout=0.1)
    with TestClient(app) as client:
        timed(client, urls[:1])
        assert store.started.wait(5)  # the writer now hangs in the middle of a write
        durations = timed(client, urls)
        assert search_log(client).pending > 0  # queued behind the hanging write
    assert max(durations) < hang / 2, durations


def test_a_full_queue_drops_and_counts(tmp_path: Path) -> None:
    store = SqlLogStore(f"sqlite:///{tmp_path / 'log.sqlite'}")
    log = SearchLog(store, queue_size=3)
    for n in range(5):
        log.record(f"søgning {n}", {}, n, False, "html")
    assert (log.pending, log.dropped) == (3, 2)
    assert log.flush() == 3 and log.written == 3 and log.pending == 0
    store.dispose()


def test_the_background_thread_writes_after_the_interval_or_a_full_batch(
    log_db: str, store: SqlLogStore
) -> None:
    log = SearchLog(store, flush_interval=3600, batch_size=3)
    log.start()
    try:
        for n in range(3):
            log.record(f"batch {n}", {}, 1, False, "api")
        for _ in range(200):  # a full batch wakes the thread at once, long before the interval
            if log.written == 3:
                break
            time.sleep(0.02)
        assert log.written == 3
    finally:
        log.close()
    assert sorted(row.query for row in logged(log_db)) == ["batch 0", "batch 1", "batch 2"]


def test_logging_can_be_turned_off(built_settings: Settings, log_db: str) -> None:
    clear(log_db)
    with TestClient(create_app(insight_settings(built_settings, log_db, search_log=False))) as c:
        get_all(c, *SEARCHES)
        search_log(c).flush()
        assert "Logningen af søgninger er slået fra" in c.get(PAGE, headers=AUTH).text
    assert logged(log_db) == []


# --- retention ---


@pytest.fixture
def store(log_db: str) -> Iterator[SqlLogStore]:
    """The log's SQL store, emptied first and its connections closed afterwards."""
    clear(log_db)
    sql = SqlLogStore(log_db)
    yield sql
    sql.dispose()


def test_retention_deletes_old_rows(log_db: str, store: SqlLogStore) -> None:
    now = dt.datetime.now(dt.UTC)
    write_at(log_db, now - dt.timedelta(days=91), now - dt.timedelta(days=89), now)
    log = SearchLog(store, retention_days=90)
    assert log.prune() == 1
    assert sorted(row.at for row in logged(log_db)) == [
        utc_hour(now - dt.timedelta(days=89)),
        utc_hour(now),
    ]


def test_retention_runs_at_start_and_at_most_hourly_at_flush(
    log_db: str, store: SqlLogStore
) -> None:
    clock = [0.0]
    log = SearchLog(store, retention_days=10, monotonic=lambda: clock[0])
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=11)
    write_at(log_db, old)
    log.start()
    log.close()  # start pruned, then stopped
    assert logged(log_db) == []

    write_at(log_db, old)
    clock[0] = 3599.0
    log.flush()
    assert len(logged(log_db)) == 1  # less than an hour since the last pruning
    clock[0] = 3601.0
    log.flush()
    assert logged(log_db) == []


# --- where the log lives, and several processes ---


def test_the_log_lives_outside_the_index_generations(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "index", content_dir=tmp_path)
    assert log_url(settings) == f"sqlite:///{tmp_path / 'var' / 'searchlog.sqlite'}"
    with_db = settings.model_copy(update={"database_url": "postgresql+psycopg://db/pb"})
    assert log_url(with_db) == "postgresql+psycopg://db/pb"
    explicit = with_db.model_copy(update={"search_log_url": "sqlite:///x.sqlite"})
    assert log_url(explicit) == "sqlite:///x.sqlite"


def append_from_a_worker(url: str, worker: int, count: int) -> None:
    log = SearchLog(SqlLogStore(url), batch_size=25, flush_interval=0.01)
    log.start()
    for n in range(count):
        log.record(f"arbejder {worker}", {"sector": [str(n % 3)]}, n, False, "html")
        if n % 50 == 0:
            time.sleep(0.01)
    log.close()


def test_several_worker_processes_each_append_their_own_rows(log_db: str) -> None:
    clear(log_db)  # and the schema exists, so the workers do not race to create it
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=append_from_a_worker, args=(log_db, n, 150)) for n in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    counts: dict[str, int] = {}
    for row in logged(log_db):
        counts[row.query] = counts.get(row.query, 0) + 1
    assert counts == {"arbejder 0": 150, "arbejder 1": 150, "arbejder 2": 150}
