"""The API documentation page (Swagger UI), served entirely from this site.

An intranet without internet must still show the documentation, so nothing comes from another
host: Swagger UI's bundle and stylesheet are files of the ``fastapi-offline`` package (pinned in
the lock files), served under ``/api/docs/``; the start-up script and the favicon are the
site's own static files. The page has no inline script or style, so its Content-Security-Policy
allows this site only. ``img-src data:`` is for the icons inside Swagger UI's stylesheet;
Swagger UI's online validator badge (an image from another host) is switched off in the
start-up script.
"""

from __future__ import annotations

from html import escape
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

DOCS_PATH = "/api/docs"
ASSET_PACKAGE = "fastapi_offline"
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
}
ASSET_CACHE = "public, max-age=86400"
DOCS_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
PAGE = """<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{docs}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{docs}/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""


def asset_dir() -> Path:
    """The folder of the installed package that holds Swagger UI's files."""
    return Path(str(resources.files(ASSET_PACKAGE) / "static"))


def docs_page(title: str, openapi_url: str) -> str:
    return PAGE.format(title=escape(title), docs=DOCS_PATH, openapi=escape(openapi_url))


def install_docs(app: FastAPI) -> None:
    """Serve Swagger UI at DOCS_PATH (create the app with ``docs_url=None``)."""
    folder = asset_dir()

    @app.get(DOCS_PATH, include_in_schema=False)
    async def docs() -> HTMLResponse:
        assert app.openapi_url is not None
        page = docs_page(f"{app.title} – dokumentation", app.openapi_url)
        return HTMLResponse(page, headers={"Content-Security-Policy": DOCS_CSP})

    @app.get(DOCS_PATH + "/{name}", include_in_schema=False)
    async def docs_asset(name: str) -> FileResponse:
        if name not in ASSETS:
            raise HTTPException(status_code=404)
        headers = {"Cache-Control": ASSET_CACHE}
        return FileResponse(folder / name, media_type=ASSETS[name], headers=headers)
