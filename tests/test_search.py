"""Search behaviour on the fixture collection: Danish analysis, facets, sentence, paging."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.catalog import Catalog
from app.facets import bits, bitset
from app.query import SearchQuery, Toggler, url
from app.search import Paths, search

PATHS = Paths(search="/sog", base_url="http://testserver")
HJEM = "valid-hjemloese-kommune-frivillige"
FULDKORN = "valid-fuldkorn-virksomheder"
PEER = "valid-psykiatri-peer-region"


def slugs(catalog: Catalog, **params: object) -> list[str]:
    return [r.slug for r in search(catalog, SearchQuery(**params), PATHS).results]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("hjemløse", HJEM),
        ("hjemloese", HJEM),  # digraphs for æøå
        ("hjemlose", HJEM),  # bare vowel for ø
        ("hjemlöse", HJEM),  # German/Swedish ö
        ("Hjemløsestrategien", HJEM),  # the compound itself
        ("fuldkorn", FULDKORN),  # part of Fuldkornspartnerskabet
        ("frivilig", HJEM),  # typo, corrected
        ("homeless", HJEM),  # English synonym of a target group
        ("peer-medarbejdere", PEER),
    ],
)
def test_danish_queries_find_the_right_case_first(catalog: Catalog, q: str, first: str) -> None:
    assert slugs(catalog, q=q)[:1] == [first]


def test_plain_stem_does_not_leak_without_danish_handling(catalog: Catalog) -> None:
    assert slugs(catalog, q="xyzzyqq") == []


def test_ngo_finds_cases_with_civil_society_partners(catalog: Catalog) -> None:
    assert set(slugs(catalog, q="NGO")) == {HJEM, PEER}


def test_typo_gives_a_suggestion_and_applies_it_when_nothing_matches(catalog: Catalog) -> None:
    page = search(catalog, SearchQuery(q="frivilig"), PATHS)
    assert page.suggestion is not None
    assert page.suggestion.text == "frivillig" and page.suggestion.applied
    assert page.notice and "frivillig" in page.notice


def test_disjunctive_facets_or_within_and_across(catalog: Catalog) -> None:
    page = search(catalog, SearchQuery(selections={"sector": ["stat", "region"]}), PATHS)
    assert {r.slug for r in page.results} == {FULDKORN, PEER}
    sector = next(f for f in page.facets if f.param == "sector")
    counts = {v.value: v.count for v in sector.values}
    # counts of the selected facet ignore its own selection
    assert counts["kommune"] == 2 and counts["stat"] == 1 and counts["region"] == 1
    status = next(f for f in page.facets if f.param == "status")
    assert {v.value: v.count for v in status.values} == {
        "igangværende": 1,
        "afsluttet": 1,
        "ukendt": 0,
    }
    both = search(
        catalog, SearchQuery(selections={"sector": ["kommune"], "status": ["afsluttet"]}), PATHS
    )
    assert both.total == 2


def test_toggle_urls_add_and_remove_values(catalog: Catalog) -> None:
    page = search(catalog, SearchQuery(selections={"sector": ["stat"]}), PATHS)
    sector = {v.value: v for v in next(f for f in page.facets if f.param == "sector").values}
    assert sector["stat"].selected and sector["stat"].toggle_url == "/sog"
    assert sector["region"].toggle_url == "/sog?sector=stat&sector=region"
    assert page.applied_filters[0].remove_url == "/sog"


def test_describing_sentence(catalog: Catalog) -> None:
    query = SearchQuery(
        q="frivillige",
        selections={"target_group": ["hjemloese"], "sector": ["kommune", "civilsamfund"]},
    )
    page = search(catalog, query, PATHS)
    assert page.description == (
        "1 sag om »frivillige« for hjemløse, hvor en kommune eller civilsamfundet deltager"
    )


def test_zero_results_offer_relaxations_with_counts(catalog: Catalog) -> None:
    page = search(catalog, SearchQuery(q="peer", selections={"geography": ["aarhus"]}), PATHS)
    assert page.total == 0
    offers = {r.label: r.count for r in page.relaxations}
    assert offers == {"Fjern Aarhus Kommune": 1, "Fjern søgeordet »peer«": 1}
    assert sum(f.values[0].count >= 0 for f in page.facets) == len(page.facets)


def test_sort_and_paging(catalog: Catalog) -> None:
    assert slugs(catalog, sort="newest") == [PEER, FULDKORN, HJEM]
    assert slugs(catalog, sort="title") == [HJEM, FULDKORN, PEER]
    second = search(catalog, SearchQuery(sort="title", per_page=2, page=2), PATHS)
    assert [r.slug for r in second.results] == [PEER] and second.pages == 2
    assert second.prev_url == "/sog?sort=title&per_page=2"
    past = search(catalog, SearchQuery(sort="title", per_page=2, page=3), PATHS)
    assert (
        past.results == []
        and past.pages == 2
        and past.notice == "Side 3 findes ikke; søgningen har 2 side(r)."
    )
    assert past.prev_url == "/sog?sort=title&per_page=2&page=2"


def test_snippet_marks_matches_and_escapes_html(catalog: Catalog) -> None:
    result = search(catalog, SearchQuery(q="fuldkorn"), PATHS).results[0]
    assert '<mark class="match">fuldkorn</mark>' in result.snippet
    assert re.sub(r"</?mark[^>]*>", "", result.snippet).count("<") == 0


def test_bitsets_round_trip() -> None:
    docs = [0, 3, 8, 9, 64, 1000]
    assert bits(bitset(docs)) == docs
    assert bitset([]) == 0


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=kommune",
        "sector=kommune&sector=stat",
        "q=frivilig",
        "q=peer&geography=aarhus",
        "sort=title&per_page=2&page=2",
        "status=afsluttet&target_group=hjemloese",
    ],
)
def test_html_and_json_agree(client: TestClient, query: str) -> None:
    data = client.get(f"/api/v1/cases?{query}").json()
    html = client.get(f"/sog?{query}").text
    assert f">{data['description']}</p>" in html.replace("&#34;", '"')
    for result in data["results"]:
        assert f'href="{result["path"]}"' in html
    assert html.count('class="result"') == len(data["results"])
    for facet in data["facets"]:
        for value in facet["values"]:
            if value["count"] or value["selected"]:
                label = f'id="f-{facet["param"]}-{value["value"]}"'
                assert label in html
                count = f'({value["count"]}<span class="visually-hidden"> sager</span>)'
                assert count in html.split(label, 1)[1].split("</li>", 1)[0]


@pytest.mark.parametrize(
    "query",
    [
        SearchQuery(),
        SearchQuery(q="æble & pære", sort="title", per_page=5, default_per_page=20),
        SearchQuery(
            selections={"sector": ["stat", "kommune"], "status": ["afsluttet"]}, year_from=2010
        ),
        SearchQuery(q="x", selections={"geography": ["aarhus"]}, year_to=2020, page=3),
    ],
)
def test_toggler_agrees_with_toggling_the_query(query: SearchQuery) -> None:
    toggler = Toggler("/sog", query)
    for param, value in [
        ("sector", "stat"),
        ("sector", "fond"),
        ("status", "afsluttet"),
        ("geography", "aarhus"),
        ("period", "2010-2014"),
    ]:
        assert toggler.url(param, value) == url("/sog", query.toggled(param, value))
