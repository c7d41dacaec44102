"""The domain thesaurus (content/thesaurus.yml): concept groups the search expands a word with.

A group lists ``terms`` that mean the same or nearly the same thing, and optionally ``narrower``
terms (kinds of the concept). A word of ``terms`` expands to the group's other terms and to its
narrower terms; a narrower word does not expand to the group, so ``fleksjob`` finds fleksjob and
not every case about employment. Matching is by Danish key (stemmed and folded), so inflected
forms need not be listed. ``check`` validates the file with file, line and a suggestion.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.analysis import DANISH_STOP_WORDS, normalise
from app.content import SAFE_LOADER, Problem
from app.text import SLUG_RE, words

FILE_NAME = "thesaurus.yml"
GROUP_KEYS = ("id", "terms", "narrower", "note")
MAX_ENTRY_WORDS = 4


def entry_key(text: str) -> str:
    """The key an entry or a run of typed words is matched by: Danish keys of its words."""
    return " ".join(normalise(word) for word in words(text))


@dataclass(frozen=True)
class Group:
    id: str
    terms: tuple[str, ...]
    narrower: tuple[str, ...] = ()
    line: int = 0


@dataclass
class Thesaurus:
    groups: tuple[Group, ...] = ()
    _by_key: dict[str, Group] = field(default_factory=dict)
    max_words: int = 1

    def __post_init__(self) -> None:
        for group in self.groups:
            for term in group.terms:
                self._by_key.setdefault(entry_key(term), group)
                self.max_words = max(self.max_words, len(words(term)))

    def group_of(self, text: str) -> Group | None:
        return self._by_key.get(entry_key(text))

    def expansions(self, text: str) -> list[tuple[str, bool]]:
        """(term, is narrower) for a word or phrase that is a term of a group; else nothing."""
        group = self.group_of(text)
        if group is None:
            return []
        own = entry_key(text)
        same = [(t, False) for t in group.terms if entry_key(t) != own]
        return same + [(t, True) for t in group.narrower]

    def near(self, text: str, limit: int = 6) -> list[Group]:
        """Groups with a term that contains, or is contained in, the text's keys."""
        key = entry_key(text)
        if len(key) < 4:
            return []
        found = [
            group
            for term_key, group in self._by_key.items()
            if key in term_key or (len(term_key) >= 4 and term_key in key)
        ]
        return list(dict.fromkeys(found))[:limit]


@dataclass
class _Lines:
    marks: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def of(self, *path: Any) -> int:
        while path and path not in self.marks:
            path = path[:-1]
        return self.marks.get(path, 1)


def _map(node: yaml.Node, path: tuple[Any, ...], lines: _Lines) -> None:
    lines.marks[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines.marks[(*path, key.value)] = key.start_mark.line + 1
            _map(value, (*path, key.value), lines)
            lines.marks[(*path, key.value)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _map(item, (*path, index), lines)


def _parse(name: str, text: str) -> tuple[Any, _Lines] | Problem:
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc)
        return Problem(name, line, "thesaurus", f"ugyldig YAML: {reason}.")
    finally:
        loader.dispose()
    lines = _Lines()
    if node is not None:
        _map(node, (), lines)
    return data, lines


def _entries(
    name: str, raw: Any, where: tuple[Any, ...], lines: _Lines
) -> Iterator[tuple[str, Problem | None]]:
    label = f"groups[{where[1]}].{where[2]}"
    if raw is None:
        return
    if not isinstance(raw, list):
        yield "", Problem(name, lines.of(*where), label, "skal være en liste af ord.")
        return
    for index, item in enumerate(raw):
        line = lines.of(*where, index)
        if not isinstance(item, str) or not item.strip():
            yield "", Problem(name, line, f"{label}[{index}]", "skal være et ord eller en frase.")
        elif not words(item):
            yield "", Problem(name, line, f"{label}[{index}]", f"'{item}' indeholder ingen ord.")
        elif len(words(item)) > MAX_ENTRY_WORDS:
            yield (
                "",
                Problem(
                    name, line, f"{label}[{index}]", f"'{item}' har over {MAX_ENTRY_WORDS} ord."
                ),
            )
        elif len(words(item)) == 1 and words(item)[0] in DANISH_STOP_WORDS:
            yield (
                "",
                Problem(
                    name,
                    line,
                    f"{label}[{index}]",
                    f"'{item}' er et stopord, som søgningen ignorerer; fjern det.",
                ),
            )
        else:
            yield item.strip(), None


def _check_group(
    name: str, index: int, raw: Any, lines: _Lines, problems: list[Problem]
) -> Group | None:
    where = ("groups", index)
    if not isinstance(raw, dict):
        problems.append(
            Problem(name, lines.of(*where), f"groups[{index}]", "skal være en gruppe med 'id'.")
        )
        return None
    for key in raw:
        if key not in GROUP_KEYS:
            close = difflib.get_close_matches(str(key), GROUP_KEYS, n=1)
            problems.append(
                Problem(
                    name,
                    lines.of(*where, key),
                    f"groups[{index}].{key}",
                    f"ukendt nøgle; tilladt: {', '.join(GROUP_KEYS)}.",
                    close[0] if close else None,
                )
            )
    group_id = raw.get("id")
    if not isinstance(group_id, str) or not SLUG_RE.match(group_id):
        problems.append(
            Problem(
                name,
                lines.of(*where, "id"),
                f"groups[{index}].id",
                f"skal være en ASCII-slug (fik {group_id!r}).",
            )
        )
        return None
    parts: dict[str, list[str]] = {}
    for key in ("terms", "narrower"):
        parts[key] = []
        for entry, problem in _entries(name, raw.get(key), (*where, key), lines):
            if problem:
                problems.append(problem)
            else:
                parts[key].append(entry)
    if len(parts["terms"]) < 2:
        problems.append(
            Problem(
                name,
                lines.of(*where, "terms"),
                f"groups[{index}].terms",
                f"gruppen '{group_id}' skal have mindst to ord i 'terms'.",
            )
        )
    return Group(group_id, tuple(parts["terms"]), tuple(parts["narrower"]), lines.of(*where))


def _conflicts(name: str, groups: list[Group]) -> Iterator[Problem]:
    ids: dict[str, Group] = {}
    owner: dict[str, Group] = {}
    for group in groups:
        if group.id in ids:
            yield Problem(
                name,
                group.line,
                "id",
                f"id'et '{group.id}' bruges også af gruppen på linje {ids[group.id].line}.",
                f"{group.id}-2",
            )
        ids.setdefault(group.id, group)
        seen: set[str] = set()
        for term in group.terms:
            key = entry_key(term)
            if key in seen:
                yield Problem(name, group.line, f"{group.id}.terms", f"'{term}' står to gange.")
            seen.add(key)
            other = owner.get(key)
            if other is not None and other.id != group.id:
                yield Problem(
                    name,
                    group.line,
                    f"{group.id}.terms",
                    f"'{term}' står også i 'terms' i gruppen '{other.id}' (linje {other.line}); "
                    "et ord kan kun betyde én gruppe. Flyt det til 'narrower', eller slå "
                    "grupperne sammen.",
                    other.id,
                )
            owner.setdefault(key, group)
        for term in group.narrower:
            if entry_key(term) in seen:
                yield Problem(
                    name,
                    group.line,
                    f"{group.id}.narrower",
                    f"'{term}' står både i 'terms' og i 'narrower'.",
                )


def load_thesaurus(path: Path) -> tuple[Thesaurus, list[Problem]]:
    """The thesaurus and every problem in it; a missing file is an empty thesaurus. Groups with
    problems are left out, the rest is used."""
    name = f"{path.parent.name}/{path.name}"
    if not path.exists():
        return Thesaurus(), []
    parsed = _parse(name, path.read_text(encoding="utf-8"))
    if isinstance(parsed, Problem):
        return Thesaurus(), [parsed]
    data, lines = parsed
    problems: list[Problem] = []
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
        return Thesaurus(), [Problem(name, 1, "groups", "forventede 'groups:' med en liste.")]
    for key in data:
        if key != "groups":
            problems.append(Problem(name, lines.of(key), str(key), "ukendt nøgle.", "groups"))
    groups: list[Group] = []
    for index, raw in enumerate(data["groups"]):
        before = len(problems)
        group = _check_group(name, index, raw, lines, problems)
        if group is not None and len(problems) == before:
            groups.append(group)
    conflicts = list(_conflicts(name, groups))
    problems += conflicts
    bad = {p.field.split(".")[0] for p in conflicts}
    return Thesaurus(tuple(g for g in groups if g.id not in bad)), problems
