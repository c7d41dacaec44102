"""The comparison: shared values marked from the cases' own tags, the selection in the URL, the
4xx for a wrong selection (HTML and JSON), and the JSON twin against its OpenAPI schema."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import jsonschema
import pytest
from fastapi.testclient import TestClient

from app.build import build
from app.catalog import Catalog, CatalogHolder
from app.compare import compare, organisation_html
from app.search import Paths
from app.settings import Settings
from tests.conftest import FIXTURES, make_content, make_settings, serve
from tests.test_error_shape import assert_error_shape

HOMELESS = "valid-hjemloese-kommune-frivillige"  # kommune + civilsamfund, afsluttet
PEER = "valid-psykiatri-peer-region"  # region + kommune + civilsamfund, afsluttet
WHOLEGRAIN = "valid-fuldkorn-virksomheder"  # stat + fond + privat, igangværende
ORGANISED = "organisering-kommune-civilsamfund"  # has an "Organisering" section
PATHS = Paths(search="/sog", base_url="http://testserver")


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The fixture cases plus one with an "Organisering" section."""
    root: Path = tmp_path_factory.mktemp("compare")
    content = make_content(root / "content")
    for path in (FIXTURES / "compare_cases").glob("*.md"):
        shutil.copy2(path, content / "cases" / path.name)
    built = make_settings(root, content)
    build(built)
    return built


@pytest.fixture(scope="module")
def catalog(settings: Settings) -> Iterator[Catalog]:
    holder = CatalogHolder(settings)
    yield holder.get()
    holder.close()


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    yield from serve(settings)


def row(page: Any, key: str) -> Any:
    return next(r for r in page.rows if r.key == key)


def test_values_every_case_has_are_shared_and_the_others_are_not(catalog: Catalog) -> None:
    page = compare(catalog, [HOMELESS, PEER], PATHS)
    first, second = (set(catalog.case(s).tags["sector"]) for s in (HOMELESS, PEER))
    assert first & second == {"kommune", "civilsamfund"}  # the fixtures are made so

    sectors = row(page, "sectors")
    for cell, slug in zip(sectors.cells, (HOMELESS, PEER), strict=True):
        assert [v.value for v in cell.values] == catalog.case(slug).tags["sector"]
        for value in cell.values:
            assert value.shared == (value.value in first & second), value
    assert row(page, "target_groups").shared == []  # hjemløse vs psykisk sårbare
    assert [v.shared for c in row(page, "status").cells for v in c.values] == [True, True]
    assert [v.shared for c in row(page, "source").cells for v in c.values] == [False, False]


def test_with_three_cases_shared_means_all_of_them(catalog: Catalog) -> None:
    page = compare(catalog, [HOMELESS, PEER, WHOLEGRAIN], PATHS)
    kommune = next(v for v in row(page, "sectors").cells[0].values if v.value == "kommune")
    assert (kommune.shared, kommune.shared_count) == (False, 2)
    assert row(page, "sectors").shared == []
    assert [c.slug for c in page.cases] == [HOMELESS, PEER, WHOLEGRAIN]


def test_every_aspect_is_a_row_with_one_cell_per_case(catalog: Catalog) -> None:
    page = compare(catalog, [ORGANISED, HOMELESS], PATHS)
    assert [r.key for r in page.rows] == [
        "summary", "partners", "sectors", "target_groups", "policy_areas", "geography",
        "period", "status", "organisation", "key_results", "success_factors", "barriers",
        "source",
    ]  # fmt: skip
    assert all(len(r.cells) == 2 for r in page.rows)
    partners = [v.label for v in row(page, "partners").cells[0].values]
    assert partners == [
        "Testkommunen (Kommuner, driftsherre)",
        "Foreningen Gadens Venner (Civilsamfund og frivillige)",
    ]
    assert [c.text for c in row(page, "period").cells] == [None, None]
    assert [v.label for v in row(page, "period").cells[0].values] == ["fra 2012"]
    assert [v.label for v in row(page, "status").cells[0].values] == ["Ukendt"]
    assert row(page, "key_results").cells[1].values[0].label == "40 borgere flyttede i egen bolig."
    assert "Inspiration til partnerskaber" in row(page, "source").cells[0].values[0].label


def test_the_organisation_section_is_cut_from_the_sanitised_body(catalog: Catalog) -> None:
    html = organisation_html(catalog.case(ORGANISED))
    assert html is not None and html.startswith("<p>En <strong>styregruppe</strong>")
    assert "<li>Kommunen stiller en socialrådgiver.</li>" in html
    assert "Flere fik hjælp" not in html and "Baggrund" not in html  # only that section
    cells = row(compare(catalog, [ORGANISED, HOMELESS], PATHS), "organisation").cells
    assert cells[0].text is not None and cells[0].text.startswith("En styregruppe med begge")
    assert (cells[1].html, cells[1].text) == (None, None)  # the case has no such section


def test_the_url_is_the_state_and_each_column_can_be_removed(catalog: Catalog) -> None:
    page = compare(catalog, [HOMELESS, PEER, WHOLEGRAIN], PATHS)
    assert page.self_url == f"/sammenlign?sag={HOMELESS}&sag={PEER}&sag={WHOLEGRAIN}"
    assert page.api_url == f"/api/v1/compare?sag={HOMELESS}&sag={PEER}&sag={WHOLEGRAIN}"
    assert page.cases[1].remove_url == f"/sammenlign?sag={HOMELESS}&sag={WHOLEGRAIN}"
    assert page.add_url == f"/sog?sammenlign={HOMELESS}&sammenlign={PEER}&sammenlign={WHOLEGRAIN}"
    two = compare(catalog, [HOMELESS, PEER], PATHS)
    assert two.cases[0].remove_url == f"/sog?sammenlign={PEER}"  # choose another instead


def test_the_search_page_carries_the_selection_and_offers_to_add_results(
    client: TestClient,
) -> None:
    html = client.get(f"/sog?q=hjemløse&sammenlign={PEER}").text
    assert f'<input type="hidden" name="sammenlign" value="{PEER}">' in html
    adds = re.findall(r'class="compare-add"><a href="([^"]+)"', html)
    assert adds and all(parse_qs(urlparse(a).query)["sag"][0] == PEER for a in adds)
    assert all(urlparse(a.replace("&amp;", "&")).path == "/sammenlign" for a in adds)
    sort_links = re.findall(r'<a href="(/sog\?[^"]*sort=[^"]*)"', html)
    assert sort_links and all(f"sammenlign={PEER}" in link for link in sort_links)

    started = client.get("/sog?q=hjemløse").text  # nothing chosen yet: choosing stays here
    first = re.findall(r'class="compare-add"><a href="([^"]+)"', started)[0]
    assert first.startswith("/sog?q=") and "sammenlign=" in first


def test_a_case_page_links_to_a_comparison_with_each_related_case(client: TestClient) -> None:
    html = client.get(f"/sag/{HOMELESS}").text
    assert f'href="/sog?sammenlign={HOMELESS}"' in html
    related = client.get(f"/api/v1/cases/{HOMELESS}").json()["related"]
    for other in related:
        assert f'href="/sammenlign?sag={HOMELESS}&amp;sag={other["slug"]}"' in html


def test_html_and_json_show_the_same_comparison(client: TestClient) -> None:
    query = f"sag={HOMELESS}&sag={PEER}"
    data = client.get(f"/api/v1/compare?{query}").json()
    html = client.get(f"/sammenlign?{query}").text
    shared = sum(v["shared"] for r in data["rows"] for c in r["cells"] for v in c["values"])
    assert html.count('class="shared-mark">fælles</strong></li>') == shared > 0
    for case in data["cases"]:
        assert f'href="{case["path"]}">{case["title"]}</a>' in html


WRONG = [
    pytest.param(f"sag={HOMELESS}", "kun én", id="one"),
    pytest.param(f"sag={HOMELESS}&sag={HOMELESS}", "kun én", id="the-same-twice"),
    pytest.param("", "ingen", id="none"),
    pytest.param(f"sag={HOMELESS}&sag=findes-ikke", "'findes-ikke' findes ikke", id="unknown"),
    pytest.param(f"sag={HOMELESS}&sag=valid-fuldkorn", "Mente du", id="near-miss"),
]


@pytest.mark.parametrize(("query", "message"), WRONG)
def test_a_wrong_selection_is_a_400_naming_the_problem(
    client: TestClient, query: str, message: str
) -> None:
    error = assert_error_shape(client.get(f"/api/v1/compare?{query}"), 400, "invalid_parameter")
    assert error["parameter"] == "sag" and message in error["message"]
    page = client.get(f"/sammenlign?{query}")
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert message.replace("'", "&#39;") in page.text


def test_five_cases_are_one_too_many(same_day_client: TestClient) -> None:
    slugs = [r["slug"] for r in same_day_client.get("/api/v1/cases").json()["results"]]
    assert len(slugs) == 5
    query = "&".join(f"sag={slug}" for slug in slugs)
    response: httpx.Response = same_day_client.get(f"/api/v1/compare?{query}")
    error = assert_error_shape(response, 400, "invalid_parameter")
    assert error["message"] == "Der kan højst sammenlignes 4 sager ad gangen; der er valgt 5."
    page = same_day_client.get(f"/sammenlign?{query}")
    assert page.status_code == 400 and "højst sammenlignes 4 sager" in page.text
    four = "&".join(f"sag={slug}" for slug in slugs[:4])
    assert len(same_day_client.get(f"/api/v1/compare?{four}").json()["cases"]) == 4


def schema_validator(client: TestClient, name: str) -> jsonschema.Draft202012Validator:
    spec = client.get("/api/v1/openapi.json").json()
    return jsonschema.Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    )


def test_the_json_twin_validates_against_its_openapi_schema(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    ok = spec["paths"]["/api/v1/compare"]["get"]["responses"]["200"]["content"]
    assert ok["application/json"]["schema"] == {"$ref": "#/components/schemas/ComparePage"}
    validator = schema_validator(client, "ComparePage")
    for query in (f"sag={HOMELESS}&sag={PEER}", f"sag={ORGANISED}&sag={PEER}&sag={WHOLEGRAIN}"):
        validator.validate(client.get(f"/api/v1/compare?{query}").json())
