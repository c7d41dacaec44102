"""The search interface in a real browser: what a visitor clicks, with and without JavaScript.

Expected numbers come from the JSON twin of each search, so these tests pin the interface, not
the ranking. The fixture collection (tests/fixtures/browser_cases) is built so that: "peer"
finds six cases, none of them in Aarhus; five cases lie in Aarhus; Kommuner and Regioner
overlap; and 25 cases fill five pages of five.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PER_PAGE

pytestmark = pytest.mark.browser

PEER_CASE = "/sag/peer-stoette-psykiatri-koebenhavn"
PEER_CASE_TITLE = "Peer-støtte i psykiatrien i Testby"


def api(page: Page, query: str) -> dict[str, Any]:
    """The JSON twin of a search, fetched with the page's own context."""
    response = page.request.get(f"/api/v1/cases?{query}")
    assert response.ok, response.status
    data: dict[str, Any] = response.json()
    return data


def announced_count(page: Page) -> int:
    """The number at the start of the live region, e.g. 6 in "6 sager om »peer«"."""
    count = page.locator("#result-count")
    expect(count).to_have_text(re.compile(r"^\d+ sag"))
    match = re.match(r"\d+", count.inner_text())
    assert match is not None
    return int(match.group())


def params(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def label_count(page: Page, checkbox_id: str) -> int:
    """The count shown beside a facet value, e.g. 18 in "Kommuner (18 sager)"."""
    text = page.locator(f"label[for='{checkbox_id}'] .count").inner_text()
    match = re.search(r"\d+", text)
    assert match is not None, text
    return int(match.group())


def result_titles(page: Page) -> list[str]:
    return page.locator("ol.results .result-title a").all_inner_texts()


def test_search_from_the_front_page_lists_results_and_announces_the_count(page: Page) -> None:
    page.goto("/")
    page.get_by_label("Søg i partnerskaberne").fill("peer")
    page.get_by_role("button", name="Søg", exact=True).click()

    expect(page).to_have_url(re.compile(r"/sog\?q=peer$"))
    expected = api(page, "q=peer")
    assert announced_count(page) == expected["total"] == 6
    expect(page.locator("#result-count")).to_have_attribute("role", "status")
    expect(page.locator("#result-count")).to_contain_text("»peer«")
    assert result_titles(page) == [r["title"] for r in expected["results"]]
    assert len(result_titles(page)) == PER_PAGE
    expect(page.locator("ol.results mark").first).to_be_visible()


def test_two_values_in_one_facet_widen_the_search(page: Page) -> None:
    page.goto("/sog")
    kommune = label_count(page, "f-sector-kommune")
    region = label_count(page, "f-sector-region")

    expect(page.locator("#facets-auto")).to_be_visible()  # WCAG 3.2.2: advised beforehand
    expect(page.locator("#facet-sector")).to_have_attribute("aria-describedby", "facets-auto")
    page.locator("#facet-sector").get_by_label(re.compile(r"^Kommuner")).click()
    expect(page).to_have_url(re.compile(r"sector=kommune"))
    expect(page.locator("#f-sector-kommune")).to_be_focused()  # the keyboard keeps its place
    assert announced_count(page) == kommune
    page.locator("#facet-sector").get_by_label(re.compile(r"^Regioner")).click()
    expect(page).to_have_url(re.compile(r"sector=region"))

    assert sorted(params(page)["sector"]) == ["kommune", "region"]
    union = api(page, "sector=kommune&sector=region")["total"]
    assert announced_count(page) == union
    assert max(kommune, region) < union < kommune + region  # OR, and the overlap counted once
    expect(page.locator("#f-sector-kommune")).to_be_checked()
    expect(page.locator("#f-sector-region")).to_be_checked()
    expect(page.locator("#facet-sector legend")).to_contain_text("(2 valgt)")


def test_removing_a_chip_drops_only_that_filter(page: Page) -> None:
    page.goto("/sog?q=peer&sector=region")
    before = announced_count(page)
    chips = page.locator(".chips .chip")
    expect(chips).to_have_count(2)

    page.get_by_role("link", name="Fjern filter Sektor: Regioner").click()

    expect(page).to_have_url(re.compile(r"/sog\?q=peer$"))
    expect(chips).to_have_count(1)
    expect(chips).to_contain_text("Søgeord: peer")
    expect(page.locator("#f-sector-region")).not_to_be_checked()
    assert announced_count(page) == api(page, "q=peer")["total"] > before


def test_paging_moves_to_the_next_page_and_marks_it_current(page: Page) -> None:
    page.goto("/sog")
    pagination = page.get_by_role("navigation", name="Sider")
    expect(pagination.locator("[aria-current='page']")).to_have_text("Side 1")
    first_page = result_titles(page)

    pagination.get_by_role("link", name="Næste side").click()

    expect(page).to_have_url(re.compile(r"[?&]page=2$"))
    expect(pagination.locator("[aria-current='page']")).to_have_text("Side 2")
    expect(page.locator("ol.results")).to_have_attribute("start", str(PER_PAGE + 1))
    second_page = result_titles(page)
    assert second_page == [r["title"] for r in api(page, "page=2")["results"]]
    assert len(second_page) == PER_PAGE
    assert not set(first_page) & set(second_page)
    expect(pagination.get_by_role("link", name="Forrige side")).to_be_visible()


def test_opening_a_case_shows_it_and_its_facts_lead_back_to_search(page: Page) -> None:
    page.goto("/sog?q=peer")
    page.get_by_role("link", name=PEER_CASE_TITLE).click()

    expect(page).to_have_url(re.compile(f"{PEER_CASE}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(PEER_CASE_TITLE)
    facts = page.get_by_role("complementary", name="Fakta")
    for href in facts.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert href.startswith("/sog?"), href

    place = facts.locator("a[href='/sog?geography=koebenhavn']")
    label = place.inner_text()
    place.click()

    expect(page).to_have_url(re.compile(r"/sog\?geography=koebenhavn$"))
    assert announced_count(page) == api(page, "geography=koebenhavn")["total"]
    expect(page.get_by_role("link", name=PEER_CASE_TITLE)).to_be_visible()
    expect(page.locator(".chips .chip")).to_contain_text([f"Geografi: {label}"])


def test_zero_results_offer_a_relaxation_that_leads_to_its_count(page: Page) -> None:
    page.goto("/sog?q=peer&geography=aarhus")
    assert announced_count(page) == 0
    expect(page.get_by_role("heading", name="Ingen sager matcher")).to_be_visible()
    relaxations = page.locator(".relaxations a")
    expect(relaxations).to_have_count(2)
    offer = page.get_by_role("link", name=re.compile(r"^Fjern Aarhus Kommune → \d+ sager$"))
    match = re.search(r"→ (\d+) sager", offer.inner_text())
    assert match is not None
    promised = int(match.group(1))

    offer.click()

    expect(page).to_have_url(re.compile(r"/sog\?q=peer$"))
    assert announced_count(page) == promised == api(page, "q=peer")["total"]


def test_search_and_filters_work_without_javascript(page_without_js: Page) -> None:
    page = page_without_js
    page.goto("/sog")
    page.get_by_label("Søg i partnerskaberne").fill("peer")
    page.get_by_role("button", name="Søg", exact=True).click()
    expect(page).to_have_url(re.compile(r"/sog\?q=peer$"))
    assert announced_count(page) == api(page, "q=peer")["total"]

    expect(page.locator("#f-sector-region")).to_be_hidden()  # folded: script opens it when wide
    page.get_by_text("Filtre (0 valgt)").click()
    page.locator("#f-sector-region").check()
    expect(page).to_have_url(re.compile(r"/sog\?q=peer$"))  # no script: nothing submits yet
    page.get_by_role("button", name="Anvend filtre").click()

    expect(page).to_have_url(re.compile(r"sector=region"))
    assert params(page) == {"q": ["peer"], "sector": ["region"]}
    assert announced_count(page) == api(page, "q=peer&sector=region")["total"]
    expect(page.locator("#f-sector-region")).to_be_checked()
    expect(page.locator("#facets-auto")).to_be_hidden()  # it would be untrue without script
    expect(page.locator(".copy-button")).to_be_hidden()


@pytest.mark.parametrize(
    "path",
    ["/", "/sog?q=peer&sector=kommune&sector=region", "/sog?q=peer&geography=aarhus", PEER_CASE],
)
def test_no_horizontal_scrolling_at_320_css_pixels(narrow_page: Page, path: str) -> None:
    narrow_page.goto(path)
    narrow_page.wait_for_load_state("load")
    width = narrow_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{path} is {width} px wide at a 320 px viewport"
