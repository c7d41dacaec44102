"""Scenario tests on a small purpose-built collection: year ranges, related cases, the snippet
window, and the order of relaxations and match attempts. Each case is written for the scenario
it serves, so a broken rule shows up as a wrong slug, not as a changed count on shared fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from app import matching
from app import related as related_module
from app.build import build
from app.catalog import Catalog, CatalogHolder
from app.facets import FACETS, CaseFacts, FacetIndex, YearIndex, bits, bitset, period_buckets
from app.matching import MAX_RELAXED_WORDS, _needs, match_text
from app.query import SearchQuery, selections_from
from app.search import Paths, count_only, search
from app.snippets import SNIPPET_CHARS, snippet, window
from tests.conftest import make_content, make_settings

PATHS = Paths(search="/sog", base_url="http://testserver")

SOURCES = {
    2014: {
        "publication": "inspiration-til-partnerskaber-2014",
        "title": "Inspiration til partnerskaber: Case-samling",
        "publisher": "Økonomi- og Indenrigsministeriet",
        "year": 2014,
        "pages": "1-2",
        "seed": "000_012890777f491a6e.txt",
    },
    2021: {
        "publication": "sammen-ved-vi-bedst-2021",
        "title": "Sammen ved vi bedst: Ti eksempler på samarbejde på tværs af sektorer",
        "publisher": "Medarbejder- og Kompetencestyrelsen, KL og Danske Regioner",
        "year": 2021,
        "pages": "3-4",
        "seed": "001_b1933b35d16dd47e.txt",
    },
}


@dataclass(frozen=True)
class Spec:
    """One scenario case: the words it is about and the facts the scenarios turn on."""

    slug: str
    words: str  # distinct words for the title, summary and body
    period: dict[str, int]
    status: str = "afsluttet"
    source: int = 2014
    target_groups: tuple[str, ...] = ("aeldre",)
    sectors: tuple[str, ...] = ("kommune",)


# Year range: 2008–2012 overlaps 2010–2011; 2016–2017 does not; one without a start year; one
# ongoing at its source's publication (2021) with no end year.
# Related: the anchor shares the rare target group with »zeta« and the common one with »alpha«
# (slugs chosen so that alphabetical order, the tie-break, would put the wrong one first).
# Matching: harmonika/trompet/violin/fagot in chosen combinations.
SPECS = (
    Spec("y-overlapping", "vindmølle tagrende", {"start": 2008, "end": 2012}),
    Spec(
        "y-later",
        "sejlbåd ankerkæde",
        {"start": 2016, "end": 2017},
        source=2021,
        sectors=("stat",),
    ),
    Spec("y-unknown-start", "drivhus tomatplante", {}, status="ukendt"),
    Spec(
        "y-ongoing",
        "bikube honningslynge",
        {"start": 2019},
        status="igangværende",
        source=2021,
    ),
    Spec(
        "r-anchor",
        "fyrtårn lygtemand",
        {"start": 2010, "end": 2011},
        target_groups=("hjemloese", "aeldre"),
    ),
    Spec("r-zeta-rare", "kajak pagaj", {"start": 2010, "end": 2011}, target_groups=("hjemloese",)),
    Spec("r-alpha-common", "kano padleåre", {"start": 2010, "end": 2011}),
    Spec("m-three", "harmonika trompet violin", {"start": 2012, "end": 2013}),
    Spec("m-two", "harmonika trompet", {"start": 2011, "end": 2012}),
    Spec("m-one", "harmonika", {"start": 2005, "end": 2006}, sectors=("kommune", "stat")),
    Spec("m-fagot", "fagot", {"start": 2005, "end": 2006}, sectors=("kommune", "stat")),
)


def write_case(cases: Path, spec: Spec) -> None:
    partners = [{"name": f"Partner {s}", "sector": s, "role": "deltager"} for s in spec.sectors]
    front: dict[str, Any] = {
        "title": f"Sagen om {spec.words}",
        "summary": f"En sag, der handler om {spec.words} og intet andet af betydning.",
        "partners": partners,
        "sectors": list(spec.sectors),
        "target_groups": list(spec.target_groups),
        "policy_areas": ["socialomraadet"],
        "success_factors": ["faelles-maal"],
        "geography": ["aarhus"],
        "period": spec.period,
        "status": spec.status,
        "source": SOURCES[spec.source],
        "added": "2026-01-10",
    }
    body = (
        f"## Baggrund og formål\n\nMålet var {spec.words}.\n\n"
        f"## Resultater\n\nDet lykkedes med {spec.words}.\n"
    )
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body
    (cases / f"{spec.slug}.md").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    root = tmp_path_factory.mktemp("scenarios")
    content = make_content(root / "content", cases=None)
    for spec in SPECS:
        write_case(content / "cases", spec)
    settings = make_settings(root, content)
    build(settings)
    holder = CatalogHolder(settings)
    try:
        catalog = holder.get()
        assert sorted(r.slug for r in catalog.records.values()) == sorted(s.slug for s in SPECS)
        yield catalog
    finally:
        holder.close()


def slugs(catalog: Catalog, **params: Any) -> set[str]:
    page = search(catalog, SearchQuery(per_page=100, **params), PATHS)
    return {r.slug for r in page.results}


def mask_slugs(catalog: Catalog, mask: int) -> set[str]:
    return {catalog.records[d].slug for d in bits(mask)}


# --- year range -------------------------------------------------------------------------------


def test_year_range_includes_an_overlapping_case_and_excludes_one_outside(
    scenarios: Catalog,
) -> None:
    found = slugs(scenarios, year_from=2010, year_to=2011)
    assert "y-overlapping" in found  # runs 2008–2012, overlaps the range on both sides
    assert "y-later" not in found
    assert "m-one" not in found  # 2005–2006 ends before the range
    assert "y-overlapping" not in slugs(scenarios, year_from=2013, year_to=2015)
    assert "y-later" in slugs(scenarios, year_from=2017, year_to=2030)  # its last year
    assert "y-later" not in slugs(scenarios, year_from=2018)
    assert "y-later" in slugs(scenarios, year_to=2016)  # its first year
    assert "y-later" not in slugs(scenarios, year_to=2015)


def test_a_case_without_a_start_year_is_never_in_a_year_range(scenarios: Catalog) -> None:
    for params in ({"year_from": 1950, "year_to": 2100}, {"year_from": 1950}, {"year_to": 2100}):
        assert "y-unknown-start" not in slugs(scenarios, **params), params
    # ... but it is found without one
    assert "y-unknown-start" in slugs(scenarios)


def test_an_ongoing_case_counts_up_to_its_sources_year_only(scenarios: Catalog) -> None:
    assert "y-ongoing" in slugs(scenarios, year_from=2021, year_to=2021)  # the source's year
    assert "y-ongoing" in slugs(scenarios, year_from=2019, year_to=2019)  # its start
    assert "y-ongoing" not in slugs(scenarios, year_from=2022)  # not up to today
    assert "y-ongoing" not in slugs(scenarios, year_to=2018)


def test_year_index_between_is_an_or_of_the_years_in_range() -> None:
    index = YearIndex.build({0: range(2008, 2013), 1: range(2016, 2018), 2: range(0)})
    assert index.between(2010, 2011) == 0b001
    assert index.between(2012, 2016) == 0b011
    assert index.between(2013, 2015) == 0
    assert index.between(None, 2008) == 0b001
    assert index.between(2017, None) == 0b010
    assert index.between(None, None) == 0b011  # never the case without years


def test_active_years_and_period_buckets_follow_the_source() -> None:
    def facts(status: str, start: int | None, end: int | None, published: int) -> CaseFacts:
        return CaseFacts({}, "p", status, start, end, published, this_year=2026)

    assert facts("igangværende", 2019, None, 2021).active_years == range(2019, 2022)
    assert facts("afsluttet", 2008, 2012, 2014).active_years == range(2008, 2013)
    assert facts("afsluttet", 2008, None, 2014).active_years == range(2008, 2009)
    assert facts("ukendt", None, 2012, 2014).active_years == range(0)
    assert facts("igangværende", 2019, 2030, 2021).status_now == "igangværende"
    assert facts("igangværende", 2019, 2020, 2021).status_now == "afsluttet"
    assert facts("igangværende", 2019, 2026, 2021).status_now == "igangværende"  # not passed yet
    assert period_buckets(facts("afsluttet", 2004, 2005, 2014)) == ["foer-2005", "2005-2009"]
    assert period_buckets(facts("afsluttet", 2014, 2015, 2016)) == ["2010-2014", "2015-2019"]
    assert period_buckets(facts("ukendt", None, None, 2014)) == ["ukendt"]
    assert period_buckets(facts("igangværende", 2019, None, 2021)) == ["2015-2019", "2020-"]


def test_facet_index_ors_within_a_facet_and_ands_across() -> None:
    index = FacetIndex(
        {"sector": {"stat": 0b0011, "kommune": 0b0110}, "status": {"afsluttet": 0b0101}},
        all_docs=0b1111,
    )
    assert index.selection_mask("sector", []) == 0b1111  # nothing selected: every case
    assert index.selection_mask("sector", ["stat", "kommune"]) == 0b0111
    assert index.selection_mask("sector", ["ukendt-vaerdi"]) == 0
    both = {"sector": ["kommune"], "status": ["afsluttet"]}
    assert index.filter_mask(both) == 0b0100
    assert index.filter_mask(both, skip="sector") == 0b0101
    assert index.filter_mask({"sector": []}) == 0b1111
    assert index.counts("sector", 0b0100) == {"stat": 0, "kommune": 1}
    assert bits(bitset([0, 3, 9, 64])) == [0, 3, 9, 64]
    assert bitset([]) == 0 and bits(0) == []


# --- related cases ----------------------------------------------------------------------------


def related(catalog: Catalog, slug: str, every: bool = False) -> list[tuple[str, float, list[str]]]:
    """(slug, score, shared labels), best first: scored per case, or for all cases at once
    (``every``: not only the best few, so a case scored against itself would show)."""
    score_one = getattr(related_module, "score_related", None)
    if score_one is not None:
        return list(score_one(catalog, catalog.case(slug)))
    count = len(catalog.records) if every else related_module.RELATED_COUNT
    return list(related_module.compute_related(catalog, count=count)[slug])


def test_a_case_sharing_a_rare_tag_ranks_above_one_sharing_a_common_tag(
    scenarios: Catalog,
) -> None:
    ranked = [slug for slug, _, _ in related(scenarios, "r-anchor", every=True)]
    assert "r-zeta-rare" in ranked and "r-alpha-common" in ranked, ranked
    assert ranked.index("r-zeta-rare") < ranked.index("r-alpha-common"), ranked
    assert ranked[0] == "r-zeta-rare", ranked
    shared = {slug: labels for slug, _, labels in related(scenarios, "r-anchor")}
    assert scenarios.labels.label("target_group", "hjemloese") in shared["r-zeta-rare"]


def test_a_case_never_relates_to_itself(scenarios: Catalog) -> None:
    for spec in SPECS:
        found = [slug for slug, _, _ in related(scenarios, spec.slug, every=True)]
        assert spec.slug not in found, (spec.slug, found)
        assert len(found) >= len(SPECS) // 2, found  # the others are there


def test_related_scores_are_positive_sorted_and_not_all_equal(scenarios: Catalog) -> None:
    scored = related(scenarios, "r-anchor")
    scores = [score for _, score, _ in scored]
    assert all(score > 0 for score in scores), scored
    assert scores == sorted(scores, reverse=True), scored
    assert len(set(scores)) > 1, scored


# --- snippet window ---------------------------------------------------------------------------

FILLER = " ".join(f"ord{n:03d}" for n in range(200))  # 1,399 characters of 6-letter words


def spans_of(text: str, word: str) -> list[tuple[int, int]]:
    out, at = [], text.find(word)
    while at != -1:
        out.append((at, at + len(word)))
        at = text.find(word, at + 1)
    return out


def test_window_holds_the_densest_cluster_of_matches() -> None:
    # one lone match early, a cluster of four late
    text = FILLER.replace("ord005", "match1").replace("ord150", "match2")
    for n in (152, 154, 156):
        text = text.replace(f"ord{n}", "match2")
    spans = spans_of(text, "match1") + spans_of(text, "match2")
    start, end = window(text, sorted(spans))
    cluster = spans_of(text, "match2")
    assert len(cluster) == 4
    assert start <= cluster[0][0] and cluster[-1][1] <= end, (start, end, cluster)
    assert not start <= spans_of(text, "match1")[0][0] < end


def test_window_is_narrow_and_starts_and_ends_at_word_boundaries() -> None:
    for at in (0, 3, 40, 77, 100, 150, 199):
        word = f"ord{at:03d}"
        spans = spans_of(FILLER, word)
        start, end = window(FILLER, spans)
        assert 0 < end - start <= SNIPPET_CHARS + 20, (word, start, end)
        assert start <= spans[0][0] and spans[0][1] <= end, (word, start, end)
        assert start == 0 or FILLER[start - 1] == " ", (word, start, FILLER[start - 1 : start + 8])
        assert end == len(FILLER) or FILLER[end] == " ", (word, end, FILLER[end - 8 : end + 1])


@dataclass
class FakeRecord:
    summary: str
    body_text: str

    def spans(self, field: str, analyzer: Any) -> list[tuple[str, int, int]]:
        text = self.summary if field == "summary" else self.body_text
        return [("nøgle", a, b) for a, b in spans_of(text, "nøgle")]

    def spans_of(self, field: str, analyzer: Any) -> dict[str, list[tuple[int, int]]]:
        return {"nøgle": [(a, b) for _, a, b in self.spans(field, analyzer)]}


def test_snippet_marks_matches_and_escapes_html() -> None:
    body = FILLER[:600] + ' <b>R&D</b> nøgle "citat" ' + FILLER[600:]
    record = FakeRecord("Et resumé med <i>kursiv</i> & mere", body)
    out = snippet(record, {"nøgle"}, None)  # type: ignore[arg-type]
    assert '<mark class="match">nøgle</mark>' in out
    assert "&lt;b&gt;R&amp;D&lt;/b&gt;" in out
    assert "<b>" not in out and "<i>" not in out
    assert out.startswith("…") and out.endswith("…")
    assert len(out) < SNIPPET_CHARS + 200
    plain = snippet(record, set(), None)  # type: ignore[arg-type]
    assert plain == escape(record.summary)
    in_summary = FakeRecord("Resumé med nøgle & <tag>", body)
    assert snippet(in_summary, {"nøgle"}, None) == (  # type: ignore[arg-type]
        'Resumé med <mark class="match">nøgle</mark> &amp; &lt;tag&gt;'
    )


def test_search_results_show_the_matching_window_of_the_body(scenarios: Catalog) -> None:
    page = search(scenarios, SearchQuery(q="honningslynge"), PATHS)
    assert [r.slug for r in page.results] == ["y-ongoing"]
    assert '<mark class="match">honningslynge</mark>' in page.results[0].snippet


# --- relaxations and the order of match attempts ------------------------------------------------


def parse(link: str) -> SearchQuery:
    params = parse_qs(urlsplit(link).query)
    years = {k: int(params[k][0]) for k in ("year_from", "year_to") if k in params}
    return SearchQuery(q=params.get("q", [""])[0], selections=selections_from(params), **years)


def test_zero_results_offer_relaxations_sorted_by_their_true_counts(scenarios: Catalog) -> None:
    # harmonika: m-one (kommune+stat, 2005–2006), m-two (2011–2012), m-three (2012–2013);
    # stat from 2010: only y-later. Together: nothing.
    query = SearchQuery(q="harmonika", selections={"sector": ["stat"]}, year_from=2010)
    page = search(scenarios, query, PATHS)
    assert page.total == 0
    options = page.relaxations
    assert [(option.label, option.count) for option in options] == [
        ("Fjern Staten", 2),  # m-two, m-three
        ("Fjern søgeordet »harmonika«", 1),  # y-later
        ("Fjern 2010", 1),  # m-one
    ]
    for option in options:
        relaxed = parse(option.url)
        assert option.count == count_only(scenarios, relaxed), option
        assert option.count == search(scenarios, relaxed, PATHS).total, option
    # a filter whose removal still finds nothing is not offered
    none_left = search(scenarios, query.changed(year_to=2011), PATHS)
    assert none_left.total == 0
    assert all(option.count > 0 for option in none_left.relaxations)
    assert "Fjern 2011" not in {option.label for option in none_left.relaxations}


def test_match_attempts_all_but_one_for_three_to_six_words_then_any(
    scenarios: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two words or seven and more: all, then any. Three to six: at least all but one, and the
    cases with all of them rank first (the notice says exactly that). (Widening when the first
    attempt finds few cases is switched off here; the next test covers it.)"""
    monkeypatch.setattr(matching, "FEW_RESULTS", 0)
    assert _needs(1) == [1]
    assert _needs(2) == [2, 1]
    assert _needs(7) == [7, 1]  # "all but one" only for 3 to 6 words
    assert MAX_RELAXED_WORDS == 6
    assert _needs(3) == [2, 1] and _needs(6) == [5, 1]

    # three words, one case has all three, one has two: both, the full match first
    all_three = match_text(scenarios, "harmonika trompet violin")
    assert mask_slugs(scenarios, all_three.mask) == {"m-three", "m-two"}
    assert [scenarios.records[d].slug for d, _ in all_three.ranking] == ["m-three", "m-two"]
    assert all_three.notice == (
        "Viser sager med mindst 2 af de 3 ord; sager med alle ordene står først."
    )

    every = match_text(scenarios, "harmonika trompet")
    assert mask_slugs(scenarios, every.mask) == {"m-three", "m-two"}
    assert every.notice is None

    # no case has all three: the cases with two of them, not the one with one
    two_of_three = match_text(scenarios, "trompet violin fagot")
    assert mask_slugs(scenarios, two_of_three.mask) == {"m-three"}
    assert two_of_three.notice and "mindst 2" in two_of_three.notice

    three_of_four = match_text(scenarios, "harmonika trompet violin fagot")
    assert mask_slugs(scenarios, three_of_four.mask) == {"m-three"}
    assert [d for d, _ in three_of_four.ranking][:1] == [scenarios.docnum_by_slug["m-three"]]

    # two words with no case holding both: any word, most words first
    either = match_text(scenarios, "violin fagot")
    assert mask_slugs(scenarios, either.mask) == {"m-three", "m-fagot"}
    assert either.notice and "mindst 1" in either.notice

    # seven words: "all but one" is skipped, straight to any word
    many = "harmonika trompet violin kajak kano fyrtårn drivhus"
    anyword = match_text(scenarios, many)
    assert {"m-one", "m-two", "m-three", "r-zeta-rare", "y-unknown-start"} <= mask_slugs(
        scenarios, anyword.mask
    )


def test_few_results_widen_to_any_word_with_the_fuller_matches_first(
    scenarios: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When all-but-one finds fewer than FEW_RESULTS cases, the cases with fewer of the words
    follow them, ranked by how many they match, and the notice says so."""
    wide = match_text(scenarios, "harmonika trompet violin")
    assert mask_slugs(scenarios, wide.mask) == {"m-three", "m-two", "m-one"}
    assert [scenarios.records[d].slug for d, _ in wide.ranking] == ["m-three", "m-two", "m-one"]
    assert wide.notice == (
        "Viser sager med mindst 1 af de 3 ord; sager med alle ordene står først, "
        "derefter dem med flest af ordene."
    )
    monkeypatch.setattr(matching, "FEW_RESULTS", 2)  # two cases found: enough, no widening
    narrow = match_text(scenarios, "harmonika trompet violin")
    assert mask_slugs(scenarios, narrow.mask) == {"m-three", "m-two"}


def test_all_matching_words_rank_before_fewer(scenarios: Catalog) -> None:
    found = match_text(scenarios, "harmonika trompet violin fagot kajak")
    order = [scenarios.records[d].slug for d, _ in found.ranking]
    assert order[0] == "m-three", order


def test_spelling_is_corrected_only_when_the_typed_words_find_nothing(scenarios: Catalog) -> None:
    known = match_text(scenarios, "harmonika")
    assert known.corrected is None and not known.applied
    assert mask_slugs(scenarios, known.mask) == {"m-one", "m-two", "m-three"}

    typo = match_text(scenarios, "harmonikka")
    assert typo.corrected == "harmonika" and typo.applied
    assert typo.mask == known.mask
    assert typo.notice and "harmonika" in typo.notice

    # the typed words find something at this level: no correction is applied
    mixed = match_text(scenarios, "violin harmonikka")
    assert mixed.corrected == "violin harmonika"
    assert mixed.applied  # all-words with the correction beats any-word without it
    assert mask_slugs(scenarios, mixed.mask) == {"m-three"}


def test_facets_cover_the_registry(scenarios: Catalog) -> None:
    page = search(scenarios, SearchQuery(), PATHS)
    assert [f.param for f in page.facets] == [f.param for f in FACETS]


def test_a_shared_value_weighs_by_its_facet_and_its_rarity(scenarios: Catalog) -> None:
    matrix, weights, values, docnums = related_module._tag_matrix(scenarios)
    size = len(docnums)
    by_param = {facet.param: facet.related_weight for facet in FACETS}
    for column, (param, value) in enumerate(values):
        carried = scenarios.facets.masks[param][value].bit_count()
        assert int(matrix[:, column].sum()) == carried, (param, value)
        assert weights[column] == pytest.approx(by_param[param] * (1 - carried / size))
    assert len({round(float(w), 4) for w in weights}) > 2  # rarity makes them differ
