"""The Danish HTML pages. Each page renders the same model its JSON twin returns."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.background import notes_by_area
from app.browse import facet_for_path, vocabularies, vocabulary
from app.casepage import case_page
from app.compare import case_links, chosen_cases, tray
from app.errors import TopicNotFoundError
from app.facets import FACETS
from app.query import SearchQuery
from app.search import search
from app.statistics import statistics_url
from app.web.deps import SEARCH_SLOT, CatalogDep, SearchQueryDep, SettingsDep, paths_for
from app.web.searchform import per_page_choices, tidy_query
from app.web.searchlog import record_search
from app.web.templating import templates

router = APIRouter(include_in_schema=False, dependencies=[SEARCH_SLOT])
SEARCH_PATH = "/sog"


def render(request: Request, name: str, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context)


def intranet_links(query: SearchQuery, base_url: str) -> dict[str, str]:
    qs = query.query_string()
    suffix = f"?{qs}" if qs else ""
    return {
        "api": f"{base_url}/api/v1/cases{suffix}",
        "feed_json": f"{base_url}/feed.json{suffix}",
        "feed_atom": f"{base_url}/feed.atom{suffix}",
        "csv": f"{base_url}/api/v1/cases.csv{suffix}",
        "widget_js": f"{base_url}/widget.js",
        "widget_query": query.changed(sort="newest").query_string(),
    }


@router.get("/", response_class=HTMLResponse)
def front_page(request: Request, catalog: CatalogDep, settings: SettingsDep) -> HTMLResponse:
    paths = paths_for(settings, SEARCH_PATH)
    newest = search(catalog, SearchQuery(sort="newest", per_page=6, facets=()), paths, False)
    added = None
    if catalog.added_dates > 1:  # "recently added" means something once the dates differ
        added = search(catalog, SearchQuery(sort="added", per_page=6, facets=()), paths, False)
    return render(
        request,
        "index.html",
        page=newest,
        added=added,
        vocab=vocabularies(catalog, paths),
        total=catalog.size,
    )


@router.get(SEARCH_PATH, response_class=HTMLResponse)
def search_page(
    request: Request, catalog: CatalogDep, settings: SettingsDep, query: SearchQueryDep
) -> Response:
    tidy = tidy_query(request.query_params.multi_items(), settings.per_page_default)
    if tidy is not None:  # a submitted form's empty fields leave the address
        return RedirectResponse(f"{SEARCH_PATH}?{tidy}" if tidy else SEARCH_PATH, status_code=303)
    links = intranet_links(query, settings.base_url.rstrip("/"))
    links["statistics"] = statistics_url(query)
    chosen = chosen_cases(catalog, request.query_params.getlist("sammenlign"), "sammenlign")
    query = query.model_copy(update={"compare": tuple(chosen)})  # carried by every search link
    page = search(catalog, query, paths_for(settings, SEARCH_PATH), toggle_urls=False)
    record_search(request, query, page)
    compare_tray = tray(catalog, query, (r.slug for r in page.results), SEARCH_PATH)
    sizes = per_page_choices(settings.per_page_default, settings.per_page_max, query.per_page)
    return render(
        request,
        "search.html",
        page=page,
        query=query,
        links=links,
        tray=compare_tray,
        per_page_choices=sizes,
    )


@router.get("/sag/{slug}", response_class=HTMLResponse)
def case_view(
    request: Request, slug: str, catalog: CatalogDep, settings: SettingsDep
) -> HTMLResponse:
    case = case_page(catalog, slug, paths_for(settings, SEARCH_PATH))
    compare_links = case_links(slug, (r.slug for r in case.related), SEARCH_PATH)
    return render(request, "case.html", case=case, compare_links=compare_links)


@router.get("/emner", response_class=HTMLResponse)
def browse_all(request: Request, catalog: CatalogDep, settings: SettingsDep) -> HTMLResponse:
    return render(
        request, "browse.html", vocab=vocabularies(catalog, paths_for(settings, SEARCH_PATH))
    )


@router.get("/emner/{path}", response_class=HTMLResponse)
def browse_facet(
    request: Request, path: str, catalog: CatalogDep, settings: SettingsDep
) -> HTMLResponse:
    param = facet_for_path(path)
    if param is None:
        raise TopicNotFoundError(path)
    facet = vocabulary(catalog, param, paths_for(settings, SEARCH_PATH))
    notes = notes_by_area(catalog.background) if param == "policy_area" else {}
    return render(request, "facet.html", facet=facet, facets=FACETS, background=notes)


@router.get("/om", response_class=HTMLResponse)
def about(request: Request, catalog: CatalogDep, settings: SettingsDep) -> HTMLResponse:
    vocab = vocabularies(catalog, paths_for(settings, SEARCH_PATH))
    return render(
        request,
        "about.html",
        vocab=vocab,
        publications=catalog.vocab.publications,
        manifest=catalog.manifest,
    )
