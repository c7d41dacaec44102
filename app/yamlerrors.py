"""YAML mistakes in front matter, named as the mistake the editor made.

PyYAML and libyaml say where they gave up, not what is wrong: "mapping values
are not allowed in this context" for a title with a colon, an error on line 27 for a quote left
open on line 2. This module reads the front-matter lines up to that point and names the likely
mistake in Danish: a tab in the indentation, a quote or bracket opened and not closed on its
line, a value with ': ' (with the quoted fix), a line out of place or without ':'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

KEY_LINE_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?:- )?(?P<key>[A-Za-z_][\w-]*):(?:[ \t]+(?P<value>.*))?$"
)
CLOSERS = {"[": "]", "{": "}"}
BRACKET_NOUNS = {"[": "en liste", "{": "en ordbog"}
WELL_FORMED = ("colon", "quote", "bracket")  # the line itself is a key; its parents are sure
YAML_HINTS = {
    "tab": "linjen er indrykket med et tabulatortegn; YAML tillader kun mellemrum. "
    "Erstat tabulatoren med mellemrum",
    "quote": "anførselstegnet {quote} åbner værdien, men lukkes ikke; "
    "afslut værdien med {quote} på samme linje",
    "bracket": "'{opening}' åbner {what}, men lukkes ikke; afslut den med '{closing}' "
    "på samme linje",
    "colon": "værdien indeholder ': ' (kolon og mellemrum), som YAML læser som en ny nøgle. "
    "Sæt hele værdien i anførselstegn: {fixed}",
    "indent": "linjen er indrykket, men linjen over har allerede en værdi; "
    "nøgler på samme niveau skal stå lige under hinanden",
    "no_colon": "linjen mangler ':' efter nøglen; skriv 'nøgle: værdi' "
    "(fortsætter værdien fra linjen over, så indryk den)",
    "block": "indrykningen passer ikke med linjerne over; "
    "nøgler på samme niveau skal stå lige under hinanden",
}


@dataclass(frozen=True)
class _Spot:
    index: int  # 0-based line of the front matter
    column: int  # 0-based
    kind: str
    values: tuple[tuple[str, str], ...] = ()


def _key_path(lines: list[str], index: int) -> str:
    """The dotted key of a front-matter line, from the keys above it with less indentation."""
    names: list[str] = []
    depth: int | None = None
    for line in reversed(lines[: index + 1]):
        match = KEY_LINE_RE.match(line)
        if match is None:
            continue
        indent = len(match["indent"].expandtabs(2))
        if depth is None or indent < depth:
            names.insert(0, match["key"])
            depth = indent
        if depth == 0:
            break
    return ".".join(names) or "front matter"


def _unclosed(line: str) -> tuple[int, str, tuple[tuple[str, str], ...]] | None:
    match = KEY_LINE_RE.match(line)
    value = (match["value"] or "") if match else line.strip().removeprefix("- ")
    value = value.rstrip()
    if not value:
        return None
    column = line.rindex(value)
    first = value[0]
    if first in "\"'" and (len(value) == 1 or not value.endswith(first)):
        return column, "quote", (("quote", first),)
    if first in CLOSERS and value.count(first) > value.count(CLOSERS[first]):
        values = (("opening", first), ("closing", CLOSERS[first]), ("what", BRACKET_NOUNS[first]))
        return column, "bracket", values
    return None


def _quoted(key_line: re.Match[str]) -> str:
    value = (key_line["value"] or "").strip()
    text = f"'{value.replace(chr(39), chr(39) * 2)}'" if '"' in value else f'"{value}"'
    return f"{key_line['key']}: {text}"


def _find_spot(lines: list[str], exc: yaml.YAMLError) -> _Spot | None:
    mark = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    if mark is None:
        return None
    last = min(mark.line, len(lines) - 1)
    for index, line in enumerate(lines[: last + 1]):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            return _Spot(index, indent.index("\t"), "tab")
        found = _unclosed(line)
        if found is not None:
            column, kind, values = found
            return _Spot(index, column, kind, values)
    problem = str(getattr(exc, "problem", ""))
    line = lines[last] if lines else ""
    if problem.startswith("mapping values are not allowed"):
        key_line = KEY_LINE_RE.match(line)
        if key_line is not None and mark.column > line.index(":"):
            return _Spot(last, mark.column, "colon", (("fixed", _quoted(key_line)),))
        return _Spot(last, 0, "indent")
    if "could not find expected ':'" in problem and context is not None:
        return _Spot(context.line, context.column, "no_colon")
    if "expected key" in problem or "expected <block end>" in problem:
        return _Spot(last, mark.column, "block")
    return None


@dataclass(frozen=True)
class YamlHint:
    """Where a YAML mistake is (1-based line of the file, column) and what it is, in Danish."""

    line: int
    column: int | None
    field: str
    message: str


def explain_yaml_error(front_text: str, exc: yaml.YAMLError) -> YamlHint:
    """The editor's mistake behind a YAML error, in Danish, with line, column and the line.

    ``front_text`` is the front matter without its opening '---', so line 1 of it is line 2 of
    the file."""
    lines = front_text.splitlines()
    spot = _find_spot(lines, exc)
    if spot is None:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 2 if mark is not None else 1
        return YamlHint(line, None, "front matter", f"ugyldig YAML: {reason}.")
    shown = lines[spot.index].replace("\t", "\\t").strip() if spot.index < len(lines) else ""
    hint = YAML_HINTS[spot.kind].format(**dict(spot.values))
    own_key = KEY_LINE_RE.match(lines[spot.index]) if spot.index < len(lines) else None
    if spot.kind in WELL_FORMED:
        where = _key_path(lines, spot.index)
    else:  # a line out of place: its parents are what is in doubt
        where = own_key["key"] if own_key else "front matter"
    message = f"ugyldig YAML: {hint}. Linjen: »{shown}«."
    return YamlHint(spot.index + 2, spot.column + 1, where, message)
