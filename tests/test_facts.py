"""Facts a civil servant takes at face value: status as of the source, years as the source gives
them, regions that contain their municipalities, kommunegrupper, and what "Nyeste" means.

Expected values are derived from the case files and content/geography.yml, never typed in."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from app.build import build
from app.catalog import Catalog, CatalogHolder
from app.content import load_cases
from app.paths import Paths
from app.query import SearchQuery
from app.search import search
from app.vocabulary import load_vocabulary
from tests.conftest import FIXTURES, make_content, make_settings

PATHS = Paths(search="/sog", base_url="http://testserver")
BASE = FIXTURES / "cases" / "valid-psykiatri-peer-region.md"


def case_text(title: str, period: str, status: str, geography: str, year: int = 2021) -> str:
    """A valid case (from »Sammen ved vi bedst«, 2021, unless another year is given)."""
    publications = {
        2021: ("sammen-ved-vi-bedst-2021", "001_b1933b35d16dd47e.txt"),
        2011: ("fremtidens-velfaerdsalliancer-2011", "004_98392b3b1af37b3f.txt"),
    }
    vocab = load_vocabulary(Path("content"))
    publication = vocab.publication(publications[year][0])
    assert publication is not None
    return f"""---
title: {title}
summary: >-
  En kommune og en forening arbejder sammen om at støtte borgere med psykiske vanskeligheder.
partners:
  - name: En kommune
    sector: kommune
  - name: En forening
    sector: civilsamfund
sectors: [kommune, civilsamfund]
target_groups: [psykisk-saarbare]
policy_areas: [psykiatri]
success_factors: [borgerinddragelse]
geography: [{geography}]
period: {period}
status: {status}
source:
  publication: {publication.slug}
  title: "{publication.label}"
  publisher: {publication.publisher}
  year: {publication.year}
  section: Et afsnit
  seed: {publication.seed}
added: 2026-03-15
---
## Baggrund og formål

Kommunen og foreningen ville styrke støtten til borgerne.
"""


EXTRA = {
    "planlagt-slut-2023": ("Planlagt slut i 2023", "{start: 2019, end: 2023}", "igangværende",
                           "odense"),
    "igang-2011-uden-slut": ("I gang i 2011 uden slutår", "{start: 2009, end: null}",
                             "igangværende", "esbjerg", 2011),
    "ukendt-start": ("Ukendt start og slut", "{start: null, end: null}", "ukendt", "aalborg"),
    "anslaaet-start": ("Anslået start", '{start: "ca. 2005", end: null}', "igangværende",
                       "vejle", 2011),
}  # fmt: skip


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Catalog, Path]]:
    root = tmp_path_factory.mktemp("facts")
    content = make_content(root / "content")
    for path in (FIXTURES / "browser_cases").glob("*.md"):
        shutil.copy2(path, content / "cases" / path.name)
    for slug, args in EXTRA.items():
        (content / "cases" / f"{slug}.md").write_text(case_text(*args), encoding="utf-8")
    settings = make_settings(root, content)
    report = build(settings, strict=True)
    assert not hasattr(report, "problems"), [str(p) for p in getattr(report, "problems", [])]
    holder = CatalogHolder(settings)
    yield holder.get(), content
    holder.close()


def front_matters(content: Path) -> dict[str, dict[str, object]]:
    found = {}
    for path in (content / "cases").glob("*.md"):
        front = path.read_text(encoding="utf-8").split("---\n")[1]
        found[path.stem] = yaml.safe_load(front)
    return found


def slugs(catalog: Catalog, **params: object) -> set[str]:
    query = SearchQuery(per_page=100, **params)  # type: ignore[arg-type]
    return {r.slug for r in search(catalog, query, PATHS).results}


def geography_file() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(Path("content/geography.yml").read_text(encoding="utf-8"))
    return {m["slug"]: m for m in data["municipalities"]}


def test_a_region_filter_finds_the_cases_of_its_municipalities(
    collection: tuple[Catalog, Path],
) -> None:
    catalog, content = collection
    municipalities = geography_file()
    for region in ("region-syddanmark", "region-midtjylland"):
        expected = {
            slug
            for slug, front in front_matters(content).items()
            if any(
                place == region or municipalities.get(place, {}).get("region") == region
                for place in front["geography"]  # type: ignore[attr-defined]
            )
        }
        assert len(expected) >= 2, region  # the fixture must exercise the hierarchy
        assert slugs(catalog, selections={"geography": [region]}) == expected
        page = search(catalog, SearchQuery(), PATHS)
        counts = {v.value: v.count for f in page.facets if f.param == "geography" for v in f.values}
        assert counts[region] == len(expected)


def test_kommunegruppe_filters_by_danmarks_statistik_group(
    collection: tuple[Catalog, Path],
) -> None:
    catalog, content = collection
    municipalities = geography_file()
    for group in ("storbykommuner", "provinsbykommuner"):
        expected = {
            slug
            for slug, front in front_matters(content).items()
            if any(
                municipalities.get(p, {}).get("kommunegruppe") == group
                for p in front["geography"]  # type: ignore[attr-defined]
            )
        }
        assert expected, group
        assert slugs(catalog, selections={"kommunegruppe": [group]}) == expected


def test_a_case_with_a_known_end_that_has_passed_is_not_shown_as_ongoing(
    collection: tuple[Catalog, Path],
) -> None:
    catalog, _ = collection
    record = catalog.case("planlagt-slut-2023")
    assert record.status == "igangværende"  # what the 2021 source said
    assert record.status_now == "afsluttet"  # 2023 has passed
    assert "igangværende" not in slugs(catalog, q="")  # sanity: no slug collision
    assert "planlagt-slut-2023" in slugs(catalog, selections={"status": ["afsluttet"]})
    assert "planlagt-slut-2023" not in slugs(catalog, selections={"status": ["igangværende"]})
    result = next(
        r
        for r in search(catalog, SearchQuery(q="Planlagt slut"), PATHS).results
        if r.slug == "planlagt-slut-2023"
    )
    assert result.status == "afsluttet"
    assert result.status_label.startswith("Afsluttet efter kildens slutår 2023")


def test_ongoing_says_as_of_the_source(collection: tuple[Catalog, Path]) -> None:
    catalog, _ = collection
    record = catalog.case("igang-2011-uden-slut")
    assert record.status_label == "Igangværende ved udgivelsen i 2011; nyere status ukendt"
    assert record.period_label == "2009–"
    assert catalog.case("anslaaet-start").period_label == "ca. 2005–"
    assert catalog.case("ukendt-start").period_label == "Ukendt"


def test_unknown_years_are_in_no_year_range_and_ongoing_counts_to_the_source_year(
    collection: tuple[Catalog, Path],
) -> None:
    catalog, _ = collection
    assert "ukendt-start" not in slugs(catalog, year_from=1950, year_to=2030)
    assert "ukendt-start" in slugs(catalog, selections={"period": ["ukendt"]})
    assert "igang-2011-uden-slut" in slugs(catalog, year_from=2011, year_to=2011)
    assert "igang-2011-uden-slut" not in slugs(catalog, year_from=2012)


def test_newest_follows_the_documented_rule(collection: tuple[Catalog, Path]) -> None:
    """Nyeste: the last year a case is known to run (its end, else its source's year when it
    was ongoing then, else its start), then its start year, then the source's year; ties by
    slug."""
    catalog, content = collection

    def key(slug: str, front: dict[str, object]) -> tuple[int, int, int, str]:
        period = front["period"]
        assert isinstance(period, dict)
        year = int(front["source"]["year"])  # type: ignore[index]

        def as_year(value: object) -> int | None:
            return None if value is None else int(str(value).removeprefix("ca. "))

        start, end = as_year(period.get("start")), as_year(period.get("end"))
        last = end if end is not None else (year if front["status"] == "igangværende" else start)
        return (-(last or year), -(start or 0), -year, slug)

    fronts = front_matters(content)
    expected = sorted(fronts, key=lambda slug: key(slug, fronts[slug]))
    page = search(catalog, SearchQuery(sort="newest", per_page=100), PATHS)
    assert [r.slug for r in page.results] == expected


def test_validator_requires_marked_approximations_and_status_in_its_place(
    tmp_path: Path,
) -> None:
    content = make_content(tmp_path / "content", cases=None)
    cases = content / "cases"
    (cases / "omkring.md").write_text(
        case_text("Omkring et år", '{start: "omkring 2010", end: null}', "igangværende", "odense"),
        encoding="utf-8",
    )
    (cases / "slut-i-status.md").write_text(
        case_text(
            "Status i slutåret", "{start: 2010, end: igangværende}", "igangværende", "odense"
        ),
        encoding="utf-8",
    )
    (cases / "ok.md").write_text(
        case_text("Anslået og gyldig", '{start: "ca. 2010", end: null}', "igangværende", "odense"),
        encoding="utf-8",
    )
    result = load_cases(cases, load_vocabulary(content))
    printed = [str(p) for p in result.problems]
    assert [c.slug for c in result.cases] == ["ok"]
    assert any(
        p.startswith("cases/omkring.md:") and "period.start" in p and "'ca. ÅÅÅÅ'" in p
        for p in printed
    ), printed
    assert any(
        p.startswith("cases/slut-i-status.md:") and "hører til i 'status'" in p for p in printed
    ), printed
