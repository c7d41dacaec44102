"""One facet registry: every place that deals with facets reads `app.facets.FACETS`, so a facet
in the registry reaches the API parameters, the sentence, the facet counts, the topic pages, the
case page, the feeds and the CSV with no code of its own (``kommunegruppe`` was added so)."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from app.catalog import Catalog
from app.csvexport import COLUMNS, OWN_COLUMN_FACETS
from app.describe import describe
from app.facets import FACETS, TAG_FACETS
from app.models import FrontMatter
from app.query import SearchQuery


def first_value_with_cases(catalog: Catalog, param: str) -> str:
    masks = catalog.facets.masks[param]
    return next(v.slug for v in catalog.labels.values[param] if masks.get(v.slug))


def test_every_facet_is_a_documented_search_parameter(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/api/v1/cases"]["get"]["parameters"]}
    for facet in FACETS:
        assert params[facet.param]["description"] == facet.help, facet.param
        assert params[facet.param]["schema"]["type"] == "array", facet.param


def test_every_facet_is_counted_and_filters(client: TestClient, catalog: Catalog) -> None:
    page = client.get("/api/v1/cases").json()
    assert [f["param"] for f in page["facets"]] == [f.param for f in FACETS]
    for facet in FACETS:
        value = first_value_with_cases(catalog, facet.param)
        filtered = client.get(f"/api/v1/cases?{facet.param}={value}").json()
        expected = catalog.facets.masks[facet.param][value].bit_count()
        assert filtered["total"] == expected, facet.param


def test_only_the_asked_facets_are_counted(client: TestClient) -> None:
    page = client.get("/api/v1/cases?facets=sector,kommunegruppe").json()
    assert [f["param"] for f in page["facets"]] == ["sector", "kommunegruppe"]
    assert client.get("/api/v1/cases?facets=").json()["facets"] == []
    wrong = client.get("/api/v1/cases?facets=sektor")
    assert wrong.status_code == 400 and "Mente du 'sector'?" in wrong.json()["error"]["message"]


def test_every_facet_has_its_words_in_the_sentence(catalog: Catalog) -> None:
    for facet in FACETS:
        value = first_value_with_cases(catalog, facet.param)
        sentence = describe(3, SearchQuery(selections={facet.param: [value]}), catalog.labels)
        words = facet.phrase.template.replace("{}", "").split()
        assert all(word in sentence for word in words), (facet.param, sentence)
        name = catalog.labels.phrase(facet.param, value) or catalog.labels.label(facet.param, value)
        assert name.lower() in sentence.lower(), (facet.param, sentence)


def test_every_facet_has_a_topic_page(client: TestClient) -> None:
    for facet in FACETS:
        response = client.get(f"/emner/{facet.path}")
        assert response.status_code == 200, facet.path
        assert f"<h1>{facet.plural}</h1>" in response.text


def test_every_facet_reaches_the_case_page_and_the_feed(
    client: TestClient, catalog: Catalog
) -> None:
    slug = next(iter(catalog.records.values())).slug
    case = client.get(f"/api/v1/cases/{slug}").json()
    assert set(case["tags"]) == {f.param for f in FACETS}
    assert set(case["facet_labels"]) == {f.param for f in FACETS}
    item = client.get("/feed.json").json()["items"][0]
    assert {f.field for f in FACETS} <= set(item["_partnerskabsbasen"])


def test_every_tag_facet_is_a_csv_column(client: TestClient) -> None:
    columns = {name for name, _ in COLUMNS}
    for facet in FACETS:
        if facet.param not in OWN_COLUMN_FACETS:
            assert facet.field in columns, facet.param
    body = client.get("/api/v1/cases.csv?sep=comma").content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(body)))
    assert header == [name for name, _ in COLUMNS]


@pytest.mark.parametrize("facet", TAG_FACETS, ids=lambda f: f.param)
def test_every_checked_tag_list_is_a_front_matter_field(facet: object) -> None:
    assert facet.field in FrontMatter.model_fields
