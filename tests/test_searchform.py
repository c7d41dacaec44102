"""The search form's server side: empty fields leave the address, page sizes to offer."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

import pytest
from fastapi.testclient import TestClient

from app.web.searchform import per_page_choices, tidy_query

DEFAULT = 20


@pytest.mark.parametrize(
    ("query", "tidy"),
    [
        ("q=peer&sector=kommune", None),
        ("q=peer&year_from=2015&per_page=50", None),
        ("q=peer&year_from=&year_to=&per_page=20", "q=peer"),
        (
            "q=&sector=kommune&sector=region&year_to=2018",
            "sector=kommune&sector=region&year_to=2018",
        ),
        ("q=+&year_from=+", ""),
        ("q=peer&per_page=10", None),
        ("sort=title&q=&sammenlign=a&sammenlign=b", "sort=title&sammenlign=a&sammenlign=b"),
        ("q=h%C3%B8j+alder&year_from=", "q=h%C3%B8j+alder"),
    ],
)
def test_tidy_query_drops_the_empty_fields_and_the_default_page_size(
    query: str, tidy: str | None
) -> None:
    assert tidy_query(parse_qsl(query, keep_blank_values=True), DEFAULT) == tidy


@pytest.mark.parametrize(
    ("default", "maximum", "current", "choices"),
    [
        (20, 100, 20, [10, 20, 50, 100]),
        (5, 100, 5, [5, 10, 20, 50, 100]),
        (20, 30, 30, [10, 20, 30]),
        (20, 100, 37, [10, 20, 37, 50, 100]),
    ],
)
def test_the_page_sizes_offered_include_the_default_and_the_current_size(
    default: int, maximum: int, current: int, choices: list[int]
) -> None:
    assert per_page_choices(default, maximum, current) == choices


def test_a_submitted_form_with_empty_fields_is_sent_to_the_tidy_address(client: TestClient) -> None:
    response = client.get(
        "/sog?q=&sector=kommune&year_from=&year_to=2020&per_page=20", follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/sog?sector=kommune&year_to=2020"
    bare = client.get("/sog?q=&year_from=&per_page=", follow_redirects=False)
    assert bare.headers["location"] == "/sog"


def test_the_tidy_address_shows_the_same_search(client: TestClient) -> None:
    tidy = client.get("/sog?sector=kommune&year_to=2020")
    untidy = client.get("/sog?q=&sector=kommune&year_from=&year_to=2020&per_page=")
    count = re.compile(r'<p id="result-count"[^>]*>(.*?)</p>')
    assert untidy.status_code == tidy.status_code == 200
    assert count.findall(untidy.text) == count.findall(tidy.text) != []


def test_the_api_reads_an_empty_year_or_page_size_as_not_given(client: TestClient) -> None:
    plain = client.get("/api/v1/cases?sector=kommune").json()
    empty = client.get("/api/v1/cases?sector=kommune&year_from=&year_to=&per_page=").json()
    assert empty["total"] == plain["total"] > 0
    assert client.get("/api/v1/cases?year_from=abc").status_code == 422


def test_the_form_offers_the_year_range_and_the_page_size(client: TestClient) -> None:
    page = client.get("/sog?year_from=2012&per_page=50").text
    assert re.search(r'<input [^>]*id="year_from" name="year_from" value="2012"', page)
    assert re.search(r'<input [^>]*id="year_to" name="year_to" value=""', page)
    assert '<option value="50" selected>50</option>' in page
    assert page.count(" selected>") == 1
    assert 'Filtre <span class="filters-chosen">(1 valgt)</span>' in page
