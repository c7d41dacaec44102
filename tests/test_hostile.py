"""Hostile traffic has a bounded cost: every stage sees at most MAX_WORDS words, corrections and
wildcards are cheap for nonsense, caches are bounded by memory, and a worker sheds searches
beyond PB_MAX_CONCURRENT_SEARCHES with 503 while /healthz keeps answering. Functional, not
timed: bench/hostile.py measures the speed."""

from __future__ import annotations

import random
import string
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import matching
from app.analysis import DanishFilter
from app.caches import BoundedCache
from app.catalog import Catalog
from app.query import MAX_WORDS, SearchQuery, capped
from app.search import Paths, search
from app.settings import Settings
from app.spelling import Speller
from app.text import words
from app.web import api
from app.web.app import create_app

PATHS = Paths(search="/sog", base_url="http://testserver")


def nonsense(count: int, letters: int = 24, seed: int = 1) -> str:
    rng = random.Random(seed)
    return " ".join(
        "".join(rng.choice(string.ascii_lowercase) for _ in range(letters)) for _ in range(count)
    )


def recording(calls: list[str], function: Callable[..., Any], at: int = 0) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[at])
        return function(*args, **kwargs)

    return wrapper


def test_the_query_is_capped_at_max_words_once_for_every_stage() -> None:
    text = nonsense(3 * MAX_WORDS)
    assert words(SearchQuery(q=text).q) == words(text)[:MAX_WORDS]
    assert capped("a, b; c") == "a, b; c"  # fewer words: untouched, punctuation kept


def test_each_stage_is_asked_about_at_most_max_words(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = nonsense(3 * MAX_WORDS)
    allowed = set(words(text)[:MAX_WORDS])
    spelt: list[str] = []
    analysed: list[str] = []
    expanded: list[str] = []
    near: list[str] = []
    monkeypatch.setattr(catalog.speller, "correct", recording(spelt, catalog.speller.correct))
    monkeypatch.setattr(matching, "analyse_word", recording(analysed, matching.analyse_word, 1))
    thesaurus = catalog.thesaurus
    monkeypatch.setattr(thesaurus, "expansions", recording(expanded, thesaurus.expansions))
    monkeypatch.setattr(catalog, "vocabulary_near", recording(near, catalog.vocabulary_near))
    page = search(catalog, SearchQuery(q=text), PATHS)
    assert page.total == 0
    assert 0 < len(spelt) <= MAX_WORDS and set(spelt) <= allowed
    assert analysed and set(analysed) <= allowed
    assert expanded and {w for text in expanded for w in words(text)} <= allowed
    assert near and all(len(words(text)) <= MAX_WORDS for text in near)


def test_a_word_inside_no_index_key_runs_no_wildcard(catalog: Catalog) -> None:
    search(catalog, SearchQuery(q=nonsense(5, seed=2)), PATHS)
    assert not [key for key in catalog.ranked_cache._entries if "Wildcard" in key]
    # A word inside a longer indexed word still finds it (``strategi`` in ``…strategien``).
    assert catalog.inside_any_key("strategi")
    assert not catalog.inside_any_key(nonsense(1, seed=3))


def test_the_speller_only_compares_forms_of_a_close_length() -> None:
    speller = Speller({"partnerskab": 3, "partnerskaber": 1, "pa": 2, "partnerskabsaftalerne": 1})
    assert set(speller.candidates("partnerskb")) == {"partnerskab"}
    assert speller.correct("partnerskb") == "partnerskab"
    assert speller.candidates(nonsense(1)) == []


def test_the_bounded_cache_keeps_its_byte_budget_and_drops_the_oldest() -> None:
    cache: BoundedCache[str, str] = BoundedCache(1000, lambda key, value: len(value))
    for n in range(50):
        cache.put(f"k{n}", "x" * 100)
    assert cache.bytes <= 1000 and len(cache) == 5
    assert cache.get("k49") is not None and cache.get("k0") is None
    cache.put("huge", "x" * 5000)  # larger than the whole budget: not kept
    assert cache.get("huge") is None and len(cache) == 5


def test_the_analysers_word_cache_starts_afresh_at_its_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("app.analysis.ANALYSER_CACHE_BYTES", 10_000)
    danish = DanishFilter()
    for word in nonsense(200, letters=12).split():
        danish.keys(word)
        assert danish.cache_bytes <= 10_000
    assert 0 < len(danish._keys) < 200


@pytest.fixture
def shedding_client(built_settings: Settings, tmp_path: Path) -> Callable[[int], TestClient]:
    clients: list[TestClient] = []

    def make(limit: int) -> TestClient:
        settings = built_settings.model_copy(update={"max_concurrent_searches": limit})
        client = TestClient(create_app(settings))
        client.__enter__()
        clients.append(client)
        return client

    yield make  # type: ignore[misc]
    for client in clients:
        client.__exit__(None, None, None)


def test_no_free_slot_sheds_with_503_and_retry_after(
    shedding_client: Callable[[int], TestClient],
) -> None:
    client = shedding_client(0)
    for path in ("/api/v1/cases?q=hjemløse", "/feed.json", "/api/v1/statistics"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.headers["retry-after"] == "1"
        error = response.json()["error"]
        assert error["status"] == 503 and error["code"] == "busy" and error["message"]
    page = client.get("/sog?q=hjemløse")
    assert page.status_code == 503 and "text/html" in page.headers["content-type"]
    assert client.get("/healthz").status_code == 200


@pytest.fixture
def blocked_search(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, threading.Event]]:
    """/api/v1/cases blocks until ``release`` is set (or 10 s pass: ``timed_out``)."""
    events = {name: threading.Event() for name in ("entered", "release", "timed_out")}
    real = api.search

    def blocking(*args: Any, **kwargs: Any) -> Any:
        events["entered"].set()
        if not events["release"].wait(10):
            events["timed_out"].set()
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "search", blocking)
    yield events
    events["release"].set()


def test_a_busy_slot_sheds_the_next_search_while_healthz_answers(
    shedding_client: Callable[[int], TestClient], blocked_search: dict[str, threading.Event]
) -> None:
    client = shedding_client(1)
    statuses: list[int] = []
    first = threading.Thread(
        target=lambda: statuses.append(client.get("/api/v1/cases?q=hjemløse").status_code)
    )
    first.start()
    assert blocked_search["entered"].wait(10)
    shed = client.get("/api/v1/cases?q=frivillige")
    assert shed.status_code == 503 and shed.headers["retry-after"] == "1"
    # The blocked search runs in the thread pool, so the event loop still answers /healthz.
    assert client.get("/healthz").status_code == 200
    blocked_search["release"].set()
    first.join(15)
    assert statuses == [200] and not blocked_search["timed_out"].is_set()
    assert client.get("/api/v1/cases?q=frivillige").status_code == 200  # the slot is free again
