"""Request dependencies shared by the HTML pages, the API and the feeds.

The search parameters are one query-parameter model built from the facet registry, so a new
facet is a new parameter everywhere (and in the OpenAPI document) without an edit here."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

from app.catalog import Catalog, CatalogHolder
from app.errors import SearchOverloadedError
from app.facets import FACETS
from app.paths import Paths
from app.query import MAX_PAGE, MAX_QUERY_LENGTH, SearchQuery, Sort, selections_from
from app.settings import Settings


class BaseSearchParams(BaseModel):
    """The parameters every search takes besides the facets."""

    model_config = ConfigDict(extra="ignore")

    q: str = Field(
        "",
        max_length=MAX_QUERY_LENGTH,
        description="Fritekst på dansk (bøjninger, afledninger, sammensatte ord, uden æøå, "
        "stavefejl, synonymer og fagtermer fra tesaurusset) / free text; Danish-aware",
    )
    year_from: int | None = Field(
        None, ge=1900, le=2100, description="Sager, der vides at løbe i eller efter dette år"
    )
    year_to: int | None = Field(
        None, ge=1900, le=2100, description="Sager, der vides at løbe i eller før dette år"
    )
    sort: Sort | None = Field(
        None,
        description="relevance (standard med søgeord), newest (nyeste partnerskaber; standard "
        "uden søgeord), added (senest tilføjet), title",
    )
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Side, fra 1")
    per_page: int | None = Field(
        None, ge=1, le=500, description="Resultater pr. side (højst PB_PER_PAGE_MAX)"
    )
    facets: str | None = Field(
        None,
        description="Kun disse facetter tælles, kommasepareret (fx `sector,policy_area`); "
        "tom: ingen. Udeladt: alle / only count these facets",
    )

    @field_validator("year_from", "year_to", "per_page", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        """A search form sends its empty fields as ``name=``; empty means not given."""
        return None if isinstance(value, str) and not value.strip() else value


def _search_params_model() -> type[BaseSearchParams]:
    fields: dict[str, Any] = {
        facet.param: (list[str], Field(default_factory=list, description=facet.help))
        for facet in FACETS
    }
    return create_model("SearchParams", __base__=BaseSearchParams, **fields)


if TYPE_CHECKING:
    SearchParams = BaseSearchParams
else:
    SearchParams = _search_params_model()


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_catalog(request: Request) -> Catalog:
    holder: CatalogHolder = request.app.state.catalogs
    return holder.get()


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
RETRY_AFTER_S = 1


def _search_slots(app: FastAPI) -> threading.Semaphore:
    slots: threading.Semaphore | None = getattr(app.state, "search_slots", None)
    if slots is None:  # made on the event loop, so only once
        slots = threading.Semaphore(app.state.settings.max_concurrent_searches)
        app.state.search_slots = slots
    return slots


async def search_slot(request: Request) -> AsyncIterator[None]:
    """One of the worker's PB_MAX_CONCURRENT_SEARCHES slots for the request's CPU work (the
    handlers are plain functions, run in the thread pool). None free: shed the request with
    503 and Retry-After at once, instead of queueing work the client may no longer want."""
    slots = _search_slots(request.app)
    if not slots.acquire(blocking=False):
        raise SearchOverloadedError(RETRY_AFTER_S)
    try:
        yield
    finally:
        slots.release()


SEARCH_SLOT = Depends(search_slot)  # for ``dependencies=[SEARCH_SLOT]`` on routers and routes
CatalogDep = Annotated[Catalog, Depends(get_catalog)]


def _facet_names(raw: str | None) -> tuple[str, ...] | None:
    if raw is None:
        return None
    return tuple(dict.fromkeys(name.strip() for name in raw.split(",") if name.strip()))


def search_query(settings: SettingsDep, params: Annotated[SearchParams, Query()]) -> SearchQuery:
    lists = {facet.param: getattr(params, facet.param) for facet in FACETS}
    size = min(params.per_page or settings.per_page_default, settings.per_page_max)
    return SearchQuery(
        q=params.q.strip(),
        selections=selections_from(lists),
        year_from=params.year_from,
        year_to=params.year_to,
        sort=params.sort,
        page=params.page,
        per_page=size,
        default_per_page=settings.per_page_default,
        facets=_facet_names(params.facets),
    )


SearchQueryDep = Annotated[SearchQuery, Depends(search_query)]


def paths_for(settings: Settings, search_path: str) -> Paths:
    return Paths(search=search_path, base_url=settings.base_url.rstrip("/"))
