"""Every page and its JSON twin answer, on the fixture collection."""

import pytest
from fastapi.testclient import TestClient

PAGES = [
    ("/", "Find inspiration"),
    ("/sog?q=hjemloese", "Frivillige og kommune hjælper hjemløse"),
    ("/sag/valid-fuldkorn-virksomheder", "Fuldkornspartnerskabet i testudgave"),
    ("/emner", "Målgrupper"),
    ("/emner/maalgruppe", "Hjemløse"),
    ("/om", "Publikationerne"),
]


@pytest.mark.parametrize(("path", "expected"), PAGES)
def test_page_renders_in_danish(client: TestClient, path: str, expected: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="da">' in response.text
    assert expected in response.text
