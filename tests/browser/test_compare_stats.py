"""Compare and statistics in a real browser: built without JavaScript, readable at 320 CSS px,
printable, and clean under axe-core (no serious or critical WCAG 2.1 AA violation)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import audit

pytestmark = pytest.mark.browser

PEER = "peer-stoette-psykiatri-koebenhavn"
MENTORS = "peer-mentorer-unge-odense"
HOMELESS = "peer-stoette-hjemloese-frederiksberg"
ADDICTION = "peer-stoette-misbrug-esbjerg"
TWO = f"/sammenlign?sag={PEER}&sag={MENTORS}"
FOUR = f"/sammenlign?sag={PEER}&sag={MENTORS}&sag={HOMELESS}&sag={ADDICTION}"
STATS = "/statistik?policy_area=psykiatri"
PAGES = [
    pytest.param(TWO, 200, id="compare-two"),
    pytest.param(FOUR, 200, id="compare-four"),
    pytest.param(f"/sammenlign?sag={PEER}", 400, id="compare-one"),
    pytest.param("/statistik", 200, id="statistics"),
    pytest.param(STATS, 200, id="statistics-filtered"),
    pytest.param("/sog?q=peer&sammenlign=" + PEER, 200, id="search-choosing"),
]


def api(page: Page, path: str) -> dict[str, Any]:
    response = page.request.get(path)
    assert response.ok, response.status
    data: dict[str, Any] = response.json()
    return data


def columns(page: Page) -> list[str]:
    return page.locator("table.compare thead th.compare-case > a:first-child").all_inner_texts()


@pytest.mark.parametrize(("path", "status"), PAGES)
def test_no_serious_or_critical_wcag_violations(
    page: Page, axe_source: str, path: str, status: int
) -> None:
    response = page.goto(path)
    assert response is not None and response.status == status
    audit(page, axe_source)


@pytest.mark.parametrize(("path", "status"), PAGES)
def test_no_horizontal_scrolling_at_320_css_pixels(
    narrow_page: Page, path: str, status: int
) -> None:
    narrow_page.goto(path)
    narrow_page.wait_for_load_state("load")
    width = narrow_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{path} is {width} px wide at a 320 px viewport"


def test_at_320_px_each_aspect_lists_the_cases_one_below_the_other(narrow_page: Page) -> None:
    narrow_page.goto(TWO)
    sectors = narrow_page.locator("#aspekt-sectors")
    names = sectors.locator(".compare-cell-case")
    expect(names).to_have_count(2)
    expect(names.first).to_be_visible()
    first, second = (cell.bounding_box() for cell in sectors.locator("td").all())
    assert first is not None and second is not None
    assert second["y"] >= first["y"] + first["height"] - 1  # stacked, not side by side


def test_building_a_comparison_without_javascript(page_without_js: Page) -> None:
    page = page_without_js
    page.goto("/sog?q=peer")
    titles = page.locator("ol.results .result-title a").all_inner_texts()
    page.locator("ol.results .compare-add a").first.click()  # choose the first result

    expect(page).to_have_url(re.compile(r"/sog\?q=peer&sammenlign="))
    tray = page.get_by_role("region", name="Valgt til sammenligning")
    expect(tray).to_contain_text(titles[0])
    page.locator("ol.results .compare-add a").first.click()  # the next result: now compare

    expect(page).to_have_url(re.compile(r"/sammenlign\?sag=[^&]+&sag=[^&]+$"))
    assert columns(page) == titles[:2]
    page.get_by_role("link", name="Tilføj en sag mere").click()

    expect(page).to_have_url(re.compile(r"/sog\?sammenlign=[^&]+&sammenlign=[^&]+$"))
    page.get_by_label("Søg i partnerskaberne").fill("peer")
    page.get_by_role("button", name="Søg", exact=True).click()  # the choice rides in the form
    assert len(parse_qs(urlparse(page.url).query)["sammenlign"]) == 2
    page.locator("ol.results .compare-add a").first.click()

    expect(page).to_have_url(re.compile(r"/sammenlign\?(sag=[^&]+&?){3}$"))
    chosen = columns(page)
    assert len(chosen) == 3 and chosen[:2] == titles[:2]
    remove = re.compile(rf"^Fjern fra sammenligningen\s*: {re.escape(chosen[1])}$")
    page.get_by_role("link", name=remove).click()

    assert columns(page) == [chosen[0], chosen[2]]
    slugs = parse_qs(urlparse(page.url).query)["sag"]
    data = api(page, "/api/v1/compare?" + "&".join(f"sag={s}" for s in slugs))
    assert [c["title"] for c in data["cases"]] == columns(page)
    marks = page.locator("#aspekt-sectors .shared-mark")
    shared = [v for c in data["rows"][2]["cells"] for v in c["values"] if v["shared"]]
    expect(marks).to_have_count(len(shared))


def test_from_a_case_page_to_a_comparison_with_a_related_case(page_without_js: Page) -> None:
    page = page_without_js
    page.goto(f"/sag/{PEER}")
    related = page.get_by_role("region", name="Relaterede sager").locator("li").first
    other = related.locator("a").first.inner_text()
    related.get_by_role("link", name=re.compile("^Sammenlign")).click()

    expect(page).to_have_url(re.compile(rf"/sammenlign\?sag={PEER}&sag="))
    assert columns(page)[1] == other


def test_statistics_follow_the_search_and_every_number_leads_to_its_search(
    page_without_js: Page,
) -> None:
    page = page_without_js
    page.goto("/sog?policy_area=psykiatri")
    page.get_by_role("link", name="Se som statistik").click()

    expect(page).to_have_url(re.compile(r"/statistik\?policy_area=psykiatri$"))
    stats = api(page, "/api/v1/statistics?policy_area=psykiatri")
    sectors = stats["charts"][0]
    figure = page.locator(f"#{sectors['id']}")
    expect(figure.locator("svg title")).to_have_text(sectors["title"])
    values = figure.locator("svg .bar-value").all_text_contents()
    assert [int(v) for v in values] == [b["count"] for b in sectors["bars"]]
    busiest = max(sectors["bars"], key=lambda b: b["count"])
    figure.locator("table").get_by_role("link", name=busiest["label"], exact=True).click()

    expect(page).to_have_url(re.compile(r"/sog\?"))
    count = page.locator("#result-count").inner_text()
    assert count.startswith(f"{busiest['count']} sag"), count


def test_the_print_stylesheet_keeps_the_content_and_drops_the_controls(page: Page) -> None:
    page.emulate_media(media="print")
    page.goto(FOUR)
    expect(page.locator("table.compare")).to_be_visible()
    expect(page.locator(".compare-remove").first).to_be_hidden()
    expect(page.locator(".compare-actions")).to_be_hidden()
    expect(page.locator(".site-header nav")).to_be_hidden()
    assert page.pdf(format="A4")[:4] == b"%PDF"

    page.goto(STATS)
    expect(page.locator("svg.bars").first).to_be_visible()
    expect(page.locator(".chart-toc")).to_be_hidden()
    assert page.pdf(format="A4")[:4] == b"%PDF"
