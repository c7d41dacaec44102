"""WCAG 2.1 AA audit of the main pages with axe-core (node_modules, installed by ``npm ci``).

axe runs inside the page after it has loaded (evaluated through the browser's debugging
protocol, so the site's Content-Security-Policy stays in force); a violation of impact serious
or critical fails the test, and the message names each rule, its help text and the offending
elements.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
PAGES = [
    pytest.param("/", 200, id="front"),
    pytest.param("/sog?q=peer&sector=kommune", 200, id="search-with-facet"),
    pytest.param("/sog?q=peer&geography=aarhus", 200, id="zero-results"),
    pytest.param("/sag/peer-stoette-psykiatri-koebenhavn", 200, id="case"),
    pytest.param("/emner", 200, id="browse"),
    pytest.param("/emner/maalgruppe", 200, id="browse-facet"),
    pytest.param("/om", 200, id="about"),
    pytest.param("/emner/geografi", 200, id="geography-by-region"),
    pytest.param("/emner/kommunegruppe", 200, id="kommunegrupper"),
    pytest.param("/baggrund", 200, id="background"),
    pytest.param("/baggrund/casa-socialpaedagogerne-tidlige-indsatser", 200, id="background-note"),
    pytest.param("/sog?q=velf%C3%A6rdsteknologi", 200, id="zero-results-with-concepts"),
    pytest.param("/sog?sort=added", 200, id="recently-added"),
    pytest.param("/findes-ikke", 404, id="not-found"),
]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""


def report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {n['target']}: {n['summary']}" for n in v["nodes"]]
    return "\n".join(lines)


def audit(page: Page, axe_source: str, where: str = "") -> None:
    """axe-core on the loaded page: no serious or critical WCAG 2.1 A/AA violation."""
    page.wait_for_load_state("load")
    page.evaluate(axe_source)  # not a <script> tag: the site's CSP rightly refuses inline scripts
    blocking = [v for v in page.evaluate(RUN_AXE, WCAG_TAGS) if v["impact"] in BLOCKING]
    assert not blocking, f"axe on {page.url}{where}:\n{report(blocking)}"


@pytest.mark.parametrize(("path", "status"), PAGES)
def test_no_serious_or_critical_wcag_violations(
    page: Page, axe_source: str, path: str, status: int
) -> None:
    response = page.goto(path)
    assert response is not None and response.status == status
    audit(page, axe_source)


FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName, text: (el.textContent || el.name || "").trim().slice(0, 40),
    outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
    onScreen: box.right > 0 && box.bottom > 0 && box.left < innerWidth,
  };
}"""


def test_the_first_tab_stop_is_a_visible_skip_link_that_moves_focus(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")

    focused = page.evaluate(FOCUS_STYLE)
    assert focused["text"] == "Gå til indhold"
    assert focused["outline"] != "none" and focused["width"] > 0, focused
    assert focused["onScreen"], focused

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_every_tab_stop_on_the_search_page_shows_focus(page: Page) -> None:
    page.goto("/sog?q=peer&sector=kommune")
    page.wait_for_load_state("load")
    stops = page.evaluate(
        """() => document.querySelectorAll(
             'a[href], button:not([hidden]), input, textarea, summary').length"""
    )
    for _ in range(stops):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STYLE)
        if focused["tag"] == "BODY":
            break
        assert focused["outline"] != "none" and focused["width"] > 0, focused


def luminance(rgb: str) -> float:
    """Relative luminance of a CSS ``rgb(r, g, b)`` colour (WCAG 2.1 definition)."""
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : -1].split(",")[:3]]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_the_search_placeholder_has_enough_contrast(page: Page) -> None:
    """axe skips placeholder text, so 1.4.3 for the site's placeholder colour is checked here."""
    page.goto("/sog")
    colours = page.locator("#q").evaluate(
        "el => [getComputedStyle(el, '::placeholder').color, getComputedStyle(el).backgroundColor]"
    )
    light, dark = sorted(luminance(colour) for colour in colours)[::-1]
    assert (light + 0.05) / (dark + 0.05) >= 4.5, colours
