"""The JSON API under /api/v1/, built from the same models as the HTML pages."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from app.browse import VocabulariesOut, vocabularies
from app.casepage import CaseOut, case_page
from app.csvexport import MAX_ROWS, codebook, export_csv
from app.search import SearchPage, search
from app.web.deps import SEARCH_SLOT, CatalogDep, SearchQueryDep, SettingsDep, paths_for
from app.web.errors import ERROR_RESPONSES, JSON_ERROR_RESPONSES
from app.web.http import CACHE_HEADERS, CACHE_RESPONSES
from app.web.searchlog import record_search

router = APIRouter(
    prefix="/api/v1",
    tags=["API"],
    responses={**ERROR_RESPONSES, **CACHE_RESPONSES},
    dependencies=[SEARCH_SLOT],
)
API_SEARCH_PATH = "/api/v1/cases"
SEPARATORS = {"semicolon": ";", "comma": ","}
CSV_DESCRIPTION = f"""Samme søgning som `/api/v1/cases`, men **alle** sager der matcher (højst
{MAX_ROWS:,}), én række pr. sag, i søgningens rækkefølge; `page` og `per_page` ignoreres.
UTF-8 med BOM, så Excel viser æøå rigtigt. Semikolon-separeret som standard (dansk Excel);
`sep=comma` giver kommaer. Listefelter er danske betegnelser adskilt af "; ". Tekst, der ville
blive læst som en formel (starter med =, +, -, @), får en apostrof foran. Headeren
`X-Total-Count` giver antallet af sager, der matcher.

All matching cases as CSV (UTF-8 with BOM), one row per case. Codebook:

{codebook()}"""


class CSVResponse(Response):
    media_type = "text/csv"


def json_response(model: BaseModel) -> Response:
    """The model as JSON, serialised once by pydantic (the route's ``response_model`` still
    documents it; FastAPI would otherwise validate the finished model again)."""
    return Response(model.model_dump_json(), media_type="application/json")


@router.get("/cases", response_model=SearchPage, summary="Søg i sagerne / search the cases")
def api_search(
    request: Request, catalog: CatalogDep, settings: SettingsDep, query: SearchQueryDep
) -> Response:
    """Samme søgning som søgesiden `/sog`: resultater, facetter med antal og toggle-URL'er,
    aktive filtre, en beskrivende sætning og evt. stavningsforslag.
    The same search as the HTML page, as JSON."""
    page = search(catalog, query, paths_for(settings, API_SEARCH_PATH))
    record_search(request, query, page)
    return json_response(page)


# Declared before /cases/{slug} for the reader; the paths cannot collide ("cases.csv" has no "/").
@router.get(
    "/cases.csv",
    response_class=CSVResponse,
    responses={
        **JSON_ERROR_RESPONSES,
        **CACHE_RESPONSES,
        200: {
            "description": "CSV, én række pr. sag / one row per case",
            "headers": {
                **CACHE_HEADERS,
                "X-Total-Count": {
                    "description": "Antal sager, der matcher / number of matching cases",
                    "schema": {"type": "string"},
                },
            },
        },
    },
    summary="Søgningen som CSV til Excel / the search as CSV",
    description=CSV_DESCRIPTION,
)
def api_search_csv(
    catalog: CatalogDep,
    settings: SettingsDep,
    query: SearchQueryDep,
    sep: Annotated[
        Literal["semicolon", "comma"],
        Query(description="Skilletegn: semicolon (standard, dansk Excel) eller comma"),
    ] = "semicolon",
) -> Response:
    export = export_csv(catalog, query, paths_for(settings, "/sog"), SEPARATORS[sep])
    headers = {
        "Content-Disposition": 'attachment; filename="partnerskabsbasen.csv"',
        "X-Total-Count": str(export.total),
    }
    return CSVResponse(export.body, headers=headers)


@router.get("/cases/{slug}", response_model=CaseOut, summary="Én sag / one case")
def api_case(slug: str, catalog: CatalogDep, settings: SettingsDep) -> Response:
    """Alle fakta om én sag, inkl. kildehenvisning og relaterede sager. Twin of `/sag/{slug}`."""
    return json_response(case_page(catalog, slug, paths_for(settings, "/sog")))


@router.get("/vocabularies", response_model=VocabulariesOut, summary="Vokabularer / vocabularies")
def api_vocabularies(catalog: CatalogDep, settings: SettingsDep) -> VocabulariesOut:
    """Hver facet med alle værdier, labels, beskrivelser og antal sager. Twin of `/emner`."""
    return vocabularies(catalog, paths_for(settings, "/sog"))
