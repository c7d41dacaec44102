"""One Danish sentence that describes a search, e.g.
"12 sager om hjemløse, hvor en kommune og civilsamfundet deltager". Each facet's wording comes
from its ``Phrase`` in the registry; a value's own ``phrase`` (sectors, status) wins over its
label."""

from __future__ import annotations

from app.facets import FACETS, FacetSpec, Labels
from app.query import SearchQuery


def _join(items: list[str], word: str = "eller") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _names(facet: FacetSpec, query: SearchQuery, labels: Labels) -> list[str]:
    names = []
    for value in query.selected(facet.param):
        phrase = labels.phrase(facet.param, value)
        name = phrase or labels.label(facet.param, value)
        if phrase is None and facet.phrase.lower:
            name = _lower_first(name)
        names.append(f"»{name}«" if facet.phrase.quote else name)
    return names


def describe(total: int, query: SearchQuery, labels: Labels) -> str:
    parts = [f"{total} sag" if total == 1 else f"{total} sager"]
    if query.q.strip():
        parts.append(f"om »{query.q.strip()}«")
    clauses: list[str] = []
    for facet in FACETS:
        if query.selected(facet.param):
            text = facet.phrase.template.format(_join(_names(facet, query, labels)))
            (clauses if facet.phrase.clause else parts).append(text)
    if query.year_from is not None or query.year_to is not None:
        low = query.year_from if query.year_from is not None else "…"
        high = query.year_to if query.year_to is not None else "…"
        parts.append(f"mellem {low} og {high}")
    sentence = " ".join(parts)
    if clauses:
        sentence += ", " + ", ".join(clauses)
    return sentence
