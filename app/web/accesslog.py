"""The structured access log: one JSON line per request on ``partnerskabsbasen.access``.

The logger has its own handler on standard output that writes the JSON and nothing else, and
does not propagate to the root logger (whose format would put ``INFO:name:`` in front). The line
holds the path but not the query string: searches are recorded, without personal data, by the
search log; a query string may carry more than an operator needs.
"""

from __future__ import annotations

import json
import logging
import sys
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_log = logging.getLogger("partnerskabsbasen.access")


class StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stdout`` is when a line is logged (so captures see it)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> object:
        return sys.stdout

    @stream.setter
    def stream(self, value: object) -> None:
        pass


def configure_access_log(level: str = "INFO") -> None:
    """Our own handler with the bare message as its format, once; no propagation."""
    access_log.propagate = False
    access_log.setLevel(level.upper())
    if not any(isinstance(h, StdoutHandler) for h in access_log.handlers):
        handler = StdoutHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        access_log.addHandler(handler)


class AccessLogMiddleware:
    """One JSON line per request on the ``partnerskabsbasen.access`` logger."""

    def __init__(self, app: ASGIApp, level: str = "INFO") -> None:
        self.app = app
        configure_access_log(level)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status, size = time.perf_counter(), 500, 0

        async def counted(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counted)
        finally:
            line = {
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "bytes": size,
            }
            access_log.info(json.dumps(line, ensure_ascii=False))
