"""The comparison page `/sammenlign` and its JSON twin `/api/v1/compare`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from app.compare import MAX_CASES, MIN_CASES, ComparePage, compare
from app.web.deps import SEARCH_SLOT, CatalogDep, SettingsDep, paths_for
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
SEARCH_PATH = "/sog"

SlugsParam = Annotated[
    list[str],
    Query(
        max_length=200,
        description=f"En sags id (slug), gentaget for hver sag: {MIN_CASES}–{MAX_CASES} "
        "forskellige sager, fx `sag=hjemloesestrategien&sag=nye-veje`",
    ),
]


@html_router.get("/sammenlign", response_class=HTMLResponse)
def compare_page(
    request: Request,
    catalog: CatalogDep,
    settings: SettingsDep,
    sag: SlugsParam = [],  # noqa: B006
) -> HTMLResponse:
    page = compare(catalog, sag, paths_for(settings, SEARCH_PATH), SEARCH_PATH)
    return templates.TemplateResponse(request, "compare.html", {"page": page})


@api_router.get("/compare", response_model=ComparePage, summary="Sammenlign sager / compare cases")
def api_compare(
    catalog: CatalogDep,
    settings: SettingsDep,
    sag: SlugsParam = [],  # noqa: B006
) -> ComparePage:
    """2–4 sager side om side: ét aspekt pr. række (resumé, partnere, sektorer, målgrupper,
    politikområder, geografi, periode, status, organisering, nøgleresultater, succesfaktorer,
    barrierer, kilde), én celle pr. sag; værdier, som alle sagerne deler, har `shared: true`.
    Twin of `/sammenlign`. Færre end to, flere end fire eller en ukendt sag giver 400."""
    return compare(catalog, sag, paths_for(settings, SEARCH_PATH), SEARCH_PATH)
