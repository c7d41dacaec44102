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
MAX_LENGTH_GAP = 2  # letters a correction may add or drop


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
    """Suggests the closest word of the collection for a word it does not hold.

    Everything that does not depend on the word asked about is built once per generation: per
    folded initial and length, the folded forms and their most frequent spelling. A word is then
    compared only with forms of its initial within MAX_LENGTH_GAP letters of its own length (a
    longer gap can never be "close"), so a long nonsense word costs next to nothing."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.by_initial: dict[str, dict[str, str]] = {}
        for word in counts:
            if word.isdigit():
                continue
            key = fold(word)
            forms = self.by_initial.setdefault(key[:1], {})
            if key not in forms or counts[word] > counts[forms[key]]:
                forms[key] = word
        self.buckets: dict[tuple[str, int], list[str]] = {}
        for initial, forms in self.by_initial.items():
            for key in forms:
                self.buckets.setdefault((initial, len(key)), []).append(key)

    @classmethod
    def load(cls, generation: Path) -> Speller:
        path = generation / FILE_NAME
        counts = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        return cls(counts)

    def candidates(self, folded: str) -> list[str]:
        """The folded forms a folded word is compared with."""
        initial, size = folded[:1], len(folded)
        return [
            key
            for length in range(size - MAX_LENGTH_GAP, size + MAX_LENGTH_GAP + 1)
            for key in self.buckets.get((initial, length), ())
        ]

    def correct(self, word: str) -> str | None:
        word = word.lower()
        if word in self.counts or len(word) < MIN_LENGTH or word.isdigit():
            return None
        folded = fold(word)
        by_fold = self.by_initial.get(folded[:1], {})
        close = difflib.get_close_matches(folded, self.candidates(folded), n=5, cutoff=0.8)
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
