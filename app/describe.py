"""One Danish sentence that describes a search, e.g.
"12 sager om hjemløse, hvor en kommune og civilsamfundet deltager"."""

from __future__ import annotations

from collections.abc import Callable

from app.query import SearchQuery

SECTOR_PHRASES = {
    "stat": "staten",
    "region": "en region",
    "kommune": "en kommune",
    "civilsamfund": "civilsamfundet",
    "fond": "en fond",
    "privat": "en virksomhed",
    "uddannelse-forskning": "uddannelse og forskning",
    "borgere": "borgerne",
    "faglige-organisationer": "en faglig organisation",
}
STATUS_PHRASES = {
    "igangværende": "igangværende",
    "afsluttet": "afsluttede",
    "ukendt": "med ukendt status",
}


def _join(items: list[str], word: str = "eller") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def describe(total: int, query: SearchQuery, label: Callable[[str, str], str]) -> str:
    """``label(param, value)`` gives the Danish label of a facet value."""

    def labels(param: str, lower: bool = True) -> list[str]:
        found = [label(param, value) for value in query.selected(param)]
        return [_lower_first(text) for text in found] if lower else found

    parts = [f"{total} sag" if total == 1 else f"{total} sager"]
    if query.q.strip():
        parts.append(f"om »{query.q.strip()}«")
    if query.selected("target_group"):
        parts.append(f"for {_join(labels('target_group'))}")
    if query.selected("policy_area"):
        parts.append(f"inden for {_join(labels('policy_area'))}")
    if query.selected("geography"):
        parts.append(f"i {_join(labels('geography', lower=False))}")
    if query.selected("source"):
        parts.append(f"fra {_join([f'»{t}«' for t in labels('source', lower=False)])}")
    if query.selected("period"):
        parts.append(f"i perioden {_join(labels('period', lower=False))}")
    if query.year_from is not None or query.year_to is not None:
        low = query.year_from if query.year_from is not None else "…"
        high = query.year_to if query.year_to is not None else "…"
        parts.append(f"mellem {low} og {high}")
    sentence = " ".join(parts)
    clauses = []
    if query.selected("sector"):
        sectors = [SECTOR_PHRASES.get(v, v) for v in query.selected("sector")]
        clauses.append(f"hvor {_join(sectors)} deltager")
    if query.selected("success_factor"):
        clauses.append(f"med succesfaktoren {_join(labels('success_factor'))}")
    if query.selected("barrier"):
        clauses.append(f"med barrieren {_join(labels('barrier'))}")
    if query.selected("status"):
        clauses.append(
            "som er " + _join([STATUS_PHRASES.get(v, v) for v in query.selected("status")])
        )
    if clauses:
        sentence += ", " + ", ".join(clauses)
    return sentence
