"""A damaged or missing index generation is never served when an intact one exists: checksums
in the manifest are verified at open, start-up falls back, a search that hits damaged files
fails the health check and switches, and pruning keeps the intact generations."""

from __future__ import annotations

import gc
import json
import logging
import os
import random
import re
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.build import build
from app.catalog import Catalog, CatalogHolder
from app.errors import IndexUnavailableError
from app.generations import MANIFEST, generation_dirs, prune_generations, read_manifest
from app.settings import Settings
from app.web.app import create_app
from tests.conftest import make_content, make_settings


def damage(generation: Path, seed: int = 1) -> None:
    """Random bytes written in place over the index's postings and terms, sizes unchanged."""
    rng = random.Random(seed)
    for path in (generation / "whoosh").iterdir():
        if path.suffix in (".pst", ".trm"):
            size = path.stat().st_size
            with path.open("r+b") as handle:
                handle.write(rng.randbytes(size))


def generation_of(settings: Settings) -> Path:
    return settings.index_dir / os.readlink(settings.index_dir / "current")


@pytest.fixture()
def two_generations(tmp_path: Path) -> tuple[Settings, Path, Path]:
    """Two complete builds of the fixture cases: (settings, older, current)."""
    settings = make_settings(tmp_path, make_content(tmp_path / "content"))
    build(settings)
    older = generation_of(settings)
    time.sleep(1.05)  # generation names start with the build's second
    build(settings)
    return settings, older, generation_of(settings)


@pytest.fixture()
def serve_app(two_generations: tuple[Settings, Path, Path]) -> Iterator[TestClient]:
    with TestClient(create_app(two_generations[0])) as client:
        yield client


def test_the_manifest_records_size_and_sha256_of_every_file(
    two_generations: tuple[Settings, Path, Path],
) -> None:
    _, _, current = two_generations
    files = json.loads((current / MANIFEST).read_text())["files"]
    on_disk = {
        p.relative_to(current).as_posix()
        for p in current.rglob("*")
        if p.is_file() and p.name != MANIFEST
    }
    assert set(files) == on_disk
    assert {"cases.sqlite", "related.json", "spelling.json"} <= on_disk
    assert any(name.endswith(".pst") for name in files)
    assert all(len(entry["sha256"]) == 64 and entry["size"] >= 0 for entry in files.values())
    assert read_manifest(current)["cases"] == 3


@pytest.mark.parametrize(
    "harm",
    [
        pytest.param(lambda g: damage(g), id="random-bytes"),
        pytest.param(lambda g: (g / "related.json").write_text("{}"), id="rewritten"),
        pytest.param(lambda g: (g / "cases.sqlite").unlink(), id="missing-file"),
        pytest.param(lambda g: (g / MANIFEST).unlink(), id="no-manifest"),
        pytest.param(lambda g: (g / MANIFEST).write_text("{"), id="broken-manifest"),
    ],
)
def test_a_damaged_generation_is_never_opened(
    two_generations: tuple[Settings, Path, Path], harm: object
) -> None:
    settings, _, current = two_generations
    harm(current)  # type: ignore[operator]
    with pytest.raises(IndexUnavailableError, match=current.name):
        Catalog(current, settings)


def test_start_up_falls_back_to_the_newest_intact_generation(
    two_generations: tuple[Settings, Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    settings, older, current = two_generations
    damage(current)
    with caplog.at_level(logging.WARNING), TestClient(create_app(settings)) as client:
        health = client.get("/healthz")
        assert health.status_code == 200
        body = health.json()
        assert body["status"] == "degraded"
        assert (body["generation"], body["current"]) == (older.name, current.name)
        assert "beskadiget" in body["problem"] and ".pst" in body["problem"]
        assert_names_no_internals(health.text, settings)
        assert client.get("/api/v1/cases", params={"q": "kommune"}).json()["total"] == 3
        assert client.get("/").status_code == 200
    assert f"serving the older generation {older.name}" in caplog.text


@pytest.mark.parametrize("link", ["missing", "dangling"])
def test_start_up_without_a_usable_link_serves_the_newest_intact_generation(
    two_generations: tuple[Settings, Path, Path], link: str
) -> None:
    settings, _, current = two_generations
    (settings.index_dir / "current").unlink()
    if link == "dangling":
        os.symlink("generations/gone", settings.index_dir / "current")
    with TestClient(create_app(settings)) as client:
        body = client.get("/healthz").json()
        assert (body["status"], body["generation"]) == ("degraded", current.name)
        assert client.get("/api/v1/cases").json()["total"] == 3


def test_no_intact_generation_at_all_is_503(two_generations: tuple[Settings, Path, Path]) -> None:
    settings, older, current = two_generations
    damage(older)
    damage(current)
    with TestClient(create_app(settings)) as client:
        health = client.get("/healthz")
        assert (health.status_code, health.json()["status"]) == (503, "failing")
        assert client.get("/api/v1/cases").status_code == 503


def assert_names_no_internals(body: str, settings: Settings) -> None:
    """A public body names no server path and no Python exception (those go to the log)."""
    assert str(settings.index_dir) not in body and "/generations/" not in body, body
    assert "Error" not in body and "Traceback" not in body, body
    assert not re.search(r"\w\((['\"]|\))", body), body  # no repr() of an exception


def test_a_search_on_damaged_files_fails_healthz_and_switches(
    two_generations: tuple[Settings, Path, Path], serve_app: TestClient
) -> None:
    settings, older, current = two_generations
    assert serve_app.get("/healthz").json()["status"] == "ok"
    total = serve_app.get("/api/v1/cases", params={"q": "frivillige"}).json()["total"]
    damage(current)  # under the running server
    first = serve_app.get("/api/v1/cases", params={"q": "kommune bolig"})  # not cached
    assert first.status_code == 503  # this request failed; it is not a 500
    health = serve_app.get("/healthz")
    assert health.status_code == 503
    assert health.json()["status"] == "failing"
    assert health.json()["generation"] == older.name
    assert "beskadiget" in health.json()["problem"]
    assert_names_no_internals(health.text, settings)
    assert_names_no_internals(first.text, settings)
    after = serve_app.get("/api/v1/cases", params={"q": "frivillige"})
    assert (after.status_code, after.json()["total"]) == (200, total)
    # A new build moves the link to an intact generation: healthy again.
    time.sleep(1.05)
    build(settings)
    health = serve_app.get("/healthz")
    assert (health.status_code, health.json()["status"]) == (200, "ok")
    assert health.json()["generation"] == generation_of(settings).name
    # Whoosh leaves a file open when a searcher fails to construct over damaged files; the
    # garbage collector closes it. That is the engine's, not what this test is about.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def test_an_error_that_is_not_damage_stays_an_error(
    two_generations: tuple[Settings, Path, Path],
) -> None:
    holder = CatalogHolder(two_generations[0])
    holder.refresh(force=True)
    with pytest.raises(ZeroDivisionError), holder.serving():
        _ = 1 / 0
    assert (holder.status, holder.failing) == ("ok", None)
    holder.close()


def dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    return int(done.stdout)


def test_pruning_keeps_intact_generations_and_removes_partial_ones(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, make_content(tmp_path / "content"), keep_generations=2)
    build(settings)
    first = generation_of(settings)
    generations = settings.index_dir / "generations"
    # builds killed half-way: newer names than any complete generation, no manifest
    killed = [generations / f"29991231T2359{n:02d}-{dead_pid()}-0" for n in range(3)]
    for partial in killed:
        (partial / "whoosh").mkdir(parents=True)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        running = generations / f"29991231T235959-{sleeper.pid}-0"  # a build still writing
        running.mkdir()
        time.sleep(1.05)
        build(settings)
        second = generation_of(settings)
        left = {p.name for p in generation_dirs(settings.index_dir)}
        assert left == {running.name, second.name, first.name}, left  # the fallback survives
        damaged_copy = generations / "20000101T000000-1-0"
        damaged_copy.mkdir()
        (damaged_copy / MANIFEST).write_text(json.dumps({"files": {"x": {"size": 1}}}))
        time.sleep(1.05)
        build(settings)
        third = generation_of(settings)
        left = {p.name for p in generation_dirs(settings.index_dir)}
        assert left == {running.name, third.name, second.name}, left
        assert first.name not in left  # intact, but older than the two newest intact ones
        prune_generations(settings.index_dir, keep=3)
        assert {second.name, third.name} <= {p.name for p in generation_dirs(settings.index_dir)}
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_request_during_the_switch_waits_for_the_new_generation(
    two_generations: tuple[Settings, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """While one request opens the generation the link now points to, another must not answer
    from the old one (with two workers, that is a client seeing new, then old)."""
    settings, older, current = two_generations
    link = settings.index_dir / "current"
    link.unlink()
    os.symlink(f"generations/{older.name}", link)
    holder = CatalogHolder(settings)
    assert holder.get().generation == older
    real_init = Catalog.__init__

    def slow_init(self: Catalog, generation: Path, settings: Settings) -> None:
        time.sleep(0.5)
        real_init(self, generation, settings)

    monkeypatch.setattr(Catalog, "__init__", slow_init)
    link.unlink()
    os.symlink(f"generations/{current.name}", link)
    opener = threading.Thread(target=holder.get)
    opener.start()
    time.sleep(0.1)  # the opener holds the lock now
    assert holder.get().generation == current
    opener.join()
    holder.close()
