"""The accessibility statement, the privacy page and the case suggestion form, over HTTP."""

from __future__ import annotations

import contextlib
import html
import importlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.build import build
from app.cli import run_check
from app.content import parse_case
from app.models import Case
from app.settings import Settings
from app.suggest import MAX_BODY_BYTES, SHORT, checkbox_facets
from app.vocabulary import load_vocabulary
from app.web.pages import AUDITED_PAGES
from tests.browser import test_editor_page
from tests.conftest import make_content, make_settings, serve

EMAIL = "tilgaengelighed@kommune.example"
PHONE = "+45 12 34 56 78"
ORGANISATION = "Testkommunens Partnerskabsenhed"
RETENTION = 17

# A valid suggestion, and the case file a proposer would have written by hand for it.
VALID: dict[str, Any] = {
    "title": "Kommune og forening mod ensomhed",
    "summary": "Aarhus Kommune og en forening fandt sammen om besøgsvenner til ensomme ældre.",
    "partner-0-name": "Aarhus Kommune",
    "partner-0-sector": "kommune",
    "partner-0-role": "initiativtager",
    "partner-1-name": "Besøgsforeningen",
    "partner-1-sector": "civilsamfund",
    "target_groups": ["ensomme", "aeldre"],
    "policy_areas": ["aeldreomraadet"],
    "success_factors": ["faelles-maal"],
    "geography": "Aarhus",
    "period_start": "2012",
    "status": "igangværende",
    "publication": "inspiration-til-partnerskaber-2014",
    "source_pages": "12",
    "section-0": "Mange ældre var ensomme, og kommunen ville nå dem sammen med frivillige.",
}
HAND_WRITTEN = """---
title: Kommune og forening mod ensomhed
summary: Aarhus Kommune og en forening fandt sammen om besøgsvenner til ensomme ældre.
partners:
  - name: Aarhus Kommune
    sector: kommune
    role: initiativtager
  - name: Besøgsforeningen
    sector: civilsamfund
sectors: [kommune, civilsamfund]
target_groups: [{target}, aeldre]
policy_areas: [aeldreomraadet]
success_factors: [faelles-maal]
geography: [aarhus]
period: {{start: 2012}}
status: igangværende
source:
  publication: inspiration-til-partnerskaber-2014
  title: "Inspiration til partnerskaber: Case-samling"
  publisher: Økonomi- og Indenrigsministeriet
  year: 2014
  pages: "12"
  seed: 000_012890777f491a6e.txt
added: 2026-12-02
---

## Baggrund og formål

Mange ældre var ensomme, og kommunen ville nå dem sammen med frivillige.
"""


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("pages")
    built = make_settings(
        root,
        make_content(root / "content"),
        organisation=ORGANISATION,
        contact_email=EMAIL,
        contact_phone=PHONE,
        search_log_retention_days=RETENTION,
    )
    build(built)
    return built


@pytest.fixture(scope="module")
def site(settings: Settings) -> Iterator[TestClient]:
    yield from serve(settings)


def text_of(page: str) -> str:
    """The page's text, tags dropped and entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def error_block(page: str, field_id: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field_id}-fejl">(.*?)</p>', page, re.S)
    assert match, f"no error shown next to {field_id}"
    return text_of(match.group(1))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/tilgaengelighed", ["overholder delvist", "WCAG 2.1", ORGANISATION, EMAIL, PHONE]),
        ("/tilgaengelighed", ["Digitaliseringsstyrelsen", "10 arbejdsdage", "Swagger UI"]),
        ("/tilgaengelighed", ["Erklæringen er udarbejdet 2. december 2026", "Senest gennemgået"]),
        ("/privatliv", ["ingen cookies", "ingen IP-adresse", f"slettes efter {RETENTION} dage"]),
        ("/privatliv", ["Adgangsloggen", ORGANISATION, EMAIL]),
        ("/foreslaa", ["Foreslå en sag", "Tjek forslaget", EMAIL]),
    ],
)
def test_page_says_what_it_must(site: TestClient, path: str, expected: list[str]) -> None:
    response = site.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    for phrase in expected:
        assert phrase in text_of(response.text), phrase


def test_the_privacy_page_says_so_when_searches_are_not_logged(settings: Settings) -> None:
    quiet = settings.model_copy(update={"search_log": False})
    for client in serve(quiet):
        page = text_of(client.get("/privatliv").text)
        assert "Søgeloggen er slået fra" in page and "slettes efter" not in page


@pytest.mark.parametrize("path", ["/", "/sog", "/om", "/tilgaengelighed", "/findes-ikke"])
def test_every_page_links_to_the_three_pages_in_its_footer(site: TestClient, path: str) -> None:
    footer = site.get(path).text.split('<footer class="site-footer">', 1)[1]
    for link in ("/tilgaengelighed", "/privatliv", "/foreslaa"):
        assert f'href="{link}"' in footer


def audited_paths() -> set[str]:
    """Every path (without its query) that an axe-core test in tests/browser visits: the
    ``path`` parameter of each parametrised ``*wcag*`` test, and the editors' page."""
    paths = {test_editor_page.PAGE}
    for file in sorted(Path(test_editor_page.__file__).parent.glob("test_*.py")):
        module = importlib.import_module(f"tests.browser.{file.stem}")
        for name, test in vars(module).items():
            if not (name.startswith("test_") and "wcag" in name):
                continue
            for mark in getattr(test, "pytestmark", []):
                names = mark.args[0] if mark.name == "parametrize" else ""
                names = [n.strip() for n in names.split(",")] if isinstance(names, str) else names
                if "path" not in names:
                    continue
                for case in mark.args[1]:
                    values = case.values if hasattr(case, "values") else case
                    value = values[names.index("path")] if len(names) > 1 else values
                    value = value[0] if isinstance(value, tuple) else value
                    paths.add(value.split("?", 1)[0])
    return paths


def test_the_statement_names_exactly_the_pages_the_axe_audits_visit(site: TestClient) -> None:
    claimed = {path for _, paths in AUDITED_PAGES for path in paths}
    assert claimed == audited_paths()
    page = text_of(site.get("/tilgaengelighed").text)
    for label, _ in AUDITED_PAGES:
        assert label in page


def test_the_form_offers_every_registry_value_of_each_tag_facet(
    site: TestClient, settings: Settings
) -> None:
    page = site.get("/foreslaa").text
    vocab = load_vocabulary(settings.content_dir)
    boxes = set(re.findall(r'type="checkbox" id="[^"]+" name="([a-z_]+)" value="([^"]+)"', page))
    expected = {(f.field, v.slug) for f in checkbox_facets() for v in f.values(vocab)}
    assert len(expected) > 50 and boxes == expected
    for publication in vocab.publications:
        assert f'<option value="{publication.slug}"' in page
    for role in vocab.roles:
        assert f'<option value="{role.slug}"' in page


def check_output(tmp_path: Path, text: str) -> str:
    """What ``python -m app check`` prints for a collection of one case file with this text."""
    content = make_content(tmp_path / "content", cases=None)
    (content / "cases" / "forslag.md").write_text(text, encoding="utf-8")
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        run_check(make_settings(tmp_path, content), strict=True)
    return output.getvalue()


def test_a_misspelt_tag_gets_the_message_check_gives(site: TestClient, tmp_path: Path) -> None:
    printed = check_output(tmp_path, HAND_WRITTEN.format(target="ensome"))
    lines = [line for line in printed.splitlines() if ": target_groups[0]: " in line]
    assert len(lines) == 1, printed
    expected = lines[0].split(": target_groups[0]: ", 1)[1]
    assert "Mente du 'ensomme'?" in expected

    response = site.post("/foreslaa", data=VALID | {"target_groups": ["ensome", "aeldre"]})

    assert response.status_code == 422
    assert error_block(response.text, "target_groups") == f"Fejl: {expected}"
    summary = re.findall(r'<li><a href="#target_groups">(.*?)</a></li>', response.text, re.S)
    assert [text_of(link) for link in summary] == [f"Målgrupper: {expected}"]


def test_a_form_error_and_a_misspelt_tag_are_reported_in_the_same_round(site: TestClient) -> None:
    page = site.post(
        "/foreslaa", data=VALID | {"title": "Ku", "target_groups": ["ensome", "aeldr"]}
    ).text
    assert "Mente du &#39;aeldre&#39;?" in page
    assert error_block(page, "title")


def test_the_hand_written_twin_of_the_valid_form_passes_check(tmp_path: Path) -> None:
    """Guards the test above: only the misspelling separates the two files."""
    printed = check_output(tmp_path, HAND_WRITTEN.format(target="ensomme"))
    assert "1 sager indlæst, 0 sprunget over." in printed, printed


def test_problems_keep_the_values_and_are_tied_to_their_fields(site: TestClient) -> None:
    sent = VALID | {"title": "Kort", "geography": "Aarhus Kommune", "section-2": "## Ukendt\nTekst"}
    page = site.post("/foreslaa", data=sent).text

    assert '<div class="error-summary"' in page and "<title>Fejl: " in page
    assert 'value="Kort"' in page and 'value="Aarhus Kommune"' in page
    assert re.search(r'value="ensomme" checked', page)
    assert re.search(r'id="title"[^>]*aria-describedby="title-hjaelp title-fejl"', page)
    assert re.search(r'id="title"[^>]*aria-invalid="true"', page)
    body = error_block(page, "section-2")  # the section the stray heading was typed in
    assert "afsnittet 'Organisering' er tomt" in body and "ukendt afsnit 'Ukendt'" in body
    assert "Ukendt\nTekst</textarea>" in page
    for target in re.findall(r'<li><a href="#([^"]+)">', page):
        assert f'id="{target}"' in page, target
    assert not re.search(r'id="summary"[^>]*aria-invalid', page)


def test_a_valid_form_gives_a_draft_that_passes_the_validator(
    site: TestClient, settings: Settings
) -> None:
    page = site.post("/foreslaa", data=VALID | {"handling": "tjek"})
    assert page.status_code == 200
    assert "Dit udkast er klar" in page.text and '<div class="error-summary"' not in page.text
    assert f"mailto:{EMAIL}?subject=" in page.text
    draft = html.unescape(
        re.search(r'<textarea id="udkast"[^>]*>(.*?)</textarea>', page.text, re.S)[1]
    )

    download = site.post("/foreslaa", data=VALID | {"handling": "hent"})

    slug = "kommune-og-forening-mod-ensomhed"
    assert download.headers["content-disposition"] == f'attachment; filename="{slug}.md"'
    assert download.headers["content-type"].startswith("text/markdown")
    assert download.headers["cache-control"] == "no-store"
    assert download.text == draft
    vocab = load_vocabulary(settings.content_dir)
    case = parse_case(f"cases/{slug}.md", slug, download.text, vocab)
    assert isinstance(case, Case), case
    assert case.front.sectors == ["kommune", "civilsamfund"]
    assert case.front.geography == ["aarhus"]


def test_an_invalid_form_is_never_downloaded(site: TestClient) -> None:
    response = site.post("/foreslaa", data=VALID | {"status": "", "handling": "hent"})
    assert response.status_code == 422
    assert "content-disposition" not in response.headers
    assert "skal være en af" in error_block(response.text, "status")


def test_nothing_is_stored(site: TestClient, settings: Settings) -> None:
    before = sorted(p.name for p in settings.cases_dir.iterdir())
    site.post("/foreslaa", data=VALID | {"handling": "hent"})
    assert sorted(p.name for p in settings.cases_dir.iterdir()) == before


def test_the_form_is_bounded(site: TestClient) -> None:
    huge = site.post("/foreslaa", data={"title": "x" * (MAX_BODY_BYTES + 1)})
    assert huge.status_code == 413
    many = site.post(
        "/foreslaa",
        content="&".join(f"f{i}=1" for i in range(1000)),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert many.status_code == 400
    streamed = site.post(  # no Content-Length: the server counts what arrives
        "/foreslaa",
        content=(b"title=" + b"x" * 1000 for _ in range(MAX_BODY_BYTES // 1000 + 1)),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert streamed.status_code == 413
    json_body = site.post("/foreslaa", json=VALID)
    assert json_body.status_code == 415
    long_name = site.post("/foreslaa", data=VALID | {"partner-0-name": "x" * (SHORT + 1)})
    assert long_name.status_code == 422
    assert f"højst {SHORT} tegn" in error_block(long_name.text, "partner-0-name")
