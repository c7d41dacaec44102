"""Background notes: ``/baggrund`` and ``/baggrund/{slug}`` and their JSON twins under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.background import (
    BackgroundListOut,
    BackgroundNoteOut,
    background_list,
    background_note,
)
from app.web.deps import SEARCH_SLOT, CatalogDep, SettingsDep
from app.web.errors import ERROR_RESPONSES
from app.web.html import SEARCH_PATH, render
from app.web.http import CACHE_RESPONSES

router = APIRouter(dependencies=[SEARCH_SLOT])
RESPONSES = {**ERROR_RESPONSES, **CACHE_RESPONSES}


def _base(settings: SettingsDep) -> str:
    return settings.base_url.rstrip("/")


@router.get("/baggrund", response_class=HTMLResponse, include_in_schema=False)
def background_page(request: Request, catalog: CatalogDep, settings: SettingsDep) -> HTMLResponse:
    page = background_list(catalog.background, catalog.vocab, "", SEARCH_PATH)
    return render(request, "background_list.html", page=page)


@router.get("/baggrund/{slug}", response_class=HTMLResponse, include_in_schema=False)
def background_view(
    request: Request, slug: str, catalog: CatalogDep, settings: SettingsDep
) -> HTMLResponse:
    note = background_note(catalog.background, slug, catalog.vocab, "", SEARCH_PATH)
    return render(request, "background_note.html", note=note)


@router.get(
    "/api/v1/background",
    response_model=BackgroundListOut,
    tags=["API"],
    summary="Baggrundsnoter / background notes",
    responses=RESPONSES,
)
def api_background(catalog: CatalogDep, settings: SettingsDep) -> BackgroundListOut:
    """Analyser og holdningspapirer, der ikke er sager, men baggrund for dem. Twin of
    `/baggrund`."""
    return background_list(catalog.background, catalog.vocab, _base(settings), SEARCH_PATH)


@router.get(
    "/api/v1/background/{slug}",
    response_model=BackgroundNoteOut,
    tags=["API"],
    summary="Én baggrundsnote / one background note",
    responses=RESPONSES,
)
def api_background_note(slug: str, catalog: CatalogDep, settings: SettingsDep) -> BackgroundNoteOut:
    """Én note med kildehenvisning og brødtekst som HTML. Twin of `/baggrund/{slug}`."""
    return background_note(catalog.background, slug, catalog.vocab, _base(settings), SEARCH_PATH)
