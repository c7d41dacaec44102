"""The validator: every kind of error is reported with file, line, field and a useful message,
and a bad file never stops the others from loading."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.cli import main
from app.content import Problem, load_cases
from app.vocabulary import load_vocabulary
from tests.conftest import FIXTURES, REAL_CONTENT

VOCAB = load_vocabulary(REAL_CONTENT)
VALID = sorted(p.stem for p in (FIXTURES / "cases").glob("*.md"))

# scenario file → (line, field, words the message must contain, "did you mean" value or None)
SCENARIOS: dict[str, tuple[int, str, str, str | None]] = {
    "misspelt-target-group": (15, "target_groups[0]", "ukendt værdi 'hjemlose'", "hjemloese"),
    "misspelt-partner-sector": (12, "partners[1].sector", "ukendt sektor", "civilsamfund"),
    "unknown-key": (2, "titel", "ukendt nøgle", "title"),
    "end-before-start": (20, "period.end", "slutåret 2009 ligger før startåret 2012", None),
    "year-out-of-range": (
        20,
        "period.start",
        "årstallet skal ligge mellem 1950 og 2030 (fik 1850)",
        None,
    ),
    "empty-section": (37, "body", "afsnittet 'Resultater' er tomt", None),
    "unknown-section": (37, "body", "ukendt afsnit 'Resultatet'", "Resultater"),
    "sections-out-of-order": (37, "body", "'Baggrund og formål' skal stå før 'Resultater'", None),
    "broken-yaml": (3, "summary", "'[' åbner en liste, men lukkes ikke", None),
    "missing-front-matter": (1, "front matter", "skal starte med en linje '---'", None),
    "sector-without-partner": (14, "sectors", "uden partner: fond", None),
    "source-does-not-match-publication": (28, "source.year", "forventede 2014", None),
    "boolean-title": (2, "title", "skal være tekst (fik True)", None),
    "unknown-geography": (19, "geography[0]", "ukendt værdi 'århus-kommune'", "aarhus"),
}


@pytest.fixture()
def content_with(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A cases folder with the valid fixture cases plus the named invalid ones."""

    def make(*scenarios: str) -> Path:
        cases = tmp_path / "cases"
        cases.mkdir(exist_ok=True)
        for path in (FIXTURES / "cases").glob("*.md"):
            shutil.copy2(path, cases / path.name)
        for name in scenarios:
            shutil.copy2(FIXTURES / "invalid" / f"{name}.md", cases / f"{name}.md")
        return cases

    return make


def test_every_invalid_fixture_has_a_scenario() -> None:
    on_disk = {p.stem for p in (FIXTURES / "invalid").glob("*.md")}
    assert on_disk == set(SCENARIOS) | {"several-problems"}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_problem_names_file_line_field_and_expectation(scenario: str, content_with) -> None:  # type: ignore[no-untyped-def]
    line, field, words, suggestion = SCENARIOS[scenario]
    result = load_cases(content_with(scenario), VOCAB)
    problems = [p for p in result.problems if p.file == f"cases/{scenario}.md"]
    assert problems, f"no problem reported for {scenario}"
    match = [p for p in problems if p.field == field and words in p.message]
    assert match, f"expected {field}: {words!r}; got {[str(p) for p in problems]}"
    assert match[0].line == line, str(match[0])
    if suggestion:
        assert suggestion in str(match[0]), str(match[0])
    assert sorted(case.slug for case in result.cases) == VALID
    assert result.skipped == [f"cases/{scenario}.md"]


def test_all_problems_in_one_file_are_reported_at_once(content_with) -> None:  # type: ignore[no-untyped-def]
    result = load_cases(content_with("several-problems"), VOCAB)
    fields = {p.field for p in result.problems}
    assert {"target_groups[0]", "geography[0]", "status"} <= fields
    printed = "\n".join(str(p) for p in result.problems)
    assert "Mente du 'hjemloese'?" in printed
    assert "Mente du 'aarhus'?" in printed


def test_problem_prints_file_line_field() -> None:
    problem = Problem("cases/x.md", 7, "sectors[0]", "ukendt værdi 'x'.", "stat")
    assert str(problem) == "cases/x.md:7: sectors[0]: ukendt værdi 'x'. Mente du 'stat'?"


def test_duplicate_titles_and_bad_file_names_are_caught(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    original = FIXTURES / "cases" / "valid-fuldkorn-virksomheder.md"
    shutil.copy2(original, cases / "a-fuldkorn.md")
    shutil.copy2(original, cases / "b-fuldkorn.md")
    shutil.copy2(original, cases / "Fuldkorn_Kopi.md")
    result = load_cases(cases, VOCAB)
    assert [case.slug for case in result.cases] == ["a-fuldkorn"]
    printed = "\n".join(str(p) for p in result.problems)
    assert "cases/b-fuldkorn.md:2: title: samme titel som 'a-fuldkorn.md'" in printed
    assert "cases/Fuldkorn_Kopi.md:1: slug: filnavnet skal være en ASCII-slug" in printed


def test_check_command_reports_and_strict_fails(
    content_with, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    cases = content_with("misspelt-target-group")
    for name in ("vocabulary.yml", "geography.yml"):
        shutil.copy2(REAL_CONTENT / name, cases.parent / name)
    monkeypatch.setenv("PB_CONTENT_DIR", str(cases.parent))
    from app.settings import get_settings

    get_settings.cache_clear()
    try:
        assert main(["check"]) == 0
        assert main(["check", "--strict"]) == 1
    finally:
        get_settings.cache_clear()
    out = capsys.readouterr().out
    assert "cases/misspelt-target-group.md:15: target_groups[0]" in out
    assert "3 sager indlæst, 1 sprunget over." in out
