"""The workers' own SO_REUSEPORT sockets: connections accepted on them get TCP_NODELAY, as
uvicorn's single-process sockets do (without it, each response waited for a delayed ACK)."""

from __future__ import annotations

import asyncio
import socket

from app.web.server import reuse_port_socket
from tests.conftest import run_async


async def accepted_nodelay() -> int:
    sock = reuse_port_socket("127.0.0.1", 0)
    seen: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted: socket.socket = writer.get_extra_info("socket")
        seen.append(accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(handle, sock=sock)
    async with server:
        reader, writer = await asyncio.open_connection(*sock.getsockname())
        await reader.read()
        writer.close()
        await writer.wait_closed()
    return seen[0]


def test_connections_on_a_worker_socket_have_tcp_nodelay() -> None:
    assert run_async(accepted_nodelay()) != 0
