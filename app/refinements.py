"""How a search can be refined: facet values with counts, the chips of active filters, the
relaxations and nearby concepts of an empty search, sort options and page links. Each output
model lives beside the code that builds it; ``search`` assembles them into the page."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.catalog import Catalog
from app.facets import FACETS, FacetSpec
from app.matching import TextMatch, match_text
from app.paths import Paths
from app.query import SORT_LABELS, SearchQuery, Toggler, filter_url, url


class FacetValueOut(BaseModel):
    value: str = Field(description="Slug; brug den i URL-parameteren / use it in the parameter")
    label: str = Field(description="Dansk betegnelse / Danish label")
    description: str = Field("", description="Forklaring af værdien, kan være tom")
    count: int = Field(description="Antal sager med værdien givet de øvrige filtre (disjunktivt)")
    selected: bool = Field(description="Om værdien er valgt i søgningen / selected now")
    toggle_url: str | None = Field(
        description="URL der slår værdien til eller fra (null på HTML-siden) / toggles the value"
    )


class FacetOut(BaseModel):
    param: str = Field(description="URL-parameter, fx `sector`")
    label: str = Field(description="Facettens navn / the facet's name")
    values: list[FacetValueOut] = Field(description="Alle værdier, også dem med 0 sager")
    selected_count: int = Field(description="Antal valgte værdier / number of selected values")


class ChipOut(BaseModel):
    param: str = Field(description="Parameteren, filteret kommer fra / the parameter")
    value: str = Field(description="Den valgte værdi / the selected value")
    label: str = Field(description="Fx 'Sektor: Kommuner'")
    remove_url: str = Field(description="Søgningen uden dette filter / the search without it")


class RelaxationOut(BaseModel):
    label: str = Field(description="Fx 'Fjern Region Hovedstaden'")
    count: int = Field(description="Antal sager uden dette filter / cases without the filter")
    url: str = Field(description="Den løsnede søgning / the relaxed search")


class RelatedConceptOut(BaseModel):
    label: str = Field(description="Begrebet / the concept")
    count: int = Field(description="Antal sager / number of cases")
    url: str = Field(description="Søgningen efter begrebet / its search")
    topic_url: str | None = Field(None, description="Emnesiden, hvis det er en facetværdi")


class SortOptionOut(BaseModel):
    value: str = Field(description="Værdien af `sort` / the value of `sort`")
    label: str = Field(description="Dansk navn / Danish name")
    url: str = Field(description="Søgningen med denne sortering / the search sorted so")
    selected: bool = Field(description="Om det er den aktuelle sortering / current sort")


class PageLinkOut(BaseModel):
    page: int = Field(description="Sidenummer, fra 1 / page number")
    url: str = Field(description="Søgningen på den side / the search at that page")
    current: bool = Field(description="Om det er den viste side / the page shown")


def year_mask(catalog: Catalog, query: SearchQuery) -> int:
    if query.year_from is None and query.year_to is None:
        return catalog.facets.all_docs
    return catalog.years.between(query.year_from, query.year_to)


def wanted_facets(query: SearchQuery) -> tuple[FacetSpec, ...]:
    if query.facets is None:
        return FACETS
    return tuple(facet for facet in FACETS if facet.param in query.facets)


def facets(
    catalog: Catalog, query: SearchQuery, base: int, paths: Paths, with_urls: bool
) -> list[FacetOut]:
    out = []
    toggler = Toggler(paths.search, query) if with_urls else None
    for facet in wanted_facets(query):
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


def chips(catalog: Catalog, query: SearchQuery, paths: Paths) -> list[ChipOut]:
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
                    label=f"{facet.label}: {catalog.labels.label(facet.param, value)}",
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


def relaxations(
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


def near_concepts(catalog: Catalog, query: SearchQuery, paths: Paths) -> list[RelatedConceptOut]:
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


def page_links(query: SearchQuery, pages: int, paths: Paths) -> list[PageLinkOut]:
    shown = sorted({1, pages, *range(max(1, query.page - 2), min(pages, query.page + 2) + 1)})
    return [
        PageLinkOut(page=p, url=url(paths.search, query, p), current=p == query.page) for p in shown
    ]


def sort_options(catalog: Catalog, query: SearchQuery, paths: Paths) -> list[SortOptionOut]:
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
