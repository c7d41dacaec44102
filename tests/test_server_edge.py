"""The HTTP edge over a real socket: the embedded server on a free port with no PB_BASE_URL.

Links point at the address the site was reached on, HEAD works, the access log on stdout is pure
JSON, oversized heads get 414/431 instead of a reset, and idle or trickling clients are cut off.
"""

from __future__ import annotations

import json
import os
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from app.build import build
from app.settings import Settings
from tests.conftest import make_content
from tests.test_reload_under_load import free_port, running_server, wait_until

CASE = "valid-fuldkorn-virksomheder"
PAGES = ["/", "/sog?q=hjemløse", f"/sag/{CASE}", "/emner", "/om", "/statistik"]
DATA = ["/feed.json", "/feed.atom", "/api/v1/cases", "/api/v1/cases.csv", "/widget.js", "/healthz"]
TIMEOUT = 1.0  # PB_HEADER_TIMEOUT and PB_KEEP_ALIVE_TIMEOUT of the server under test
OWN_HOSTS = re.compile(r"https?://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?")


@dataclass
class Server:
    base: str
    port: int
    stdout: Path
    stderr: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("edge-server")
    content = make_content(root / "content")
    settings = Settings(content_dir=content, index_dir=root / "index")
    build(settings)
    port = free_port()
    env = {
        **os.environ,
        "PB_CONTENT_DIR": str(content),
        "PB_INDEX_DIR": str(settings.index_dir),
        "PB_HEADER_TIMEOUT": str(TIMEOUT),
        "PB_KEEP_ALIVE_TIMEOUT": str(TIMEOUT),
        "PB_LOG_LEVEL": "INFO",  # the access log is INFO; WARNING turns it off
        "PB_SEARCH_LOG": "false",
    }
    for name in ("PB_BASE_URL", "PB_DATABASE_URL", "PB_ALLOWED_HOSTS", "PB_TRUSTED_PROXIES"):
        env.pop(name, None)
    out, err = root / "stdout.log", root / "stderr.log"
    with running_server(port, [], env, out, err) as base:
        yield Server(base, port, out, err)


def test_no_page_links_to_another_address(server: Server) -> None:
    own: set[str] = set()
    for url in PAGES + DATA:
        for host in ("127.0.0.1", "localhost"):
            base = f"http://{host}:{server.port}"
            body = httpx.get(base + url, timeout=10).text
            found = set(OWN_HOSTS.findall(body))
            assert found <= {base}, (url, found)
            own |= found
    assert own == {f"http://127.0.0.1:{server.port}", f"http://localhost:{server.port}"}


def test_a_trusted_proxy_sets_scheme_and_host(server: Server) -> None:
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "localhost:4443"}
    page = httpx.get(f"{server.base}/sag/{CASE}", headers=headers, timeout=10)
    assert page.status_code == 200 and f"https://localhost:4443/sag/{CASE}" in page.text
    assert page.headers["strict-transport-security"] == "max-age=31536000"
    forged = httpx.get(f"{server.base}/emner/", headers={"X-Forwarded-Host": "evil.example"})
    assert forged.status_code == 400 and "location" not in forged.headers


def test_a_foreign_host_is_refused_not_reflected(server: Server) -> None:
    response = httpx.get(f"{server.base}/emner/", headers={"Host": "evil.example"})
    assert response.status_code == 400 and "location" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("url", PAGES + DATA)
def test_head_is_get_without_a_body(server: Server, url: str) -> None:
    with httpx.Client(base_url=server.base, timeout=10) as client:
        get, head = client.get(url), client.head(url)
    assert get.status_code == head.status_code == 200
    assert head.content == b""
    assert {k: v for k, v in head.headers.items() if k != "date"} == {
        k: v for k, v in get.headers.items() if k != "date"
    }


def test_access_log_is_pure_json_lines(server: Server) -> None:
    httpx.get(f"{server.base}/api/v1/cases?q=hemmeligt-ord", timeout=10)
    httpx.head(f"{server.base}/emner/sektor", timeout=10)

    def logged() -> bool:
        return '"/emner/sektor"' in server.stdout.read_text(encoding="utf-8")

    wait_until(logged, 5)
    lines = server.stdout.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]  # every line is JSON, nothing in front
    assert {"method": "HEAD", "path": "/emner/sektor", "status": 200}.items() <= records[-1].items()
    assert {"method": "GET", "path": "/api/v1/cases"}.items() <= records[-2].items()
    assert "hemmeligt-ord" not in server.stdout.read_text(encoding="utf-8")
    assert "partnerskabsbasen.access" not in server.stderr.read_text(encoding="utf-8")


def raw_exchange(port: int, request: bytes) -> bytes:
    """Send a whole request and read the answer to the end, as a client would."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /sog?q=" + b"x" * 200_000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n", 414),
        (b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"y" * 200_000 + b"\r\n\r\n", 431),
        (b"GET / HTTP/1.1\r\n" + b"X-Many: z\r\n" * 5_000 + b"Host: localhost\r\n\r\n", 431),
    ],
)
def test_an_oversized_head_gets_an_answer_not_a_reset(
    server: Server, request_bytes: bytes, status: int
) -> None:
    answer = raw_exchange(server.port, request_bytes)
    assert answer.startswith(f"HTTP/1.1 {status} ".encode()), answer[:200]
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"connection: close" in head.lower()
    assert json.loads(body)["error"]["status"] == status


def test_a_head_under_the_limit_is_served(server: Server) -> None:
    answer = raw_exchange(
        server.port,
        b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Big: "
        + b"y" * 20_000
        + b"\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 200 ")


def closed_after(sock: socket.socket, trickle: bytes = b"") -> float:
    """Seconds until the server closes the connection, sending ``trickle`` byte by byte."""
    started = time.monotonic()
    sock.settimeout(0.2)
    for index in range(100):
        if trickle:
            try:
                sock.send(trickle[index % len(trickle) : index % len(trickle) + 1])
            except OSError:
                return time.monotonic() - started
        try:
            if sock.recv(65536) == b"":
                return time.monotonic() - started
        except TimeoutError:
            continue
        except OSError:
            return time.monotonic() - started
    return time.monotonic() - started


def test_a_silent_connection_is_closed(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        assert closed_after(sock) < TIMEOUT + 2


def test_a_slowloris_is_closed_however_steadily_it_trickles(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        assert closed_after(sock, trickle=b"X-A: b\r\n") < TIMEOUT + 2


def test_an_idle_keep_alive_connection_is_closed(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        time.sleep(0.2)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
        assert closed_after(sock) < TIMEOUT + 2
