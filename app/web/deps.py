"""Request dependencies shared by the HTML pages, the API and the feeds."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from app.catalog import Catalog, CatalogHolder
from app.facets import FACETS
from app.query import MAX_PAGE, MAX_QUERY_LENGTH, SearchQuery, Sort, selections_from
from app.search import Paths
from app.settings import Settings

FACET_HELP = {
    "sector": "Sektor (stat, region, kommune, civilsamfund, fond, privat, ...). Gentag for ELLER.",
    "target_group": "Målgruppe, fx `hjemloese`. Se /api/v1/vocabularies. Gentag for ELLER.",
    "policy_area": "Politikområde, fx `psykiatri`. Gentag for ELLER.",
    "success_factor": "Succesfaktor, fx `faelles-maal`. Gentag for ELLER.",
    "barrier": "Barriere, fx `siloer-og-ressortansvar`. Gentag for ELLER.",
    "geography": "Kommune, region, `hele-landet` eller `udlandet`, fx `aarhus`. Gentag for ELLER.",
    "source": "Kildepublikation, fx `sammen-ved-vi-bedst-2021`. Gentag for ELLER.",
    "period": "Periode: foer-2005, 2005-2009, 2010-2014, 2015-2019, 2020-. Gentag for ELLER.",
    "status": "Status: igangværende, afsluttet, ukendt. Gentag for ELLER.",
}


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_catalog(request: Request) -> Catalog:
    holder: CatalogHolder = request.app.state.catalogs
    return holder.get()


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]


def search_query(
    request: Request,
    settings: SettingsDep,
    q: Annotated[
        str,
        Query(
            max_length=MAX_QUERY_LENGTH,
            description="Fritekst på dansk (bøjninger, sammensatte ord, uden æøå, stavefejl og "
            "synonymer håndteres) / free text; Danish-aware",
        ),
    ] = "",
    sector: Annotated[list[str], Query(description=FACET_HELP["sector"])] = [],  # noqa: B006
    target_group: Annotated[list[str], Query(description=FACET_HELP["target_group"])] = [],  # noqa: B006
    policy_area: Annotated[list[str], Query(description=FACET_HELP["policy_area"])] = [],  # noqa: B006
    success_factor: Annotated[list[str], Query(description=FACET_HELP["success_factor"])] = [],  # noqa: B006
    barrier: Annotated[list[str], Query(description=FACET_HELP["barrier"])] = [],  # noqa: B006
    geography: Annotated[list[str], Query(description=FACET_HELP["geography"])] = [],  # noqa: B006
    source: Annotated[list[str], Query(description=FACET_HELP["source"])] = [],  # noqa: B006
    period: Annotated[list[str], Query(description=FACET_HELP["period"])] = [],  # noqa: B006
    status: Annotated[list[str], Query(description=FACET_HELP["status"])] = [],  # noqa: B006
    year_from: Annotated[
        int | None, Query(ge=1900, le=2100, description="Sager aktive i eller efter dette år")
    ] = None,
    year_to: Annotated[
        int | None, Query(ge=1900, le=2100, description="Sager aktive i eller før dette år")
    ] = None,
    sort: Annotated[
        Sort | None,
        Query(description="relevance (standard med søgeord), newest (standard uden), title"),
    ] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Side, fra 1")] = 1,
    per_page: Annotated[
        int | None, Query(ge=1, le=500, description="Resultater pr. side (højst PB_PER_PAGE_MAX)")
    ] = None,
) -> SearchQuery:
    params = {
        "sector": sector, "target_group": target_group, "policy_area": policy_area,
        "success_factor": success_factor, "barrier": barrier, "geography": geography,
        "source": source, "period": period, "status": status,
    }  # fmt: skip
    assert set(params) == {facet.param for facet in FACETS}
    size = min(per_page or settings.per_page_default, settings.per_page_max)
    return SearchQuery(
        q=q.strip(),
        selections=selections_from(params),
        year_from=year_from,
        year_to=year_to,
        sort=sort,
        page=page,
        per_page=size,
        default_per_page=settings.per_page_default,
    )


SearchQueryDep = Annotated[SearchQuery, Depends(search_query)]


def paths_for(settings: Settings, search_path: str) -> Paths:
    return Paths(search=search_path, base_url=settings.base_url.rstrip("/"))
