"""The real collection in content/cases: valid, complete, and in our own words."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest

from app.content import load_cases
from app.text import words
from app.vocabulary import load_vocabulary
from tests.conftest import REAL_CONTENT

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
RUN = 12  # no case may repeat a run of this many consecutive words from a publication
VOCAB = load_vocabulary(REAL_CONTENT)
RESULT = load_cases(REAL_CONTENT / "cases", VOCAB)


def test_every_real_case_loads_without_problems() -> None:
    assert [str(problem) for problem in RESULT.problems] == []
    assert RESULT.skipped == []


def test_about_fifty_cases_from_every_publication() -> None:
    per_publication = Counter(case.front.source.publication for case in RESULT.cases)
    assert 45 <= len(RESULT.cases) <= 80, len(RESULT.cases)
    for publication in VOCAB.publications:
        assert per_publication[publication.slug] >= 1, publication.slug
    # nine chapters, one of which (»I sikre hænder«) also describes Patientsikkert Sygehus
    assert per_publication["inspiration-til-partnerskaber-2014"] == 10
    assert per_publication["sammen-ved-vi-bedst-2021"] == 10


def test_every_case_cites_publication_publisher_year_and_pages() -> None:
    for case in RESULT.cases:
        source = case.front.source
        assert source.title and source.publisher and source.year, case.slug
        assert source.pages or source.section, case.slug


def test_damaged_ocr_letters_are_not_carried_into_cases() -> None:
    """Seed 003 lost its æ/ø/å to OCR (``stgtte``, ``pa``, ``Kgbenhavn``); cases must not."""
    garbled = re.compile(r"\b(stgtte|Kgbenhavn|Helsinggr|Fzallesr|Feellesr|Ignnede|omrade|pa)\b")
    for path in sorted((REAL_CONTENT / "cases").glob("*.md")):
        found = garbled.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.name}: {found}"


def _runs(text: str) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + RUN]) for i in range(len(tokens) - RUN + 1)}


@pytest.mark.skipif(
    not SEEDS.is_dir() and not os.environ.get("CI"),
    reason="the seed publications sit beside the project (required under CI)",
)
def test_no_case_copies_twelve_words_from_a_publication() -> None:
    seed_runs: set[tuple[str, ...]] = set()
    for seed in sorted(SEEDS.glob("0*.txt")):
        seed_runs |= _runs(seed.read_text(encoding="utf-8"))
    copied = {}
    for case in RESULT.cases:
        front = case.front  # everything we wrote; the cited publication title is a quotation
        ours = " ".join(
            [
                front.title,
                front.summary,
                front.partnership or "",
                *front.key_results,
                case.body_markdown,
            ]
        )
        shared = _runs(ours) & seed_runs
        if shared:
            copied[case.slug] = [" ".join(run) for run in sorted(shared)[:3]]
    assert copied == {}
