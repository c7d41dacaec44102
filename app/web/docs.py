"""The API documentation page (Swagger UI) with a Content-Security-Policy made for it.

Swagger UI does not fit the site's strict CSP: FastAPI's page loads the Swagger UI bundle and
stylesheet from a CDN, starts it with an inline script, and Swagger UI sets inline styles and
uses data: images. Rather than serve the page without a CSP, the policy is computed from the
page FastAPI renders: the origins of exactly the external files it links to, the SHA-256 of
exactly its inline script, inline styles (needed by Swagger UI 5, harmless without inline
script), and fetches to this site only (the schema and "Try it out").
"""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

DOCS_PATH = "/api/docs"
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", flags=re.DOTALL)
EXTERNAL = re.compile(r'(?:src|href)="(https?://[^"]+)"')


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def docs_csp(html: str) -> str:
    origins = sorted(
        {"{0.scheme}://{0.netloc}".format(urlsplit(u)) for u in EXTERNAL.findall(html)}
    )
    sources = " ".join(["'self'", *origins])
    scripts = " ".join(_sha256(script) for script in INLINE_SCRIPT.findall(html))
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {sources} {scripts}".strip(),
            f"style-src {sources} 'unsafe-inline'",
            f"img-src {sources} data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'self'",
        ]
    )


def install_docs(app: FastAPI) -> None:
    """Serve Swagger UI at DOCS_PATH (create the app with ``docs_url=None``)."""

    @app.get(DOCS_PATH, include_in_schema=False)
    async def docs() -> HTMLResponse:
        assert app.openapi_url is not None
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url, title=f"{app.title} – dokumentation"
        )
        page.headers["Content-Security-Policy"] = docs_csp(bytes(page.body).decode("utf-8"))
        return page
