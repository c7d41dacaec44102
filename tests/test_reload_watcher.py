"""The content watcher cannot die silently: files that vanish while it looks, failing file
operations and a full disk are logged, retried with backoff and reported in watcher.json,
which /healthz shows; when the trouble passes, the pending change is rebuilt."""

from __future__ import annotations

import errno
import os
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.settings import Settings
from app.web import reload
from app.web.app import create_app
from app.web.reload import LAST_BUILD, WATCHER_STATE, content_signature, watcher_report


def wait_for(check: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    (tmp_path / "content" / "cases").mkdir(parents=True)
    (tmp_path / "content" / "cases" / "a.md").write_text("a")
    (tmp_path / "index").mkdir()
    return Settings(content_dir=tmp_path / "content", index_dir=tmp_path / "index")


@pytest.fixture()
def builds(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The rebuild subprocess, replaced by a record of its calls (a build that succeeds)."""
    calls: list[list[str]] = []

    def fake_run(command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        calls.append(command)
        return subprocess.CompletedProcess(command, 0, "Bygget generation x", "")

    monkeypatch.setattr(reload.subprocess, "run", fake_run)
    return calls


@pytest.fixture()
def watching(settings: Settings) -> Iterator[threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=reload.watch_content, args=(settings, stop, 0.02))
    thread.start()
    wait_for(lambda: (watcher_report(settings) or {}).get("state") == "watching")
    yield stop
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()


def state(settings: Settings) -> dict[str, Any]:
    return watcher_report(settings) or {}


def test_the_signature_survives_files_created_and_deleted_while_it_looks(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    (folder / "cases").mkdir(parents=True)
    stop = threading.Event()

    def churn(me: int) -> None:
        n = 0
        while not stop.is_set():
            sub = folder / "cases" / f"d{me}-{n % 5}"
            path = sub / f"f{n}.md"
            sub.mkdir(exist_ok=True)
            path.write_text("x")
            path.unlink()
            if n % 3 == 0:
                sub.rmdir()
            n += 1

    churners = [threading.Thread(target=churn, args=(me,)) for me in range(2)]
    for thread in churners:
        thread.start()
    try:
        for _ in range(400):
            content_signature(folder)  # never raises FileNotFoundError
    finally:
        stop.set()
        for thread in churners:
            thread.join()


def test_a_failing_file_operation_is_retried_and_reported(
    settings: Settings, builds: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_walk = os.walk
    failures = {"left": 0}

    def walk(*args: Any, **kwargs: Any) -> Any:
        if failures["left"]:
            failures["left"] -= 1
            raise FileNotFoundError(errno.ENOENT, "vanished mid-walk", str(args[0]))
        return real_walk(*args, **kwargs)

    monkeypatch.setattr(reload.os, "walk", walk)
    stop = threading.Event()
    thread = threading.Thread(target=reload.watch_content, args=(settings, stop, 0.02))
    thread.start()
    try:
        wait_for(lambda: state(settings).get("state") == "watching")
        failures["left"] = 3
        wait_for(lambda: state(settings).get("consecutive_errors") == 3)
        report = state(settings)
        assert report["state"] == "retrying"
        assert "FileNotFoundError" in report["last_failure"]["error"]
        wait_for(lambda: state(settings).get("state") == "watching")  # recovered, not dead
        (settings.cases_dir / "b.md").write_text("b")
        wait_for(lambda: len(builds) == 1)
        wait_for(lambda: (state(settings).get("last_success") or {}).get("at") is not None)
        assert thread.is_alive()
    finally:
        stop.set()
        thread.join(timeout=10)
    assert state(settings)["state"] == "stopped"


def test_a_full_disk_when_writing_the_build_report_does_not_kill_the_watcher(
    settings: Settings,
    builds: list[list[str]],
    monkeypatch: pytest.MonkeyPatch,
    watching: threading.Event,
) -> None:
    real_write = reload.write_json
    disk = {"full": True}

    def write_json(path: Path, data: dict[str, Any]) -> None:
        if disk["full"] and path.name == LAST_BUILD:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real_write(path, data)

    monkeypatch.setattr(reload, "write_json", write_json)
    (settings.cases_dir / "b.md").write_text("b")
    wait_for(lambda: state(settings).get("consecutive_errors", 0) >= 2)
    report = state(settings)
    assert report["state"] == "retrying"
    assert "No space left on device" in report["last_failure"]["error"]
    assert report["last_success"] is None
    assert not (settings.index_dir / LAST_BUILD).exists()
    disk["full"] = False  # space freed: the pending change is built and reported
    wait_for(lambda: (state(settings).get("last_success") or {}).get("at") is not None)
    assert state(settings)["state"] == "watching"
    assert (settings.index_dir / LAST_BUILD).exists()
    assert len(builds) >= 2  # the change that met the full disk was tried again


def test_healthz_reports_the_watcher_and_a_dead_one(
    built_settings: Settings, tmp_path: Path
) -> None:
    settings = built_settings.model_copy(update={"index_dir": tmp_path / "index"})
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "generations").symlink_to(built_settings.index_dir / "generations")
    (tmp_path / "index" / "current").symlink_to(os.readlink(built_settings.index_dir / "current"))
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").json()["content_watcher"] is None
        stop = threading.Event()
        thread = threading.Thread(target=reload.watch_content, args=(settings, stop, 0.02))
        thread.start()
        wait_for(lambda: (client.get("/healthz").json()["content_watcher"] or {}) != {})
        watcher = client.get("/healthz").json()["content_watcher"]
        assert (watcher["state"], watcher["pid"]) == ("watching", os.getpid())
        stop.set()
        thread.join(timeout=10)
        assert client.get("/healthz").json()["content_watcher"]["state"] == "stopped"
        reload.write_json(  # a pid above the kernel's largest: no such process
            settings.index_dir / WATCHER_STATE,
            {"state": "watching", "pid": 2**22 + 7, "heartbeat_epoch": time.time()},
        )
        assert client.get("/healthz").json()["content_watcher"]["state"] == "dead"
        reload.write_json(
            settings.index_dir / WATCHER_STATE,
            {"state": "watching", "pid": os.getpid(), "heartbeat_epoch": time.time() - 3600},
        )
        assert client.get("/healthz").json()["content_watcher"]["state"] == "dead"
