"""The output models: one data object per page, rendered as HTML or serialised as JSON."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class TagOut(BaseModel):
    value: str = Field(description="Værdiens slug / the value's slug")
    label: str = Field(description="Dansk betegnelse / Danish label")
    url: str = Field(description="Søgningen filtreret på værdien / search filtered on this value")


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
