"""JSON Feed 1.1 and Atom: valid documents, newest first, stable ids, distinct dates, paging.

Most tests use the three fixture cases. The ``same_day_*`` fixtures add two cases added on the
same day as ``valid-psykiatri-peer-region`` (tests/fixtures/same_day_cases/), the situation
that makes Power Automate miss items unless the feed's timestamps are distinct.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path
from typing import Any

import feedparser
import jsonschema
import pytest
from fastapi.testclient import TestClient

from app.catalog import Catalog, CatalogHolder
from app.feeds import build_feed, json_feed
from app.query import SearchQuery
from app.settings import Settings
from app.web.app import create_app
from tests.conftest import build_same_day

SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8")
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
BASE = "http://testserver"
PEER = "valid-psykiatri-peer-region"
FULDKORN = "valid-fuldkorn-virksomheder"
HJEM = "valid-hjemloese-kommune-frivillige"
AELDRE = "same-day-aeldre-ensomhed"
UNGE = "same-day-fond-udsatte-unge"
# Feed order: added date, newest first; on the same day (2026-03-15) the most recent partnership
# first: AELDRE runs to 2020, UNGE was ongoing at its source's publication in 2020 (from 2019),
# PEER ended in 2017.
NEWEST_FIRST = [AELDRE, UNGE, PEER, FULDKORN, HJEM]


@pytest.fixture(scope="module")
def paged(same_day_settings: Settings) -> Iterator[TestClient]:
    """Two items per feed page."""
    with TestClient(create_app(same_day_settings.model_copy(update={"feed_size": 2}))) as client:
        yield client


@contextmanager
def open_catalog(settings: Settings) -> Iterator[Catalog]:
    holder = CatalogHolder(settings)
    yield holder.get()
    holder.close()


def get_json_feed(client: TestClient, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/feed+json"
    feed: dict[str, Any] = response.json()
    return feed


def parse_atom(client: TestClient, url: str, params: dict[str, str] | None = None) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/atom+xml"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def slug_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


def published(item: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(item["date_published"])


# --- JSON Feed ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/feed.json",
        "/feed.json?target_group=hjemloese",
        "/feed.json?q=psykiatri",
        "/feed.json?sector=fond&q=fuldkorn",
        "/feed.json?q=xyzzyqq",
    ],
)
def test_json_feed_is_valid_json_feed_1_1(client: TestClient, url: str) -> None:
    feed = get_json_feed(client, url)
    VALIDATOR.validate(feed)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"


def test_the_schema_rejects_what_the_spec_forbids(client: TestClient) -> None:
    feed = get_json_feed(client, "/feed.json")
    item = feed["items"][0]
    broken = [
        {k: v for k, v in feed.items() if k != "version"},
        {**feed, "items": [{k: v for k, v in item.items() if k != "content_html"}]},
        {**feed, "items": [{**item, "date_published": "15. marts 2026"}]},
        {**feed, "items": [{**item, "id": None}]},
        {**feed, "unknown": 1},
    ]
    for document in broken:
        assert not VALIDATOR.is_valid(document)


def test_filtered_feeds_hold_exactly_the_matching_cases(same_day_client: TestClient) -> None:
    hjem = get_json_feed(same_day_client, "/feed.json?target_group=hjemloese")
    assert [slug_of(i["id"]) for i in hjem["items"]] == [HJEM]
    fond = get_json_feed(same_day_client, "/feed.json?sector=fond&q=udsatte")
    assert [slug_of(i["id"]) for i in fond["items"]] == [UNGE]


def test_title_is_the_search_sentence(client: TestClient) -> None:
    description = client.get("/api/v1/cases?q=psykiatri").json()["description"]
    feed = get_json_feed(client, "/feed.json?q=psykiatri")
    assert feed["title"] == f"Partnerskabsbasen: {description}"
    assert feed["title"] == "Partnerskabsbasen: 1 sag om »psykiatri«"
    assert feed["feed_url"] == f"{BASE}/feed.json?q=psykiatri"
    assert feed["home_page_url"] == f"{BASE}/sog?q=psykiatri"


def test_items_are_newest_first_whatever_the_sort(same_day_client: TestClient) -> None:
    for url in ("/feed.json", "/feed.json?sort=title", "/feed.json?sort=relevance&q=kommune"):
        items = get_json_feed(same_day_client, url)["items"]
        order = [slug for slug in NEWEST_FIRST if slug in {slug_of(i["id"]) for i in items}]
        assert [slug_of(i["id"]) for i in items] == order, url


def test_dates_strictly_decrease_and_same_day_cases_get_seconds_by_recency(
    same_day_client: TestClient,
) -> None:
    items = get_json_feed(same_day_client, "/feed.json")["items"]
    dates = [published(item) for item in items]
    assert all(a > b for a, b in pairwise(dates))
    by_slug = {slug_of(item["id"]): item["date_published"] for item in items}
    assert by_slug[AELDRE] == "2026-03-15T00:00:02Z"
    assert by_slug[UNGE] == "2026-03-15T00:00:01Z"
    assert by_slug[PEER] == "2026-03-15T00:00:00Z"
    assert by_slug[HJEM] == "2026-01-10T00:00:00Z"


def test_a_case_has_the_same_date_in_every_search(same_day_client: TestClient) -> None:
    everything = get_json_feed(same_day_client, "/feed.json")["items"]
    alone = get_json_feed(same_day_client, "/feed.json?target_group=psykisk-saarbare")["items"]
    assert [slug_of(i["id"]) for i in alone] == [PEER]
    assert (
        alone[0]["date_published"]
        == next(i for i in everything if i["id"] == alone[0]["id"])["date_published"]
    )


def test_date_modified_changes_only_with_a_real_edit(same_day_client: TestClient) -> None:
    items = {slug_of(i["id"]): i for i in get_json_feed(same_day_client, "/feed.json")["items"]}
    assert items[PEER]["date_modified"] == items[PEER]["date_published"]  # never updated
    assert items[AELDRE]["date_modified"] == "2026-04-01T00:00:02Z"  # updated: 2026-04-01
    assert items[FULDKORN]["date_modified"] == "2026-03-01T00:00:00Z"


def test_ids_and_dates_are_stable_across_two_builds(tmp_path: Path) -> None:
    runs = []
    for name in ("first", "second"):
        with open_catalog(build_same_day(tmp_path / name)) as catalog:
            feed = json_feed(build_feed(catalog, SearchQuery(), 20, BASE), "/feed.json", "/sog")
            runs.append([(i.id, i.date_published, i.date_modified) for i in feed.items])
    assert runs[0] == runs[1]
    assert [item[0] for item in runs[0]] == [f"{BASE}/sag/{slug}" for slug in NEWEST_FIRST]


def test_item_carries_tags_extension_author_and_content(client: TestClient) -> None:
    feed = get_json_feed(client, "/feed.json?target_group=hjemloese")
    item = feed["items"][0]
    case = client.get(f"/api/v1/cases/{HJEM}").json()
    assert item["id"] == item["url"] == f"{BASE}/sag/{HJEM}"
    assert item["title"] == case["title"] and item["summary"] == case["summary"]
    assert item["content_html"].startswith(f"<p>{case['summary']}</p>")
    assert case["body_html"] in item["content_html"]
    assert "Hjemløse" in item["tags"] and "Aarhus Kommune" in item["tags"]
    assert item["authors"] == [{"name": "Økonomi- og Indenrigsministeriet"}]
    extension = item["_partnerskabsbasen"]
    assert extension["target_groups"] == [{"slug": "hjemloese", "label": "Hjemløse"}]
    assert {"slug": "kommune", "label": "Kommuner"} in extension["sectors"]
    assert extension["barriers"] == [
        {"slug": "kortsigtet-finansiering", "label": "Kortsigtet projektfinansiering"}
    ]
    assert extension["status"] == [{"slug": "afsluttet", "label": "Afsluttet"}]
    assert extension["source"][0]["slug"] == "inspiration-til-partnerskaber-2014"
    assert extension["period_label"] == "2012–2013"
    assert {t["slug"] for t in extension["period"]} == {"2010-2014"}
    assert extension["geography"] == [  # the municipality and the region it lies in
        {"slug": "aarhus", "label": "Aarhus Kommune"},
        {"slug": "region-midtjylland", "label": "Region Midtjylland"},
    ]


def test_next_url_pages_through_the_whole_feed(paged: TestClient) -> None:
    seen, url, pages = [], "/feed.json", 0
    while url:
        feed = get_json_feed(paged, url.removeprefix(BASE))
        VALIDATOR.validate(feed)
        assert len(feed["items"]) <= 2
        seen += [slug_of(item["id"]) for item in feed["items"]]
        url, pages = feed.get("next_url", ""), pages + 1
    assert pages == 3 and seen == NEWEST_FIRST
    assert get_json_feed(paged, "/feed.json")["next_url"] == f"{BASE}/feed.json?page=2"


def test_a_page_past_the_end_is_an_empty_feed(paged: TestClient) -> None:
    response = paged.get("/feed.json?page=4")
    assert response.status_code == 200
    assert response.json()["items"] == []


# --- Atom ------------------------------------------------------------------------------------


def test_atom_reads_back_with_feedparser(same_day_client: TestClient) -> None:
    parsed = parse_atom(same_day_client, "/feed.atom?q=kommune")
    json_items = get_json_feed(same_day_client, "/feed.json?q=kommune")["items"]
    assert parsed.feed.title == get_json_feed(same_day_client, "/feed.json?q=kommune")["title"]
    assert parsed.feed.id == f"{BASE}/feed.atom?q=kommune"
    links = {(link.rel, link.type): link.href for link in parsed.feed.links}
    assert links[("self", "application/atom+xml")] == f"{BASE}/feed.atom?q=kommune"
    assert links[("alternate", "text/html")] == f"{BASE}/sog?q=kommune"
    assert links[("alternate", "application/feed+json")] == f"{BASE}/feed.json?q=kommune"
    assert parsed.feed.updated == "2026-04-01T00:00:02Z"
    assert [e.id for e in parsed.entries] == [i["id"] for i in json_items]
    assert [e.link for e in parsed.entries] == [i["url"] for i in json_items]
    assert [e.title for e in parsed.entries] == [i["title"] for i in json_items]
    assert [e.published for e in parsed.entries] == [i["date_published"] for i in json_items]
    assert [e.updated for e in parsed.entries] == [i["date_modified"] for i in json_items]
    stamps = [e.published_parsed for e in parsed.entries]
    assert all(a > b for a, b in pairwise(stamps))


def test_atom_entry_has_summary_content_categories_and_author(client: TestClient) -> None:
    entry = parse_atom(client, "/feed.atom?sector=fond&q=fuldkorn").entries[0]
    case = client.get(f"/api/v1/cases/{FULDKORN}").json()
    assert entry.id == f"{BASE}/sag/{FULDKORN}"
    assert entry.summary == case["summary"]
    assert entry.content[0].type == "text/html"
    assert case["body_html"] in entry.content[0].value
    assert entry.author == "Økonomi- og Indenrigsministeriet"
    categories = {(tag.term, tag.scheme, tag.label) for tag in entry.tags}
    assert ("fond", f"{BASE}/emner/sektor", "Fonde") in categories
    assert ("hele-landet", f"{BASE}/emner/geografi", "Hele landet") in categories
    assert entry.published == "2026-02-01T00:00:00Z" and entry.updated == "2026-03-01T00:00:00Z"


def test_atom_pages_with_rel_next(paged: TestClient) -> None:
    first = parse_atom(paged, "/feed.atom")
    links = {link.rel: link.href for link in first.feed.links}
    assert links["next"] == f"{BASE}/feed.atom?page=2"
    last = parse_atom(paged, "/feed.atom?page=3")
    assert "next" not in {link.rel for link in last.feed.links}
    assert [slug_of(e.id) for e in last.entries] == [HJEM]


@pytest.mark.parametrize("q", ["<&>\"'", "\x00nul\x1f", "]]>", "\U0001f600 æøå"])
def test_atom_escapes_whatever_is_searched(client: TestClient, q: str) -> None:
    parsed = parse_atom(client, "/feed.atom", params={"q": q})
    visible = q.replace("\x00", "").replace("\x1f", "")
    assert parsed.feed.title.startswith("Partnerskabsbasen: ")
    assert parsed.feed.title.endswith(f" om »{visible}«")
