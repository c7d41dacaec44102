"""A suggested case: form fields → front matter → a Markdown draft, checked like ``check`` does.

Nothing is stored. The draft is validated by the same code path as ``python -m app check``
(``parse_case``, which runs ``validate_front`` and the vocabulary checks), so a misspelt tag gets
the same message here as in a case file. Each problem is mapped back to the form field it is
about. Fields are bounded: a value longer than its limit is a problem, not silently cut.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import yaml

from app.content import Problem, parse_case
from app.facets import TAG_FACETS, FacetSpec
from app.models import APPROX_RE, REQUIRED_SECTIONS, SECTIONS, Case, FrontMatter
from app.text import slugify
from app.vocabulary import Vocabulary

MAX_BODY_BYTES = 64_000  # the whole form, URL-encoded
MAX_FIELDS = 400
PARTNER_ROWS = 6
LINK_ROWS = 2
SHORT, LONG = 300, 6000  # characters in a one-line field and in a text area
MAILTO_MAX = 1800  # longer mailto: links are cut off by some mail programs
FREE_TEXT_TAGS = ("geography",)  # too many values for check boxes: typed, comma separated
DERIVED_TAGS = ("sectors",)  # exactly the partners' sectors, so the form derives them
LONG_FIELDS = ("summary", "key_results", *(f"section-{i}" for i in range(len(SECTIONS))))


def checkbox_facets() -> tuple[FacetSpec, ...]:
    """The front-matter tag facets offered as check boxes, from the registry."""
    return tuple(f for f in TAG_FACETS if f.field not in FREE_TEXT_TAGS + DERIVED_TAGS)


@dataclass(frozen=True)
class FieldProblem:
    """A problem shown next to one form field (``field_id`` is the input's id)."""

    field_id: str
    label: str
    message: str


@dataclass
class Suggestion:
    """The outcome of one submitted form: the values as sent, the problems, and the draft."""

    values: Mapping[str, Sequence[str]]
    problems: list[FieldProblem] = field(default_factory=list)
    slug: str = ""
    draft: str = ""

    @property
    def valid(self) -> bool:
        return not self.problems

    def value(self, name: str) -> str:
        found = self.values.get(name, ())
        return found[0] if found else ""

    def checked(self, name: str) -> set[str]:
        return set(self.values.get(name, ()))

    def errors_for(self, field_id: str) -> list[str]:
        return [p.message for p in self.problems if p.field_id == field_id]

    def mailto(self, address: str) -> str:
        subject = quote(f"Forslag til en sag: {self.value('title')}")
        body = quote(f"Udkastet til {self.slug}.md:\n\n{self.draft}")
        link = f"mailto:{address}?subject={subject}&body={body}"
        if len(link) <= MAILTO_MAX:
            return link
        short = quote(f"Udkastet er vedhæftet som {self.slug}.md.")
        return f"mailto:{address}?subject={subject}&body={short}"


def _label(field_id: str) -> str:
    """The Danish name of a form field, for the error summary."""
    names = {
        "title": "Titel",
        "summary": "Resumé",
        "partnership": "Partnerskabets navn",
        "geography": "Geografi",
        "period_start": "Startår",
        "period_end": "Slutår",
        "status": "Status",
        "keywords": "Søgeord",
        "key_results": "Nøgleresultater",
        "publication": "Publikation",
        "source_pages": "Sidetal",
        "source_section": "Afsnit i kilden",
        "partners": "Partnere",
        "form": "Forslaget",
    }
    names |= {f.field: f.plural for f in TAG_FACETS}
    names |= {f"section-{i}": f"Afsnittet »{h}«" for i, h in enumerate(SECTIONS)}
    if match := re.fullmatch(r"partner-(\d+)-(name|sector|role)", field_id):
        part = {"name": "navn", "sector": "sektor", "role": "rolle"}[match.group(2)]
        return f"Partner {int(match.group(1)) + 1}: {part}"
    if match := re.fullmatch(r"link-(\d+)-(label|url)", field_id):
        part = {"label": "tekst", "url": "adresse"}[match.group(2)]
        return f"Link {int(match.group(1)) + 1}: {part}"
    return names.get(field_id, field_id)


def _listed(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _year(text: str) -> int | str | None:
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if match := APPROX_RE.match(text):
        return f"ca. {match.group(1)}"
    return text  # the validator names what is wrong with it


def _geography(text: str, vocab: Vocabulary) -> list[str]:
    """Slugs, labels or names as written (``Aarhus Kommune``, ``København`` → their slugs);
    anything else stays as typed, for the validator to name."""
    terms = vocab.terms.get("geography", ())
    known = {t.slug: t.slug for t in terms} | {slugify(t.label): t.slug for t in terms}
    return [known.get(slugify(value), value) for value in _listed(text)]


class _Form:
    def __init__(self, values: Mapping[str, Sequence[str]]) -> None:
        self.values = values

    def one(self, name: str) -> str:
        found = self.values.get(name, ())
        return found[0].strip() if found else ""

    def many(self, name: str) -> list[str]:
        return list(dict.fromkeys(v.strip() for v in self.values.get(name, ()) if v.strip()))


def _partners(form: _Form) -> list[dict[str, str]]:
    partners = []
    for i in range(PARTNER_ROWS):
        name, sector, role = (form.one(f"partner-{i}-{k}") for k in ("name", "sector", "role"))
        if name or sector or role:
            partners.append({"name": name, "sector": sector} | ({"role": role} if role else {}))
    return partners


def _source(form: _Form, vocab: Vocabulary) -> dict[str, Any]:
    slug = form.one("publication")
    publication = vocab.publication(slug)
    cited: dict[str, Any] = {"publication": slug}
    if publication is not None:  # the rest of the citation follows from the publication
        cited |= {
            "title": publication.label,
            "publisher": publication.publisher,
            "year": publication.year,
        }
    for key in ("pages", "section"):
        if value := form.one(f"source_{key}"):
            cited[key] = value
    cited["seed"] = publication.seed if publication is not None else ""
    return cited


def front_matter(
    values: Mapping[str, Sequence[str]], vocab: Vocabulary, today: dt.date
) -> dict[str, Any]:
    """The case front matter the form describes, in the order of the README's reference."""
    form = _Form(values)
    partners = _partners(form)
    chosen = {p["sector"] for p in partners}
    known = [t.slug for t in vocab.terms.get("sectors", ())]
    sectors = [s for s in known if s in chosen] + sorted(chosen - set(known) - {""})
    front: dict[str, Any] = {"title": form.one("title"), "summary": form.one("summary")}
    if partnership := form.one("partnership"):
        front["partnership"] = partnership
    front |= {"partners": partners, "sectors": sectors}
    for facet in checkbox_facets():
        front[facet.field] = form.many(facet.field)
    front["geography"] = _geography(form.one("geography"), vocab)
    years = {key: _year(form.one(f"period_{key}")) for key in ("start", "end")}
    front["period"] = {key: year for key, year in years.items() if year is not None}
    front["status"] = form.one("status")
    front["keywords"] = _listed(form.one("keywords"))
    front["links"] = [
        {"label": form.one(f"link-{i}-label"), "url": form.one(f"link-{i}-url")}
        for i in range(LINK_ROWS)
        if form.one(f"link-{i}-label") or form.one(f"link-{i}-url")
    ]
    front["key_results"] = [
        line.strip() for line in form.one("key_results").splitlines() if line.strip()
    ]
    front["source"] = _source(form, vocab)
    front["added"] = today
    required = {name for name, info in FrontMatter.model_fields.items() if info.is_required()}
    return {k: v for k, v in front.items() if v != [] or k in required}  # no empty options


def body_of(values: Mapping[str, Sequence[str]]) -> tuple[str, list[tuple[int, int]]]:
    """The Markdown body (filled sections in their fixed order) and, for each, (section index,
    first line in the body)."""
    form = _Form(values)
    lines: list[str] = []
    starts = []
    for i, heading in enumerate(SECTIONS):
        text = form.one(f"section-{i}").replace("\r\n", "\n")
        if text or heading in REQUIRED_SECTIONS:
            starts.append((i, len(lines)))
            lines += [f"## {heading}", "", text, ""]
    return "\n".join(lines), starts


def draft_text(front: Mapping[str, Any], body: str) -> str:
    """The case file: YAML front matter between two '---' lines, then the body."""
    yaml_text = yaml.safe_dump(dict(front), allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{yaml_text}---\n\n{body}"


def field_id_of(problem: Problem, body_line: int, starts: list[tuple[int, int]]) -> str:
    """The form field a problem of the validator is about."""
    path = re.split(r"[.\[\]]+", problem.field.strip("]"))
    head = path[0]
    if head == "partners":
        if len(path) >= 3:
            return f"partner-{path[1]}-{path[2]}"
        return "partners"
    if head == "links" and len(path) >= 3:
        return f"link-{path[1]}-{path[2]}"
    if head == "period":
        return "period_end" if path[-1] == "end" else "period_start"
    if head == "source":
        return (
            "source_section"
            if path[-1] == "section"
            else ("source_pages" if path[-1] in ("source", "pages") else "publication")
        )
    if head == "sectors":
        return "partners"
    if head == "slug":
        return "title"
    if head == "body":
        offset = problem.line - body_line
        before = [i for i, start in starts if start <= offset]
        return f"section-{before[-1] if before else 0}"
    if head in ("title", "summary", "partnership", "status", "keywords", "key_results"):
        return head
    if head in {f.field for f in TAG_FACETS}:
        return head
    return "form"


def _text_of(problem: Problem) -> str:
    """The problem as ``check`` prints it, without the file, line and field in front."""
    return problem.text


def _too_long(values: Mapping[str, Sequence[str]]) -> list[FieldProblem]:
    problems = []
    for name, found in values.items():
        limit = LONG if name in LONG_FIELDS else SHORT
        if any(len(value) > limit for value in found):
            problems.append(FieldProblem(name, _label(name), f"er for lang (højst {limit} tegn)."))
    return problems


def suggest_case(
    values: Mapping[str, Sequence[str]], vocab: Vocabulary, today: dt.date
) -> Suggestion:
    """Check a submitted form; valid, it carries the Markdown draft of the case file."""
    result = Suggestion(values=values, slug=slugify(_Form(values).one("title")) or "ny-sag")
    result.problems = _too_long(values)
    if result.problems:
        return result
    body, starts = body_of(values)
    text = draft_text(front_matter(values, vocab, today), body)
    body_line = text[: -len(body)].count("\n") + 1 if body else 0  # the body's first line
    parsed = parse_case(f"cases/{result.slug}.md", result.slug, text, vocab)
    if isinstance(parsed, Case):
        result.draft = text
        return result
    for problem in parsed:
        field_id = field_id_of(problem, body_line, starts)
        shown = FieldProblem(field_id, _label(field_id), _text_of(problem))
        if shown not in result.problems:  # e.g. three missing parts of an unchosen publication
            result.problems.append(shown)
    return result
