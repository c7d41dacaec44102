"""Background notes: analyses and position papers that are not cases of a partnership.

They live in ``content/background/<slug>.md`` with a short front matter (title, summary, kind,
policy_areas, source, added) and a free Markdown body. They are validated at the same edge and
with the same helpers as cases (file:line: field: message, "Mente du" for near misses), copied
into each index generation by the build, and read once per generation by the catalog.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal, cast

from pydantic import BaseModel, Field

from app.content import (
    Problem,
    _check_source,
    _Source,
    _suggest,
    read_front,
    validate_front,
)
from app.errors import CaseNotFoundError
from app.markdown_render import render_markdown
from app.models import FrontMatter, NonEmpty, Source, Strict
from app.query import filter_url
from app.vocabulary import Vocabulary

DIR_NAME = "background"
KINDS = {"analyse": "Analyse", "holdningspapir": "Holdningspapir"}
POLICY_PARAM = "policy_area"


class BackgroundFront(Strict):
    """Exactly the keys a background note may carry (see the README, »Baggrundsnoter«)."""

    title: NonEmpty = Field(min_length=5, max_length=120)
    summary: NonEmpty = Field(min_length=20, max_length=700)
    kind: Literal["analyse", "holdningspapir"]
    policy_areas: list[NonEmpty] = Field(min_length=1)
    source: Source
    added: dt.date


@dataclass(frozen=True)
class BackgroundNote:
    slug: str
    front: BackgroundFront
    body_markdown: str

    @cached_property
    def body_html(self) -> str:
        return render_markdown(self.body_markdown)


@dataclass
class BackgroundLoad:
    notes: list[BackgroundNote] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


class BackgroundNotFoundError(CaseNotFoundError):
    """A background slug the collection does not hold (served like a missing case)."""

    code = "background_not_found"

    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.args = (f"Baggrundsnoten '{slug}' findes ikke i samlingen.",)

    def __str__(self) -> str:
        return str(self.args[0])


def _check_areas(source: _Source, front: BackgroundFront, vocab: Vocabulary) -> Iterator[Problem]:
    known = vocab.by_slug["policy_areas"]
    for index, value in enumerate(front.policy_areas):
        if value not in known:
            yield Problem(
                source.name,
                source.line_of(("policy_areas", index)),
                f"policy_areas[{index}]",
                f"ukendt værdi '{value}'; forventede et politikområde fra vokabularet.",
                _suggest(value, known),
            )
    for value in sorted({v for v in front.policy_areas if front.policy_areas.count(v) > 1}):
        yield Problem(
            source.name,
            source.line_of(("policy_areas",)),
            "policy_areas",
            f"'{value}' står flere gange.",
        )


def parse_note(
    name: str, slug: str, text: str, vocab: Vocabulary
) -> BackgroundNote | list[Problem]:
    """Validate one background file's text; return the note or every problem found in it."""
    read = read_front(name, slug, text)
    if isinstance(read, list):
        return read
    source, data, problems = read
    if not source.body.strip():
        problems.append(Problem(name, source.body_first_line, "body", "brødteksten er tom."))
    front = validate_front(source, data, BackgroundFront)
    if isinstance(front, list):
        return problems + front
    problems += list(_check_areas(source, front, vocab))
    # The source rules are the cases' rules; that check reads only ``front.source``.
    problems += list(_check_source(source, cast(FrontMatter, front), vocab))
    if problems:
        return problems
    return BackgroundNote(slug=slug, front=front, body_markdown=source.body)


def load_background(directory: Path, vocab: Vocabulary) -> BackgroundLoad:
    """Load every ``*.md`` in ``directory`` (none if it is missing). Bad files are skipped."""
    result = BackgroundLoad()
    if not directory.is_dir():
        return result
    titles: dict[str, str] = {}
    for path in sorted(directory.glob("*.md")):
        name = f"{DIR_NAME}/{path.name}"
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            result.problems.append(Problem(name, 1, "fil", f"kan ikke læses som UTF-8: {exc}."))
            result.skipped.append(name)
            continue
        parsed = parse_note(name, path.stem, text, vocab)
        if isinstance(parsed, list):
            result.problems.extend(parsed)
            result.skipped.append(name)
            continue
        key = parsed.front.title.casefold()
        if key in titles:
            result.problems.append(
                Problem(
                    name, 2, "title", f"samme titel som '{titles[key]}'; titler skal være entydige."
                )
            )
            result.skipped.append(name)
            continue
        titles[key] = path.name
        result.notes.append(parsed)
    return result


# --- what the pages and their JSON twins show ------------------------------------------------


class BackgroundTagOut(BaseModel):
    value: str = Field(description="Politikområdets slug")
    label: str = Field(description="Dansk betegnelse")
    url: str = Field(description="Søgningen efter sager inden for politikområdet")


class BackgroundSourceOut(BaseModel):
    publication: str = Field(description="Publikationens slug i vokabularet")
    title: str = Field(description="Publikationens titel")
    publisher: str = Field(description="Udgiver")
    year: int = Field(description="Udgivelsesår")
    pages: str | None = Field(None, description="Sidetal i publikationen")
    section: str | None = Field(None, description="Afsnittets overskrift i publikationen")
    url: str | None = Field(None, description="Publikationen hos udgiveren")
    citation: str = Field(description="Færdig kildehenvisning til at kopiere")


class BackgroundSummaryOut(BaseModel):
    slug: str = Field(description="Notens permanente id (filnavnet)")
    title: str = Field(description="Titel")
    kind: Literal["analyse", "holdningspapir"] = Field(description="Slags note")
    kind_label: str = Field(description="Analyse eller Holdningspapir")
    summary: str = Field(description="Resumé, 1–3 sætninger")
    policy_areas: list[BackgroundTagOut] = Field(description="Politikområderne, noten handler om")
    source: BackgroundSourceOut = Field(description="Kildehenvisning")
    added: dt.date = Field(description="Datoen, noten kom i samlingen")
    url: str = Field(description="Notens side / the note's HTML page")
    api_url: str = Field(description="Notens JSON / the note's JSON twin")


class BackgroundNoteOut(BackgroundSummaryOut):
    body_html: str = Field(description="Brødteksten som saneret HTML")


class BackgroundListOut(BaseModel):
    total: int = Field(description="Antal baggrundsnoter")
    notes: list[BackgroundSummaryOut] = Field(description="Noterne efter titel")


def _citation(note: BackgroundNote) -> BackgroundSourceOut:
    cited = note.front.source
    where = f"s. {cited.pages}" if cited.pages else f"afsnittet »{cited.section}«"
    return BackgroundSourceOut(
        publication=cited.publication,
        title=cited.title,
        publisher=cited.publisher,
        year=cited.year,
        pages=cited.pages,
        section=cited.section,
        url=cited.url,
        citation=f"{cited.publisher} ({cited.year}): {cited.title}, {where}.",
    )


def summary_out(
    note: BackgroundNote, vocab: Vocabulary, base_url: str, search: str
) -> BackgroundSummaryOut:
    terms = vocab.by_slug["policy_areas"]
    return BackgroundSummaryOut(
        slug=note.slug,
        title=note.front.title,
        kind=note.front.kind,
        kind_label=KINDS[note.front.kind],
        summary=note.front.summary,
        policy_areas=[
            BackgroundTagOut(
                value=area,
                label=terms[area].label if area in terms else area,
                url=filter_url(search, POLICY_PARAM, area),
            )
            for area in note.front.policy_areas
        ],
        source=_citation(note),
        added=note.front.added,
        url=f"{base_url}/baggrund/{note.slug}",
        api_url=f"{base_url}/api/v1/background/{note.slug}",
    )


def background_list(
    notes: list[BackgroundNote], vocab: Vocabulary, base_url: str, search: str
) -> BackgroundListOut:
    ordered = sorted(notes, key=lambda n: n.front.title.casefold())
    return BackgroundListOut(
        total=len(ordered), notes=[summary_out(n, vocab, base_url, search) for n in ordered]
    )


def background_note(
    notes: list[BackgroundNote], slug: str, vocab: Vocabulary, base_url: str, search: str
) -> BackgroundNoteOut:
    for note in notes:
        if note.slug == slug:
            summary = summary_out(note, vocab, base_url, search)
            return BackgroundNoteOut(**summary.model_dump(), body_html=note.body_html)
    raise BackgroundNotFoundError(slug)


def notes_by_area(notes: list[BackgroundNote]) -> dict[str, list[BackgroundNote]]:
    """Policy-area slug → the notes tagged with it, by title (for the topic page)."""
    by_area: dict[str, list[BackgroundNote]] = {}
    for note in sorted(notes, key=lambda n: n.front.title.casefold()):
        for area in note.front.policy_areas:
            by_area.setdefault(area, []).append(note)
    return by_area
