"""The editors' pages under /redaktion/: search insight as HTML and CSV, behind a Bearer token.

Without ``PB_EDITOR_TOKEN``, or without the right ``Authorization: Bearer <token>``, every path
under /redaktion answers exactly like an unknown page: 404, whatever the method, query or
trailing slash, so nothing tells that the pages exist. They are not in the OpenAPI schema, and
their answers are never cached (``Cache-Control: no-store``).
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from app.insight import InsightPaths, Period, insight_csv, insight_page, period_for
from app.searchlog import SqlLogStore, utc_now
from app.web.deps import SettingsDep
from app.web.html import SEARCH_PATH, render

PREFIX = "/redaktion"
PAGE_PATH = f"{PREFIX}/soegninger"
CSV_PATH = f"{PREFIX}/soegninger.csv"
PATHS = InsightPaths(search=SEARCH_PATH, page=PAGE_PATH, csv=CSV_PATH)
EVERY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
PRIVATE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}


def require_editor(request: Request, settings: SettingsDep) -> None:
    """The right Bearer token, compared in constant time; anything else is a plain 404."""
    token = settings.editor_token.get_secret_value() if settings.editor_token else ""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if not token or scheme.lower() != "bearer":
        raise HTTPException(status_code=404)
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(status_code=404)


router = APIRouter(include_in_schema=False, dependencies=[Depends(require_editor)])
hidden = APIRouter(include_in_schema=False)


def chosen_period(
    dage: Annotated[int | None, Query(description="7, 30 eller 90 dage tilbage")] = None,
    fra: Annotated[dt.date | None, Query(description="Første dag, ÅÅÅÅ-MM-DD")] = None,
    til: Annotated[dt.date | None, Query(description="Sidste dag, ÅÅÅÅ-MM-DD")] = None,
) -> Period:
    return period_for(dage, fra, til, utc_now().date())


PeriodDep = Annotated[Period, Depends(chosen_period)]


def insight_store(request: Request) -> SqlLogStore:
    store: SqlLogStore = request.app.state.insight_store
    return store


@router.get(PAGE_PATH, response_class=HTMLResponse)
async def searches_page(request: Request, settings: SettingsDep, period: PeriodDep) -> Response:
    engine = insight_store(request).ensure_schema()
    page = insight_page(engine, period, PATHS)
    response = render(
        request,
        "editor_searches.html",
        page=page,
        page_path=PAGE_PATH,
        logging_on=settings.search_log,
        retention_days=settings.search_log_retention_days,
    )
    response.headers.update(PRIVATE)
    return response


@router.get(CSV_PATH)
async def searches_csv(request: Request, settings: SettingsDep, period: PeriodDep) -> Response:
    engine = insight_store(request).ensure_schema()
    body = insight_csv(engine, period, settings.base_url.rstrip("/") + SEARCH_PATH)
    name = f"soegninger-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    headers = {**PRIVATE, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type="text/csv", headers=headers)


@hidden.api_route(PREFIX, methods=EVERY_METHOD)
@hidden.api_route(PREFIX + "/{rest:path}", methods=EVERY_METHOD)
async def not_found() -> Response:
    """Other methods, trailing slashes and other paths under /redaktion: the same 404 as any
    unknown page (no 405, no redirect that would tell a route is there)."""
    raise HTTPException(status_code=404)


def install_editor(app: FastAPI) -> None:
    app.include_router(router)
    app.include_router(hidden)  # after the pages, so it only catches what they do not answer
