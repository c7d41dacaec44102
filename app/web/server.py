"""Run the site with uvicorn, optionally rebuilding the index when content changes."""

from __future__ import annotations

import json
import logging
import multiprocessing
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from app.errors import IndexUnavailableError
from app.settings import Settings, get_settings
from app.web.app import create_app

log = logging.getLogger("partnerskabsbasen.reload")
LAST_BUILD = "last-build.json"


def factory() -> FastAPI:
    return create_app(get_settings())


def content_signature(content_dir: Path) -> tuple[tuple[str, int, int], ...]:
    files = sorted(p for p in content_dir.rglob("*") if p.is_file() and p.suffix in (".md", ".yml"))
    return tuple(
        (str(p.relative_to(content_dir)), p.stat().st_mtime_ns, p.stat().st_size) for p in files
    )


def rebuild(settings: Settings) -> bool:
    """Build a new generation in a separate process; strict, so a broken file changes nothing."""
    done = subprocess.run(
        [sys.executable, "-m", "app", "build", "--strict"],
        capture_output=True,
        text=True,
        check=False,
    )
    report = {
        "ok": done.returncode == 0,
        "at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "output": (done.stdout + done.stderr).strip().splitlines()[-50:],
    }
    (settings.index_dir / LAST_BUILD).write_text(
        json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    if done.returncode:
        log.error("content rebuild refused; the last good index keeps serving:\n%s", done.stdout)
    else:
        log.info("content rebuilt: %s", done.stdout.strip())
    return done.returncode == 0


def watch_content(settings: Settings, stop: threading.Event, interval: float = 1.0) -> None:
    seen = content_signature(settings.content_dir)
    while not stop.wait(interval):
        current = content_signature(settings.content_dir)
        if current != seen:
            seen = current
            rebuild(settings)


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A listening socket of this process's own, sharing the port with the other workers."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def serve_worker(host: str, port: int, log_level: str) -> None:
    """One worker process: its own SO_REUSEPORT socket, so the kernel spreads connections."""
    config = uvicorn.Config(
        "app.web.server:factory",
        factory=True,
        log_level=log_level,
        proxy_headers=True,
        access_log=False,  # our structured access log replaces uvicorn's
    )
    uvicorn.Server(config).run(sockets=[reuse_port_socket(host, port)])


def serve_workers(host: str, port: int, workers: int, log_level: str) -> None:
    """Several processes, each on its own socket (uvicorn's --workers piles keep-alive
    connections onto one worker; separate SO_REUSEPORT sockets share the load)."""
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=serve_worker, args=(host, port, log_level), daemon=True)
        for _ in range(workers)
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
    if not (settings.index_dir / "current").exists():
        raise IndexUnavailableError("der er intet bygget indeks; kør først 'python -m app build'.")
    create_app(settings)  # fail fast, with a clear message, on a corrupt index
    stop = threading.Event()
    if reload_content:
        threading.Thread(target=watch_content, args=(settings, stop), daemon=True).start()
    try:
        if workers > 1:
            serve_workers(host, port, workers, settings.log_level.lower())
        else:
            uvicorn.run(
                "app.web.server:factory",
                factory=True,
                host=host,
                port=port,
                log_level=settings.log_level.lower(),
                proxy_headers=True,
                access_log=False,  # our structured access log replaces uvicorn's
            )
    finally:
        stop.set()
    return 0
