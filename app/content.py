"""Load and validate case files: the one edge where Markdown + YAML become typed ``Case`` objects.

Every problem in a file is reported at once (file, line, field, what was expected, and a
"did you mean" for near-miss tags). A file with problems is skipped; the other cases load.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from app.facets import TAG_FACETS
from app.models import REQUIRED_SECTIONS, SECTIONS, Case, FrontMatter, Partner, Section, Source
from app.text import SLUG_RE, slugify
from app.vocabulary import Vocabulary
from app.yamlerrors import explain_yaml_error

# libyaml's safe loader when the wheel has it (it does on common platforms): same rules, faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ROLE_NOUN = "en rolle"
Path_ = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file."""

    file: str
    line: int
    field: str
    message: str
    suggestion: str | None = None
    column: int | None = None  # 1-based, where the YAML reader stopped

    @property
    def text(self) -> str:
        """The message and its suggestion, without the place (for a form field)."""
        hint = f" Mente du '{self.suggestion}'?" if self.suggestion else ""
        return f"{self.message}{hint}"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" + (f":{self.column}" if self.column else "")
        return f"{where}: {self.field}: {self.text}"


@dataclass
class LoadResult:
    cases: list[Case] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def files_with_problems(self) -> set[str]:
        return {problem.file for problem in self.problems}


@dataclass
class _Source:
    """A case file split into its parts, with a map from YAML paths to line numbers."""

    name: str
    front_text: str
    body: str
    body_first_line: int
    lines: dict[Path_, int] = field(default_factory=dict)
    duplicates: list[tuple[Path_, int, int]] = field(default_factory=list)  # key, first, again

    def line_of(self, path: Path_) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


def _field_name(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "front matter"


def _map_lines(node: yaml.Node, path: Path_, source: _Source) -> None:
    """Line numbers of every YAML path, and keys written twice (YAML keeps the last silently)."""
    lines = source.lines
    lines[path] = node.start_mark.line + 2  # +1 for 1-based, +1 for the opening '---'
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value
            line = key.start_mark.line + 2
            if (*path, name) in lines:
                source.duplicates.append(((*path, name), lines[(*path, name)], line))
            _map_lines(value, (*path, name), source)
            lines[(*path, name)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _map_lines(item, (*path, index), source)


FENCE_RE = re.compile(r"^---[ \t]*$", flags=re.MULTILINE)
MISSING_OPENING = (
    "filen skal starte med en linje '---' (front matter står mellem to linjer '---'); "
    "tilføj '---' som første linje."
)
MISSING_CLOSING = "mangler den afsluttende linje '---' efter front matter"


def _split_file(name: str, text: str) -> _Source | Problem:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    opening = FENCE_RE.match(text)
    if opening is None:
        return Problem(name, 1, "front matter", MISSING_OPENING)
    start = min(opening.end() + 1, len(text))
    closing = FENCE_RE.search(text, start)
    if closing is None:
        return _missing_closing(name, text[start:])
    front = text[start : closing.start()]
    body_first_line = front.count("\n") + 3
    return _Source(name, front, text[closing.end() + 1 :], body_first_line)


def _missing_closing(name: str, rest: str) -> Problem:
    """Point at the first Markdown heading: the closing '---' belongs just before it."""
    for index, line in enumerate(rest.splitlines()):
        if line.startswith("#"):
            where = f"; sæt den før linje {index + 2} (»{line.strip()}«)."
            return Problem(name, index + 2, "front matter", MISSING_CLOSING + where)
    return Problem(name, 1, "front matter", MISSING_CLOSING + ".")


def _parse_yaml(source: _Source) -> dict[str, Any] | Problem:
    loader = SAFE_LOADER(source.front_text)
    try:
        node = loader.get_single_node()  # one parse gives both the data and the line marks
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        hint = explain_yaml_error(source.front_text, exc)
        return Problem(source.name, hint.line, hint.field, hint.message, column=hint.column)
    finally:
        loader.dispose()
    if not isinstance(data, dict) or node is None:
        return Problem(source.name, 2, "front matter", "forventede nøgler som 'title: ...'.")
    _map_lines(node, (), source)
    return data


DANISH_MESSAGES = {
    "missing": "påkrævet felt mangler",
    "string_type": "skal være tekst",
    "int_type": "skal være et heltal",
    "int_parsing": "skal være et heltal",
    "list_type": "skal være en liste",
    "dict_type": "skal være en ordbog med nøgler",
    "model_type": "skal være en ordbog med nøgler",
    "date_type": "skal være en dato (ÅÅÅÅ-MM-DD)",
    "date_parsing": "skal være en dato (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_parsing": "skal være en dato (ÅÅÅÅ-MM-DD)",
    "greater_than_equal": "skal være mindst {ge}",
    "less_than_equal": "må højst være {le}",
    "too_short": "er for kort (mindst {min_length})",
    "too_long": "er for lang (højst {max_length})",
    "string_too_short": "er for kort (mindst {min_length} tegn)",
    "string_too_long": "er for lang (højst {max_length} tegn)",
    "literal_error": "skal være en af: {expected}",
    "value_error": "{error}",
}


def _explain(error: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "ukendt nøgle; se README, afsnittet »Sagsformatet«, for de tilladte nøgler."
    template = DANISH_MESSAGES.get(kind)
    text = template.format(**error.get("ctx", {})) if template else error["msg"]
    text = text.removeprefix("Value error, ")
    if kind == "missing" or "input" not in error:
        return f"{text}."
    return f"{text} (fik {error['input']!r})."


def validate_front(
    source: _Source | str, data: dict[str, Any], model: type[M]
) -> M | list[Problem]:
    """The front matter as ``model``, or one Problem per validation error (file, line, field,
    a Danish message, and the nearest allowed key for an unknown one). ``source`` may be just a
    name (a dict from a form has no lines: every problem is on line 1)."""
    if isinstance(source, str):
        source = _Source(source, "", "", 1)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            path = tuple(error["loc"])
            suggestion = None
            if error["type"] == "extra_forbidden":
                names = list(model.model_fields) if len(path) == 1 else []
                close = difflib.get_close_matches(str(path[-1]), names, n=1)
                suggestion = close[0] if close else None
            problems.append(
                Problem(
                    source.name,
                    source.line_of(path),
                    _field_name(path),
                    _explain(error),
                    suggestion,
                )
            )
        return problems


def _suggest(value: str, terms: dict[str, Any]) -> str | None:
    labels = {slugify(term.label): slug for slug, term in terms.items()}
    candidates = list(terms) + list(labels)
    close = difflib.get_close_matches(slugify(value), candidates, n=1, cutoff=0.6)
    if not close:
        return None
    return labels.get(close[0], close[0])


def _check_tags(source: _Source, front: FrontMatter, vocab: Vocabulary) -> Iterator[Problem]:
    lists = {spec.field: getattr(front, spec.field) for spec in TAG_FACETS}
    yield from _check_tag_lists(source, lists, vocab)
    yield from _check_partners(source, front.partners, front.sectors, vocab)


def _check_tag_lists(
    source: _Source, lists: dict[str, list[str]], vocab: Vocabulary
) -> Iterator[Problem]:
    for spec in TAG_FACETS:
        facet = spec.field
        if facet not in lists:
            continue
        values = lists[facet]
        known = vocab.by_slug[facet]
        for index, value in enumerate(values):
            if value not in known:
                yield Problem(
                    source.name,
                    source.line_of((facet, index)),
                    f"{facet}[{index}]",
                    f"ukendt værdi '{value}'; forventede {spec.noun} fra vokabularet.",
                    _suggest(value, known),
                )
        for value in {v for v in values if values.count(v) > 1}:
            yield Problem(
                source.name, source.line_of((facet,)), facet, f"'{value}' står flere gange."
            )


def _check_partners(
    source: _Source, partners: list[Partner], sectors: list[str] | None, vocab: Vocabulary
) -> Iterator[Problem]:
    """Each partner's sector and role, and (given the tagged ``sectors``) that they agree."""
    for index, partner in enumerate(partners):
        if partner.sector not in vocab.by_slug["sectors"]:
            yield Problem(
                source.name,
                source.line_of(("partners", index, "sector")),
                f"partners[{index}].sector",
                f"ukendt sektor '{partner.sector}'; forventede en af sektorerne i vokabularet.",
                _suggest(partner.sector, vocab.by_slug["sectors"]),
            )
        if partner.role is not None and partner.role not in vocab.by_slug["roles"]:
            yield Problem(
                source.name,
                source.line_of(("partners", index, "role")),
                f"partners[{index}].role",
                f"ukendt rolle '{partner.role}'; forventede {ROLE_NOUN}.",
                _suggest(partner.role, vocab.by_slug["roles"]),
            )
    if sectors is None:
        return
    partner_sectors = {partner.sector for partner in partners}
    tagged = set(sectors)
    if partner_sectors != tagged:
        missing = ", ".join(sorted(partner_sectors - tagged)) or "-"
        extra = ", ".join(sorted(tagged - partner_sectors)) or "-"
        yield Problem(
            source.name,
            source.line_of(("sectors",)),
            "sectors",
            f"skal være præcis partnernes sektorer (mangler: {missing}; uden partner: {extra}).",
        )


def _check_dates(source: _Source, front: FrontMatter) -> Iterator[Problem]:
    """Years and status as the source gives them at publication (see README »Status og år«)."""
    start, end = front.period.start_year, front.period.end_year
    published = front.source.year
    if start is not None and end is not None and end < start:
        yield Problem(
            source.name,
            source.line_of(("period", "end")),
            "period.end",
            f"slutåret {end} ligger før startåret {start}.",
        )
    if start is not None and start > published and not front.period.start_approx:
        yield Problem(
            source.name,
            source.line_of(("period", "start")),
            "period.start",
            f"startåret {start} ligger efter kildens udgivelsesår {published}; "
            "skriv det som planlagt i brødteksten, ikke som start.",
        )
    if front.status == "igangværende" and end is not None and end <= published:
        yield Problem(
            source.name,
            source.line_of(("status",)),
            "status",
            f"'igangværende' ved udgivelsen i {published} passer ikke med slutåret {end}; "
            "brug 'afsluttet', eller ret slutåret.",
        )
    if front.status == "afsluttet" and end is not None and end > published:
        yield Problem(
            source.name,
            source.line_of(("status",)),
            "status",
            f"'afsluttet' ved udgivelsen i {published} passer ikke med slutåret {end}.",
        )
    if front.updated and front.updated < front.added:
        yield Problem(source.name, source.line_of(("updated",)), "updated", "ligger før 'added'.")


def _check_source(source: _Source, front: FrontMatter, vocab: Vocabulary) -> Iterator[Problem]:
    yield from _check_cited(source, front.source, vocab)


def _check_cited(source: _Source, cited: Source, vocab: Vocabulary) -> Iterator[Problem]:
    publication = vocab.publication(cited.publication)
    if publication is None:
        yield Problem(
            source.name,
            source.line_of(("source", "publication")),
            "source.publication",
            f"ukendt publikation '{cited.publication}'.",
            _suggest(cited.publication, {p.slug: p for p in vocab.publications}),
        )
        return
    expected = {
        "title": publication.label,
        "publisher": publication.publisher,
        "year": publication.year,
        "seed": publication.seed,
    }
    for key, value in expected.items():
        if getattr(cited, key) != value:
            yield Problem(
                source.name,
                source.line_of(("source", key)),
                f"source.{key}",
                f"svarer ikke til publikationen; forventede {value!r}.",
            )
    if not (cited.pages or cited.section):
        yield Problem(
            source.name, source.line_of(("source",)), "source", "angiv 'pages' eller 'section'."
        )


HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def split_sections(body: str) -> tuple[str, list[tuple[str, int, str]]]:
    """Split a body into the text before the first '##' and (heading, line offset, text) parts."""
    intro: list[str] = []
    parts: list[tuple[str, int, list[str]]] = []
    for offset, line in enumerate(body.splitlines()):
        match = HEADING_RE.match(line)
        if match and len(match.group(1)) == 2:
            parts.append((match.group(2), offset, []))
        elif parts:
            parts[-1][2].append(line)
        else:
            intro.append(line)
    return "\n".join(intro), [(h, o, "\n".join(lines).strip()) for h, o, lines in parts]


def _check_body(source: _Source) -> tuple[list[Section], list[Problem]]:
    intro, parts = split_sections(source.body)
    problems: list[Problem] = []

    def report(offset: int, message: str) -> None:
        problems.append(Problem(source.name, source.body_first_line + offset, "body", message))

    if intro.strip():
        report(0, "tekst før første afsnit; start brødteksten med '## Baggrund og formål'.")
    seen: list[str] = []
    for heading, offset, text in parts:
        if heading not in SECTIONS:
            close = difflib.get_close_matches(heading, SECTIONS, n=1)
            hint = f" Mente du '{close[0]}'?" if close else ""
            report(offset, f"ukendt afsnit '{heading}'; tilladt: {', '.join(SECTIONS)}.{hint}")
        elif heading in seen:
            report(offset, f"afsnittet '{heading}' står to gange.")
        elif seen and SECTIONS.index(heading) < SECTIONS.index(seen[-1]):
            report(offset, f"afsnittet '{heading}' skal stå før '{seen[-1]}'.")
        if not text:
            report(offset, f"afsnittet '{heading}' er tomt.")
        seen.append(heading)
    for required in REQUIRED_SECTIONS:
        if required not in seen:
            report(0, f"mangler afsnittet '## {required}'.")
    sections = [Section(heading=h, markdown=t) for h, _, t in parts if h in SECTIONS]
    return sections, problems


def read_front(
    name: str, slug: str, text: str
) -> tuple[_Source, dict[str, Any], list[Problem]] | list[Problem]:
    """A content file split, its YAML parsed, and its file name checked: the part every kind of
    content file shares. A file that cannot be read that far gives its one problem."""
    source = _split_file(name, text)
    if isinstance(source, Problem):
        return [source]
    data = _parse_yaml(source)
    if isinstance(data, Problem):
        return [data]
    problems = [
        Problem(
            name,
            again,
            _field_name(path),
            f"nøglen står to gange (også på linje {first}); YAML ville kun bruge den sidste. "
            "Slet den ene.",
        )
        for path, first, again in source.duplicates
    ]
    if not SLUG_RE.match(slug):
        problems.append(
            Problem(name, 1, "slug", f"filnavnet skal være en ASCII-slug, fx '{slugify(slug)}'.")
        )
    return source, data, problems


def _without_unknown_keys(data: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """A copy of ``data`` without the keys ``model`` does not know, at any depth."""
    pruned = copy.deepcopy(data)
    try:
        model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            if error["type"] == "extra_forbidden":
                *parents, key = error["loc"]
                container: Any = pruned
                for part in parents:
                    container = container[part]
                container.pop(key, None)
    return pruned


def _check_known_part(
    source: _Source, data: dict[str, Any], vocab: Vocabulary
) -> Iterator[Problem]:
    """The vocabulary checks for the front matter that is valid, while other keys are wrong: an
    unknown key is left out, so its misspelling and the tags' problems show in the same run."""
    known = _without_unknown_keys(data, FrontMatter)
    try:
        front = FrontMatter.model_validate(known)
    except ValidationError as exc:
        failed = {error["loc"][0] for error in exc.errors() if error["loc"]}
    else:
        yield from _check_tags(source, front, vocab)
        yield from _check_dates(source, front)
        yield from _check_source(source, front, vocab)
        return
    valid = {key: value for key, value in known.items() if key not in failed}
    lists = {spec.field: valid[spec.field] for spec in TAG_FACETS if spec.field in valid}
    yield from _check_tag_lists(source, lists, vocab)
    if "partners" in valid:
        partners = [Partner.model_validate(partner) for partner in valid["partners"]]
        yield from _check_partners(source, partners, lists.get("sectors"), vocab)
    if "source" in valid:
        yield from _check_cited(source, Source.model_validate(valid["source"]), vocab)


def parse_case(name: str, slug: str, text: str, vocab: Vocabulary) -> Case | list[Problem]:
    """Validate one case file's text; return the case or every problem found in it."""
    read = read_front(name, slug, text)
    if isinstance(read, list):
        return read
    source, data, problems = read
    sections, body_problems = _check_body(source)
    front = validate_front(source, data, FrontMatter)
    if isinstance(front, list):
        return problems + front + list(_check_known_part(source, data, vocab)) + body_problems
    problems += list(_check_tags(source, front, vocab))
    problems += list(_check_dates(source, front))
    problems += list(_check_source(source, front, vocab))
    problems += body_problems
    if problems:
        return problems
    return Case(slug=slug, front=front, body_markdown=source.body, sections=tuple(sections))


def _duplicates(dir_name: str, cases: Iterable[Case]) -> Iterator[Problem]:
    by_title: dict[str, str] = {}
    for case in cases:
        key = case.front.title.casefold()
        if key in by_title:
            yield Problem(
                f"{dir_name}/{case.slug}.md",
                2,
                "title",
                f"samme titel som '{by_title[key]}.md'; titler skal være entydige.",
            )
        by_title.setdefault(key, case.slug)


def load_cases(cases_dir: Path, vocab: Vocabulary) -> LoadResult:
    """Load every ``*.md`` in ``cases_dir``. Bad files are reported and skipped."""
    result = LoadResult()
    slugs: dict[str, str] = {}
    for path in sorted(cases_dir.glob("*.md")):
        name = f"{cases_dir.name}/{path.name}"
        slug = path.stem
        if slug.lower() in slugs:
            result.problems.append(
                Problem(name, 1, "slug", f"slug'en findes allerede i '{slugs[slug.lower()]}'.")
            )
            result.skipped.append(name)
            continue
        slugs[slug.lower()] = name
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            result.problems.append(Problem(name, 1, "fil", f"kan ikke læses som UTF-8: {exc}."))
            result.skipped.append(name)
            continue
        parsed = parse_case(name, slug, text, vocab)
        if isinstance(parsed, Case):
            result.cases.append(parsed)
        else:
            result.problems.extend(parsed)
            result.skipped.append(name)
    duplicates = list(_duplicates(cases_dir.name, result.cases))
    result.problems.extend(duplicates)
    skip = {problem.file for problem in duplicates}
    result.skipped.extend(sorted(skip))
    result.cases = [c for c in result.cases if f"{cases_dir.name}/{c.slug}.md" not in skip]
    return result
