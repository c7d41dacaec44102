"""Editor messages: a YAML mistake is named as the mistake the editor made (in Danish, with file,
line and column), and unknown keys and tag errors are reported in the same run.

Each scenario is a valid fixture case with one edit, written to tmp_path.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.cli import main
from app.content import parse_case, validate_front
from app.models import FrontMatter
from app.vocabulary import load_vocabulary
from tests.conftest import FIXTURES, REAL_CONTENT

VOCAB = load_vocabulary(REAL_CONTENT)
VALID = (FIXTURES / "cases" / "valid-fuldkorn-virksomheder.md").read_text(encoding="utf-8")
NAME = "cases/redigeret.md"


def edited(old: str, new: str, text: str = VALID) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems_of(text: str) -> list[str]:
    parsed = parse_case(NAME, "redigeret", text, VOCAB)
    assert isinstance(parsed, list), "the edited case should not validate"
    return [str(problem) for problem in parsed]


def test_the_unedited_fixture_is_valid() -> None:
    assert not isinstance(parse_case(NAME, "redigeret", VALID, VOCAB), list)


def test_a_title_with_a_colon_is_told_to_be_quoted() -> None:
    text = edited(
        "title: Fuldkornspartnerskabet i testudgave",
        "title: Fuldkorn: partnerskabet i testudgave",
    )
    assert problems_of(text) == [
        "cases/redigeret.md:2:16: title: ugyldig YAML: værdien indeholder ': ' (kolon og "
        "mellemrum), som YAML læser som en ny nøgle. Sæt hele værdien i anførselstegn: "
        'title: "Fuldkorn: partnerskabet i testudgave". '
        "Linjen: »title: Fuldkorn: partnerskabet i testudgave«."
    ]


def test_a_nested_value_with_a_colon_names_its_key_and_keeps_its_quotes_apart() -> None:
    text = edited(
        '  title: "Inspiration til partnerskaber: Case-samling"',
        '  title: Inspiration til "partnerskaber": Case-samling',
    )
    assert problems_of(text) == [
        "cases/redigeret.md:24:41: source.title: ugyldig YAML: værdien indeholder ': ' (kolon "
        "og mellemrum), som YAML læser som en ny nøgle. Sæt hele værdien i anførselstegn: "
        "title: 'Inspiration til \"partnerskaber\": Case-samling'. "
        'Linjen: »title: Inspiration til "partnerskaber": Case-samling«.'
    ]


def test_a_tab_in_the_indentation() -> None:
    text = edited("    sector: fond\n", "\tsector: fond\n")
    assert problems_of(text) == [
        "cases/redigeret.md:11:1: sector: ugyldig YAML: linjen er indrykket med et "
        "tabulatortegn; YAML tillader kun mellemrum. Erstat tabulatoren med mellemrum. "
        "Linjen: »\\tsector: fond«."
    ]


def test_an_unclosed_quote_is_found_where_it_opens_not_where_yaml_gives_up() -> None:
    text = edited('  pages: "21-23"', '  pages: "21-23')
    assert problems_of(text) == [
        'cases/redigeret.md:27:10: source.pages: ugyldig YAML: anførselstegnet " åbner '
        'værdien, men lukkes ikke; afslut værdien med " på samme linje. '
        'Linjen: »pages: "21-23«.'
    ]


def test_an_unclosed_bracket() -> None:
    text = edited("sectors: [stat, fond, privat]", "sectors: [stat, fond, privat")
    assert problems_of(text) == [
        "cases/redigeret.md:15:10: sectors: ugyldig YAML: '[' åbner en liste, men lukkes "
        "ikke; afslut den med ']' på samme linje. Linjen: »sectors: [stat, fond, privat«."
    ]


def test_a_missing_opening_line() -> None:
    assert problems_of(VALID.removeprefix("---\n")) == [
        "cases/redigeret.md:1: front matter: filen skal starte med en linje '---' (front "
        "matter står mellem to linjer '---'); tilføj '---' som første linje."
    ]


def test_a_missing_closing_line_points_at_the_first_heading() -> None:
    text = edited("updated: 2026-03-01\n---\n", "updated: 2026-03-01\n")
    assert problems_of(text) == [
        "cases/redigeret.md:31: front matter: mangler den afsluttende linje '---' efter "
        "front matter; sæt den før linje 31 (»## Baggrund og formål«)."
    ]


def test_a_key_written_twice() -> None:
    text = edited("status: igangværende\n", "status: igangværende\nstatus: afsluttet\n")
    assert problems_of(text) == [
        "cases/redigeret.md:22: status: nøglen står to gange (også på linje 21); YAML ville "
        "kun bruge den sidste. Slet den ene."
    ]


def test_windows_line_endings_and_a_byte_order_mark_are_read_as_usual() -> None:
    text = "\ufeff" + VALID.replace("\n", "\r\n")
    assert not isinstance(parse_case(NAME, "redigeret", text, VOCAB), list)


def test_an_unknown_key_and_the_tag_errors_come_in_the_same_run() -> None:
    text = edited("\ntitle:", "\ntitel:")
    text = edited("target_groups: [hele-befolkningen]", "target_groups: [hele-befolkning]", text)
    text = edited("    sector: privat", "    sector: privatt", text)
    assert problems_of(text) == [
        "cases/redigeret.md:2: title: påkrævet felt mangler.",
        "cases/redigeret.md:2: titel: ukendt nøgle; se README, afsnittet »Sagsformatet«, for "
        "de tilladte nøgler. Mente du 'title'?",
        "cases/redigeret.md:16: target_groups[0]: ukendt værdi 'hele-befolkning'; forventede "
        "en målgruppe fra vokabularet. Mente du 'hele-befolkningen'?",
        "cases/redigeret.md:14: partners[2].sector: ukendt sektor 'privatt'; forventede en af "
        "sektorerne i vokabularet. Mente du 'privat'?",
        "cases/redigeret.md:15: sectors: skal være præcis partnernes sektorer (mangler: "
        "privatt; uden partner: privat).",
    ]


def test_a_misspelt_nested_key_does_not_hide_the_source_check() -> None:
    text = edited("  pages:", "  sider:")
    text = edited("  year: 2014", "  year: 2013", text)
    assert problems_of(text) == [
        "cases/redigeret.md:27: source.sider: ukendt nøgle; se README, afsnittet "
        "»Sagsformatet«, for de tilladte nøgler.",
        "cases/redigeret.md:26: source.year: svarer ikke til publikationen; forventede 2014.",
        "cases/redigeret.md:22: source: angiv 'pages' eller 'section'.",
    ]


def test_plain_check_only_reports_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "redigeret.md").write_text(edited("\ntitle:", "\ntitel:"), encoding="utf-8")
    for name in ("vocabulary.yml", "geography.yml"):
        shutil.copy2(REAL_CONTENT / name, tmp_path / name)
    monkeypatch.setenv("PB_CONTENT_DIR", str(tmp_path))
    from app.settings import get_settings

    get_settings.cache_clear()
    try:
        assert main(["check"]) == 0
        report = capsys.readouterr().out
        assert main(["check", "--strict"]) == 1
        strict = capsys.readouterr().out
    finally:
        get_settings.cache_clear()
    assert "cases/redigeret.md:2: titel: ukendt nøgle" in report
    assert "Kun en rapport: exit 0. Brug 'check --strict' for at fejle på problemer." in report
    assert "Kun en rapport" not in strict


def test_validate_front_works_on_a_plain_dict_and_a_name() -> None:
    problems = validate_front("forslag", {"titel": "x"}, FrontMatter)
    assert isinstance(problems, list)
    unknown = [p for p in problems if p.field == "titel"]
    assert [(p.file, p.line, p.suggestion) for p in unknown] == [("forslag", 1, "title")]
