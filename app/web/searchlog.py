"""The search log's place in the web app: one per process, and the hook in the two search routes.

``record_search(request, query, page)`` is the single line each search route adds. It only
appends to the log's in-memory queue and can never fail a search: any error is logged and
swallowed. It records the page (``/sog``) and the API (``/api/v1/cases``); feeds, CSV, the widget
and the front page do not call it. Only the first page of a search counts (paging on is not a new
search), and an empty search (no text, no filters) is not recorded.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request

from app.query import SearchQuery
from app.search import SearchPage
from app.searchlog import SearchLog
from app.settings import Settings
from app.web.http import head_request

log = logging.getLogger("partnerskabsbasen.searchlog")
RANGE_PARAMS = ("year_from", "year_to")


def install_search_log(app: FastAPI, settings: Settings) -> None:
    """``app.state.search_log`` (started and closed by the app's lifespan) and the store the
    editors' pages read."""
    search_log = SearchLog.from_settings(settings)
    app.state.search_log = search_log
    app.state.insight_store = search_log.store  # one engine, disposed when the log closes


def filters_of(query: SearchQuery) -> dict[str, list[str]]:
    """The facet selections and the year range: everything that narrows a search."""
    filters = dict(query.selections)
    for param in RANGE_PARAMS:
        value = getattr(query, param)
        if value is not None:
            filters[param] = [str(value)]
    return filters


def record_search(request: Request, query: SearchQuery, page: SearchPage) -> None:
    try:
        search_log: SearchLog | None = getattr(request.app.state, "search_log", None)
        if search_log is None or not search_log.enabled or query.page != 1:
            return
        if head_request(request.scope):
            return  # a link checker's HEAD is not a search someone made
        filters = filters_of(query)
        if not query.q.strip() and not filters:
            return
        corrected = page.suggestion is not None and page.suggestion.applied
        surface = "api" if request.scope["path"].startswith("/api/") else "html"
        search_log.record(query.q, filters, page.total, corrected, surface)
    except Exception:
        log.warning("could not record a search", exc_info=True)
