"""One search over one catalog: validate, match text, filter by bitsets, count facets, page.

Text matching lives in ``matching``, snippets in ``snippets``; this module assembles the page
data (``SearchPage``) that the HTML page, the API and the feeds render.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Collection
from itertools import islice

from pydantic import BaseModel, Field

from app.catalog import CaseRecord, Catalog
from app.describe import describe
from app.errors import InvalidQueryError
from app.facets import FACETS, FACETS_BY_PARAM
from app.matching import TextMatch, match_text
from app.paths import Paths
from app.query import SearchQuery, filter_url, url
from app.refinements import (
    ChipOut,
    FacetOut,
    PageLinkOut,
    RelatedConceptOut,
    RelaxationOut,
    SortOptionOut,
    chips,
    count_only,
    facets,
    near_concepts,
    page_links,
    relaxations,
    sort_options,
    year_mask,
)
from app.snippets import snippet

# The search page's data: one model, rendered as HTML by /sog and served as JSON by
# /api/v1/cases; the feeds read the same model.


class TagOut(BaseModel):
    value: str = Field(description="Værdiens slug / the value's slug")
    label: str = Field(description="Dansk betegnelse / Danish label")
    url: str = Field(description="Søgningen filtreret på værdien / search filtered on this value")


class SuggestionOut(BaseModel):
    text: str = Field(description="Den rettede søgning / the corrected query")
    url: str = Field(description="Søgningen med den rettede tekst / the corrected search")
    applied: bool = Field(description="True hvis resultaterne vises for den rettede søgning")


class ResultOut(BaseModel):
    slug: str = Field(description="Sagens id / the case's id")
    title: str = Field(description="Titel / title")
    summary: str = Field(description="Resumé / summary")
    url: str = Field(description="Sagens permanente URL / the case's permanent URL")
    path: str = Field(description="Sagens sti på sitet / the case page's path")
    api_url: str = Field(description="Sagen i API'et / the case in the API")
    tags: dict[str, list[TagOut]] = Field(
        description="Sektorer, målgrupper, politikområder og geografi pr. URL-parameter"
    )
    snippet: str = Field(description="HTML-uddrag med <mark> om de fundne ord (saneret)")
    score: float | None = Field(description="Relevans; null når der ikke er søgeord")
    found_via: list[str] = Field(
        default_factory=list,
        description="Termer fra tesaurusset, som sagen blev fundet via, når den ikke indeholder "
        "søgeordet selv / thesaurus terms that found the case",
    )
    added: dt.date = Field(description="Tilføjet til samlingen / date added")
    modified: dt.date = Field(description="Sidst ændret (ellers tilføjet) / last changed")
    period: str = Field(description="Perioden som tekst, fx 2012–2015 / the period")
    status: str = Field(
        description="Status-facettens værdi: igangværende (ved udgivelsen), afsluttet, ukendt"
    )
    status_label: str = Field(
        description="Status med »ved udgivelsen«, fx 'Igangværende ved udgivelsen i 2011'"
    )
    source: str = Field(description="Kildepublikationens titel / the source publication")
    source_year: int = Field(description="Kildens udgivelsesår / the source's year")


class SearchPage(BaseModel):
    """The search page's data; the HTML page, `/api/v1/cases` and the feeds all use it."""

    q: str = Field(description="Søgeteksten / the text searched for")
    total: int = Field(description="Antal sager, der matcher / number of matching cases")
    page: int = Field(description="Denne side, fra 1 / this page")
    pages: int = Field(description="Antal sider / number of pages")
    per_page: int = Field(description="Resultater pr. side / results per page")
    sort: str = Field(description="Den anvendte sortering / the sort applied")
    description: str = Field(description="Én dansk sætning, der beskriver søgningen")
    results: list[ResultOut] = Field(description="Sagerne på denne side / this page's cases")
    facets: list[FacetOut] = Field(description="Facetter med antal / facets with counts")
    applied_filters: list[ChipOut] = Field(description="Aktive filtre / filters in use")
    suggestion: SuggestionOut | None = Field(None, description="Stavningsforslag, hvis nogen")
    relaxations: list[RelaxationOut] = Field(
        default_factory=list, description="Ved 0 resultater: filtre at fjerne / when empty"
    )
    related_concepts: list[RelatedConceptOut] = Field(
        default_factory=list,
        description="Ved 0 resultater: begreber nær søgningen fra tesaurus og vokabularer",
    )
    notice: str | None = Field(None, description="Fx når ikke alle ord kunne findes")
    sort_options: list[SortOptionOut] = Field(description="Sorteringer / sort options")
    page_links: list[PageLinkOut] = Field(description="Links til sider / page links")
    prev_url: str | None = Field(None, description="Forrige side / previous page")
    next_url: str | None = Field(None, description="Næste side / next page")
    self_url: str = Field(description="Denne søgning / this search")
    clear_url: str = Field(description="Søgningen uden filtre / the search without filters")


__all__ = [
    "ChipOut",
    "FacetOut",
    "Paths",
    "SearchPage",
    "TagOut",
    "count_only",
    "facet_values",
    "label_for",
    "search",
    "year_mask",
]


def label_for(catalog: Catalog, param: str, value: str) -> str:
    return catalog.labels.label(param, value)


def facet_values(catalog: Catalog, param: str) -> list[tuple[str, str, str]]:
    """(value, label, description) of every value of a facet, in vocabulary order."""
    return [(v.slug, v.label, v.description) for v in catalog.labels.values[param]]


def validate(catalog: Catalog, query: SearchQuery) -> None:
    """Reject unknown facet values and impossible year ranges with a message naming them."""
    for param, values in query.selections.items():
        known = catalog.labels.by_slug[param]
        for value in values:
            if value not in known:
                close = difflib.get_close_matches(value, sorted(known), n=1)
                hint = f" Mente du '{close[0]}'?" if close else ""
                raise InvalidQueryError(param, f"Ukendt værdi '{value}' for '{param}'.{hint}")
    if query.year_from and query.year_to and query.year_from > query.year_to:
        raise InvalidQueryError("year_from", "'year_from' ligger efter 'year_to'.")
    unknown = [name for name in query.facets or () if name not in FACETS_BY_PARAM]
    if unknown:
        close = difflib.get_close_matches(unknown[0], list(FACETS_BY_PARAM), n=1)
        hint = f" Mente du '{close[0]}'?" if close else ""
        raise InvalidQueryError("facets", f"Ukendt facet '{unknown[0]}'.{hint}")


def _ordered(
    catalog: Catalog, query: SearchQuery, text: TextMatch, final: int, stop: int
) -> list[tuple[int, float | None]]:
    sort = query.effective_sort
    if not final:
        return []
    if sort == "relevance" and text.active:
        if final == text.mask:
            return [(docnum, round(score, 4)) for docnum, score in text.ranking[:stop]]
        ranked = (pair for pair in text.ranking if final >> pair[0] & 1)
        return [(docnum, round(score, 4)) for docnum, score in islice(ranked, stop)]
    orders = {"title": catalog.by_title, "added": catalog.recently_added}
    order = orders.get(sort, catalog.newest)
    if final == catalog.facets.all_docs:
        picked = order[:stop]
    else:
        picked = list(islice((d for d in order if final >> d & 1), stop))
    return [(docnum, None) for docnum in picked]


def tag_for(catalog: Catalog, path: str, param: str, value: str) -> TagOut:
    """A tag with its label and search link; the same for every request of a generation."""
    key = (path, param, value)
    tag = catalog.tag_cache.get(key)
    if tag is None:
        tag = TagOut(
            value=value, label=label_for(catalog, param, value), url=filter_url(path, param, value)
        )
        catalog.tag_cache[key] = tag
    return tag


RESULT_FACETS = tuple(facet.param for facet in FACETS if facet.on_results)


def result_for(
    catalog: Catalog,
    record: CaseRecord,
    score: float | None,
    keys: Collection[str],
    via: list[str],
    paths: Paths,
) -> ResultOut:
    tags = {
        param: [tag_for(catalog, paths.search, param, v) for v in record.tags.get(param, [])]
        for param in RESULT_FACETS
    }
    return ResultOut(
        slug=record.slug,
        title=record.title,
        summary=record.summary,
        url=paths.case_url(record.slug),
        path=paths.case_path(record.slug),
        api_url=f"{paths.api_case}{record.slug}",
        tags=tags,
        snippet=snippet(record, keys, catalog.analyzer),
        score=score,
        found_via=list(dict.fromkeys(via)),
        added=record.added,
        modified=record.modified,
        period=record.period_label,
        status=record.status_now,
        status_label=record.status_label,
        source=label_for(catalog, "source", record.source_publication),
        source_year=record.source_year,
    )


def search(
    catalog: Catalog, query: SearchQuery, paths: Paths, toggle_urls: bool = True
) -> SearchPage:
    """The search page's data. ``toggle_urls=False`` leaves out the facet toggle links (the HTML
    page submits a form instead); ``query.facets`` chooses which facets to count."""
    validate(catalog, query)
    text = match_text(catalog, query.q)
    base = text.mask & year_mask(catalog, query)
    final = base & catalog.facets.filter_mask(query.selections)
    total = final.bit_count()
    pages = max(1, math.ceil(total / query.per_page))
    past_end = query.page > pages  # an empty page, whose ``prev_url`` leads to the last one
    start = (query.page - 1) * query.per_page
    ordered = _ordered(catalog, query, text, final, start + query.per_page)[start:]
    active = chips(catalog, query, paths)
    suggestion = None
    if text.corrected:
        suggestion = SuggestionOut(
            text=text.corrected,
            url=url(paths.search, query.changed(q=text.corrected)),
            applied=text.applied,
        )
    empty = total == 0
    return SearchPage(
        q=query.q,
        total=total,
        page=query.page,
        pages=pages,
        per_page=query.per_page,
        sort=query.effective_sort,
        description=describe(total, query, catalog.labels),
        results=[
            result_for(catalog, catalog.records[d], score, text.keys, text.via.get(d, []), paths)
            for d, score in ordered
        ],
        facets=facets(catalog, query, base, paths, toggle_urls),
        applied_filters=active,
        suggestion=suggestion,
        relaxations=relaxations(catalog, query, active, text, paths) if empty else [],
        related_concepts=near_concepts(catalog, query, paths) if empty and query.q else [],
        notice=f"Side {query.page} findes ikke; søgningen har {pages} side(r)."
        if past_end
        else text.notice,
        sort_options=sort_options(catalog, query, paths),
        page_links=page_links(query, pages, paths),
        prev_url=url(paths.search, query, min(query.page - 1, pages)) if query.page > 1 else None,
        next_url=url(paths.search, query, query.page + 1) if query.page < pages else None,
        self_url=url(paths.search, query, query.page),
        clear_url=paths.search,
    )


def matching_docnums(catalog: Catalog, query: SearchQuery) -> int:
    """The mask of every case the search matches (for exports and statistics)."""
    validate(catalog, query)
    text = match_text(catalog, query.q)
    return text.mask & year_mask(catalog, query) & catalog.facets.filter_mask(query.selections)


def ordered_records(catalog: Catalog, query: SearchQuery, limit: int) -> list[CaseRecord]:
    """The matching cases in the search's order, without facets or links (CSV, feeds)."""
    validate(catalog, query)
    text = match_text(catalog, query.q)
    final = text.mask & year_mask(catalog, query) & catalog.facets.filter_mask(query.selections)
    return [catalog.records[d] for d, _ in _ordered(catalog, query, text, final, limit)]
