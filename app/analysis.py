"""Danish text analysis for Whoosh: stop words, Snowball stemming, æøå folding, compound splitting.

Tokens are stemmed first (Snowball knows æøå) and then folded, so ``hjemløse``, ``hjemloese``,
``hjemlose`` and ``hjemlöse`` all become ``hjemlos``. Compound words are split against the
collection's own words, so ``hjemløsestrategien`` is also indexed as ``hjemlos`` + ``strategi``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from whoosh.analysis import Analyzer, Filter, LowercaseFilter, RegexTokenizer, StopFilter, Token
from whoosh.lang import stemmer_for_language, stopwords_for_language

from app.caches import ENTRY_OVERHEAD, strings_bytes
from app.text import fold

TOKEN_PATTERN = r"[0-9a-zA-ZæøåÆØÅäöüÄÖÜéèáàóòúíñ]+"
MIN_PART = 4
LINKING = ("s", "e")
_danish_stem = stemmer_for_language("da")
DANISH_STOP_WORDS = frozenset(stopwords_for_language("da"))
# Memory bounds of the two word caches (per process): words longer than CACHED_WORD_LENGTH are
# never cached, so an entry of the normalise cache is at most ~0.3 KB; the analyser's cache of
# keys per word is cleared when its estimate reaches ANALYSER_CACHE_BYTES.
CACHED_WORD_LENGTH = 32
NORMALISE_CACHE_SIZE = 65_536
ANALYSER_CACHE_BYTES = 16 * 2**20


@lru_cache(maxsize=NORMALISE_CACHE_SIZE)
def _normalise(word: str) -> str:
    return fold(_danish_stem(word))


def normalise(word: str) -> str:
    """The index key of one lower-case word: Danish stem, then folded."""
    return _normalise(word) if len(word) <= CACHED_WORD_LENGTH else fold(_danish_stem(word))


def known_words(texts: Iterable[str]) -> frozenset[str]:
    """Normalised words of the collection that can stand as a compound's part."""
    tokenizer = RegexTokenizer(TOKEN_PATTERN)
    found = set()
    for text in texts:
        for token in tokenizer(text):
            word = token.text.lower()
            if len(word) >= MIN_PART and word not in DANISH_STOP_WORDS:
                found.add(normalise(word))
    return frozenset(key for key in found if len(key) >= MIN_PART)


def compound_parts(word: str, known: frozenset[str]) -> list[str]:
    """Head and tail keys of a compound word (may be empty).

    A cut is taken when either side is a word of the collection: a known tail (``fejl`` in
    ``medicinfejl``) is good evidence that the head (``medicin``) is a word too, even when the
    head never stands alone. A linking ``s`` or ``e`` is dropped from the head.
    """
    parts: list[str] = []
    head_only: tuple[str, str] | None = None
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head, tail = word[:cut], word[cut:]
        tail_key = normalise(tail)
        heads = [head] + [head[:-1] for e in LINKING if head.endswith(e) and cut > MIN_PART]
        head_keys = [normalise(h) for h in heads] + [fold(h) for h in heads]
        known_head = next((key for key in head_keys if key in known), None)
        if tail_key in known:
            parts.extend([known_head or normalise(heads[-1]), tail_key])
        elif known_head and len(tail) >= 2 * MIN_PART - 2:
            head_only = (known_head, tail_key)  # the longest known head wins
    if not parts and head_only:
        parts.extend(head_only)  # ``luft`` + ``forurening`` from ``luftforureningen``
    whole = normalise(word)
    return list(dict.fromkeys(p for p in parts if p != whole and len(p) >= MIN_PART - 1))


class DanishFilter(Filter):  # type: ignore[misc]  # whoosh is untyped here
    """Stem + fold every token and add the known parts of compounds at the same position."""

    def __init__(self, known: frozenset[str] = frozenset()) -> None:
        self.known = known
        self._keys: dict[str, tuple[str, ...]] = {}
        self.cache_bytes = 0  # the estimated size of ``_keys``

    def __getstate__(self) -> dict[str, object]:
        return {"known": self.known}  # the cache is rebuilt, not pickled into the index

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(state["known"])  # type: ignore[misc]

    def keys(self, word: str) -> tuple[str, ...]:
        """The word's own key and its compound parts, cached per analyser (the cache starts
        afresh when it reaches ANALYSER_CACHE_BYTES, so new words cannot grow it for ever)."""
        found = self._keys.get(word)
        if found is None:
            found = (normalise(word),)
            if len(word) >= 2 * MIN_PART:
                found += tuple(compound_parts(word, self.known))
            if len(word) <= CACHED_WORD_LENGTH:
                size = strings_bytes(word, found) + ENTRY_OVERHEAD
                if self.cache_bytes + size > ANALYSER_CACHE_BYTES:
                    self._keys, self.cache_bytes = {}, 0
                self._keys[word] = found
                self.cache_bytes += size
        return found

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DanishFilter) and other.known == self.known

    def __hash__(self) -> int:
        return hash(len(self.known))

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if token.stopped:
                yield token
                continue
            for key in self.keys(token.text):
                token.text = key
                yield token


# Danish derivational endings, folded (after Snowball has removed the inflections): a key and
# another key that is the same stem plus one of these are one word family.
DERIVATIONS = (
    "isering", "ering", "ation", "ning", "ion", "ing", "else", "isk", "sk", "lig", "hed", "dom",
    "skab", "isme", "ist", "iv", "ig", "t",
)  # fmt: skip
MIN_STEM = 5
MAX_FAMILY = 6
# Same stem and a derivational ending, but not one word family: ``politisk`` comes from
# ``politik``, ``socialist`` and ``socialisering`` mean something else than ``social``
# (found by bench/derivation.py's non-pairs).
NOT_A_FAMILY = frozenset(
    frozenset(pair)
    for pair in (
        ("politi", "politisk"), ("energi", "energisk"), ("social", "socialist"),
        ("social", "socialisering"), ("socialist", "socialisering"),
        ("central", "centralisering"), ("centralt", "centralisering"),
    )
)  # fmt: skip


def derived_forms(keys: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Per index key, the other keys of its word family (``digital`` ↔ ``digitalisering``,
    ``psykiatri`` ↔ ``psykiatrisk``): keys sharing a stem of at least MIN_STEM letters where the
    rest is one derivational ending. Computed once per index generation."""
    keys = list(keys)
    family: dict[str, set[str]] = {}
    bases_of: dict[str, list[str]] = {}
    for key in keys:
        bases = [key] + [
            key[: -len(end)]
            for end in DERIVATIONS
            if key.endswith(end) and len(key) - len(end) >= MIN_STEM
        ]
        bases_of[key] = bases
        for base in bases:
            family.setdefault(base, set()).add(key)
    derived = {}
    for key, bases in bases_of.items():
        related = sorted(
            (k for k in set().union(*(family[b] for b in bases)) - {key}
             if frozenset((key, k)) not in NOT_A_FAMILY),
            key=len,
        )  # fmt: skip
        if related:
            derived[key] = tuple(related[:MAX_FAMILY])
    return derived


def danish_analyzer(known: frozenset[str] = frozenset()) -> Analyzer:
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=DANISH_STOP_WORDS, minsize=2)
        | DanishFilter(known)
    )


def analyse_word(analyzer: Analyzer, word: str) -> list[str]:
    """The keys one query word yields: its own key first, then its compound parts."""
    return [token.text for token in analyzer(word, mode="query")]


def plain_analyzer() -> Analyzer:
    """The baseline: Whoosh's standard analyser, no Danish handling (for the evaluation)."""
    from whoosh.analysis import StandardAnalyzer

    result: Analyzer = StandardAnalyzer()
    return result
