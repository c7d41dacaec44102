"""Which address a request came to: forwarded headers from trusted proxies, and allowed hosts.

``ForwardedMiddleware`` takes ``X-Forwarded-Proto``, ``X-Forwarded-Host`` and
``X-Forwarded-For`` only from a peer in ``PB_TRUSTED_PROXIES`` and writes them into the scope,
so everything after it (absolute links, HSTS) sees the public address. ``AllowedHostsMiddleware``
answers 400 to a ``Host`` outside ``PB_ALLOWED_HOSTS`` (plus the host of ``PB_BASE_URL``), so a
forged host never reaches a link or a redirect. ``/healthz`` answers for any host, so a load
balancer may probe by IP address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from urllib.parse import urlsplit

from fastapi import Request
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from app.settings import Settings
from app.web.errors import ErrorBody, error_response

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
ANY_HOST_PATHS = ("/healthz",)


def networks(entries: Sequence[str]) -> list[Network]:
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries]


def is_trusted(client: tuple[str, int] | None, trusted: Sequence[Network]) -> bool:
    if client is None:
        return False
    try:
        address = ipaddress.ip_address(client[0])
    except ValueError:
        return False
    return any(address in network for network in trusted)


def _last(value: str) -> str:
    """The value the nearest proxy added: the last of a comma-separated list."""
    return value.rsplit(",", 1)[-1].strip()


class ForwardedMiddleware:
    """The public scheme, host and client from a trusted proxy's X-Forwarded-* headers."""

    def __init__(self, app: ASGIApp, trusted_proxies: Sequence[str]) -> None:
        self.app = app
        self.trusted = networks(trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_trusted(scope.get("client"), self.trusted):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        scope = dict(scope)
        proto = _last(headers.get("x-forwarded-proto", "")).lower()
        if proto in ("http", "https"):
            scope["scheme"] = proto
        host = _last(headers.get("x-forwarded-host", ""))
        if host:
            raw = [(k, v) for k, v in scope["headers"] if k != b"host"]
            scope["headers"] = [(b"host", host.encode("latin-1")), *raw]
        client = _last(headers.get("x-forwarded-for", ""))
        if client:
            scope["client"] = (client, 0)
        await self.app(scope, receive, send)


def host_name(host: str) -> str:
    """``Host`` without its port: ``example.org:8000`` → ``example.org``, ``[::1]:80`` → ``::1``."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def allowed_hosts(settings: Settings) -> tuple[str, ...]:
    base = urlsplit(settings.base_url).hostname if settings.base_url else None
    return tuple(h.lower() for h in (*settings.allowed_hosts, *([base] if base else [])))


def host_allowed(host: str, allowed: Sequence[str]) -> bool:
    name = host_name(host.strip().lower()).rstrip(".")
    for pattern in allowed:
        if pattern == "*" or name == pattern:
            return True
        if pattern.startswith("*.") and name.endswith(pattern[1:]):
            return True
    return False


class AllowedHostsMiddleware:
    """400 in the error shape for a ``Host`` the settings do not allow."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.allowed = allowed_hosts(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in ANY_HOST_PATHS:
            await self.app(scope, receive, send)
            return
        if host_allowed(Headers(scope=scope).get("host", ""), self.allowed):
            await self.app(scope, receive, send)
            return
        body = ErrorBody(
            status=400,
            code="host_not_allowed",
            message="Adressen (Host) hører ikke til dette site.",
            parameter="Host",
        )
        response = error_response(Request(scope), body)
        await response(scope, receive, send)
