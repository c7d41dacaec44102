"""The OpenAPI schema documents the whole API, and the API keeps to it (schemathesis).

The property-based run generates requests for every operation in the schema (the JSON API, the
CSV, both feeds, the widget and the health check), valid and invalid, and checks that no
response is a server error, that every response matches what the schema promises (status
code, media type, headers and body), and that no request the schema allows is refused
(``positive_data_acceptance``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import BaseSchema, Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.catalog import Catalog
from app.compare import MAX_CASES, MIN_CASES
from app.csvexport import COLUMNS
from app.facets import FACETS
from app.query import MAX_PAGE
from app.settings import Settings
from app.web.app import create_app

OPENAPI = "/api/v1/openapi.json"


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get(OPENAPI).json()
    return document


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, methods in spec["paths"].items():
        for operation in methods.values():
            yield path, operation


def test_the_schema_lists_the_api_the_csv_and_the_feeds(spec: dict[str, Any]) -> None:
    assert set(spec["paths"]) >= set(OPERATIONS)
    assert not any(path.startswith(("/sog", "/sag", "/emner")) for path in spec["paths"])


def test_every_parameter_and_operation_is_described(spec: dict[str, Any]) -> None:
    for path, operation in operations(spec):
        assert operation.get("summary") and operation.get("description"), path
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                continue  # the slug, named by the path itself
            assert parameter.get("description"), (path, parameter["name"])


def test_every_field_of_every_response_model_is_described(spec: dict[str, Any]) -> None:
    undocumented = [
        f"{name}.{field}"
        for name, model in spec["components"]["schemas"].items()
        if name not in ("HTTPValidationError", "ValidationError")
        for field, schema in model.get("properties", {}).items()
        if not schema.get("description")
    ]
    assert undocumented == []


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/api/v1/cases", "application/json"),
        ("/api/v1/cases.csv", "text/csv"),
        ("/feed.json", "application/feed+json"),
        ("/feed.atom", "application/atom+xml"),
        ("/widget.js", "application/javascript"),
    ],
)
def test_success_and_error_media_types(spec: dict[str, Any], path: str, media_type: str) -> None:
    responses = spec["paths"][path]["get"]["responses"]
    assert list(responses["200"]["content"]) == [media_type]
    assert set(responses["200"]["headers"]) >= {"ETag", "Last-Modified", "Cache-Control"}
    assert "304" in responses
    for status in ("400", "404", "422", "500"):
        if status in responses:
            assert list(responses[status]["content"]) == ["application/json"], (path, status)
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorResponse"}


def parameter(spec: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == name
    )
    return found


@pytest.mark.parametrize("path", ["/api/v1/cases", "/api/v1/statistics", "/feed.json"])
def test_the_schema_states_every_constraint_the_server_checks(
    spec: dict[str, Any], catalog: Catalog, path: str
) -> None:
    """A client keeping to the schema is never refused: the facets' values, the facet names, the
    page bound and what happens past the last page or with a reversed year range."""
    for facet in FACETS:
        items = parameter(spec, path, facet.param)["schema"]["items"]
        assert items["enum"] == list(catalog.labels.by_slug[facet.param]), facet.param
    names = parameter(spec, path, "facets")["schema"]["pattern"]
    assert re.fullmatch(names, "sector,policy_area") and re.fullmatch(names, "")
    assert not re.fullmatch(names, "sektor")
    page = parameter(spec, path, "page")
    assert page["schema"]["maximum"] == MAX_PAGE and "tomme" in page["description"]
    assert "byttes" in parameter(spec, path, "year_from")["description"]


def test_the_schema_states_which_cases_can_be_compared(
    spec: dict[str, Any], catalog: Catalog
) -> None:
    sag = parameter(spec, "/api/v1/compare", "sag")
    assert sag["required"] is True
    assert (sag["schema"]["minItems"], sag["schema"]["maxItems"]) == (MIN_CASES, MAX_CASES)
    assert sag["schema"]["uniqueItems"] is True
    assert sag["schema"]["items"]["enum"] == sorted(catalog.docnum_by_slug)


def test_json_feed_items_carry_the_extension_in_the_schema(spec: dict[str, Any]) -> None:
    item = spec["components"]["schemas"]["JsonFeedItem"]
    assert "_partnerskabsbasen" in item["properties"]
    assert item["properties"]["date_published"]["format"] == "date-time"


def test_csv_description_is_a_codebook_of_every_column(spec: dict[str, Any]) -> None:
    description = spec["paths"]["/api/v1/cases.csv"]["get"]["description"]
    for name, text in COLUMNS:
        assert f"| `{name}` | {text} |" in description
    assert "BOM" in description and "; " in description


OPERATIONS = [
    "/api/v1/cases",
    "/api/v1/cases.csv",
    "/api/v1/cases/{slug}",
    "/api/v1/vocabularies",
    "/api/v1/compare",
    "/api/v1/statistics",
    "/api/v1/background",
    "/api/v1/background/{slug}",
    "/feed.json",
    "/feed.atom",
    "/widget.js",
    "/healthz",
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(built_settings: Settings) -> Iterator[BaseSchema]:
    """A fresh app per test: schemathesis ends the app's lifespan (closing its catalog) after
    each test that reached it."""
    app = create_app(built_settings)
    yield schemathesis.openapi.from_asgi(OPENAPI, app)
    app.state.catalogs.close()


def test_the_property_run_covers_every_operation(spec: dict[str, Any]) -> None:
    assert {(path, method) for path, methods in spec["paths"].items() for method in methods} == {
        (path, "get") for path in OPERATIONS
    }


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("path", OPERATIONS)
def test_the_api_keeps_to_its_schema(
    api_schema: BaseSchema, path: str, mode: GenerationMode
) -> None:
    operation = api_schema[path]["GET"]
    if mode == GenerationMode.NEGATIVE and not operation.query:
        pytest.skip("no query parameters to get wrong")

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def run(case: Case) -> None:
        case.call_and_validate(checks=CHECKS)

    run()
