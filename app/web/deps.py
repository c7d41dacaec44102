"""Request dependencies shared by the HTML pages, the API and the feeds.

The search parameters are one query-parameter model built from the facet registry, so a new
facet is a new parameter everywhere (and in the OpenAPI document) without an edit here."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

from app.catalog import Catalog, CatalogHolder
from app.compare import MAX_CASES, MIN_CASES
from app.compare import PARAM as COMPARE_PARAM
from app.errors import SearchOverloadedError
from app.facets import FACETS
from app.paths import Paths
from app.query import MAX_PAGE, MAX_QUERY_LENGTH, SearchQuery, Sort, selections_from
from app.settings import Settings

_NAMES = "|".join(facet.param for facet in FACETS)
MAX_PAGE_DA = f"{MAX_PAGE:,}".replace(",", ".")  # 100.000, as Danish writes it
FACET_NAMES_PATTERN = f"^(?:(?:{_NAMES})(?:,(?:{_NAMES}))*)?$"


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
        None,
        ge=1900,
        le=2100,
        description="Sager, der vides at løbe i eller efter dette år; efter `year_to` byttes de "
        "to om / a reversed range is read the right way round",
    )
    year_to: int | None = Field(
        None,
        ge=1900,
        le=2100,
        description="Sager, der vides at løbe i eller før dette år; før `year_from` byttes de "
        "to om",
    )
    sort: Sort | None = Field(
        None,
        description="relevance (standard med søgeord), newest (nyeste partnerskaber; standard "
        "uden søgeord), added (senest tilføjet), title",
    )
    page: int = Field(
        1,
        ge=1,
        le=MAX_PAGE,
        description=f"Side, fra 1, højst {MAX_PAGE_DA}; en side efter den sidste giver 200 med "
        "tomme `results`, `pages` og en `prev_url` til den sidste side / past the last page: "
        "an empty page",
    )
    per_page: int | None = Field(
        None, ge=1, le=500, description="Resultater pr. side (højst PB_PER_PAGE_MAX)"
    )
    facets: str | None = Field(
        None,
        description="Kun disse facetter tælles, kommasepareret (fx `sector,policy_area`); "
        "tom: ingen. Udeladt: alle / only count these facets",
        json_schema_extra={"pattern": FACET_NAMES_PATTERN},  # the server says which is unknown
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
    """The settings as this request sees them: with ``PB_BASE_URL`` unset, ``base_url`` is the
    scheme and host the request came to (checked against ``PB_ALLOWED_HOSTS`` and forwarded
    only by trusted proxies, see ``app.web.hosts``), so every absolute link points back here."""
    settings: Settings = request.app.state.settings
    if settings.base_url:
        return settings
    return settings.model_copy(update={"base_url": request_base_url(request)})


def request_base_url(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}"


def get_catalog(request: Request) -> Iterator[Catalog]:
    """The generation ``current`` points to; a failure from damaged files is the holder's."""
    holder: CatalogHolder = request.app.state.catalogs
    with holder.serving() as catalog:
        yield catalog


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
    years = (params.year_from, params.year_to)
    if years[0] is not None and years[1] is not None and years[0] > years[1]:
        years = (years[1], years[0])  # a reversed range, read the right way round
    return SearchQuery(
        q=params.q.strip(),
        selections=selections_from(lists),
        year_from=years[0],
        year_to=years[1],
        sort=params.sort,
        page=params.page,
        per_page=size,
        default_per_page=settings.per_page_default,
        facets=_facet_names(params.facets),
    )


SearchQueryDep = Annotated[SearchQuery, Depends(search_query)]


def paths_for(settings: Settings, search_path: str) -> Paths:
    return Paths(search=search_path, base_url=settings.base_url.rstrip("/"))


def _constrain(schema: dict[str, Any], catalog: Catalog) -> None:
    """Per query parameter checked against the generation: its allowed values in the schema."""
    values = {param: list(slugs) for param, slugs in catalog.labels.by_slug.items()}
    for methods in schema["paths"].values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                if parameter["name"] in values:
                    parameter["schema"]["items"]["enum"] = values[parameter["name"]]
                elif parameter["name"] == COMPARE_PARAM:
                    parameter["required"] = True
                    parameter["schema"].pop("default", None)
                    parameter["schema"]["items"]["enum"] = sorted(catalog.docnum_by_slug)
                    parameter["schema"].update(
                        minItems=MIN_CASES, maxItems=MAX_CASES, uniqueItems=True
                    )


def constrain_schema(app: FastAPI) -> None:
    """The OpenAPI document states what the server checks against the generation it serves:
    every facet's values and the cases that can be compared, so a client that keeps to the
    schema never sends a value the server rejects. Rebuilt when a new generation is served."""
    plain = app.openapi
    built_for: list[str | None] = []

    def openapi() -> dict[str, Any]:
        holder: CatalogHolder = app.state.catalogs
        catalog = holder.catalog
        name = catalog.generation.name if catalog is not None else None
        if app.openapi_schema is None or built_for != [name]:
            app.openapi_schema = None
            schema = plain()
            if catalog is not None:
                _constrain(schema, catalog)
            built_for[:] = [name]
            return schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
