"""The search request: parameters, their validation, and the URLs that change them.

State lives in the URL. Every link that changes a search (toggle a facet value, remove a chip,
sort, page) is computed here, so templates and API clients never assemble query strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Literal
from urllib.parse import quote_plus, urlencode

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.facets import FACETS
from app.text import WORD_RE

Sort = Literal["relevance", "newest", "added", "title"]
SORT_LABELS: dict[str, str] = {
    "relevance": "Relevans",
    "newest": "Nyeste partnerskaber",
    "added": "Senest tilføjet",
    "title": "Titel (A–Å)",
}
MAX_QUERY_LENGTH = 500
MAX_WORDS = 20  # the words of a query every stage sees (analysis, spelling, compounds, thesaurus)
MAX_PAGE = 100_000


def capped(text: str) -> str:
    """The text up to the end of its MAX_WORDS-th word: what every stage of a search reads, so
    the cost of a request is bounded however long the query."""
    for index, match in enumerate(WORD_RE.finditer(text)):
        if index == MAX_WORDS - 1:
            return text[: match.end()]
    return text


class SearchQuery(BaseModel):
    """Everything that defines one search; the same for the page, the API and the feeds."""

    model_config = ConfigDict(frozen=True)

    q: str = ""
    selections: dict[str, list[str]] = Field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    sort: Sort | None = None
    page: int = 1
    per_page: int = 20
    default_per_page: int = 20
    compare: tuple[str, ...] = ()  # cases chosen for a comparison, carried along (HTML only)
    facets: tuple[str, ...] | None = None  # which facets to count; None: all

    @field_validator("q")
    @classmethod
    def _capped(cls, q: str) -> str:
        return capped(q)

    @property
    def effective_sort(self) -> Sort:
        if self.sort:
            return self.sort
        return "relevance" if self.q.strip() else "newest"

    def selected(self, param: str) -> list[str]:
        return self.selections.get(param, [])

    def is_selected(self, param: str, value: str) -> bool:
        return value in self.selected(param)

    def pairs(
        self, page: int = 1, selections: dict[str, list[str]] | None = None
    ) -> list[tuple[str, str]]:
        """The canonical query-string pairs of this search at the given page."""
        chosen = self.selections if selections is None else selections
        pairs: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        for facet in FACETS:
            pairs.extend((facet.param, value) for value in chosen.get(facet.param, ()))
        if self.year_from is not None:
            pairs.append(("year_from", str(self.year_from)))
        if self.year_to is not None:
            pairs.append(("year_to", str(self.year_to)))
        if self.sort:
            pairs.append(("sort", self.sort))
        if self.per_page != self.default_per_page:
            pairs.append(("per_page", str(self.per_page)))
        if self.facets is not None:
            pairs.append(("facets", ",".join(self.facets)))
        if page > 1:
            pairs.append(("page", str(page)))
        pairs.extend(("sammenlign", slug) for slug in self.compare)
        return pairs

    def query_string(self, page: int = 1) -> str:
        return urlencode(self.pairs(page))

    def changed(self, **changes: object) -> SearchQuery:
        """A copy with changes, back on page 1 unless a page is given."""
        return self.model_copy(update={"page": 1, **changes})

    def toggled(self, param: str, value: str) -> SearchQuery:
        values = self.selected(param)
        new = [v for v in values if v != value] if value in values else [*values, value]
        selections = {**self.selections, param: new}
        return self.changed(selections={k: v for k, v in selections.items() if v})

    def without(self, param: str, value: str | None = None) -> SearchQuery:
        if param == "q":
            return self.changed(q="")
        if param in ("year_from", "year_to"):
            return self.changed(**{param: None})
        if value is None:
            return self.changed(selections={k: v for k, v in self.selections.items() if k != param})
        return self.toggled(param, value)


@lru_cache(maxsize=4096)
def _encoded(key: str, value: str) -> str:
    return f"{quote_plus(key)}={quote_plus(value)}"


class Toggler:
    """Makes the URLs that turn one facet value on or off (page 1) for one search.

    Hundreds are made per page, so everything around a facet's own pairs is encoded once and
    each URL is a join of three strings."""

    def __init__(self, path: str, query: SearchQuery) -> None:
        self.path, self.query = path, query
        outside = [_encoded(k, v) for k, v in query.pairs(1, {})]
        head, tail = (outside[:1], outside[1:]) if query.q else ([], outside)
        own = {f.param: [_encoded(f.param, v) for v in query.selected(f.param)] for f in FACETS}
        self.around: dict[str, tuple[str, str]] = {}
        for index, facet in enumerate(FACETS):
            before = head + [pair for f in FACETS[:index] for pair in own[f.param]]
            after = [pair for f in FACETS[index + 1 :] for pair in own[f.param]] + tail
            self.around[facet.param] = ("&".join(before), "&".join(after))

    def url(self, param: str, value: str) -> str:
        values = self.query.selected(param)
        new = [v for v in values if v != value] if value in values else [*values, value]
        before, after = self.around[param]
        middle = "&".join(_encoded(param, v) for v in new)
        qs = "&".join(part for part in (before, middle, after) if part)
        return f"{self.path}?{qs}" if qs else self.path


@lru_cache(maxsize=8192)
def filter_url(path: str, param: str, value: str) -> str:
    """The search filtered on one facet value: the link behind every tag."""
    return f"{path}?{_encoded(param, value)}"


def url(path: str, query: SearchQuery, page: int = 1) -> str:
    qs = query.query_string(page)
    return f"{path}?{qs}" if qs else path


def selections_from(params: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Facet selections from multi-valued parameters, de-duplicated in order, blanks dropped."""
    selections = {}
    for facet in FACETS:
        values = [v.strip() for v in params.get(facet.param, []) if v.strip()]
        if values:
            selections[facet.param] = list(dict.fromkeys(values))
    return selections
