"""`/api/v1/cases.csv`: every matching case as CSV that Excel and Python's csv module read right."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from app.catalog import Catalog
from app.csvexport import COLUMNS, export_csv
from app.query import SearchQuery
from app.search import Paths

BOM = b"\xef\xbb\xbf"
NAMES = [name for name, _ in COLUMNS]
HJEM = "valid-hjemloese-kommune-frivillige"


def read_csv(client: TestClient, url: str, delimiter: str = ";") -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(BOM)
    text = response.content.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    assert reader.fieldnames == NAMES
    return list(reader)


def test_bom_header_and_danish_letters_survive(client: TestClient) -> None:
    rows = {row["slug"]: row for row in read_csv(client, "/api/v1/cases.csv")}
    hjem = rows[HJEM]
    assert hjem["title"] == "Frivillige og kommune hjælper hjemløse i egen bolig"
    assert hjem["partnership"] == "Hjemløsestrategien i Testby"
    assert rows["valid-psykiatri-peer-region"]["geography"] == (
        "Region Hovedstaden; Helsingør Kommune; Rudersdal Kommune"
    )
    assert rows["valid-fuldkorn-virksomheder"]["source_publisher"] == (
        "Økonomi- og Indenrigsministeriet"
    )


def test_one_row_per_case_in_the_search_order_whatever_the_page(client: TestClient) -> None:
    api = client.get("/api/v1/cases?per_page=100&sort=title").json()
    rows = read_csv(client, "/api/v1/cases.csv?sort=title&per_page=1&page=3")
    assert [row["slug"] for row in rows] == [r["slug"] for r in api["results"]]
    assert len(rows) == api["total"] == 3


def test_filters_apply_and_the_total_is_in_a_header(client: TestClient) -> None:
    response = client.get("/api/v1/cases.csv?target_group=hjemloese")
    assert response.headers["x-total-count"] == "1"
    assert 'filename="partnerskabsbasen.csv"' in response.headers["content-disposition"]
    assert [row["slug"] for row in read_csv(client, "/api/v1/cases.csv?q=hjemløse")] == [HJEM]


def test_cells_hold_labels_lists_dates_and_blanks(client: TestClient) -> None:
    row = read_csv(client, "/api/v1/cases.csv?target_group=hjemloese")[0]
    assert row["url"] == f"http://testserver/sag/{HJEM}"
    assert row["sectors"] == "Kommuner; Civilsamfund og frivillige"
    assert row["partners"] == (
        "Aarhus Kommune (Kommuner, Initiativtager); "
        "Foreningen Frivillige Venner (Civilsamfund og frivillige, Deltager)"
    )
    assert row["key_results"] == "40 borgere flyttede i egen bolig."
    assert (row["period"], row["period_start"], row["period_end"]) == ("2012–2013", "2012", "2013")
    assert (row["status"], row["added"], row["updated"]) == ("Afsluttet", "2026-01-10", "")
    ongoing = read_csv(client, "/api/v1/cases.csv?status=igangværende")[0]
    assert (ongoing["period_end"], ongoing["updated"]) == ("", "2026-03-01")


def test_comma_separated_on_request(client: TestClient) -> None:
    semicolons = read_csv(client, "/api/v1/cases.csv")
    commas = read_csv(client, "/api/v1/cases.csv?sep=comma", delimiter=",")
    assert commas == semicolons
    assert client.get("/api/v1/cases.csv?sep=tab").status_code == 422


def test_separator_inside_a_value_is_quoted_and_formulas_are_defused(
    same_day_client: TestClient,
) -> None:
    row = read_csv(same_day_client, "/api/v1/cases.csv?sector=fond&q=udsatte")[0]
    assert row["partnership"] == "Ung i job; Testby"
    assert row["key_results"] == "'+30 unge kom i job eller uddannelse det første år."


def test_rows_are_capped(catalog: Catalog) -> None:
    paths = Paths(search="/sog", base_url="http://testserver")
    export = export_csv(catalog, SearchQuery(), paths, limit=2)
    assert (export.rows, export.total) == (2, 3)
    lines = export.body.decode("utf-8-sig").splitlines()
    assert len(lines) == 3  # header and two rows


def test_a_bad_parameter_gives_the_json_error_not_csv(client: TestClient) -> None:
    response = client.get("/api/v1/cases.csv?sector=ukendt")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["parameter"] == "sector"
