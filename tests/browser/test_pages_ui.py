"""The accessibility statement, the privacy page and the suggestion form in a real browser: clean
under axe-core (no serious or critical WCAG 2.1 AA violation), and the form works without
JavaScript, from a misspelt tag to a downloaded draft that passes the validator."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.content import parse_case
from app.models import Case
from app.settings import PROJECT_DIR
from app.vocabulary import load_vocabulary
from tests.browser.test_accessibility import audit

pytestmark = pytest.mark.browser

PAGES = [
    pytest.param("/tilgaengelighed", 200, id="accessibility-statement"),
    pytest.param("/privatliv", 200, id="privacy"),
    pytest.param("/foreslaa", 200, id="suggest-form"),
]


@pytest.mark.parametrize(("path", "status"), PAGES)
def test_no_serious_or_critical_wcag_violations(
    page: Page, axe_source: str, path: str, status: int
) -> None:
    response = page.goto(path)
    assert response is not None and response.status == status
    audit(page, axe_source)


def fill_valid(page: Page, target_group: str) -> None:
    page.get_by_label("Titel").fill("Kommune og forening mod ensomhed")
    page.get_by_label("Resumé").fill("En kommune og en forening fandt sammen om besøgsvenner.")
    page.locator("#partner-0-name").fill("Aarhus Kommune")
    page.locator("#partner-0-sector").select_option("kommune")
    page.locator("#partner-1-name").fill("Besøgsforeningen")
    page.locator("#partner-1-sector").select_option("civilsamfund")
    page.get_by_role("group", name="Målgrupper").get_by_label(target_group, exact=True).check()
    page.get_by_role("group", name="Politikområder").get_by_label("Ældreområdet").check()
    page.get_by_role("group", name="Succesfaktorer").get_by_label("Fælles mål").check()
    page.get_by_label("Startår").fill("2012")
    page.get_by_label("Igangværende ved udgivelsen").check()
    page.get_by_label("Publikation").select_option("inspiration-til-partnerskaber-2014")
    page.get_by_label("Sidetal").fill("12")
    page.locator("#section-0").fill("Mange ældre var ensomme, og kommunen ville nå dem.")


def test_the_form_without_javascript_from_a_misspelt_tag_to_a_valid_download(
    page_without_js: Page, axe_source: str, tmp_path: Path
) -> None:
    page = page_without_js
    page.goto("/foreslaa")
    fill_valid(page, "Ensomme")
    page.locator("#geography").fill("Aarhus, koebenhaven")  # the second place is misspelt
    page.get_by_role("button", name="Tjek forslaget").click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("ukendt værdi 'koebenhaven'")
    expect(page.locator("#geography-fejl")).to_contain_text("Mente du 'koebenhavn'?")
    expect(page.locator("#geography")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#geography")).to_have_value("Aarhus, koebenhaven")  # kept as typed
    expect(page.locator("#partner-1-name")).to_have_value("Besøgsforeningen")
    expect(page.locator("#target_groups-ensomme")).to_be_checked()
    assert page.locator("#udkast").count() == 0

    summary.get_by_role("link").first.click()  # the summary's link leads to the field
    assert page.url.endswith("#geography")

    page.locator("#geography").fill("Aarhus, koebenhavn")
    page.get_by_role("button", name="Tjek forslaget").click()
    expect(page.get_by_role("heading", name="Dit udkast er klar")).to_be_visible()
    assert page.locator(".error-summary").count() == 0

    with page.expect_download() as info:
        page.get_by_role("button", name="Hent udkastet").click()
    download = info.value
    slug = "kommune-og-forening-mod-ensomhed"
    assert download.suggested_filename == f"{slug}.md"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = target.read_text(encoding="utf-8")

    case = parse_case(f"cases/{slug}.md", slug, text, load_vocabulary(PROJECT_DIR / "content"))
    assert isinstance(case, Case), case
    assert case.front.geography == ["aarhus", "koebenhavn"]


def test_the_form_with_problems_and_with_a_draft_passes_axe(page: Page, axe_source: str) -> None:
    page.goto("/foreslaa")
    fill_valid(page, "Ensomme")
    page.locator("#geography").fill("koebenhaven")
    page.get_by_role("button", name="Tjek forslaget").click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit(page, axe_source)

    page.locator("#geography").fill("koebenhavn")
    page.get_by_role("button", name="Tjek forslaget").click()
    expect(page.get_by_role("heading", name="Dit udkast er klar")).to_be_visible()
    audit(page, axe_source)


@pytest.mark.parametrize("path", [param.values[0] for param in PAGES])
def test_no_horizontal_scrolling_at_320_css_pixels(narrow_page: Page, path: str) -> None:
    narrow_page.goto(path)
    narrow_page.wait_for_load_state("load")
    width = narrow_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{path} is {width} px wide at a 320 px viewport"


def test_the_form_with_problems_reflows_at_320_css_pixels(narrow_page: Page) -> None:
    narrow_page.goto("/foreslaa")
    narrow_page.get_by_role("button", name="Tjek forslaget").click()
    expect(narrow_page.locator(".error-summary")).to_be_visible()
    width = narrow_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the form with problems is {width} px wide at 320 px"
