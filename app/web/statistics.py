"""The statistics page `/statistik` and its JSON twin `/api/v1/statistics`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.statistics import API_STATISTICS_PATH, STATISTICS_PATH, StatisticsPage, statistics
from app.web.deps import SEARCH_SLOT, CatalogDep, SearchQueryDep, SettingsDep, paths_for
from app.web.errors import ERROR_RESPONSES
from app.web.http import CACHE_RESPONSES
from app.web.templating import templates

html_router = APIRouter(include_in_schema=False, dependencies=[SEARCH_SLOT])
api_router = APIRouter(
    prefix="/api/v1",
    tags=["API"],
    responses={**ERROR_RESPONSES, **CACHE_RESPONSES},
    dependencies=[SEARCH_SLOT],
)


@html_router.get(STATISTICS_PATH, response_class=HTMLResponse)
def statistics_page(
    request: Request, catalog: CatalogDep, settings: SettingsDep, query: SearchQueryDep
) -> HTMLResponse:
    page = statistics(catalog, query, paths_for(settings, STATISTICS_PATH))
    return templates.TemplateResponse(request, "statistics.html", {"page": page})


@api_router.get(
    API_STATISTICS_PATH.removeprefix("/api/v1"),
    response_model=StatisticsPage,
    summary="Statistik for en søgning / statistics of a search",
)
def api_statistics(
    catalog: CatalogDep, settings: SettingsDep, query: SearchQueryDep
) -> StatisticsPage:
    """Samme parametre som `/api/v1/cases`; diagrammernes tal for søgningen: sager pr. sektor,
    politikområde, succesfaktor, barriere, publikation og periode (= søgningens facettal, hver
    med søgelinket der giver præcis det antal), sektorkombinationer, startår og en tabel over
    sektorer × politikområder. `page`, `per_page` og `sort` ændrer ikke tallene.
    Twin of `/statistik`."""
    return statistics(catalog, query, paths_for(settings, STATISTICS_PATH))
