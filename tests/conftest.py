"""Shared fixtures: settings pointing at temporary folders, built indexes, test clients.

Store-backed fixtures run against SQLite and, when ``PB_TEST_DATABASE_URL`` names a PostgreSQL
server (``.ci/run`` starts one), against PostgreSQL as well.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest
from fastapi.testclient import TestClient

from app.build import build
from app.catalog import Catalog, CatalogHolder
from app.settings import PROJECT_DIR, Settings
from app.web.app import create_app

FIXTURES = Path(__file__).parent / "fixtures"
REAL_CONTENT = PROJECT_DIR / "content"
PG_URL = os.environ.get("PB_TEST_DATABASE_URL")
DATABASES = ["sqlite", *(["postgresql"] if PG_URL else [])]


T = TypeVar("T")


def run_async(coroutine: Coroutine[object, object, T]) -> T:
    """``asyncio.run`` in a thread of its own: the browser tests' session-wide Playwright keeps
    an event loop running in the main thread, where ``asyncio.run`` refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def make_content(target: Path, cases: Path | None = FIXTURES / "cases") -> Path:
    """A content folder with the real vocabularies and the given case files."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("vocabulary.yml", "geography.yml"):
        shutil.copy2(REAL_CONTENT / name, target / name)
    (target / "cases").mkdir(exist_ok=True)
    if cases is not None:
        for path in cases.glob("*.md"):
            shutil.copy2(path, target / "cases" / path.name)
    return target


def fresh_postgres_database() -> str:
    """A new, empty database on the test server, so parallel builds never share tables."""
    import psycopg

    assert PG_URL is not None
    name = f"pb_{uuid.uuid4().hex[:12]}"
    base = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_URL.rsplit("/", 1)[0] + f"/{name}"


def make_settings(root: Path, content: Path, database: str = "sqlite", **extra: object) -> Settings:
    url = fresh_postgres_database() if database == "postgresql" else None
    return Settings(
        content_dir=content,
        index_dir=root / "index",
        database_url=url,
        base_url="http://testserver",
        reload_interval=0.05,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session", params=DATABASES)
def built_settings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    """The fixture cases, built once per database backend."""
    root = tmp_path_factory.mktemp(f"fixture-{request.param}")
    settings = make_settings(root, make_content(root / "content"), request.param)
    build(settings)
    return settings


def build_same_day(root: Path) -> Settings:
    """The fixture cases plus two added on the same day as one of them (SQLite)."""
    content = make_content(root / "content")
    for path in (FIXTURES / "same_day_cases").glob("*.md"):
        shutil.copy2(path, content / "cases" / path.name)
    settings = make_settings(root, content)
    build(settings)
    return settings


@pytest.fixture(scope="session")
def same_day_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_same_day(tmp_path_factory.mktemp("same-day"))


def serve(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def same_day_client(same_day_settings: Settings) -> Iterator[TestClient]:
    yield from serve(same_day_settings)


@pytest.fixture(scope="session")
def catalog(built_settings: Settings) -> Iterator[Catalog]:
    holder = CatalogHolder(built_settings)
    yield holder.get()
    holder.close()


@pytest.fixture(scope="session")
def client(built_settings: Settings) -> Iterator[TestClient]:
    yield from serve(built_settings)
