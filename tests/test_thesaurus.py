"""The thesaurus: validated content with precise errors, expansion that keeps precision (the typed
word first, narrower terms only downwards, "fundet via"), derived forms, and no dead ends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from app.analysis import derived_forms, normalise
from app.build import build
from app.catalog import Catalog, CatalogHolder
from app.paths import Paths
from app.query import SearchQuery
from app.search import search
from app.settings import Settings
from app.thesaurus import load_thesaurus
from bench.evaluate import BLIND_DEV, HELDOUT, QUERIES, load_queries
from tests.conftest import REAL_CONTENT, make_content, make_settings
from tests.test_facts import case_text

PATHS = Paths(search="/sog", base_url="")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    _, problems = load_thesaurus(write(tmp_path / "thesaurus.yml", text))
    return [str(p) for p in problems]


def test_the_real_thesaurus_has_no_problems_and_hundreds_of_groups() -> None:
    thesaurus, problems = load_thesaurus(REAL_CONTENT / "thesaurus.yml")
    assert [str(p) for p in problems] == []
    assert len(thesaurus.groups) >= 300


def test_a_misspelt_key_names_file_line_and_the_right_key(tmp_path: Path) -> None:
    text = "groups:\n  - id: misbrug\n    term: [misbrug, afhængighed]\n"
    found = problems_of(tmp_path, text)
    assert any(
        p.startswith(f"{tmp_path.name}/thesaurus.yml:3: groups[0].term: ukendt nøgle")
        and "Mente du 'terms'?" in p
        for p in found
    ), found


def test_a_word_in_two_groups_is_a_contradiction_naming_both(tmp_path: Path) -> None:
    text = (
        "groups:\n"
        "  - id: misbrug\n    terms: [misbrug, afhængighed]\n"
        "  - id: afhaengighed\n    terms: [afhængighed, dependency]\n"
    )
    found = problems_of(tmp_path, text)
    assert any(
        ":4: afhaengighed.terms: 'afhængighed' står også i 'terms' i gruppen 'misbrug' (linje 2)"
        in p
        and "Mente du 'misbrug'?" in p
        for p in found
    ), found


def test_stop_words_single_terms_and_long_phrases_are_refused(tmp_path: Path) -> None:
    text = (
        "groups:\n"
        "  - id: a\n    terms: [og, frivillig]\n"
        "  - id: b\n    terms: [en meget lang frase med seks ord]\n"
    )
    found = problems_of(tmp_path, text)
    assert any(":3: groups[0].terms[0]: 'og' er et stopord" in p for p in found), found
    assert any("har over 4 ord" in p for p in found), found
    assert any("skal have mindst to ord" in p for p in found), found


def test_check_fails_on_a_thesaurus_problem(tmp_path: Path) -> None:
    content = make_content(tmp_path / "content")
    write(content / "thesaurus.yml", "groups:\n  - id: x\n    terms: [x, y]\n    narow: [z]\n")
    from app.cli import run_check

    assert run_check(Settings(content_dir=content, index_dir=tmp_path / "i"), strict=True) == 1


THESAURUS = """groups:
  - id: beskaeftigelsesindsats
    terms: [beskæftigelsesindsats, aktivering]
    narrower: [fleksjob]
"""
# The typed word is common (four cases), its synonym rare and repeated (one case): on BM25 alone
# the synonym's case would come first; the rule puts every case with the typed word first.
TEXTS = {
    "har-ordet": "Kommunen styrkede sin beskæftigelsesindsats for ledige borgere",
    "ordet-ogsaa": "Beskæftigelsesindsats i en lang tekst om mange andre ting i kommunen",
    "ordet-igen": "En region og en kommune med en beskæftigelsesindsats blandt meget andet",
    "ordet-tredje": "Foreningen hjalp med kommunens beskæftigelsesindsats om sommeren",
    "synonymet-tit": "Aktivering, aktivering og atter aktivering, aktivering for alle",
    "har-det-snaevre": "Kommunen oprettede fleksjob for borgere med nedsat arbejdsevne",
}


@pytest.fixture(scope="module")
def expanded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    root = tmp_path_factory.mktemp("thesaurus")
    content = make_content(root / "content", cases=None)
    write(content / "thesaurus.yml", THESAURUS)
    for slug, title in TEXTS.items():
        text = case_text(title, "{start: 2019, end: null}", "igangværende", "odense")
        body = "Kommunen og foreningen ville styrke støtten til borgerne."
        write(content / "cases" / f"{slug}.md", text.replace(body, f"{title}. {body}"))
    settings = make_settings(root, content)
    build(settings, strict=True)
    holder = CatalogHolder(settings)
    yield holder.get()
    holder.close()


def results(catalog: Catalog, q: str) -> list[tuple[str, list[str]]]:
    page = search(catalog, SearchQuery(q=q), PATHS)
    return [(r.slug, r.found_via) for r in page.results]


def test_the_typed_word_ranks_first_then_synonyms_and_narrower_terms(expanded: Catalog) -> None:
    found = results(expanded, "beskæftigelsesindsats")
    own = {"har-ordet", "ordet-ogsaa", "ordet-igen", "ordet-tredje"}
    assert {slug for slug, _ in found[:4]} == own
    assert all(via == [] for _, via in found[:4])
    assert dict(found[4:]) == {"synonymet-tit": ["aktivering"], "har-det-snaevre": ["fleksjob"]}


def test_a_narrower_word_does_not_pull_in_the_broader_group(expanded: Catalog) -> None:
    assert results(expanded, "fleksjob") == [("har-det-snaevre", [])]


def test_a_synonym_finds_the_word_and_says_so_with_the_match_marked(expanded: Catalog) -> None:
    page = search(expanded, SearchQuery(q="aktivering"), PATHS)
    assert (page.results[0].slug, page.results[0].found_via) == ("synonymet-tit", [])
    via = next(r for r in page.results if r.slug == "har-ordet")
    assert via.found_via == ["beskæftigelsesindsats"]
    assert '<mark class="match">beskæftigelsesindsats</mark>' in via.snippet


def test_found_via_is_shown_on_the_page(expanded: Catalog) -> None:
    from fastapi.testclient import TestClient

    from app.web.app import create_app

    settings = Settings(
        content_dir=expanded.generation / "content", index_dir=expanded.generation.parent.parent
    )
    with TestClient(create_app(settings)) as client:
        html = client.get("/sog?q=fleksjob").text
        assert "Fundet via" not in html
        html = client.get("/sog?q=beskæftigelsesindsats").text
        assert "Fundet via »fleksjob«" in html


def test_derived_forms_join_word_families_but_not_short_stems() -> None:
    keys = [normalise(w) for w in ("digital", "digitalisering", "psykiatri", "psykiatrisk")]
    keys += [normalise(w) for w in ("leder", "ledelse", "social", "socialt")]
    families = derived_forms(keys)
    assert normalise("digitalisering") in families[normalise("digital")]
    assert normalise("psykiatrisk") in families[normalise("psykiatri")]
    assert normalise("socialt") in families[normalise("social")]
    assert normalise("ledelse") not in families.get(normalise("leder"), ())


@pytest.mark.parametrize(
    ("word", "other"),
    [("politi", "politisk"), ("social", "socialist"), ("social", "socialisering"),
     ("energi", "energisk"), ("central", "centralisering")],
)  # fmt: skip
def test_words_with_a_shared_stem_but_another_meaning_are_no_family(word: str, other: str) -> None:
    families = derived_forms([normalise(w) for w in (word, other, "centralt", "psykiatri")])
    assert normalise(other) not in families.get(normalise(word), ())
    assert normalise(word) not in families.get(normalise(other), ())


PROFESSIONAL_TERMS = [
    "fleksjob",
    "ressourceforløb",
    "jobafklaring",
    "revalidering",
    "førtidspension",
    "kontanthjælp",
    "sygedagpenge",
    "handleplan",
    "underretning",
    "anbringelse",
    "efterværn",
    "bostøtte",
    "værested",
    "herberg",
    "forsorgshjem",
    "misbrugsbehandling",
    "sundhedsaftale",
    "genoptræningsplan",
    "SSP",
    "STU",
    "FGU",
    "PPR",
    "CTI",
    "ACT",
    "IPS",
    "SROI",
    "samskabelse",
    "velfærdsteknologi",
    "demens",
    "mistrivsel",
    "skolefravær",
    "radikalisering",
    "kriminalforsorgen",
    "plejefamilie",
    "aflastning",
    "hjemmepleje",
    "plejehjem",
    "autisme",
    "ordblindhed",
    "lektiehjælp",
    "boligsocial",
    "CSR",
    "samfundsansvar",
    "corona",
    "pandemi",
    "hospitering",
    "løntilskud",
]


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    root = tmp_path_factory.mktemp("real")
    settings = Settings(content_dir=REAL_CONTENT, index_dir=root / "index")
    build(settings)
    holder = CatalogHolder(settings)
    yield holder.get()
    holder.close()


@pytest.mark.parametrize(
    "q",
    PROFESSIONAL_TERMS
    + sorted({j.query for path in (QUERIES, BLIND_DEV, HELDOUT) for j in load_queries(path)}),
)
def test_no_real_query_ends_on_an_empty_page_without_help(real: Catalog, q: str) -> None:
    page = search(real, SearchQuery(q=q, facets=()), PATHS, toggle_urls=False)
    assert page.total or page.suggestion or page.relaxations or page.related_concepts, q


def test_nonsense_gets_an_honest_nothing(real: Catalog) -> None:
    page = search(real, SearchQuery(q="xqzvbw"), PATHS)
    assert page.total == 0 and not page.related_concepts and page.suggestion is None


def test_concepts_near_an_empty_search_lead_to_their_counts(real: Catalog) -> None:
    page = search(real, SearchQuery(q="velfærdsteknologi"), PATHS)
    assert page.total == 0 and page.related_concepts
    for concept in page.related_concepts:
        params = parse_qs(concept.url.split("?", 1)[1])
        selections = {k: v for k, v in params.items() if k != "q"}
        target = SearchQuery(q=params.get("q", [""])[0], selections=selections)
        assert search(real, target, PATHS).total == concept.count, concept
