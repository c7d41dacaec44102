"""SQLModel tables for cases and tags, written at build time and read once per index generation.

SQLite by default (a file inside each index generation, swapped in with it); any SQLAlchemy URL,
such as PostgreSQL, through ``PB_DATABASE_URL`` (the build replaces all rows in one transaction).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Column, Engine, delete
from sqlmodel import Field, Session, SQLModel, col, create_engine, select

from app.facets import TAG_FACETS
from app.models import Case
from app.vocabulary import Vocabulary


class CaseRow(SQLModel, table=True):
    __tablename__ = "pb_case"

    slug: str = Field(primary_key=True, max_length=120)
    title: str
    summary: str
    partnership: str | None = None
    period_start: int | None = None
    period_start_approx: bool = False
    period_end: int | None = None
    period_end_approx: bool = False
    status: str
    source_year: int
    source_url: str | None = None
    added: dt.date
    updated: dt.date | None = None
    source_publication: str = Field(index=True)
    source_pages: str | None = None
    source_section: str | None = None
    body_markdown: str
    key_results: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    keywords: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    links: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    partners: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )


class TagRow(SQLModel, table=True):
    __tablename__ = "pb_tag"

    facet: str = Field(primary_key=True, max_length=40)
    slug: str = Field(primary_key=True, max_length=80)
    label: str
    description: str = ""


class CaseTagRow(SQLModel, table=True):
    __tablename__ = "pb_case_tag"

    case_slug: str = Field(primary_key=True, foreign_key="pb_case.slug", max_length=120)
    facet: str = Field(primary_key=True, max_length=40)
    tag_slug: str = Field(primary_key=True, max_length=80)
    position: int = 0


def database_url_for(generation_dir: Path, configured: str | None) -> str:
    return configured or f"sqlite:///{generation_dir / 'cases.sqlite'}"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return create_engine(url, connect_args={"check_same_thread": False})
    return create_engine(url, pool_pre_ping=True)


def _case_row(case: Case) -> CaseRow:
    front = case.front
    period = front.period
    return CaseRow(
        slug=case.slug,
        title=front.title,
        summary=front.summary,
        partnership=front.partnership,
        period_start=period.start_year,
        period_start_approx=period.start_approx,
        period_end=period.end_year,
        period_end_approx=period.end_approx,
        status=front.status,
        source_year=front.source.year,
        source_url=front.source.url,
        added=front.added,
        updated=front.updated,
        source_publication=front.source.publication,
        source_pages=front.source.pages,
        source_section=front.source.section,
        body_markdown=case.body_markdown,
        key_results=list(front.key_results),
        keywords=list(front.keywords),
        links=[link.model_dump() for link in front.links],
        partners=[partner.model_dump() for partner in front.partners],
    )


def _tag_rows(vocab: Vocabulary) -> Iterable[TagRow]:
    for facet, terms in vocab.terms.items():
        for term in terms:
            yield TagRow(
                facet=facet, slug=term.slug, label=term.label, description=term.description
            )
    for pub in vocab.publications:
        yield TagRow(facet="source", slug=pub.slug, label=pub.label, description=pub.description)


def _case_tag_rows(case: Case) -> Iterable[CaseTagRow]:
    for facet in TAG_FACETS:
        for position, value in enumerate(getattr(case.front, facet.field)):
            yield CaseTagRow(
                case_slug=case.slug, facet=facet.field, tag_slug=value, position=position
            )


def write_store(engine: Engine, cases: Iterable[Case], vocab: Vocabulary) -> int:
    """Replace every row in one transaction; readers see the old or the new collection."""
    SQLModel.metadata.create_all(engine)
    cases = list(cases)
    with Session(engine) as session:
        session.exec(delete(CaseTagRow))
        session.exec(delete(CaseRow))
        session.exec(delete(TagRow))
        session.add_all(_tag_rows(vocab))
        session.add_all(_case_row(case) for case in cases)
        session.flush()
        session.add_all(row for case in cases for row in _case_tag_rows(case))
        session.commit()
    return len(cases)


def read_cases(engine: Engine) -> tuple[list[CaseRow], dict[str, dict[str, list[str]]]]:
    """All case rows and, per case, its tags by facet (in their front-matter order)."""
    with Session(engine) as session:
        rows = list(session.exec(select(CaseRow)))
        links = session.exec(select(CaseTagRow).order_by(col(CaseTagRow.position)))
        tags: dict[str, dict[str, list[str]]] = {row.slug: {} for row in rows}
        for link in links:
            tags[link.case_slug].setdefault(link.facet, []).append(link.tag_slug)
    return rows, tags
