"""The embedded server's HTTP/1.1 connections: a time limit on request headers, and a 414 or 431
instead of a reset for a request line or headers over ``PB_MAX_REQUEST_HEAD``.

uvicorn's h11 protocol times out only idle keep-alive connections, and any byte restarts that
clock, so a client that trickles its headers (slowloris), or opens a connection and sends
nothing, holds it for ever. Here a clock starts when a connection opens and after each
response, and only a complete request head stops it.

For a head too large, uvicorn answers 400 and closes at once with the rest of the request still
unread, which makes the kernel reset the connection before the client reads the answer. Here the
answer is 414 (the request line alone is too long) or 431 (the headers are), in the error
shape; the connection is half-closed and the rest of the request read and dropped for a moment,
so the client receives it.
"""

from __future__ import annotations

import asyncio
import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

LINGER_SECONDS = 2.0
LINGER_BYTES = 4 * 1024 * 1024
MESSAGES = {
    400: ("bad_request", "Forespørgslen kan ikke læses."),
    414: ("uri_too_long", "Adressen er for lang."),
    431: ("headers_too_large", "Forespørgslens headere er for store."),
}
REASONS = {400: "Bad Request", 414: "URI Too Long", 431: "Request Header Fields Too Large"}


def refusal(status: int) -> bytes:
    """A complete HTTP/1.1 answer in the error shape, closing the connection."""
    code, message = MESSAGES[status]
    error = {"status": status, "code": code, "message": message, "parameter": None, "details": []}
    body = json.dumps({"error": error}, ensure_ascii=False).encode()
    head = (
        f"HTTP/1.1 {status} {REASONS[status]}\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        "cache-control: no-store\r\n"
        "x-content-type-options: nosniff\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


def head_status(buffer: bytes, limit: int) -> int:
    """414 if the request line alone fills the limit, 431 if the headers do, else 400."""
    if len(buffer) <= limit:
        return 400
    return 414 if b"\n" not in buffer[:limit] else 431


class EdgeH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header clock and answers for oversized heads."""

    header_timeout = 10.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.header_timer: asyncio.TimerHandle | None = None
        self.lingering = 0
        self._start_header_clock()

    def _start_header_clock(self) -> None:
        self._stop_header_clock()
        self.header_timer = self.loop.call_later(self.header_timeout, self._header_time_out)

    def _stop_header_clock(self) -> None:
        if self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None

    def _header_time_out(self) -> None:
        self.header_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        if self.lingering:
            self.lingering += len(data)
            if self.lingering > LINGER_BYTES:
                self.transport.close()
            return
        if self.conn.their_state is h11.IDLE and self._head_too_large(data):
            return
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._stop_header_clock()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._start_header_clock()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_clock()
        super().connection_lost(exc)

    def _head_too_large(self, data: bytes) -> bool:
        """h11 limits only a head still incomplete; one that arrives whole may be any size."""
        buffer = self.conn.trailing_data[0] + data
        end = buffer.find(b"\r\n\r\n")
        if (end if end >= 0 else len(buffer)) <= self.limit:
            return False
        self._refuse(head_status(buffer[: max(end, self.limit + 1)], self.limit))
        return True

    @property
    def limit(self) -> int:
        return self.config.h11_max_incomplete_event_size or 16384

    def send_400_response(self, msg: str) -> None:
        buffer, _ = self.conn.trailing_data
        self._refuse(head_status(buffer, self.limit))

    def _refuse(self, status: int) -> None:
        self.logger.warning("refused a request head: %s", REASONS[status])
        self._stop_header_clock()
        self.transport.write(refusal(status))
        if not self.transport.can_write_eof():
            self.transport.close()
            return
        self.transport.write_eof()
        self.lingering = 1
        self.loop.call_later(LINGER_SECONDS, self.transport.close)


def protocol_with(header_timeout: float) -> type[EdgeH11Protocol]:
    """The protocol class with this header time limit, for uvicorn's ``http`` option."""
    return type("EdgeH11Protocol", (EdgeH11Protocol,), {"header_timeout": header_timeout})
