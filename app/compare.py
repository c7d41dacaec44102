"""Two to four cases side by side (and its JSON twin): one column per case, one row per aspect.

The selection lives in the URL: ``/sammenlign?sag=a&sag=b``. While a visitor is still choosing,
the search page carries the cases chosen so far as ``sammenlign`` parameters (see
``SearchQuery.compare``); this module makes every link that adds or removes one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from html import unescape
from typing import Literal
from urllib.parse import urlencode

from pydantic import BaseModel, Field

from app.casepage import SourceOut, citation
from app.catalog import CaseRecord, Catalog
from app.errors import InvalidQueryError
from app.query import SearchQuery, filter_url, url
from app.search import Paths, label_for

MIN_CASES = 2
MAX_CASES = 4
COMPARE_PATH = "/sammenlign"
API_COMPARE_PATH = "/api/v1/compare"
PARAM = "sag"
ORGANISATION = "Organisering"
_SECTION = re.compile(r"<h2>([^<]*)</h2>")
_TAG = re.compile(r"<[^>]+>")


class CompareValueOut(BaseModel):
    value: str = Field(description="Slug eller tekst / the value's slug or text")
    label: str = Field(description="Dansk betegnelse / Danish label")
    url: str | None = Field(None, description="Søgningen filtreret på værdien, hvis en tag")
    shared: bool = Field(description="True når alle sammenlignede sager har værdien")
    shared_count: int = Field(description="Hvor mange af de sammenlignede sager har værdien")


class CompareCellOut(BaseModel):
    values: list[CompareValueOut] = Field(description="Værdierne for denne sag (lister og tags)")
    text: str | None = Field(None, description="Teksten, for tekstaspekter; null hvis ukendt")
    html: str | None = Field(None, description="Saneret HTML, for afsnittet Organisering")


class CompareRowOut(BaseModel):
    key: str = Field(description="Aspektets id, fx `sectors` / the aspect's id")
    label: str = Field(description="Aspektets danske navn / Danish name of the aspect")
    kind: Literal["values", "text", "html"] = Field(description="Hvordan cellerne læses")
    shared: list[str] = Field(description="Labels på værdier, som alle sagerne deler")
    cells: list[CompareCellOut] = Field(description="Én celle pr. sag, i sagernes rækkefølge")


class CompareCaseOut(BaseModel):
    slug: str = Field(description="Sagens id / the case's id")
    title: str = Field(description="Titel / title")
    path: str = Field(description="Sagens side / the case page")
    api_url: str = Field(description="Sagen i API'et / the case in the API")
    remove_url: str = Field(description="Sammenligningen uden denne sag (eller søgningen)")
    remove_label: str = Field(description="Linktekst til at fjerne sagen / text of that link")


class ComparePage(BaseModel):
    """The comparison page's data; `/sammenlign` and `/api/v1/compare` both use it."""

    cases: list[CompareCaseOut] = Field(description="De sammenlignede sager, 2–4")
    rows: list[CompareRowOut] = Field(description="Ét aspekt pr. række / one aspect per row")
    description: str = Field(description="Én dansk sætning om sammenligningen")
    self_url: str = Field(description="Denne sammenligning / this comparison (shareable)")
    api_url: str = Field(description="Sammenligningen som JSON / as JSON")
    add_url: str | None = Field(description="Søg en sag mere frem; null ved fire sager")


class TrayCaseOut(BaseModel):
    slug: str
    title: str
    path: str
    remove_url: str


class CompareTrayOut(BaseModel):
    """The cases chosen on the search page so far, and the links that add a result."""

    cases: list[TrayCaseOut]
    compare_url: str | None  # once two or more are chosen
    add_urls: dict[str, str]  # result slug → link that adds it
    full: bool


def compare_url(slugs: Iterable[str]) -> str:
    return f"{COMPARE_PATH}?{urlencode([(PARAM, slug) for slug in slugs])}"


def chosen_cases(catalog: Catalog, slugs: Sequence[str], parameter: str = PARAM) -> list[str]:
    """The distinct, known slugs in order; an unknown one is an error naming it."""
    chosen = list(dict.fromkeys(slug.strip() for slug in slugs if slug.strip()))
    if len(chosen) > MAX_CASES:
        raise InvalidQueryError(
            parameter,
            f"Der kan højst sammenlignes {MAX_CASES} sager ad gangen; der er valgt {len(chosen)}.",
        )
    for slug in chosen:
        if slug not in catalog.docnum_by_slug:
            close = difflib.get_close_matches(slug, sorted(catalog.docnum_by_slug), n=1)
            hint = f" Mente du '{close[0]}'?" if close else ""
            raise InvalidQueryError(parameter, f"Sagen '{slug}' findes ikke i samlingen.{hint}")
    return chosen


def validate(catalog: Catalog, slugs: Sequence[str]) -> list[str]:
    chosen = chosen_cases(catalog, slugs)
    if len(chosen) < MIN_CASES:
        found = "ingen" if not chosen else f"kun én ('{chosen[0]}')"
        raise InvalidQueryError(
            PARAM,
            f"Vælg mindst {MIN_CASES} forskellige sager at sammenligne med parameteren "
            f"'{PARAM}'; der er valgt {found}.",
        )
    return chosen


def organisation_html(record: CaseRecord) -> str | None:
    """The body section "Organisering" as sanitised HTML (cut from the rendered body)."""
    parts = _SECTION.split(record.body_html)  # [before, title, body, title, body, ...]
    for title, body in zip(parts[1::2], parts[2::2], strict=True):
        if unescape(title).strip() == ORGANISATION:
            return body.strip() or None
    return None


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(_TAG.sub(" ", html))).strip()


Extract = Callable[[CaseRecord], list[tuple[str, str, str | None]]]  # (value, label, url)


def _values_row(key: str, label: str, records: list[CaseRecord], extract: Extract) -> CompareRowOut:
    per_case = [extract(record) for record in records]
    counts: dict[str, int] = {}
    for values in per_case:
        for value in dict.fromkeys(v for v, _, _ in values):
            counts[value] = counts.get(value, 0) + 1
    everyone = len(records)
    cells = [
        CompareCellOut(
            values=[
                CompareValueOut(
                    value=value,
                    label=text,
                    url=link,
                    shared=counts[value] == everyone,
                    shared_count=counts[value],
                )
                for value, text, link in values
            ]
        )
        for values in per_case
    ]
    shared = list(dict.fromkeys(v.label for cell in cells for v in cell.values if v.shared))
    return CompareRowOut(key=key, label=label, kind="values", shared=shared, cells=cells)


def _text_row(key: str, label: str, texts: list[str | None]) -> CompareRowOut:
    return CompareRowOut(
        key=key,
        label=label,
        kind="text",
        shared=[],
        cells=[CompareCellOut(values=[], text=text) for text in texts],
    )


def _tags(catalog: Catalog, paths: Paths, param: str) -> Extract:
    def extract(record: CaseRecord) -> list[tuple[str, str, str | None]]:
        return [
            (value, label_for(catalog, param, value), filter_url(paths.search, param, value))
            for value in record.tags.get(param, [])
        ]

    return extract


def _partners(catalog: Catalog) -> Extract:
    def extract(record: CaseRecord) -> list[tuple[str, str, str | None]]:
        out: list[tuple[str, str, str | None]] = []
        for partner in record.partners:
            sector = catalog.vocab.label("sectors", partner["sector"])
            role = partner.get("role")
            detail = f"{sector}, {catalog.vocab.label('roles', role).lower()}" if role else sector
            out.append((partner["name"], f"{partner['name']} ({detail})", None))
        return out

    return extract


def _source(sources: dict[str, SourceOut], paths: Paths) -> Extract:
    def extract(record: CaseRecord) -> list[tuple[str, str, str | None]]:
        source = sources[record.slug]
        link = filter_url(paths.search, "source", source.publication)
        return [(source.publication, source.citation, link)]

    return extract


def rows_for(catalog: Catalog, records: list[CaseRecord], paths: Paths) -> list[CompareRowOut]:
    sources = {record.slug: citation(catalog, record) for record in records}
    organisation = [organisation_html(record) for record in records]

    def single(param: str, get: Callable[[CaseRecord], str]) -> Extract:
        return lambda r: [(get(r), label_for(catalog, param, get(r)), None)]

    return [
        _text_row("summary", "Resumé", [record.summary for record in records]),
        _values_row("partners", "Partnere, sektor og rolle", records, _partners(catalog)),
        _values_row("sectors", "Sektorer", records, _tags(catalog, paths, "sector")),
        _values_row("target_groups", "Målgrupper", records, _tags(catalog, paths, "target_group")),
        _values_row(
            "policy_areas", "Politikområder", records, _tags(catalog, paths, "policy_area")
        ),
        _values_row("geography", "Geografi", records, _tags(catalog, paths, "geography")),
        _values_row(
            "period", "Periode", records, lambda r: [(r.period_label, r.period_label, None)]
        ),
        _values_row("status", "Status", records, lambda r: [(r.status_now, r.status_label, None)]),
        CompareRowOut(
            key="organisation",
            label=ORGANISATION,
            kind="html",
            shared=[],
            cells=[
                CompareCellOut(values=[], html=html, text=plain(html) if html else None)
                for html in organisation
            ],
        ),
        _values_row(
            "key_results",
            "Nøgleresultater",
            records,
            lambda r: [(k, k, None) for k in r.key_results],
        ),
        _values_row(
            "success_factors", "Succesfaktorer", records, _tags(catalog, paths, "success_factor")
        ),
        _values_row("barriers", "Barrierer", records, _tags(catalog, paths, "barrier")),
        _values_row("source", "Kilde", records, _source(sources, paths)),
    ]


def _case_out(
    record: CaseRecord, slugs: list[str], paths: Paths, search_path: str
) -> CompareCaseOut:
    rest = [slug for slug in slugs if slug != record.slug]
    if len(rest) >= MIN_CASES:
        remove_url, remove_label = compare_url(rest), "Fjern fra sammenligningen"
    else:
        remove_url = url(search_path, SearchQuery(compare=tuple(rest)))
        remove_label = "Fjern og vælg en anden sag"
    return CompareCaseOut(
        slug=record.slug,
        title=record.title,
        path=f"{paths.case}{record.slug}",
        api_url=f"{paths.api_case}{record.slug}",
        remove_url=remove_url,
        remove_label=remove_label,
    )


def compare(
    catalog: Catalog, slugs: Sequence[str], paths: Paths, search_path: str = "/sog"
) -> ComparePage:
    chosen = validate(catalog, slugs)
    records = [catalog.case(slug) for slug in chosen]
    rows = rows_for(catalog, records, paths)
    shared = sum(len(row.shared) for row in rows if row.key not in ("partners", "source"))
    qs = urlencode([(PARAM, slug) for slug in chosen])
    return ComparePage(
        cases=[_case_out(record, chosen, paths, search_path) for record in records],
        rows=rows,
        description=(
            f"Sammenligning af {len(chosen)} sager: "
            f"{shared} {'fælles værdi' if shared == 1 else 'fælles værdier'} i tags, "
            "periode og status."
        ),
        self_url=f"{COMPARE_PATH}?{qs}",
        api_url=f"{API_COMPARE_PATH}?{qs}",
        add_url=url(search_path, SearchQuery(compare=tuple(chosen)))
        if len(chosen) < MAX_CASES
        else None,
    )


def tray(
    catalog: Catalog,
    query: SearchQuery,
    result_slugs: Iterable[str],
    search_path: str,
    case_path: str = "/sag/",
) -> CompareTrayOut:
    """The search page's comparison in progress: ``query.compare`` is already validated."""
    chosen = list(query.compare)
    cases = [
        TrayCaseOut(
            slug=slug,
            title=catalog.case(slug).title,
            path=f"{case_path}{slug}",
            remove_url=url(
                search_path,
                query.model_copy(update={"compare": tuple(s for s in chosen if s != slug)}),
            ),
        )
        for slug in chosen
    ]
    add_urls = {}
    if len(chosen) < MAX_CASES:
        for slug in result_slugs:
            if slug in chosen:
                continue
            grown = (*chosen, slug)
            add_urls[slug] = (
                compare_url(grown)
                if len(grown) >= MIN_CASES
                else url(search_path, query.model_copy(update={"compare": grown}))
            )
    return CompareTrayOut(
        cases=cases,
        compare_url=compare_url(chosen) if len(chosen) >= MIN_CASES else None,
        add_urls=add_urls,
        full=len(chosen) >= MAX_CASES,
    )


class CaseCompareLinksOut(BaseModel):
    """From a case page: pick a second case in the search, or compare with a related case."""

    start_url: str
    with_related: dict[str, str]  # related slug → the comparison of the two


def case_links(slug: str, related: Iterable[str], search_path: str = "/sog") -> CaseCompareLinksOut:
    return CaseCompareLinksOut(
        start_url=url(search_path, SearchQuery(compare=(slug,))),
        with_related={other: compare_url((slug, other)) for other in related},
    )
