"""The JSON API under /api/v1/, built from the same models as the HTML pages."""

from __future__ import annotations

from fastapi import APIRouter

from app.browse import VocabulariesOut, vocabularies
from app.casepage import CaseOut, case_page
from app.pages import SearchPage
from app.search import search
from app.web.deps import CatalogDep, SearchQueryDep, SettingsDep, paths_for
from app.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["API"], responses=ERROR_RESPONSES)
API_SEARCH_PATH = "/api/v1/cases"


@router.get("/cases", response_model=SearchPage, summary="Søg i sagerne / search the cases")
async def api_search(
    catalog: CatalogDep, settings: SettingsDep, query: SearchQueryDep
) -> SearchPage:
    """Samme søgning som søgesiden `/sog`: resultater, facetter med antal og toggle-URL'er,
    aktive filtre, en beskrivende sætning og evt. stavningsforslag.
    The same search as the HTML page, as JSON."""
    return search(catalog, query, paths_for(settings, API_SEARCH_PATH))


@router.get("/cases/{slug}", response_model=CaseOut, summary="Én sag / one case")
async def api_case(slug: str, catalog: CatalogDep, settings: SettingsDep) -> CaseOut:
    """Alle fakta om én sag, inkl. kildehenvisning og relaterede sager. Twin of `/sag/{slug}`."""
    return case_page(catalog, slug, paths_for(settings, "/sog"))


@router.get("/vocabularies", response_model=VocabulariesOut, summary="Vokabularer / vocabularies")
async def api_vocabularies(catalog: CatalogDep, settings: SettingsDep) -> VocabulariesOut:
    """Hver facet med alle værdier, labels, beskrivelser og antal sager. Twin of `/emner`."""
    return vocabularies(catalog, paths_for(settings, "/sog"))
