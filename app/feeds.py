"""JSON Feed 1.1 and Atom (RFC 4287) documents for any search: the newest matching cases first.

Order. Items are the cases matching the search, by the date they were added, newest first, and
among the cases added on the same day, the most recent partnerships first (``sort=added``: the
last year a case is known to run, then its start year, then its source's year; ties by slug),
whatever ``sort`` the search asked for. A feed page holds
``feed_size`` items; ``next_url`` (JSON Feed) and ``rel="next"`` (Atom) lead to the next page.

Ids. An item's id is the case's permanent URL (``base_url`` + ``/sag/<slug>``); it never changes.

Timestamps are UTC (``Z``), made distinct on purpose. Many cases share an ``added`` date, and
pollers such as Power Automate's RSS connector only pick up items dated after the newest one
they have already seen, so equal timestamps would lose items. A case is therefore published at
00:00:00Z on its ``added`` date plus N seconds, where N counts the cases added that same day that
come after it in that order (the last gets 0). In feed order the timestamps are thus strictly
decreasing, and a case's timestamp depends only on the cases added the same day, so it is the
same in every search. ``date_modified`` (Atom
``updated``) is the ``updated`` date, or ``added`` when the case was never edited, plus the same
N seconds: it changes only when a case is really edited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from app.catalog import CaseRecord, Catalog
from app.facets import FACETS
from app.paths import Paths
from app.query import SearchQuery, url
from app.search import label_for, search

SITE = "Partnerskabsbasen"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_TYPE = "application/feed+json"
ATOM_TYPE = "application/atom+xml"
TAG_PARAMS = tuple(facet.param for facet in FACETS if facet.noun)  # the case's own tag lists
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class FeedTerm(BaseModel):
    slug: str = Field(description="Værdiens slug, som i URL-parameteren / the value's slug")
    label: str = Field(description="Dansk betegnelse / Danish label")


def _extension_model() -> type[BaseModel]:
    """The ``_partnerskabsbasen`` extension object: every facet of the case, from the registry."""
    fields: dict[str, Any] = {
        "about": (str, Field(description="Hvor udvidelsen er beskrevet / where it is documented")),
        "period_label": (str, Field(description="Perioden som tekst, fx 2012–2015 / as text")),
        "status_label": (
            str,
            Field(description="Status med »ved udgivelsen« / the status as of the source"),
        ),
    }
    for facet in FACETS:
        fields[facet.field] = (
            list[FeedTerm],
            Field(description=f"{facet.plural}: slug og betegnelse / {facet.param}"),
        )
    return create_model("FeedExtension", **fields)


if TYPE_CHECKING:
    FeedExtension = BaseModel
else:
    FeedExtension = _extension_model()


class FeedAuthor(BaseModel):
    name: str = Field(description="Navn / name")
    url: str | None = Field(None, description="Hjemmeside / home page")


class JsonFeedItem(BaseModel):
    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    id: str = Field(description="Sagens permanente URL; ændres aldrig / permanent URL, stable")
    url: str = Field(description="Sagens side / the case page")
    title: str = Field(description="Titel / title")
    summary: str = Field(description="Resumé som ren tekst / plain-text summary")
    content_html: str = Field(description="Resumé og saneret brødtekst / summary and clean body")
    date_published: dt.datetime = Field(
        description="Tilføjet: datoen kl. 00:00Z + sekunder efter rang samme dag (se modulet)"
    )
    date_modified: dt.datetime = Field(description="Sidst ændret (updated, ellers added)")
    tags: list[str] = Field(description="Danske betegnelser for sagens tags / tag labels")
    authors: list[FeedAuthor] = Field(description="Kildens udgiver / the source's publisher")
    extension: FeedExtension = Field(
        alias="_partnerskabsbasen", description="Alle facetter med slug og betegnelse"
    )


class JsonFeed(BaseModel):
    version: str = Field(JSON_FEED_VERSION, description="JSON Feed-versionen / the format")
    title: str = Field(description="Partnerskabsbasen: sætningen der beskriver søgningen")
    home_page_url: str = Field(description="Søgningen som HTML-side / the search as HTML")
    feed_url: str = Field(description="Feedets egen adresse (side 1) / this feed's URL")
    description: str = Field(description="Hvad feedet indeholder / what the feed holds")
    language: str = Field("da", description="Sprog / language")
    authors: list[FeedAuthor] = Field(description="Udgiveren af feedet / the feed's publisher")
    next_url: str | None = Field(None, description="Næste side, hvis der er flere / next page")
    items: list[JsonFeedItem] = Field(description="Sagerne, nyeste først / newest first")


@dataclass(frozen=True)
class Entry:
    record: CaseRecord
    url: str
    published: dt.datetime
    modified: dt.datetime
    terms: dict[str, list[FeedTerm]]
    publisher: str

    @property
    def content_html(self) -> str:
        return f"<p>{escape(self.record.summary)}</p>\n{self.record.body_html}"

    @property
    def tags(self) -> list[tuple[str, FeedTerm]]:
        return [(param, term) for param in TAG_PARAMS for term in self.terms[param]]


@dataclass(frozen=True)
class Feed:
    """One page of a feed; ``query`` is canonical (no ``sort``, no ``per_page``)."""

    base_url: str
    title: str
    description: str
    query: SearchQuery
    page: int
    has_next: bool
    entries: list[Entry]
    updated: dt.datetime

    def link(self, path: str, page: int = 1) -> str:
        return self.base_url + url(path, self.query, page)


def feed_query(query: SearchQuery, size: int) -> SearchQuery:
    """The feed's own query: order and page size belong to the feed, not to the caller."""
    return query.model_copy(update={"sort": None, "per_page": size, "default_per_page": size})


def stamp(day: dt.date, seconds: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC) + dt.timedelta(seconds=seconds)


def _entry(catalog: Catalog, record: CaseRecord, case_url: str, rank: int) -> Entry:
    terms = {
        facet.param: [
            FeedTerm(slug=value, label=label_for(catalog, facet.param, value))
            for value in record.tags.get(facet.param, [])
        ]
        for facet in FACETS
    }
    publication = catalog.vocab.publication(record.source_publication)
    return Entry(
        record=record,
        url=case_url,
        published=stamp(record.added, rank),
        modified=stamp(record.modified, rank),
        terms=terms,
        publisher=publication.publisher if publication else record.source_publication,
    )


def build_feed(catalog: Catalog, query: SearchQuery, size: int, base_url: str) -> Feed:
    """One feed page for the search; raises InvalidQueryError like the search itself."""
    canonical = feed_query(query, size)
    in_feed_order = canonical.model_copy(update={"sort": "added", "facets": ()})
    page = search(catalog, in_feed_order, Paths(search="", base_url=base_url), toggle_urls=False)
    ranks = catalog.same_day_seconds
    entries = [_entry(catalog, catalog.case(r.slug), r.url, ranks[r.slug]) for r in page.results]
    fallback = stamp(catalog.last_modified) if catalog.last_modified else EPOCH
    return Feed(
        base_url=base_url,
        title=f"{SITE}: {page.description}",
        description=f"De nyeste sager i {SITE}, der matcher søgningen: {page.description}.",
        query=canonical,
        page=page.page,
        has_next=page.page < page.pages,
        entries=entries,
        updated=max((entry.modified for entry in entries), default=fallback),
    )


def json_feed(feed: Feed, json_path: str, html_path: str) -> JsonFeed:
    home = f"{feed.base_url}/"
    items = [
        JsonFeedItem(
            id=entry.url,
            url=entry.url,
            title=entry.record.title,
            summary=entry.record.summary,
            content_html=entry.content_html,
            date_published=entry.published,
            date_modified=entry.modified,
            tags=list(dict.fromkeys(term.label for _, term in entry.tags)),
            authors=[FeedAuthor(name=entry.publisher)],
            extension=FeedExtension.model_validate(
                {
                    "about": f"{feed.base_url}/api/docs",
                    "period_label": entry.record.period_label,
                    "status_label": entry.record.status_label,
                    **{facet.field: entry.terms[facet.param] for facet in FACETS},
                }
            ),
        )
        for entry in feed.entries
    ]
    return JsonFeed(
        title=feed.title,
        home_page_url=feed.link(html_path),
        feed_url=feed.link(json_path),
        description=feed.description,
        authors=[FeedAuthor(name=SITE, url=home)],
        next_url=feed.link(json_path, feed.page + 1) if feed.has_next else None,
        items=items,
    )


def render_json_feed(document: JsonFeed) -> bytes:
    return document.model_dump_json(by_alias=True, exclude_none=True).encode("utf-8")
