"""Statistics for any search (and its JSON twin): the charts count what the search counts.

One source of truth: a bar for a facet value is that value's facet count on the search page, and
it links to the search that gives exactly that number (the facet set to the one value, every
other filter kept). The sector × policy area matrix and the breakdowns the search cannot filter
on (sector combinations, start years) are counted with the catalog's facet bitsets on the final
mask of the same ``search()``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel, Field

from app.catalog import Catalog
from app.facets import FACETS
from app.query import SearchQuery, url
from app.search import ChipOut, Paths, SearchPage, facet_values, label_for, matching_docnums, search

STATISTICS_PATH = "/statistik"
API_STATISTICS_PATH = "/api/v1/statistics"
SEARCH_PATH = "/sog"
SHORT_LABEL = 34  # longer labels are shortened inside the SVG; the table has them in full
TOP_COMBINATIONS = 10
HEAT_LEVELS = 4
FACET_CHARTS = (  # (facet parameter, title, sorted by count, hide values with no cases)
    ("sector", "Sager pr. sektor", False, False),
    ("policy_area", "Sager pr. politikområde", True, True),
    ("success_factor", "Tilbagevendende succesfaktorer", True, True),
    ("barrier", "Tilbagevendende barrierer", True, True),
    ("source", "Sager pr. publikation", False, False),
    ("period", "Sager pr. periode", False, False),
)
FACET_LABELS = {facet.param: facet.label for facet in FACETS}


class BarOut(BaseModel):
    value: str = Field(description="Værdiens slug (eller fx årstallet) / the value")
    label: str = Field(description="Dansk betegnelse / Danish label")
    short_label: str = Field(description="Betegnelsen, forkortet til diagrammet")
    count: int = Field(description="Antal sager / number of cases")
    percent: float = Field(description="Antallet i procent af diagrammets største værdi")
    selected: bool = Field(description="Om værdien er valgt i søgningen / selected now")
    url: str | None = Field(description="Søgningen, der giver præcis dette antal; null hvis ingen")


class ChartOut(BaseModel):
    id: str = Field(description="Diagrammets id / the chart's id")
    title: str = Field(description="Titel / title")
    description: str = Field(description="Tekstalternativ: hvad diagrammet viser, i ord")
    value_header: str = Field(description="Kolonneoverskrift for værdierne i datatabellen")
    param: str | None = Field(description="Facetparameteren, hvis diagrammet er en facet")
    note: str | None = Field(description="Hvordan der er talt, når det ikke er oplagt")
    bars: list[BarOut] = Field(description="Søjlerne i den viste rækkefølge / the bars")


class MatrixColumnOut(BaseModel):
    value: str = Field(description="Sektorens slug / sector slug")
    label: str = Field(description="Dansk betegnelse / Danish label")
    selected: bool = Field(description="Om sektoren er valgt / selected now")


class MatrixCellOut(BaseModel):
    column: str = Field(description="Sektorens slug / the column's sector")
    count: int = Field(description="Sager med både politikområdet og sektoren")
    level: int = Field(description="Farvetrin 0–4 (0 = ingen sager) / shade step")
    url: str | None = Field(description="Søgningen, der giver præcis dette antal; null ved 0")


class MatrixRowOut(BaseModel):
    value: str = Field(description="Politikområdets slug / policy area slug")
    label: str = Field(description="Dansk betegnelse / Danish label")
    selected: bool = Field(description="Om politikområdet er valgt / selected now")
    cells: list[MatrixCellOut] = Field(description="Én celle pr. sektor / one cell per sector")


class MatrixOut(BaseModel):
    id: str = Field(description="Tabellens id / the table's id")
    title: str = Field(description="Titel / title")
    description: str = Field(description="Tekstalternativ / text alternative")
    note: str | None = Field(description="Hvordan der er talt, når det ikke er oplagt")
    columns: list[MatrixColumnOut] = Field(description="Én kolonne pr. sektor / per sector")
    rows: list[MatrixRowOut] = Field(description="Politikområder med mindst én sag")


class StatisticsPage(BaseModel):
    """The statistics page's data; `/statistik` and `/api/v1/statistics` both use it."""

    total: int = Field(description="Antal sager i søgningen / cases in the search")
    description: str = Field(description="Søgningen beskrevet i én dansk sætning")
    applied_filters: list[ChipOut] = Field(description="Aktive filtre; fjern-URL'erne er statistik")
    charts: list[ChartOut] = Field(description="Facetdiagrammerne / the facet charts")
    combinations: ChartOut = Field(description="De hyppigste sektorkombinationer (partnermiks)")
    start_years: ChartOut = Field(description="Sager pr. startår / cases per start year")
    matrix: MatrixOut = Field(description="Sektorer × politikområder (varmetabel)")
    search_url: str = Field(description="Den samme søgning som liste / the search as a list")
    self_url: str = Field(description="Denne statistik / this page")
    api_url: str = Field(description="Statistikken som JSON / as JSON")


def short(label: str) -> str:
    return label if len(label) <= SHORT_LABEL else label[: SHORT_LABEL - 1].rstrip() + "…"


def link_query(query: SearchQuery) -> SearchQuery:
    """The search as a link: filters and words kept; page, size, sort, comparison and the choice
    of facets to count dropped (the charts need every facet)."""
    update = {"page": 1, "per_page": query.default_per_page, "sort": None, "compare": ()}
    return query.model_copy(update={**update, "facets": None})


def statistics_url(query: SearchQuery) -> str:
    return url(STATISTICS_PATH, link_query(query))


def final_mask(catalog: Catalog, query: SearchQuery, paths: Paths) -> tuple[SearchPage, int]:
    """The search page (its facet counts, one result) and its final mask over document numbers,
    from the same computation: the charts count what the facets count."""
    page = search(catalog, query.changed(per_page=1), paths, toggle_urls=False)
    return page, matching_docnums(catalog, query)


def bars_of(
    items: Iterable[tuple[str, str, int, bool, str | None]], by_count: bool
) -> list[BarOut]:
    """Bars from (value, label, count, selected, link), optionally sorted by count."""
    rows = list(items)
    if by_count:
        rows.sort(key=lambda item: -item[2])  # stable: ties keep the vocabulary's order
    top = max((item[2] for item in rows), default=0) or 1
    return [
        BarOut(
            value=value,
            label=label,
            short_label=short(label),
            count=count,
            percent=round(100 * count / top, 2),
            selected=selected,
            url=link,
        )
        for value, label, count, selected, link in rows
    ]


def describe_bars(kind: str, bars: list[BarOut], unit: str = "sager") -> str:
    if not bars or not any(bar.count for bar in bars):
        return f"{kind}: ingen {unit} i søgningen."
    ranked = sorted(bars, key=lambda bar: -bar.count)[:3]
    top = ", ".join(f"{bar.label} ({bar.count})" for bar in ranked if bar.count)
    return f"{kind}, {len(bars)} værdier. Flest {unit}: {top}. Alle tal står i tabellen."


def facet_chart(
    query: SearchQuery, page: SearchPage, param: str, title: str, by_count: bool, hide: bool
) -> ChartOut:
    facet = next(f for f in page.facets if f.param == param)
    base = link_query(query)
    items = [
        (
            v.value,
            v.label,
            v.count,
            v.selected,
            url(SEARCH_PATH, base.changed(selections={**base.selections, param: [v.value]}))
            if v.count
            else None,
        )
        for v in facet.values
        if v.count or v.selected or not hide
    ]
    bars = bars_of(items, by_count)
    note = None
    if query.selected(param):
        note = (
            f"{facet.label} er valgt i søgningen. Som i søgningens filtre viser hver søjle, hvor "
            f"mange sager værdien giver sammen med de øvrige valg; de valgte er markeret »valgt«."
        )
    elif param == "period":
        note = "En sag tæller i hver periode, den var i gang i; igangværende sager til i dag."
    return ChartOut(
        id=f"chart-{param}",
        title=title,
        description=describe_bars(title, bars),
        value_header=facet.label,
        param=param,
        note=note,
        bars=bars,
    )


def combinations_chart(catalog: Catalog, mask: int) -> ChartOut:
    order = {value: index for index, (value, _, _) in enumerate(facet_values(catalog, "sector"))}
    counts: Counter[tuple[str, ...]] = Counter()
    for docnum, record in catalog.records.items():
        if mask >> docnum & 1:
            counts[tuple(sorted(record.tags.get("sector", []), key=order.__getitem__))] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], len(item[0]), item[0]))
    items = [
        (
            "+".join(combo),
            " + ".join(label_for(catalog, "sector", value) for value in combo),
            count,
            False,
            None,
        )
        for combo, count in ranked[:TOP_COMBINATIONS]
    ]
    bars = bars_of(items, by_count=True)
    title = "De hyppigste sektorkombinationer"
    return ChartOut(
        id="chart-combinations",
        title=title,
        description=describe_bars(title, bars),
        value_header="Sektorer i partnerskabet",
        param=None,
        note=(
            "Hver sag tæller én gang, under præcis den kombination af sektorer, dens partnere "
            f"kommer fra (de {TOP_COMBINATIONS} hyppigste). Søgningen kan ikke kræve flere "
            "sektorer på én gang (to valg i samme filter betyder »eller«), så søjlerne har intet "
            "søgelink."
        ),
        bars=bars,
    )


def start_years_chart(catalog: Catalog, mask: int) -> ChartOut:
    counts: Counter[int | None] = Counter(
        record.period_start for docnum, record in catalog.records.items() if mask >> docnum & 1
    )
    unknown = counts.pop(None, 0)
    items = [(str(y), str(y), counts[y], False, None) for y in sorted(y for y in counts if y)]
    if unknown:  # the source gives no start year: counted apart, never guessed
        items.append(("ukendt", "Ukendt startår", unknown, False, None))
    bars = bars_of(items, by_count=False)
    title = "Sager pr. startår"
    return ChartOut(
        id="chart-start-years",
        title=title,
        description=describe_bars(title, bars),
        value_header="Startår",
        param=None,
        note=(
            "Hver sag tæller under det år, partnerskabet startede (år uden sager er udeladt). "
            "Søgningens årsfilter finder sager, der var i gang i et år, ikke sager, der startede "
            "det år, så søjlerne har intet søgelink; se perioderne ovenfor."
        ),
        bars=bars,
    )


def matrix(catalog: Catalog, query: SearchQuery, mask: int) -> MatrixOut:
    """Policy areas × sectors on the search without those two filters (like their facets)."""
    masks = catalog.facets.masks
    base = link_query(query)
    sectors = facet_values(catalog, "sector")
    grid = {
        (area, sector): (
            mask & masks["policy_area"].get(area, 0) & masks["sector"].get(sector, 0)
        ).bit_count()
        for area, _, _ in facet_values(catalog, "policy_area")
        for sector, _, _ in sectors
    }
    top = max(grid.values(), default=0) or 1
    columns = [
        MatrixColumnOut(value=sector, label=label, selected=query.is_selected("sector", sector))
        for sector, label, _ in sectors
    ]
    rows = []
    for area, label, _ in facet_values(catalog, "policy_area"):
        selected = query.is_selected("policy_area", area)
        if not selected and not any(grid[(area, sector)] for sector, _, _ in sectors):
            continue
        cells = []
        for sector, _, _ in sectors:
            count = grid[(area, sector)]
            selections = {**base.selections, "sector": [sector], "policy_area": [area]}
            cells.append(
                MatrixCellOut(
                    column=sector,
                    count=count,
                    level=0 if not count else max(1, round(HEAT_LEVELS * count / top)),
                    url=url(SEARCH_PATH, base.changed(selections=selections)) if count else None,
                )
            )
        rows.append(MatrixRowOut(value=area, label=label, selected=selected, cells=cells))
    (area, sector), most = max(grid.items(), key=lambda item: item[1])
    summary = (
        f"Flest sager: {label_for(catalog, 'sector', sector)} inden for "
        f"{label_for(catalog, 'policy_area', area)} ({most})."
        if most
        else "Ingen sager i søgningen."
    )
    filtered = query.selected("sector") or query.selected("policy_area")
    return MatrixOut(
        id="matrix-policy-area-sector",
        title="Politikområder og sektorer",
        description=(
            "Tabel med en række pr. politikområde og en kolonne pr. sektor; hver celle er "
            f"antallet af sager med begge, og mørkere felter har flere sager. {summary}"
        ),
        note=(
            "Sektor eller politikområde er valgt i søgningen. Som i søgningens filtre tæller "
            "tabellen alle sektorer og politikområder sammen med de øvrige valg; de valgte er "
            "markeret »valgt«."
            if filtered
            else None
        ),
        columns=columns,
        rows=rows,
    )


def statistics(catalog: Catalog, query: SearchQuery, paths: Paths) -> StatisticsPage:
    """``paths.search`` is the statistics page itself, so removing a filter stays here."""
    query = link_query(query)
    page, mask = final_mask(catalog, query, paths)
    if query.selected("sector") or query.selected("policy_area"):
        without = {k: v for k, v in query.selections.items() if k not in ("sector", "policy_area")}
        _, grid_mask = final_mask(catalog, query.changed(selections=without), paths)
    else:
        grid_mask = mask
    base = link_query(query)
    return StatisticsPage(
        total=page.total,
        description=page.description,
        applied_filters=page.applied_filters,
        charts=[
            facet_chart(query, page, param, title, by_count, hide)
            for param, title, by_count, hide in FACET_CHARTS
        ],
        combinations=combinations_chart(catalog, mask),
        start_years=start_years_chart(catalog, mask),
        matrix=matrix(catalog, query, grid_mask),
        search_url=url(SEARCH_PATH, base),
        self_url=url(STATISTICS_PATH, base),
        api_url=url(API_STATISTICS_PATH, base),
    )
