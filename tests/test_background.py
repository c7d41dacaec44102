"""Background notes: analyses and position papers, loaded and served beside the cases."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from app.background import load_background
from app.build import build
from app.content import load_cases
from app.settings import Settings
from app.vocabulary import Vocabulary, load_vocabulary
from tests.conftest import REAL_CONTENT, make_content, make_settings, serve

BACKGROUND = REAL_CONTENT / "background"
NOTES = sorted(BACKGROUND.glob("*.md"))
FOLDED = {
    "familiesamvirket-moedrehjaelpen": "fremtidens-velfaerdsalliancer",
    "sfi-dialogforum-effektmaaling": "blaa-kors-dokumentationsenhed",
    "bro-til-hverdagslivet-rudersdal": "peer-stoette-i-region-hovedstaden",
}


def front(path: Path) -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    return data


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return load_vocabulary(REAL_CONTENT)


@pytest.fixture(scope="module")
def background_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("background")
    content = make_content(root / "content")
    shutil.copytree(BACKGROUND, content / "background")
    settings = make_settings(root, content)
    build(settings)
    return settings


@pytest.fixture(scope="module")
def background_client(background_settings: Settings) -> Iterator[TestClient]:
    yield from serve(background_settings)


def test_the_real_notes_load_with_no_problems(vocab: Vocabulary) -> None:
    result = load_background(BACKGROUND, vocab)
    assert result.problems == []
    assert NOTES, "content/background/ holds no notes"
    assert sorted(n.slug for n in result.notes) == [p.stem for p in NOTES]
    for note in result.notes:
        assert note.front.title == front(BACKGROUND / f"{note.slug}.md")["title"]


def test_a_misspelt_policy_area_is_reported_and_only_that_note_is_skipped(
    tmp_path: Path, vocab: Vocabulary
) -> None:
    good, bad = NOTES[0], NOTES[1]
    shutil.copy2(good, tmp_path / good.name)
    text = bad.read_text(encoding="utf-8")
    area = front(bad)["policy_areas"][0]  # type: ignore[index]
    misspelt = area[:-1] + ("x" if area[-1] != "x" else "y")
    lines = text.splitlines()
    line = next(i for i, row in enumerate(lines, 1) if row.startswith("policy_areas:"))
    lines[line - 1] = lines[line - 1].replace(area, misspelt, 1)
    (tmp_path / bad.name).write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = load_background(tmp_path, vocab)

    assert [n.slug for n in result.notes] == [good.stem]
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.file == f"background/{bad.name}"
    assert problem.line == line
    assert problem.field == "policy_areas[0]"
    assert problem.suggestion == area
    assert str(problem).startswith(f"background/{bad.name}:{line}: policy_areas[0]: ")
    assert f"Mente du '{area}'?" in str(problem)


def test_an_unknown_key_and_a_wrong_source_are_reported(tmp_path: Path, vocab: Vocabulary) -> None:
    text = NOTES[0].read_text(encoding="utf-8")
    year = front(NOTES[0])["source"]["year"]  # type: ignore[index]
    (tmp_path / "a-key.md").write_text(text.replace("\nsummary:", "\nsumary:", 1), "utf-8")
    (tmp_path / "b-year.md").write_text(text.replace(f"year: {year}", "year: 1999", 1), "utf-8")
    result = load_background(tmp_path, vocab)
    assert result.notes == []
    by_file = {(p.file, p.field): p for p in result.problems}
    assert by_file[("background/a-key.md", "sumary")].suggestion == "summary"
    wrong = by_file[("background/b-year.md", "source.year")]
    assert repr(year) in wrong.message


def test_the_build_copies_the_notes_into_the_generation(background_settings: Settings) -> None:
    copied = background_settings.index_dir / "current" / "content" / "background"
    assert sorted(p.name for p in copied.glob("*.md")) == [p.name for p in NOTES]


def test_the_list_page_and_its_json_twin_show_the_same_notes(
    background_client: TestClient,
) -> None:
    titles = sorted(str(front(p)["title"]) for p in NOTES)
    page = background_client.get("/baggrund")
    assert page.status_code == 200
    assert '<html lang="da">' in page.text
    assert "<h1>Baggrund</h1>" in page.text
    for title in titles:
        assert title.replace("'", "&#39;") in page.text
    data = background_client.get("/api/v1/background").json()
    assert data["total"] == len(NOTES)
    assert sorted(n["title"] for n in data["notes"]) == titles
    for note in data["notes"]:
        assert note["kind"] == front(BACKGROUND / f"{note['slug']}.md")["kind"]
        assert note["source"]["citation"].startswith(note["source"]["publisher"])


@pytest.mark.parametrize("path", NOTES, ids=[p.stem for p in NOTES])
def test_one_note_renders_in_danish_with_its_source(
    background_client: TestClient, path: Path
) -> None:
    page = background_client.get(f"/baggrund/{path.stem}")
    assert page.status_code == 200
    meta = front(path)
    assert f"<h1>{meta['title']}</h1>" in page.text
    assert "Kilde" in page.text and str(meta["source"]["pages"]) in page.text  # type: ignore[index]
    first_heading = re.search(r"^## (.+)$", path.read_text(encoding="utf-8"), re.M)
    assert first_heading and f"<h2>{first_heading.group(1)}</h2>" in page.text
    twin = background_client.get(f"/api/v1/background/{path.stem}").json()
    assert twin["title"] == meta["title"]
    assert twin["slug"] == path.stem


def test_an_unknown_slug_is_a_danish_404_with_the_common_error_shape(
    background_client: TestClient,
) -> None:
    page = background_client.get("/baggrund/findes-ikke")
    assert page.status_code == 404
    assert "Siden findes ikke" in page.text and "findes-ikke" in page.text
    response = background_client.get("/api/v1/background/findes-ikke")
    assert response.status_code == 404
    error = response.json()["error"]
    assert set(error) == {"status", "code", "message", "parameter", "details"}
    assert error["status"] == 404 and error["code"] == "background_not_found"
    assert "findes ikke" in error["message"]


def test_the_policy_area_page_and_about_page_link_to_the_notes(
    background_client: TestClient,
) -> None:
    topic = background_client.get("/emner/politikomraade").text
    for path in NOTES:
        assert f'href="/baggrund/{path.stem}"' in topic
    assert "Baggrund om dette emne" in topic
    assert 'href="/baggrund"' in background_client.get("/om").text
    other = background_client.get("/emner/sektor").text
    assert "Baggrund om dette emne" not in other


def test_the_folded_cases_are_gone_and_their_hosts_still_load(vocab: Vocabulary) -> None:
    cases = REAL_CONTENT / "cases"
    result = load_cases(cases, vocab)
    slugs = {case.slug for case in result.cases}
    for removed, host in FOLDED.items():
        assert not (cases / f"{removed}.md").exists()
        assert host in slugs
    for path in NOTES:
        assert not (cases / path.name).exists()
    assert not {p.file for p in result.problems} & {f"cases/{h}.md" for h in FOLDED.values()}


def test_the_evaluation_sets_name_only_existing_cases() -> None:
    existing = {p.stem for p in (REAL_CONTENT / "cases").glob("*.md")}
    for name in ("queries.yml", "heldout.yml"):
        path = Path(__file__).parent / "eval" / name
        for query in yaml.safe_load(path.read_text(encoding="utf-8")):
            relevant = query["relevant"]
            assert relevant, (name, query["q"])
            assert set(relevant) <= existing, (name, query["q"], set(relevant) - existing)
