"""Rebuild the index when content changes: a watcher thread and a strict rebuild subprocess.

The watcher cannot die silently: every error in its loop is logged and retried with backoff,
and its state (watching, retrying, stopped; the last successful and failed reload) is written
atomically to ``watcher.json`` in the index folder, where every worker's /healthz reads it.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.generations import process_alive
from app.settings import Settings

log = logging.getLogger("partnerskabsbasen.reload")
LAST_BUILD = "last-build.json"
WATCHER_STATE = "watcher.json"
HEARTBEAT_S = 10.0  # the state file is rewritten at least this often while watching
MAX_BACKOFF_S = 60.0
STALE_S = HEARTBEAT_S + MAX_BACKOFF_S + 20.0  # no heartbeat for longer: the watcher is gone


def content_signature(content_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, mtime and size of every content file. Files and folders that vanish while it
    looks are left out (an editor's save, a checkout), never an error."""
    found = []
    for folder, _dirs, names in os.walk(content_dir):  # os.walk skips folders that vanish
        for name in names:
            if not name.endswith((".md", ".yml")):
                continue
            path = Path(folder) / name
            try:
                info = path.stat()
            except FileNotFoundError:
                continue
            if stat.S_ISREG(info.st_mode):
                found.append((str(path.relative_to(content_dir)), info.st_mtime_ns, info.st_size))
    return tuple(sorted(found))


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write a small JSON file atomically: readers see the old or the new one, never half."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def rebuild(settings: Settings) -> dict[str, Any]:
    """Build a new generation in a separate process; strict, so a broken file changes nothing.
    Returns the report also written to ``last-build.json``."""
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
    if done.returncode:
        log.error("content rebuild refused; the last good index keeps serving:\n%s", done.stdout)
    else:
        log.info("content rebuilt: %s", done.stdout.strip())
    write_json(settings.index_dir / LAST_BUILD, report)
    return report


@dataclass
class Watcher:
    """The content watcher's loop and the state it reports."""

    settings: Settings
    interval: float = 1.0
    state: dict[str, Any] = field(default_factory=dict)
    _written: float = 0.0

    def __post_init__(self) -> None:
        self.state = {
            "pid": os.getpid(),
            "state": "watching",
            "since": _now(),
            "interval": self.interval,
            "consecutive_errors": 0,
            "last_success": None,
            "last_failure": None,
        }

    def save(self, force: bool = False) -> None:
        """Write the state file (at most every HEARTBEAT_S unless forced); a failed write is
        logged, never raised: the loop must go on, and the next write says what happened."""
        now = time.time()
        if not force and now - self._written < HEARTBEAT_S:
            return
        self.state["heartbeat"] = _now()
        self.state["heartbeat_epoch"] = now
        try:
            write_json(self.settings.index_dir / WATCHER_STATE, self.state)
            self._written = now
        except OSError as exc:
            log.error("could not write the watcher state %s: %s", WATCHER_STATE, exc)

    def reloaded(self, report: dict[str, Any]) -> None:
        outcome = {"at": _now(), "output": report["output"][-5:]}
        if report["ok"]:
            outcome["generation"] = _link_target(self.settings)
        self.state["last_success" if report["ok"] else "last_failure"] = outcome
        self.state["state"], self.state["consecutive_errors"] = "watching", 0

    def failed(self, exc: Exception) -> float:
        """Record an error of the loop itself; returns how long to wait before the retry."""
        errors = int(self.state["consecutive_errors"]) + 1
        delay = float(min(self.interval * 2**errors, MAX_BACKOFF_S))
        log.exception("content watcher error %d, retrying in %.0f s", errors, delay)
        self.state.update(
            state="retrying",
            consecutive_errors=errors,
            last_failure={"at": _now(), "error": f"{type(exc).__name__}: {exc}"},
        )
        return delay

    def run(self, stop: threading.Event) -> None:
        seen: tuple[tuple[str, int, int], ...] | None = None
        delay = self.interval
        self.save(force=True)
        while True:
            try:
                current = content_signature(self.settings.content_dir)
                if seen is not None and current != seen:
                    self.reloaded(rebuild(self.settings))
                    self.save(force=True)
                seen = current  # after a raised error, the change is tried again
                if self.state["state"] == "retrying":
                    self.state.update(state="watching", consecutive_errors=0)
                    self.save(force=True)
                delay = self.interval
                self.save()
            except Exception as exc:  # the watcher must outlive every error
                delay = self.failed(exc)
                self.save(force=True)
            if stop.wait(delay):
                break
        self.state["state"] = "stopped"
        self.save(force=True)


def _link_target(settings: Settings) -> str | None:
    try:
        return Path(os.readlink(settings.index_dir / "current")).name
    except OSError:
        return None


def watch_content(settings: Settings, stop: threading.Event, interval: float = 1.0) -> None:
    Watcher(settings, interval).run(stop)


def _alive(pid: object) -> bool:
    return isinstance(pid, int) and process_alive(pid)


def watcher_report(settings: Settings) -> dict[str, Any] | None:
    """What /healthz says about the watcher (None when no watcher has run here). A watcher
    whose process is gone, or whose heartbeat stopped, is reported as ``dead``."""
    try:
        text = (settings.index_dir / WATCHER_STATE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        return {"state": "unknown", "problem": str(exc)}
    try:
        report: dict[str, Any] = json.loads(text)
    except ValueError:
        return {"state": "unknown", "problem": f"{WATCHER_STATE} kan ikke læses"}
    silent = time.time() - float(report.get("heartbeat_epoch", 0)) > STALE_S
    if report.get("state") != "stopped" and (silent or not _alive(report.get("pid"))):
        report["state"] = "dead"
    return report
