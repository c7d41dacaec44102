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
    label: str
    description: str = ""
    count: int = Field(description="Antal sager med værdien givet de øvrige filtre (disjunktivt)")
    selected: bool
    toggle_url: str = Field(description="URL der slår værdien til eller fra / toggles the value")


class FacetOut(BaseModel):
    param: str = Field(description="URL-parameter, fx `sector`")
    label: str
    values: list[FacetValueOut]
    selected_count: int


class ChipOut(BaseModel):
    param: str
    value: str
    label: str = Field(description="Fx 'Sektor: Kommuner'")
    remove_url: str


class RelaxationOut(BaseModel):
    label: str = Field(description="Fx 'Fjern Region Hovedstaden'")
    count: int
    url: str


class SuggestionOut(BaseModel):
    text: str = Field(description="Den rettede søgning / the corrected query")
    url: str
    applied: bool = Field(description="True hvis resultaterne vises for den rettede søgning")


class ResultOut(BaseModel):
    slug: str
    title: str
    summary: str
    url: str = Field(description="Sagens permanente URL / the case's permanent URL")
    path: str = Field(description="Sagens sti på sitet / the case page's path")
    api_url: str
    tags: dict[str, list[TagOut]]
    snippet: str = Field(description="HTML-uddrag med <mark> om de fundne ord (saneret)")
    score: float | None = Field(description="Relevans; null når der ikke er søgeord")
    added: dt.date
    modified: dt.date
    period: str
    status: str
    source: str


class SortOptionOut(BaseModel):
    value: str
    label: str
    url: str
    selected: bool


class PageLinkOut(BaseModel):
    page: int
    url: str
    current: bool


class SearchPage(BaseModel):
    """The search page's data; the HTML page, `/api/v1/cases` and the feeds all use it."""

    q: str
    total: int
    page: int
    pages: int
    per_page: int
    sort: str
    description: str = Field(description="Én dansk sætning, der beskriver søgningen")
    results: list[ResultOut]
    facets: list[FacetOut]
    applied_filters: list[ChipOut]
    suggestion: SuggestionOut | None = None
    relaxations: list[RelaxationOut] = Field(default_factory=list)
    notice: str | None = Field(None, description="Fx når ikke alle ord kunne findes")
    sort_options: list[SortOptionOut]
    page_links: list[PageLinkOut]
    prev_url: str | None = None
    next_url: str | None = None
    self_url: str
    clear_url: str
