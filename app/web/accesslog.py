"""The structured access log: one JSON line per request on ``partnerskabsbasen.access``."""

from __future__ import annotations

import json
import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_log = logging.getLogger("partnerskabsbasen.access")


class AccessLogMiddleware:
    """One JSON line per request on the ``partnerskabsbasen.access`` logger."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

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
                "query": scope["query_string"].decode("latin-1"),
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "bytes": size,
            }
            access_log.info(json.dumps(line, ensure_ascii=False))
