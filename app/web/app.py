"""The application factory: ``create_app(settings)``."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from app.catalog import CatalogHolder
from app.settings import Settings, get_settings
from app.web import api, background, compare, feeds, html, pages, statistics
from app.web.deps import constrain_schema
from app.web.docs import install_docs
from app.web.editor import install_editor
from app.web.errors import install_error_handlers
from app.web.http import Site, install_middleware
from app.web.reload import watcher_report
from app.web.searchlog import install_search_log

DESCRIPTION = """Partnerskabsbasen: søgbar samling af tværsektorielle partnerskaber
(stat, region, kommune, civilsamfund, fonde, virksomheder, forskning).
Every HTML search has a JSON twin here, a CSV export, a JSON Feed 1.1 and an Atom feed.

**Fejl / errors**: altid JSON i samme form, `{"error": {"status", "code", "message",
"parameter", "details"}}`, for 400, 404, 422, 500 og 503.

**HTTP**: svar fra API, feeds og CSV har `ETag` (svag) og `Last-Modified` og giver
`304 Not Modified` på `If-None-Match`/`If-Modified-Since`; `Cache-Control: public,
max-age=300`; gzip ved `Accept-Encoding: gzip`. CORS (GET) for `/api/*`, feeds og
`/widget.js` fra de oprindelser, `PB_CORS_ORIGINS` tillader (standard alle)."""


def last_build(settings: Settings) -> dict[str, object] | None:
    """The outcome of the last live content rebuild, if the server watches content."""
    path = settings.index_dir / "last-build.json"
    try:
        report: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return report


def create_app(settings: Settings | None = None, *, open_catalog: bool = True) -> FastAPI:
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level.upper())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.search_log.start()
        yield
        app.state.catalogs.close()
        app.state.search_log.close()

    app = Site(
        lifespan=lifespan,
        title="Partnerskabsbasen API",
        version="1.0",
        description=DESCRIPTION,
        docs_url=None,  # served by install_docs, with a CSP made for Swagger UI
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.catalogs = CatalogHolder(settings)
    install_search_log(app, settings)
    if open_catalog:
        app.state.catalogs.refresh(force=True)
    install_error_handlers(app)
    install_middleware(app, settings, app.state.catalogs)
    install_docs(app)
    constrain_schema(app)
    app.mount("/static", StaticFiles(packages=[("app.web", "static")]), name="static")
    app.include_router(api.router)
    app.include_router(feeds.router)
    app.include_router(html.router)
    app.include_router(compare.api_router)
    app.include_router(compare.html_router)
    app.include_router(statistics.api_router)
    app.include_router(statistics.html_router)
    app.include_router(background.router)
    app.include_router(pages.router)
    install_editor(app)

    @app.get(
        "/healthz",
        tags=["Drift"],
        summary="Sundhedstjek / health check",
        responses={503: {"description": "Intet intakt indeks, eller et beskadiget er fundet"}},
    )
    async def healthz() -> JSONResponse:
        """200 med status `ok` (serverer generationen, `current` peger på) eller `degraded`
        (serverer en ældre intakt generation, fordi `current` ikke kan åbnes); 503 med
        `failing`, når intet indeks kan åbnes, eller en søgning har fundet beskadigede filer."""
        holder: CatalogHolder = app.state.catalogs
        if holder.needs_refresh():  # opening a generation takes a while: not on the event loop
            await run_in_threadpool(holder.refresh)
        catalog = holder.catalog
        target = holder.target
        body = {
            "status": holder.status,
            "generation": catalog.generation.name if catalog is not None else None,
            "current": target.rsplit("/", 1)[-1] if target else None,
            "cases": catalog.size if catalog is not None else 0,
            "problem": holder.error,
            "worker": os.getpid(),
            "last_content_build": last_build(settings),
            "content_watcher": watcher_report(settings),
        }
        return JSONResponse(body, status_code=503 if holder.status == "failing" else 200)

    return app
