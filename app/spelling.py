"""The "Mente du …?" dictionary: the collection's own words, written at build time."""

from __future__ import annotations

import difflib
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from app.text import fold, words
from app.vocabulary import Vocabulary

FILE_NAME = "spelling.json"
MIN_LENGTH = 3


class HasText(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def partnership(self) -> str: ...
    @property
    def tags_text(self) -> str: ...
    @property
    def partners(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def body(self) -> str: ...


def build_dictionary(generation: Path, documents: Iterable[HasText], vocab: Vocabulary) -> None:
    counts: Counter[str] = Counter()
    for doc in documents:
        text = (
            f"{doc.title} {doc.partnership} {doc.tags_text} {doc.partners} {doc.summary} {doc.body}"
        )
        counts.update(word for word in words(text) if len(word) >= MIN_LENGTH)
    for terms in vocab.terms.values():
        for term in terms:
            counts.update(words(" ".join((term.label, *term.synonyms))))
    path = generation / FILE_NAME
    path.write_text(json.dumps(dict(counts.most_common()), ensure_ascii=False), encoding="utf-8")


class Speller:
    """Suggests the closest word of the collection for a word it does not hold."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        # Per folded initial, each folded form and its most frequent spelling: built once.
        self.by_initial: dict[str, dict[str, str]] = {}
        for word in counts:
            if word.isdigit():
                continue
            key = fold(word)
            forms = self.by_initial.setdefault(key[:1], {})
            if key not in forms or counts[word] > counts[forms[key]]:
                forms[key] = word
        self.keys_by_initial = {initial: list(forms) for initial, forms in self.by_initial.items()}

    @classmethod
    def load(cls, generation: Path) -> Speller:
        path = generation / FILE_NAME
        counts = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        return cls(counts)

    def correct(self, word: str) -> str | None:
        word = word.lower()
        if word in self.counts or len(word) < MIN_LENGTH or word.isdigit():
            return None
        folded = fold(word)
        by_fold = self.by_initial.get(folded[:1], {})
        close = [
            key
            for key in difflib.get_close_matches(
                folded, self.keys_by_initial.get(folded[:1], []), n=5, cutoff=0.8
            )
            if abs(len(key) - len(folded)) <= 2
        ]
        if not close:
            return None
        best = max(
            close,
            key=lambda key: (
                difflib.SequenceMatcher(None, folded, key).ratio(),
                self.counts[by_fold[key]],
            ),
        )
        return by_fold[best]
