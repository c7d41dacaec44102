"""The suggestion core: form fields → front matter → draft, and problems back to their fields."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

import pytest
import yaml

from app.settings import PROJECT_DIR
from app.suggest import MAILTO_MAX, front_matter, suggest_case
from app.vocabulary import Vocabulary, load_vocabulary
from tests.test_pages import VALID

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return load_vocabulary(PROJECT_DIR / "content")


def form(**changes: object) -> dict[str, list[str]]:
    values = VALID | changes
    return {k: v if isinstance(v, list) else [str(v)] for k, v in values.items()}


def test_sectors_follow_the_partners_in_vocabulary_order(vocab: Vocabulary) -> None:
    values = form(**{"partner-0-sector": "civilsamfund", "partner-1-sector": "kommune"})
    values |= {"partner-2-name": ["Staten"], "partner-2-sector": ["stat"]}
    assert front_matter(values, vocab, TODAY)["sectors"] == ["stat", "kommune", "civilsamfund"]


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2012", {"start": 2012}),
        ("ca. 2009", {"start": "ca. 2009"}),
        ("", {}),
        ("2012?", {"start": "2012?"}),
    ],
)
def test_years_as_written(vocab: Vocabulary, start: str, expected: dict[str, object]) -> None:
    assert front_matter(form(period_start=start), vocab, TODAY)["period"] == expected


def test_places_by_slug_label_or_name_and_anything_else_as_typed(vocab: Vocabulary) -> None:
    front = front_matter(
        form(geography="København, Region Midtjylland, aarhus, Arhus"), vocab, TODAY
    )
    assert front["geography"] == ["koebenhavn", "region-midtjylland", "aarhus", "Arhus"]


def test_a_draft_leaves_out_empty_optional_lists_and_reads_back(vocab: Vocabulary) -> None:
    result = suggest_case(form(), vocab, TODAY)
    assert result.valid, result.problems
    front = yaml.safe_load(result.draft.split("---\n")[1])
    assert "barriers" not in front and "keywords" not in front and "links" not in front
    assert front["added"] == TODAY and front["source"]["year"] == 2014


def test_a_stray_heading_is_reported_at_the_section_it_was_typed_in(vocab: Vocabulary) -> None:
    result = suggest_case(form(**{"section-3": "Gode tal.\n## Noget andet\nMere."}), vocab, TODAY)
    assert [p.field_id for p in result.problems] == ["section-3"]
    assert "ukendt afsnit 'Noget andet'" in result.problems[0].message


def test_mailto_carries_a_short_draft_and_points_to_the_file_for_a_long_one(
    vocab: Vocabulary,
) -> None:
    short = suggest_case(form(), vocab, TODAY)
    assert short.draft in unquote(short.mailto("r@example.org"))
    long = suggest_case(form(**{"section-1": "Partnerne mødtes. " * 150}), vocab, TODAY)
    link = long.mailto("r@example.org")
    assert len(link) <= MAILTO_MAX and long.draft not in unquote(link)
    assert f"vedhæftet som {long.slug}.md" in unquote(link)
