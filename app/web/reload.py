"""Rebuild the index when content changes: a watcher thread and a strict rebuild subprocess."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
import time
from pathlib import Path

from app.settings import Settings

log = logging.getLogger("partnerskabsbasen.reload")
LAST_BUILD = "last-build.json"


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
