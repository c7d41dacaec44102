"""Run the site with uvicorn, optionally rebuilding the index when content changes.

uvicorn's own proxy-header handling is off: ``app.web.hosts`` does it, from
``PB_TRUSTED_PROXIES``, so the test client and the server behave alike. Its access log is off
too: ``app.web.accesslog`` writes ours. Connections use ``app.web.connection`` (time limits and
414/431 answers).
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import threading
from typing import Any

import uvicorn
from fastapi import FastAPI

from app.errors import IndexUnavailableError
from app.settings import Settings, get_settings
from app.web.app import create_app
from app.web.connection import protocol_with
from app.web.reload import watch_content


def factory() -> FastAPI:
    return create_app(get_settings())


def server_config(settings: Settings, **where: Any) -> uvicorn.Config:
    """uvicorn's configuration: the app factory, our protocol, limits and time limits."""
    return uvicorn.Config(
        "app.web.server:factory",
        factory=True,
        log_level=settings.log_level.lower(),
        proxy_headers=False,
        access_log=False,
        http=protocol_with(settings.header_timeout),
        timeout_keep_alive=max(1, round(settings.keep_alive_timeout)),
        h11_max_incomplete_event_size=settings.max_request_head,
        **where,
    )


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A listening socket of this process's own, sharing the port with the other workers."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and an
    # accepted connection inherits this; without it every response waited ~40 ms (delayed ACK).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def serve_worker(host: str, port: int) -> None:
    """One worker process: its own SO_REUSEPORT socket, so the kernel spreads connections."""
    config = server_config(get_settings())
    uvicorn.Server(config).run(sockets=[reuse_port_socket(host, port)])


def serve_workers(host: str, port: int, workers: int) -> None:
    """Several processes, each on its own socket (uvicorn's --workers piles keep-alive
    connections onto one worker; separate SO_REUSEPORT sockets share the load)."""
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=serve_worker, args=(host, port), daemon=True) for _ in range(workers)
    ]
    for process in processes:
        process.start()

    def stop_workers(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop_workers)  # so `finally` stops the workers too
    try:
        for process in processes:
            process.join()
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(timeout=10)


def run_server(settings: Settings, host: str, port: int, workers: int, reload_content: bool) -> int:
    holder = create_app(settings).state.catalogs  # fail fast, with a clear message
    if holder.catalog is None:
        raise IndexUnavailableError(
            f"intet intakt indeks at servere ({holder.error}); kør først 'python -m app build'."
        )
    holder.close()  # each worker opens its own
    stop = threading.Event()
    if reload_content:
        threading.Thread(target=watch_content, args=(settings, stop), daemon=True).start()
    try:
        if workers > 1:
            serve_workers(host, port, workers)
        else:
            uvicorn.Server(server_config(settings, host=host, port=port)).run()
    finally:
        stop.set()
    return 0
