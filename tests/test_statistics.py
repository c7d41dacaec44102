"""Statistics count what the search counts: every facet chart equals the search's facet counts,
every linked number leads to a search with exactly that total, and the breakdowns the search
cannot filter on add up to the search's own results. Over the 25 browser fixture cases."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from html import unescape
from typing import Any
from urllib.parse import urlparse

import jsonschema
import pytest
from fastapi.testclient import TestClient

from app.build import build
from app.settings import Settings
from tests.conftest import FIXTURES, make_content, make_settings, serve
from tests.test_error_shape import assert_error_shape

SEARCHES = [
    pytest.param("", id="everything"),
    pytest.param("q=peer", id="words"),
    pytest.param("sector=kommune", id="one-sector"),
    pytest.param("policy_area=psykiatri", id="policy-area"),
    pytest.param("q=peer&sector=region&sector=kommune", id="words-and-two-sectors"),
    pytest.param("policy_area=psykiatri&sector=region", id="both-matrix-facets"),
    pytest.param("year_from=2016&year_to=2018&geography=aarhus", id="years-and-place"),
]


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("statistics")
    built = make_settings(root, make_content(root / "content", cases=FIXTURES / "browser_cases"))
    build(built)
    return built


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    yield from serve(settings)


def get(client: TestClient, path: str) -> dict[str, Any]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def total_of(client: TestClient, link: str) -> int:
    """The total of the search a link in the JSON leads to (JSON URLs are not HTML-escaped)."""
    parsed = urlparse(link)
    assert parsed.path == "/sog", link
    total: int = get(client, f"/api/v1/cases?{parsed.query}")["total"]
    return total


def everything_in(client: TestClient, query: str) -> list[dict[str, Any]]:
    data = get(client, f"/api/v1/cases?{query}&per_page=100")
    assert data["total"] <= 100
    results: list[dict[str, Any]] = data["results"]
    return results


@pytest.mark.parametrize("query", SEARCHES)
def test_every_facet_chart_is_the_searchs_facet_counts(client: TestClient, query: str) -> None:
    stats = get(client, f"/api/v1/statistics?{query}")
    search = get(client, f"/api/v1/cases?{query}")
    assert stats["total"] == search["total"]
    facets = {f["param"]: f["values"] for f in search["facets"]}
    for chart in stats["charts"]:
        shown = {bar["value"]: bar["count"] for bar in chart["bars"]}
        counted = {v["value"]: v["count"] for v in facets[chart["param"]]}
        assert {v: counted[v] for v in shown} == shown, chart["id"]
        assert {v for v, c in counted.items() if c} <= set(shown), chart["id"]  # none left out
        selected = {v["value"] for v in facets[chart["param"]] if v["selected"]}
        assert {bar["value"] for bar in chart["bars"] if bar["selected"]} == selected


@pytest.mark.parametrize("query", SEARCHES)
def test_every_linked_number_leads_to_a_search_with_that_total(
    client: TestClient, query: str
) -> None:
    stats = get(client, f"/api/v1/statistics?{query}")
    linked = 0
    for chart in stats["charts"]:
        for bar in chart["bars"]:
            assert (bar["url"] is None) == (bar["count"] == 0), bar
            if bar["url"]:
                assert total_of(client, bar["url"]) == bar["count"], (chart["id"], bar)
                linked += 1
    for row in stats["matrix"]["rows"]:
        for cell in row["cells"]:
            if cell["url"]:
                assert total_of(client, cell["url"]) == cell["count"], (row["value"], cell)
                linked += 1
    assert linked > 0 or stats["total"] == 0


@pytest.mark.parametrize("query", SEARCHES)
def test_the_matrix_counts_the_cases_with_both_tags(client: TestClient, query: str) -> None:
    """Like the facets, the matrix leaves out the search's own sector and policy area choice."""
    others = "&".join(p for p in query.split("&") if p and not p.startswith(("sector=", "policy")))
    results = everything_in(client, others)
    stats = get(client, f"/api/v1/statistics?{query}")
    expected = Counter(  # the result tags carry sectors and policy areas
        (area["value"], sector["value"])
        for r in results
        for area in r["tags"]["policy_area"]
        for sector in r["tags"]["sector"]
    )
    got = {
        (row["value"], cell["column"]): cell["count"]
        for row in stats["matrix"]["rows"]
        for cell in row["cells"]
        if cell["count"]
    }
    assert got == dict(expected)
    assert {a for a, _ in expected} <= {row["value"] for row in stats["matrix"]["rows"]}


@pytest.mark.parametrize("query", SEARCHES)
def test_combinations_and_start_years_add_up_to_the_searchs_results(
    client: TestClient, query: str
) -> None:
    results = everything_in(client, query)
    stats = get(client, f"/api/v1/statistics?{query}")
    mixes = Counter(frozenset(t["value"] for t in r["tags"]["sector"]) for r in results)
    got = {frozenset(b["value"].split("+")): b["count"] for b in stats["combinations"]["bars"]}
    assert got == dict(mixes.most_common(10)) or len(mixes) > 10
    first_years = [re.search(r"\d{4}", r["period"]) for r in results]  # "2014–17", "fra 2019"
    starts = Counter(match.group() for match in first_years if match)
    assert sum(starts.values()) == len(results)
    years = {b["value"]: b["count"] for b in stats["start_years"]["bars"]}
    assert years == dict(starts)
    assert sum(years.values()) == stats["total"]  # each case once, under its own start year
    assert [b["value"] for b in stats["start_years"]["bars"]] == sorted(years)


def test_a_filtered_chart_says_so_and_marks_the_selection(client: TestClient) -> None:
    stats = get(client, "/api/v1/statistics?policy_area=psykiatri")
    chart = next(c for c in stats["charts"] if c["param"] == "policy_area")
    assert chart["note"] and "valgt" in chart["note"]
    assert [b["value"] for b in chart["bars"] if b["selected"]] == ["psykiatri"]
    sectors = next(c for c in stats["charts"] if c["param"] == "sector")
    assert sectors["note"] is None
    assert sum(b["count"] for b in sectors["bars"]) >= stats["total"]  # cases have 1+ sectors


def test_the_html_page_draws_the_same_numbers_accessibly(client: TestClient) -> None:
    query = "policy_area=psykiatri"
    stats = get(client, f"/api/v1/statistics?{query}")
    html = client.get(f"/statistik?{query}").text
    charts = [*stats["charts"], stats["combinations"], stats["start_years"]]
    svgs = re.findall(r"<svg [^>]*>", html)
    assert len(svgs) == sum(1 for chart in charts if chart["bars"]) >= 6
    for svg in svgs:
        assert 'role="group"' in svg and "aria-labelledby=" in svg and "aria-describedby=" in svg
    for chart in charts:
        if not chart["bars"]:
            assert (
                f'id="{chart["id"]}"' in html
                and "Ingen af sagerne i søgningen har en værdi her." in html
            )
            continue
        cid = chart["id"]
        assert f'<title id="{cid}-t">{chart["title"]}</title>' in html
        assert f'<desc id="{cid}-d">' in html
        bar_links = re.findall(
            rf'<section class="chart" id="{cid}".*?</svg>', html, flags=re.DOTALL
        )[0]
        hrefs = [unescape(h) for h in re.findall(r'<a href="([^"]+)"', bar_links)]
        assert hrefs == [b["url"] for b in chart["bars"] if b["url"]], cid
        values = re.findall(r'<text class="bar-value"[^>]*>(\d+)</text>', bar_links)
        assert [int(v) for v in values] == [b["count"] for b in chart["bars"]], cid
    assert "Politikområde: Psykiatri og mental sundhed" in html  # the filter, removable here
    assert 'href="/statistik"' in html


def test_the_search_page_links_to_its_statistics(client: TestClient) -> None:
    html = client.get("/sog?q=peer&sector=kommune&sort=title&page=1").text
    assert '<a href="/statistik?q=peer&amp;sector=kommune">Se som statistik</a>' in html


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("sector=ukendt", "sector"), ("status=slut", "status")],
)
def test_a_bad_search_is_the_same_400_as_on_the_search(
    client: TestClient, query: str, parameter: str
) -> None:
    error = assert_error_shape(client.get(f"/api/v1/statistics?{query}"), 400, "invalid_parameter")
    assert error["parameter"] == parameter
    assert client.get(f"/statistik?{query}").status_code == 400


def test_the_json_twin_validates_against_its_openapi_schema(client: TestClient) -> None:
    spec = get(client, "/api/v1/openapi.json")
    ok = spec["paths"]["/api/v1/statistics"]["get"]["responses"]["200"]["content"]
    assert ok["application/json"]["schema"] == {"$ref": "#/components/schemas/StatisticsPage"}
    validator = jsonschema.Draft202012Validator(
        {"$ref": "#/components/schemas/StatisticsPage", "components": spec["components"]}
    )
    for query in ("", "q=peer&sector=region", "q=ingenting-her"):
        validator.validate(get(client, f"/api/v1/statistics?{query}"))
