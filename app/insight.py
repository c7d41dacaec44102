"""Search insight for editors: the top searches, those with no results and the corrected ones.

Aggregation queries over the search log (``app.searchlog``) for a period of whole UTC days,
and the same figures as CSV (UTF-8 with BOM, ``;``-separated, like ``app.csvexport``). Every
row links to the search it counts, rebuilt from the stored query and filters.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, Engine, case, func, select, true
from sqlmodel import col

from app.csvexport import cell
from app.errors import InvalidQueryError
from app.searchlog import SearchLogRow

PERIOD_DAYS = (7, 30, 90)
DEFAULT_DAYS = 30
MAX_DAYS = 3660
PAGE_ROWS = 50
CSV_ROWS = 10_000


@dataclass(frozen=True)
class Period:
    """Whole days, both ends included; ``days`` when chosen as »the last N days«."""

    start: dt.date
    end: dt.date
    days: int | None = None

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return (
            dt.datetime.combine(self.start, dt.time(), tzinfo=dt.UTC),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC),
        )

    def query_string(self) -> str:
        if self.days is not None:
            return urlencode({"dage": self.days})
        return urlencode({"fra": self.start.isoformat(), "til": self.end.isoformat()})


def period_for(
    days: int | None, start: dt.date | None, end: dt.date | None, today: dt.date
) -> Period:
    """``fra``/``til`` win over ``dage``; one date alone means 30 days from or up to it."""
    if start is None and end is None:
        days = days or DEFAULT_DAYS
        if days not in PERIOD_DAYS:
            raise InvalidQueryError("dage", f"'dage' skal være 7, 30 eller 90, ikke {days}.")
        return Period(today - dt.timedelta(days=days - 1), today, days)
    if start is None:
        assert end is not None
        start = end - dt.timedelta(days=DEFAULT_DAYS - 1)
    end = end or max(start, today)
    if start > end:
        raise InvalidQueryError("fra", "'fra' ligger efter 'til'.")
    if (end - start).days >= MAX_DAYS:
        raise InvalidQueryError("fra", f"Perioden må højst være {MAX_DAYS} dage.")
    return Period(start, end)


@dataclass(frozen=True)
class InsightPaths:
    search: str  # the search page the rows link to
    page: str  # this page
    csv: str  # its CSV twin


class InsightRowOut(BaseModel):
    query: str = Field(description="Søgeteksten, normaliseret (små bogstaver, enkelt mellemrum)")
    filters: list[tuple[str, str]] = Field(description="Filtrene som (parameter, værdi)")
    selections: str = Field(description="Filtrene som sorteret query string")
    count: int = Field(description="Antal søgninger i perioden")
    api: int = Field(description="Heraf fra API'et")
    results: int = Field(description="Højeste antal resultater, søgningen gav i perioden")
    url: str = Field(description="Søgningen på søgesiden")


class InsightSectionOut(BaseModel):
    key: str
    title: str
    description: str
    rows: list[InsightRowOut]


class PeriodLinkOut(BaseModel):
    days: int
    label: str
    url: str
    current: bool


class InsightPage(BaseModel):
    start: dt.date
    end: dt.date
    days: int | None
    searches: int = Field(description="Søgninger i perioden")
    zero: int = Field(description="Heraf uden resultater")
    corrected: int = Field(description="Heraf med rettet stavning")
    sections: list[InsightSectionOut]
    period_links: list[PeriodLinkOut]
    csv_url: str


SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("top", "Mest søgte", "De søgninger, der er lavet flest gange i perioden."),
    (
        "zero",
        "Søgninger uden resultater",
        "Det, folk leder efter, men ikke finder: kandidater til nye sager, synonymer eller tags.",
    ),
    (
        "corrected",
        "Søgninger med rettet stavning",
        "Søgningen fandt intet som skrevet og viste resultater for en rettet stavning.",
    ),
)


def _condition(key: str) -> ColumnElement[bool]:
    if key == "zero":
        return col(SearchLogRow.results) == 0
    if key == "corrected":
        return col(SearchLogRow.corrected) == true()
    return true()


def search_url(path: str, query: str, selections: str) -> str:
    """The logged search on the search page: its text first, then its canonical filters."""
    parts = [urlencode({"q": query})] if query else []
    parts += [selections] if selections else []
    return f"{path}?{'&'.join(parts)}" if parts else path


def _in_period(period: Period) -> ColumnElement[bool]:
    start, end = period.bounds()
    return (col(SearchLogRow.at) >= start) & (col(SearchLogRow.at) < end)


def grouped(
    engine: Engine, period: Period, key: str, search_path: str, limit: int = PAGE_ROWS
) -> list[InsightRowOut]:
    """One section: identical searches counted together, most frequent first."""
    query, selections = col(SearchLogRow.query), col(SearchLogRow.selections)
    count = func.count().label("n")
    stmt = (
        select(
            query,
            selections,
            count,
            func.sum(case((col(SearchLogRow.surface) == "api", 1), else_=0)),
            func.max(col(SearchLogRow.results)),
        )
        .where(_in_period(period), _condition(key))
        .group_by(query, selections)
        .order_by(count.desc(), query, selections)
        .limit(limit)
    )
    with engine.connect() as connection:
        found = connection.execute(stmt).all()
    return [
        InsightRowOut(
            query=q,
            filters=parse_qsl(sel),
            selections=sel,
            count=n,
            api=int(api or 0),
            results=int(results or 0),
            url=search_url(search_path, q, sel),
        )
        for q, sel, n, api, results in found
    ]


def totals(engine: Engine, period: Period) -> tuple[int, int, int]:
    """Searches, those with no results, those corrected."""
    stmt = select(
        func.count(),
        func.sum(case((_condition("zero"), 1), else_=0)),
        func.sum(case((_condition("corrected"), 1), else_=0)),
    ).where(_in_period(period))
    with engine.connect() as connection:
        searches, zero, corrected = connection.execute(stmt).one()
    return int(searches), int(zero or 0), int(corrected or 0)


def insight_page(
    engine: Engine, period: Period, paths: InsightPaths, limit: int = PAGE_ROWS
) -> InsightPage:
    searches, zero, corrected = totals(engine, period)
    qs = period.query_string()
    return InsightPage(
        start=period.start,
        end=period.end,
        days=period.days,
        searches=searches,
        zero=zero,
        corrected=corrected,
        sections=[
            InsightSectionOut(
                key=key,
                title=title,
                description=description,
                rows=grouped(engine, period, key, paths.search, limit),
            )
            for key, title, description in SECTIONS
        ],
        period_links=[
            PeriodLinkOut(
                days=days,
                label=f"{days} dage",
                url=f"{paths.page}?dage={days}",
                current=period.days == days,
            )
            for days in PERIOD_DAYS
        ],
        csv_url=f"{paths.csv}?{qs}",
    )


CSV_COLUMNS = ("afsnit", "soegning", "filtre", "antal", "heraf_api", "resultater", "url")


def insight_csv(engine: Engine, period: Period, search_url_base: str) -> bytes:
    """Every row of every section (up to ``CSV_ROWS`` each), UTF-8 with BOM, ``;``-separated.

    ``search_url_base`` is the search page's absolute URL, so the links work from Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    for key, title, _ in SECTIONS:
        for row in grouped(engine, period, key, search_url_base, CSV_ROWS):
            values: list[Any] = [title, row.query, row.selections, row.count, row.api]
            writer.writerow([cell(v) for v in [*values, row.results, row.url]])
    return buffer.getvalue().encode("utf-8-sig")
