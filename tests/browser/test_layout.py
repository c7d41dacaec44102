"""Layout on a phone (375 CSS px) and a desktop, with the keyboard, in print, and without script.

The search page shows its results first on a phone, with the filters folded behind "Filtre
(n valgt)"; skip links lead to the filters and the results; the year range and the page size are
fields of the form. The case page shows its facts first on a phone, a short breadcrumb, tags as
chips, a citation that wraps (with a copy button where script runs), and prints without the
header band. Expected numbers come from the JSON twin of each search.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PER_PAGE, Site, new_page
from tests.browser.test_accessibility import audit
from tests.browser.test_search_ui import PEER_CASE, announced_count, api, result_titles

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}
LONG_CASE = "/sag/klimapartnerskab-aarhus"
TOP_VALUES = 8  # a long facet group shows this many values before "Vis alle"
FOCUSED = "() => (document.activeElement.textContent || '').trim()"
INSIDE = "(selector) => !!document.activeElement.closest(selector)"


@contextmanager
def browser_page(browser: Browser, site: Site, **options: object) -> Iterator[Page]:
    pages = new_page(browser, site, **options)
    try:
        yield next(pages)
    finally:
        pages.close()  # closes the browser context


@pytest.fixture
def phone(browser: Browser, site: Site) -> Iterator[Page]:
    with browser_page(browser, site, viewport=PHONE) as page:
        yield page


@pytest.fixture
def phone_without_js(browser: Browser, site: Site) -> Iterator[Page]:
    with browser_page(browser, site, viewport=PHONE, java_script_enabled=False) as page:
        yield page


@pytest.fixture
def desktop(browser: Browser, site: Site) -> Iterator[Page]:
    with browser_page(browser, site, viewport=DESKTOP) as page:
        yield page


def toggle(page: Page) -> Any:
    return page.locator("#filtre-panel > summary")


def top_of(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not rendered"
    return float(box["y"])


# The search page ------------------------------------------------------------------------------


@pytest.mark.parametrize("js", [True, False], ids=["with-js", "without-js"])
@pytest.mark.parametrize(
    "path", ["/sog", "/sog?q=peer", "/sog?q=peer&sector=region&year_from=2010"]
)
def test_at_375_px_the_first_result_is_in_the_first_screen(
    browser: Browser, site: Site, js: bool, path: str
) -> None:
    with browser_page(browser, site, viewport=PHONE, java_script_enabled=js) as page:
        page.goto(path)
        page.wait_for_load_state("load")
        first_title = page.locator("ol.results .result-title").first
        expect(first_title).to_be_visible()
        box = first_title.bounding_box()
        assert box is not None
        assert page.evaluate("scrollY") == 0
        line = first_title.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
        assert box["y"] + line <= PHONE["height"], f"the first title's first line is off {box}"
        expect(page.locator(".facet input").first).to_be_hidden()  # the filters stay folded
        assert top_of(page, "#filtre-panel > summary") < box["y"]  # ... behind one control


def test_at_375_px_the_filters_open_and_apply_without_javascript(phone_without_js: Page) -> None:
    page = phone_without_js
    page.goto("/sog?q=peer")
    before = result_titles(page)
    region = page.locator("#f-sector-region")
    expect(toggle(page)).to_have_text("Filtre (0 valgt)")
    expect(region).to_be_hidden()

    toggle(page).click()
    expect(region).to_be_visible()
    region.check()
    page.get_by_role("button", name="Anvend filtre").click()

    expect(page).to_have_url(re.compile(r"/sog\?q=peer&sector=region$"))  # no empty fields
    expected = api(page, "q=peer&sector=region")
    assert announced_count(page) == expected["total"] < api(page, "q=peer")["total"]
    assert result_titles(page) == [r["title"] for r in expected["results"]] != before
    expect(toggle(page)).to_have_text("Filtre (1 valgt)")
    expect(page.locator("#group-sector")).to_have_attribute("open", "")


def test_at_375_px_a_ticked_value_keeps_the_filters_open_and_the_focus(phone: Page) -> None:
    page = phone
    page.goto("/sog?q=peer")
    toggle(page).click()
    page.locator("#facet-sector").get_by_label(re.compile(r"^Regioner")).click()  # submits

    expect(page).to_have_url(re.compile(r"/sog\?q=peer&sector=region$"))
    expect(page.locator("#f-sector-region")).to_be_focused()
    expect(page.locator("#f-sector-region")).to_be_visible()  # the panel unfolded again
    expect(toggle(page)).to_have_text("Filtre (1 valgt)")


def test_the_year_range_and_the_page_size_are_fields_of_the_form(page_without_js: Page) -> None:
    page = page_without_js
    page.goto("/sog")
    toggle(page).click()
    page.locator("#group-years > summary").click()
    page.get_by_label("Fra år").fill("2015")
    page.get_by_label("Resultater pr. side").select_option("10")
    page.get_by_role("button", name="Anvend filtre").click()

    expect(page).to_have_url(re.compile(r"/sog\?year_from=2015&per_page=10$"))
    expected = api(page, "year_from=2015&per_page=10")
    assert announced_count(page) == expected["total"] < api(page, "")["total"]
    assert len(result_titles(page)) == min(10, expected["total"]) > PER_PAGE
    expect(page.get_by_label("Fra år")).to_have_value("2015")
    expect(page.get_by_label("Til år")).to_have_value("")
    expect(page.get_by_label("Resultater pr. side")).to_have_value("10")
    expect(page.locator(".chips .chip")).to_contain_text(["Fra år: 2015"])
    expect(toggle(page)).to_have_text("Filtre (1 valgt)")


def test_with_script_the_form_sends_no_empty_fields(desktop: Page) -> None:
    page = desktop
    page.goto("/sog?q=peer")
    expect(page.locator("#filtre-panel")).to_have_attribute("open", "")  # open on a wide screen
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url))
    page.locator("#group-years > summary").click()
    page.get_by_label("Til år").fill("2018")
    page.get_by_role("button", name="Anvend filtre").click()

    expect(page).to_have_url(re.compile(r"/sog\?q=peer&year_to=2018$"))
    assert announced_count(page) == api(page, "q=peer&year_to=2018")["total"]
    searches = [url for url in sent if "/sog?" in url]
    assert searches and all("year_from=" not in url for url in searches), searches


def test_on_a_desktop_the_skip_link_reaches_the_filters_in_a_few_tabs(desktop: Page) -> None:
    page = desktop
    page.goto("/sog?q=peer")
    page.wait_for_load_state("load")
    presses = 0
    while page.evaluate(FOCUSED) != "Gå til filtrene" and presses < 4:
        page.keyboard.press("Tab")
        presses += 1
    assert page.evaluate(FOCUSED) == "Gå til filtrene"
    link = page.locator(".skip-link[href='#filtre']")
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0  # shown while focused

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")

    assert presses + 2 <= 5
    assert page.evaluate(INSIDE, ".facets")
    expect(page.locator(":focus")).to_be_visible()


def test_the_skip_link_to_the_results_passes_the_search_box_and_filters(desktop: Page) -> None:
    page = desktop
    page.goto("/sog?q=peer")
    page.wait_for_load_state("load")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "Gå til resultaterne"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate(INSIDE, "#resultater")


def test_at_375_px_the_skip_link_unfolds_the_filters_without_javascript(
    phone_without_js: Page,
) -> None:
    page = phone_without_js
    page.goto("/sog?q=peer")
    expect(page.locator("#f-sector-region")).to_be_hidden()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "Gå til filtrene"
    page.keyboard.press("Enter")

    expect(page.locator("#filtre-panel")).to_have_attribute("open", "")
    expect(page.locator("#f-sector-region")).to_be_visible()


def test_the_search_page_has_one_heading_and_it_labels_the_search_box(page: Page) -> None:
    page.goto("/sog?q=peer")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1 label[for='q']")).to_have_text("Søg i partnerskaberne")
    shown = page.get_by_text("Søg i partnerskaberne", exact=True)
    assert sum(1 for i in range(shown.count()) if shown.nth(i).is_visible()) == 1


def long_facet(page: Page) -> tuple[str, list[dict[str, Any]]]:
    """A facet of the whole collection with more values in use than a group shows at once."""
    for facet in api(page, "")["facets"]:
        used = [v for v in facet["values"] if v["count"]]
        if len(used) > TOP_VALUES + 2:
            return facet["param"], used
    raise AssertionError("the browser fixtures have no facet with more than ten values in use")


def test_a_long_group_shows_its_top_values_and_the_rest_behind_vis_alle(
    page_without_js: Page,
) -> None:
    page = page_without_js
    page.goto("/sog")
    param, used = long_facet(page)
    toggle(page).click()
    group = page.locator(f"#group-{param}")
    if group.get_attribute("open") is None:
        group.locator("> summary").click()
    boxes = group.locator("input[type='checkbox']")
    expect(boxes).to_have_count(len(used))
    top = sorted(used, key=lambda v: -v["count"])[:TOP_VALUES]
    shown = [boxes.nth(i) for i in range(len(used)) if boxes.nth(i).is_visible()]
    assert len(shown) == TOP_VALUES
    assert min(v["count"] for v in top) >= max(
        v["count"] for v in used if v["value"] not in {t["value"] for t in top}
    )

    more = group.locator(".facet-more > summary")
    expect(more).to_have_text(
        f"Vis alle {len(used)} under {group.locator('> summary').inner_text()}"
    )
    more.click()
    for i in range(len(used)):
        expect(boxes.nth(i)).to_be_visible()


def test_a_selected_value_keeps_its_group_and_the_rest_unfolded(page: Page) -> None:
    page.goto("/sog")
    param, used = long_facet(page)
    rare = min(used, key=lambda v: v["count"])
    page.goto(f"/sog?{param}={rare['value']}")
    expect(page.locator(f"#group-{param}")).to_have_attribute("open", "")
    expect(page.locator(f"#group-{param} .facet-more")).to_have_attribute("open", "")
    expect(page.locator(f"#f-{param}-{rare['value']}")).to_be_visible()
    expect(page.locator(f"#f-{param}-{rare['value']}")).to_be_checked()


# The case page --------------------------------------------------------------------------------


def test_at_375_px_the_case_page_shows_the_facts_before_the_text(phone: Page) -> None:
    phone.goto(PEER_CASE)
    facts = top_of(phone, ".facts")
    assert facts < top_of(phone, ".case-body h2")
    assert facts < top_of(phone, ".case-body p")
    assert facts < PHONE["height"]


def test_on_a_desktop_the_facts_stand_beside_the_text(desktop: Page) -> None:
    desktop.goto(PEER_CASE)
    facts = desktop.locator(".facts").bounding_box()
    body = desktop.locator(".case-body").bounding_box()
    assert facts is not None and body is not None
    assert facts["x"] > body["x"] + body["width"] and abs(facts["y"] - body["y"]) < 2


def test_the_breadcrumb_shortens_a_long_title_and_the_heading_keeps_it(page: Page) -> None:
    page.goto(LONG_CASE)
    crumbs = page.get_by_role("navigation", name="Brødkrumme").locator("li")
    expect(crumbs).to_have_count(3)
    expect(crumbs.nth(0)).to_have_text("Forside")
    expect(crumbs.nth(1)).to_have_text("Søg")
    title = page.locator("h1").inner_text()
    last = crumbs.nth(2).inner_text()
    assert len(title) > 40 and last.endswith("…") and len(last) <= 37, last
    assert title.startswith(last[:-1].rstrip())
    expect(crumbs.nth(2)).to_have_attribute("aria-current", "page")


def test_the_tags_are_chips_that_lead_to_their_searches(page: Page) -> None:
    page.goto(PEER_CASE)
    case = page.request.get(f"/api/v1/cases/{PEER_CASE.rsplit('/', 1)[1]}").json()
    chips = page.locator(".facts a.tag-chip")
    expected = sum(len(values) for values in case["tags"].values())
    expect(chips).to_have_count(expected)
    for i in range(expected):
        chip = chips.nth(i)
        assert (chip.get_attribute("href") or "").startswith("/sog?")
        style = chip.evaluate(
            "el => [getComputedStyle(el).borderTopStyle, getComputedStyle(el).borderRadius,"
            " getComputedStyle(el).display]"
        )
        assert style[0] != "none" and style[1] != "0px" and style[2] == "inline-block", style


def test_at_375_px_the_citation_wraps_and_is_copied_with_one_click(
    browser: Browser, site: Site
) -> None:
    with browser_page(browser, site, viewport=PHONE) as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.goto(PEER_CASE)
        citation = page.locator("#citation-text")
        expect(citation).to_contain_text("Genfortalt i Partnerskabsbasen: http")
        wrap = citation.evaluate(
            "el => ({tag: el.tagName, over: el.scrollWidth - el.clientWidth,"
            " height: el.getBoundingClientRect().height,"
            " line: parseFloat(getComputedStyle(el).lineHeight),"
            " select: getComputedStyle(el).userSelect})"
        )
        assert wrap["tag"] == "P" and wrap["over"] <= 0, wrap  # not a box that clips
        assert wrap["height"] > 2 * wrap["line"] and wrap["select"] != "none", wrap
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        page.get_by_role("button", name="Kopiér kildehenvisning").click()

        expect(page.locator(".copy-status")).to_have_text("Kildehenvisningen er kopieret.")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == citation.inner_text().strip()


@pytest.mark.parametrize("path", [PEER_CASE, "/sog?q=peer&sector=region"])
def test_print_drops_the_header_band_the_navigation_and_the_filters(page: Page, path: str) -> None:
    page.goto(path)
    page.emulate_media(media="print")
    header = page.locator(".site-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert header in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), header
    expect(page.get_by_role("navigation", name="Hovedmenu")).to_be_hidden()
    expect(page.locator(".skip-link").first).to_be_hidden()
    if path.startswith("/sog"):
        expect(page.locator("#filtre-panel")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    page.emulate_media(media="screen")
    assert page.locator(".site-header").evaluate("el => getComputedStyle(el).backgroundColor") == (
        "rgb(0, 56, 107)"
    )


# WCAG 2.1 AA at both widths ---------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
@pytest.mark.parametrize(
    ("path", "unfold"),
    [
        pytest.param("/sog", True, id="search-filters-open"),
        pytest.param("/sog?q=peer&sector=region&year_from=2010", False, id="search-selected"),
        pytest.param(PEER_CASE, False, id="case"),
        pytest.param(LONG_CASE, False, id="case-long-title"),
    ],
)
def test_no_serious_or_critical_wcag_violations_at_both_widths(
    browser: Browser,
    site: Site,
    axe_source: str,
    viewport: dict[str, int],
    path: str,
    unfold: bool,
) -> None:
    with browser_page(browser, site, viewport=viewport) as page:
        page.goto(path)
        page.wait_for_load_state("load")
        if unfold:  # every group and "Vis alle" open, so axe sees every control
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        audit(page, axe_source, f" at {viewport['width']} px")
