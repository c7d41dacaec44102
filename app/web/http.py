"""HTTP behaviour around every route: validators and 304s, caching, CORS, security headers, gzip,
HEAD (and the JSON access log from ``app.web.accesslog``, the host rules from ``app.web.hosts``).

All middleware here is plain ASGI (no ``BaseHTTPMiddleware``), so responses pass through
untouched and exceptions reach Starlette's error handling as they are. Outermost first:
forwarded headers → access log → HEAD → headers policy → (Starlette's ServerErrorMiddleware) →
allowed hosts → gzip → CORS (API, feeds, widget) → conditional GET → routes. The first four sit
outside Starlette's error handling (``Site``), so a 500 gets the same headers and log line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from fastapi import FastAPI
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.catalog import CatalogHolder
from app.settings import Settings
from app.web.accesslog import AccessLogMiddleware
from app.web.hosts import AllowedHostsMiddleware, ForwardedMiddleware

DATA_PREFIXES = ("/api/v1/", "/feed.json", "/feed.atom", "/widget.js")
CORS_PREFIXES = ("/api/", "/feed.json", "/feed.atom", "/widget.js")
DATA_CACHE = "public, max-age=300"
HTML_CACHE = "public, max-age=60"
HTML_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
KEPT_ON_304 = ("etag", "last-modified", "cache-control", "vary", "content-location", "expires")

Validators = Callable[[], tuple[str, dt.date | None]]

CACHE_HEADERS: dict[str, Any] = {
    name: {"description": text, "schema": {"type": "string"}}
    for name, text in (
        ("ETag", "Svag validator: hash af svaret og indeksgenerationen / weak validator"),
        ("Last-Modified", "Nyeste ændringsdato i samlingen / newest change in the collection"),
        ("Cache-Control", "public, max-age=300"),
    )
}
CACHE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"headers": CACHE_HEADERS},
    304: {"description": "Uændret (If-None-Match/If-Modified-Since) / not modified"},
}


def http_date(day: dt.date) -> str:
    return format_datetime(dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC), usegmt=True)


def catalog_validators(holder: CatalogHolder) -> tuple[str, dt.date | None]:
    """The open generation's name and the newest modified date in it."""
    catalog = holder.catalog
    return ("", None) if catalog is None else (catalog.generation.name, catalog.last_modified)


def _etag_matches(header: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 §13.1.2): the W/ prefix does not count."""
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag.removeprefix("W/") in tags


def _not_modified_since(header: str | None, last_modified: str | None) -> bool:
    if not header or not last_modified:
        return False
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False


def is_not_modified(request: Headers, response: MutableHeaders) -> bool:
    """If-None-Match wins; If-Modified-Since only counts without it."""
    if "if-none-match" in request:
        return _etag_matches(request["if-none-match"], response["etag"])
    return _not_modified_since(request.get("if-modified-since"), response.get("last-modified"))


class ConditionalGetMiddleware:
    """ETag and 304 Not Modified for successful GETs of the API, feeds, widget and HTML pages.

    The ETag is weak because gzip may re-encode the body after it; it hashes the index
    generation and the body, so it changes whenever the answer could. The data also get
    Last-Modified, the newest ``updated``/``added`` date in the catalog, unless the route set its
    own; HTML pages do not, since a new release changes them without changing the content.
    """

    def __init__(self, app: ASGIApp, validators: Validators) -> None:
        self.app = app
        self.validators = validators

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        data = scope["path"].startswith(DATA_PREFIXES)
        start: Message = {}
        body = bytearray()

        async def hold(message: Message) -> None:
            if message["type"] == "http.response.start" and _validated(message, data):
                start.update(message)
            elif message["type"] == "http.response.body" and start:
                body.extend(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._finish(Headers(scope=scope), start, bytes(body), send, data)
            else:
                await send(message)

        await self.app(scope, receive, hold)

    async def _finish(
        self, request: Headers, start: Message, body: bytes, send: Send, data: bool
    ) -> None:
        generation, last_day = self.validators()
        headers = MutableHeaders(scope=start)
        digest = hashlib.sha256(generation.encode() + b"\0" + body).hexdigest()[:32]
        headers["ETag"] = f'W/"{digest}"'
        if data and "last-modified" not in headers and last_day is not None:
            headers["Last-Modified"] = http_date(last_day)
        if is_not_modified(request, headers):
            kept = [(k, v) for k, v in start["headers"] if k.decode("latin-1") in KEPT_ON_304]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        await send(start)
        await send({"type": "http.response.body", "body": body})


def _validated(start: Message, data: bool) -> bool:
    if start["status"] != 200:
        return False
    return data or Headers(raw=start["headers"]).get("content-type", "").startswith("text/html")


class PathCORSMiddleware:
    """CORS for the API, the feeds and the widget only.

    Starlette's CORSMiddleware does the work: preflight answers, ``Vary: Origin``, ``*`` versus
    a list of origins are easy to get subtly wrong and it is tested upstream. It has no path
    filter, so this wrapper gives it one: the HTML pages stay same-origin.
    """

    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=origins,
            allow_methods=("GET",),
            allow_headers=("If-None-Match", "If-Modified-Since"),
            expose_headers=("ETag", "Last-Modified", "X-Total-Count"),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        wanted = scope["type"] == "http" and scope["path"].startswith(CORS_PREFIXES)
        await (self.cors if wanted else self.app)(scope, receive, send)


def cache_control(path: str, status: int, content_type: str) -> str | None:
    if status >= 400 or path == "/healthz":
        return "no-store"
    if path.startswith(DATA_PREFIXES):
        return DATA_CACHE
    return HTML_CACHE if content_type.startswith("text/html") else None


class HeaderPolicyMiddleware:
    """Cache-Control and security headers on every response, errors and 500s included.

    CSP, X-Frame-Options and Permissions-Policy go on HTML only; HSTS only over https (as the
    trusted proxy reports it) and when ``PB_HSTS_SECONDS`` is above 0. The API docs page sets
    its own, relaxed CSP (see ``app.web.docs``); it is kept.
    """

    def __init__(self, app: ASGIApp, hsts_seconds: int = 0) -> None:
        self.app = app
        self.hsts = f"max-age={hsts_seconds}" if hsts_seconds > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        hsts = self.hsts if scope["scheme"] == "https" else None

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._apply(scope["path"], message, hsts)
            await send(message)

        await self.app(scope, receive, with_headers)

    @staticmethod
    def _apply(path: str, message: Message, hsts: str | None) -> None:
        headers = MutableHeaders(scope=message)
        content_type = headers.get("content-type", "")
        policy = cache_control(path, message["status"], content_type)
        if policy and "cache-control" not in headers:
            headers["Cache-Control"] = policy
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        if hsts:
            headers["Strict-Transport-Security"] = hsts
        if content_type.startswith("text/html"):
            headers.setdefault("Content-Security-Policy", HTML_CSP)
            headers["X-Frame-Options"] = "SAMEORIGIN"
            headers["Permissions-Policy"] = PERMISSIONS_POLICY


HEAD_MARK = "partnerskabsbasen.head"


def head_request(scope: Scope) -> bool:
    """Whether a request reached the routes as a HEAD turned into a GET by HeadMiddleware."""
    return bool(scope.get(HEAD_MARK))


class HeadMiddleware:
    """HEAD answers like GET with the same headers and no body (RFC 9110 §9.3.2).

    FastAPI routes only list GET, so a HEAD would be a 405; link checkers and monitors use it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b""})

        # ``head_request`` lets a route tell a HEAD from a GET (a HEAD is not a search made).
        await self.app({**scope, "method": "GET", HEAD_MARK: True}, receive, without_body)


class Site(FastAPI):
    """FastAPI with the edge outside Starlette's ServerErrorMiddleware.

    Starlette puts its 500 handler outside every ``add_middleware`` layer, so a 500 would miss
    the security headers, the HEAD rule and the access log; these wrap the whole stack instead.
    """

    def build_middleware_stack(self) -> ASGIApp:
        settings: Settings = self.state.settings
        inner = HeaderPolicyMiddleware(super().build_middleware_stack(), settings.hsts_seconds)
        outer = AccessLogMiddleware(HeadMiddleware(inner), settings.log_level)
        return ForwardedMiddleware(outer, settings.trusted_proxies)


def install_middleware(app: FastAPI, settings: Settings, holder: CatalogHolder) -> None:
    """Register the middleware inside the error handling; the last one added runs outermost.

    The edge layers (``Site``) wrap these and Starlette's error handling."""
    app.add_middleware(ConditionalGetMiddleware, validators=lambda: catalog_validators(holder))
    app.add_middleware(PathCORSMiddleware, origins=settings.cors_origins)
    # Level 5: about half the CPU of the default 9 for a few percent larger JSON.
    app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=5)
    app.add_middleware(AllowedHostsMiddleware, settings=settings)
