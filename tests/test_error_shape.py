"""One JSON error shape for every error of the API, the feeds and the CSV: 400, 404, 422, 500.

``{"error": {"status", "code", "message", "parameter", "details"}}``, nothing more, nothing less.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.settings import Settings
from app.web.app import create_app

ERROR_KEYS = {"status", "code", "message", "parameter", "details"}

CASES = [
    ("/api/v1/cases?sector=ukendt", 400, "invalid_parameter", "sector"),
    ("/api/v1/cases?facets=sektor", 400, "invalid_parameter", "facets"),
    ("/feed.json?target_group=hjemlose", 400, "invalid_parameter", "target_group"),
    ("/feed.atom?geography=aarhus-kommune", 400, "invalid_parameter", "geography"),
    ("/api/v1/cases.csv?status=slut", 400, "invalid_parameter", "status"),
    ("/api/v1/cases/findes-ikke", 404, "case_not_found", None),
    ("/api/v1/findes-ikke", 404, "not_found", None),
    ("/api/findes/slet/ikke", 404, "not_found", None),
    ("/api/v1/cases?page=-1", 422, "validation_error", "page"),
    ("/api/v1/cases?per_page=0", 422, "validation_error", "per_page"),
    ("/api/v1/cases?year_from=abc", 422, "validation_error", "year_from"),
    ("/feed.json?per_page=0", 422, "validation_error", "per_page"),
    ("/feed.atom?year_to=abc", 422, "validation_error", "year_to"),
    ("/api/v1/cases.csv?page=0", 422, "validation_error", "page"),
]


def assert_error_shape(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    assert set(error) == ERROR_KEYS
    assert error["status"] == status and error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], list)
    return error


@pytest.mark.parametrize(("url", "status", "code", "parameter"), CASES)
def test_every_error_has_the_one_shape(
    client: TestClient, url: str, status: int, code: str, parameter: str | None
) -> None:
    error = assert_error_shape(client.get(url), status, code)
    assert error["parameter"] == parameter
    if status == 422:
        assert error["details"] and error["details"][0]["parameter"] == parameter


@pytest.fixture
def fragile_client(built_settings: Settings) -> Iterator[TestClient]:
    """A client that returns the 500 response instead of raising the server's exception."""
    with TestClient(create_app(built_settings), raise_server_exceptions=False) as client:
        yield client


def explode(*args: object, **kwargs: object) -> None:
    raise RuntimeError("geheim: /srv/hemmelig/sti")


@pytest.mark.parametrize(
    ("target", "url"),
    [
        ("app.web.api.search", "/api/v1/cases"),
        ("app.web.api.case_page", "/api/v1/cases/valid-fuldkorn-virksomheder"),
        ("app.web.api.export_csv", "/api/v1/cases.csv"),
        ("app.web.feeds.build_feed", "/feed.json"),
        ("app.web.feeds.atom_feed", "/feed.atom"),
    ],
)
def test_an_unexpected_failure_is_a_500_in_the_same_shape_without_internals(
    fragile_client: TestClient, monkeypatch: pytest.MonkeyPatch, target: str, url: str
) -> None:
    monkeypatch.setattr(target, explode)
    response = fragile_client.get(url)
    error = assert_error_shape(response, 500, "internal_error")
    assert error["parameter"] is None and error["details"] == []
    assert "geheim" not in response.text and "Traceback" not in response.text
