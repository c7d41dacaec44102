"""One search over one catalog: validate, match text, filter by bitsets, count facets, page.

Text matching lives in ``matching``, snippets in ``snippets``; this module assembles the page
data (``SearchPage``) that the HTML page, the API and the feeds render.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Collection
from itertools import islice

from app.catalog import CaseRecord, Catalog
from app.describe import describe
from app.errors import InvalidQueryError
from app.facets import FACETS, FACETS_BY_PARAM, FacetSpec, bits
from app.matching import TextMatch, match_text
from app.pages import (
    ChipOut,
    FacetOut,
    FacetValueOut,
    PageLinkOut,
    RelatedConceptOut,
    RelaxationOut,
    ResultOut,
    SearchPage,
    SortOptionOut,
    SuggestionOut,
    TagOut,
)
from app.paths import Paths
from app.query import SORT_LABELS, SearchQuery, Toggler, filter_url, url
from app.snippets import snippet

__all__ = ["Paths", "facet_values", "label_for", "search"]


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


def year_mask(catalog: Catalog, query: SearchQuery) -> int:
    if query.year_from is None and query.year_to is None:
        return catalog.facets.all_docs
    return catalog.years.between(query.year_from, query.year_to)


def _wanted_facets(query: SearchQuery) -> tuple[FacetSpec, ...]:
    if query.facets is None:
        return FACETS
    return tuple(facet for facet in FACETS if facet.param in query.facets)


def _facets(
    catalog: Catalog, query: SearchQuery, base: int, paths: Paths, with_urls: bool
) -> list[FacetOut]:
    out = []
    toggler = Toggler(paths.search, query) if with_urls else None
    for facet in _wanted_facets(query):
        counts = catalog.facets.counts(
            facet.param, base & catalog.facets.filter_mask(query.selections, skip=facet.param)
        )
        values = [
            FacetValueOut.model_construct(
                value=value.slug,
                label=value.label,
                description=value.description,
                count=counts.get(value.slug, 0),
                selected=query.is_selected(facet.param, value.slug),
                toggle_url=toggler.url(facet.param, value.slug) if toggler else None,
            )
            for value in catalog.labels.values[facet.param]
        ]
        out.append(
            FacetOut(
                param=facet.param,
                label=facet.label,
                values=values,
                selected_count=len(query.selected(facet.param)),
            )
        )
    return out


def _chips(catalog: Catalog, query: SearchQuery, paths: Paths) -> list[ChipOut]:
    chips = []
    if query.q.strip():
        chips.append(
            ChipOut(
                param="q",
                value=query.q,
                label=f"Søgeord: {query.q}",
                remove_url=url(paths.search, query.without("q")),
            )
        )
    for facet in FACETS:
        for value in query.selected(facet.param):
            chips.append(
                ChipOut(
                    param=facet.param,
                    value=value,
                    label=f"{facet.label}: {label_for(catalog, facet.param, value)}",
                    remove_url=url(paths.search, query.without(facet.param, value)),
                )
            )
    for param, word in (("year_from", "Fra år"), ("year_to", "Til år")):
        value = getattr(query, param)
        if value is not None:
            chips.append(
                ChipOut(
                    param=param,
                    value=str(value),
                    label=f"{word}: {value}",
                    remove_url=url(paths.search, query.without(param)),
                )
            )
    return chips


def _relaxations(
    catalog: Catalog, query: SearchQuery, chips: list[ChipOut], text: TextMatch, paths: Paths
) -> list[RelaxationOut]:
    """Each filter that, removed, gives results, with the count (most results first)."""
    options = []
    filters = catalog.facets.filter_mask(query.selections)
    years = year_mask(catalog, query)
    for chip in chips:
        if chip.param == "q":
            relaxed = query.without("q")
            count = (years & filters).bit_count()
        elif chip.param in ("year_from", "year_to"):
            relaxed = query.without(chip.param)
            count = (text.mask & year_mask(catalog, relaxed) & filters).bit_count()
        else:
            relaxed = query.without(chip.param, chip.value)
            count = (text.mask & years & catalog.facets.filter_mask(relaxed.selections)).bit_count()
        if count:
            name = chip.label.split(": ", 1)[1] if chip.param != "q" else f"søgeordet »{query.q}«"
            options.append(
                RelaxationOut(label=f"Fjern {name}", count=count, url=url(paths.search, relaxed))
            )
    return sorted(options, key=lambda option: -option.count)


def _near_concepts(catalog: Catalog, query: SearchQuery, paths: Paths) -> list[RelatedConceptOut]:
    """Concepts the thesaurus and the vocabularies know near the query words, with counts."""
    found: dict[str, RelatedConceptOut] = {}
    typed = query.q.strip()
    for group in catalog.thesaurus.near(typed):
        for term in group.terms[:3]:
            count = match_text(catalog, term).mask.bit_count()
            if count and term.casefold() != typed.casefold():
                found.setdefault(
                    term.casefold(),
                    RelatedConceptOut(
                        label=term, count=count, url=url(paths.search, SearchQuery(q=term))
                    ),
                )
    for facet, value in catalog.vocabulary_near(typed):
        count = catalog.facets.masks[facet.param].get(value.slug, 0).bit_count()
        if count:
            found.setdefault(
                f"{facet.param}:{value.slug}",
                RelatedConceptOut(
                    label=f"{facet.label}: {value.label}",
                    count=count,
                    url=filter_url(paths.search, facet.param, value.slug),
                    topic_url=f"/emner/{facet.path}",
                ),
            )
    return sorted(found.values(), key=lambda c: -c.count)[:8]


def count_only(catalog: Catalog, query: SearchQuery) -> int:
    text = match_text(catalog, query.q).mask
    base = text & year_mask(catalog, query)
    return (base & catalog.facets.filter_mask(query.selections)).bit_count()


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


def _page_links(query: SearchQuery, pages: int, paths: Paths) -> list[PageLinkOut]:
    shown = sorted({1, pages, *range(max(1, query.page - 2), min(pages, query.page + 2) + 1)})
    return [
        PageLinkOut(page=p, url=url(paths.search, query, p), current=p == query.page) for p in shown
    ]


def _sort_options(catalog: Catalog, query: SearchQuery, paths: Paths) -> list[SortOptionOut]:
    sort = query.effective_sort
    offered = [v for v in SORT_LABELS if v != "added" or catalog.added_dates > 1 or sort == v]
    return [
        SortOptionOut(
            value=v,
            label=SORT_LABELS[v],
            url=url(paths.search, query.changed(sort=v)),
            selected=v == sort,
        )
        for v in offered
    ]


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
    if query.page > pages:
        raise InvalidQueryError(
            "page", f"Side {query.page} findes ikke; søgningen har {pages} side(r)."
        )
    start = (query.page - 1) * query.per_page
    ordered = _ordered(catalog, query, text, final, start + query.per_page)[start:]
    chips = _chips(catalog, query, paths)
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
        facets=_facets(catalog, query, base, paths, toggle_urls),
        applied_filters=chips,
        suggestion=suggestion,
        relaxations=_relaxations(catalog, query, chips, text, paths) if empty else [],
        related_concepts=_near_concepts(catalog, query, paths) if empty and query.q else [],
        notice=text.notice,
        sort_options=_sort_options(catalog, query, paths),
        page_links=_page_links(query, pages, paths),
        prev_url=url(paths.search, query, query.page - 1) if query.page > 1 else None,
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


def docnums(mask: int) -> list[int]:
    return bits(mask)
