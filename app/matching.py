"""Text matching: a query's words become concepts, concepts become Whoosh queries, the matches a
mask and a ranking. No URLs here; the search page builds its links from what this returns.

Each query word is one concept. A concept matches through the word itself (its Danish key and
compound parts), its derived forms (``digitale`` → ``digitalisering``) and the thesaurus (the
group's other terms and its narrower terms). Ranking is explainable: cases matching more of the
concepts come first; among those, cases matching more concepts with the typed words themselves;
then BM25, where the word itself weighs more than a derived form or a related term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh.query import And, Or, Prefix, Query, Term, Wildcard

from app.analysis import TOKEN_PATTERN, analyse_word
from app.catalog import Catalog
from app.facets import bits, bitset
from app.index import TEXT_FIELD
from app.query import MAX_WORDS, capped
from app.text import words

TOKENS = re.compile(TOKEN_PATTERN)
MAX_RELAXED_WORDS = 6  # "all words but one" is offered for 3 to this many words
MIN_AFFIX = 4  # shorter keys would match too much inside other words
DERIVED_WEIGHT = 0.6
SYNONYM_WEIGHT = 0.5
NARROWER_WEIGHT = 0.35
# Fewer cases than this matching (all or all but one of) the concepts: cases matching fewer
# follow them, ranked after, so a long query is not cut to one or two results.
FEW_RESULTS = 10


@dataclass(frozen=True)
class Alternative:
    """One way a concept can match: a query over index keys, its weight, and the term it came
    from when that is not the typed word."""

    query: Query
    keys: tuple[str, ...]
    weight: float = 1.0
    via: str | None = None


@dataclass(frozen=True)
class Concept:
    word: str
    alternatives: tuple[Alternative, ...]

    @property
    def own(self) -> Alternative:
        return self.alternatives[0]


@dataclass
class TextMatch:
    """What the text of a search matched. ``active`` is False for an empty query (all cases)."""

    active: bool
    mask: int
    keys: frozenset[str] = frozenset()  # index keys to mark in snippets
    ranking: list[tuple[int, float]] = field(default_factory=list)
    notice: str | None = None
    corrected: str | None = None  # the spelling-corrected query, when it differs
    applied: bool = False  # True when the results are for ``corrected``
    via: dict[int, list[str]] = field(default_factory=dict)  # docnum → terms that found it
    concepts: int = 0


def _keys_query(keys: list[str], boost: float = 1.0) -> Query:
    whole = Term(TEXT_FIELD, keys[0], boost=boost)
    if len(keys) > 1:
        parts = And([Term(TEXT_FIELD, key) for key in keys[1:]], boost=boost)
        return Or([whole, parts])
    return whole


def _own_query(catalog: Catalog, keys: list[str], inside: bool) -> Query:
    """The typed word itself: its key, or, when ``inside`` and no case holds the key as a word,
    the key inside longer words (``motion`` in ``stolemotion``)."""
    reader = catalog.searcher.reader()
    if not inside or reader.doc_frequency(TEXT_FIELD, keys[0]) or len(keys[0]) < MIN_AFFIX:
        return _keys_query(keys)
    if not catalog.inside_any_key(keys[0]):
        return _keys_query(keys)  # no key holds it: a prefix or wildcard would match nothing
    inside = Or([Prefix(TEXT_FIELD, keys[0]), Wildcard(TEXT_FIELD, f"*{keys[0]}*")])
    return Or([_keys_query(keys), inside])


def _word_keys(catalog: Catalog, phrase: str) -> list[str]:
    """The own key of each word of a phrase (hyphens split words; stop words drop out)."""
    tokens = TOKENS.findall(phrase.lower())
    return [keys[0] for token in tokens if (keys := analyse_word(catalog.analyzer, token))]


def _phrase_query(catalog: Catalog, phrase: str, boost: float) -> tuple[Query, tuple[str, ...]]:
    """All the words of a (thesaurus) phrase, each by its own key."""
    keys = list(dict.fromkeys(_word_keys(catalog, phrase)))
    if len(keys) == 1:
        return Term(TEXT_FIELD, keys[0], boost=boost), tuple(keys)
    return And([Term(TEXT_FIELD, key) for key in keys], boost=boost), tuple(keys)


def concept_for(catalog: Catalog, text: str, inside: bool = True) -> Concept | None:
    """A typed word (or a typed phrase the thesaurus knows) as one concept. ``inside``: an
    unknown word may match inside longer words (not when the speller has a correction)."""
    if len(words(text)) > 1:
        own, own_keys = _phrase_query(catalog, text, 1.0)
        if not own_keys:
            return None
        alternatives = [Alternative(own, own_keys)]
        seen = set(own_keys)
    else:
        keys = analyse_word(catalog.analyzer, text)
        if not keys:
            return None  # a stop word
        alternatives = [Alternative(_own_query(catalog, keys, inside), tuple(keys))]
        seen = {keys[0]}
        for key in catalog.derived.get(keys[0], ()):
            if key not in seen:
                seen.add(key)
                alternatives.append(
                    Alternative(Term(TEXT_FIELD, key, boost=DERIVED_WEIGHT), (key,), DERIVED_WEIGHT)
                )
    for term, narrower in catalog.thesaurus.expansions(text):
        weight = NARROWER_WEIGHT if narrower else SYNONYM_WEIGHT
        query, term_keys = _phrase_query(catalog, term, weight)
        if term_keys and not set(term_keys) <= seen:
            seen.update(term_keys)
            alternatives.append(Alternative(query, term_keys, weight, term))
    return Concept(text, tuple(alternatives))


def concepts_of(catalog: Catalog, q: str, misspelt: frozenset[str] = frozenset()) -> list[Concept]:
    """The query's concepts: runs of words the thesaurus knows as a phrase (longest first),
    otherwise single words."""
    typed = words(q)[:MAX_WORDS]
    longest = min(catalog.thesaurus.max_words, 4)
    concepts: list[Concept] = []
    index = 0
    while index < len(typed):
        size = next(
            (
                n
                for n in range(min(longest, len(typed) - index), 1, -1)
                if catalog.thesaurus.group_of(" ".join(typed[index : index + n]))
            ),
            1,
        )
        text = " ".join(typed[index : index + size])
        concept = concept_for(catalog, text, inside=text not in misspelt)
        if concept is not None:
            concepts.append(concept)
        index += size
    return concepts


def is_known(catalog: Catalog, word: str) -> bool:
    """Whether a word finds anything by itself or through the thesaurus (no spelling needed)."""
    keys = analyse_word(catalog.analyzer, word)
    if not keys or catalog.searcher.reader().doc_frequency(TEXT_FIELD, keys[0]):
        return True
    return bool(catalog.thesaurus.expansions(word))


def ranked(catalog: Catalog, query: Query) -> tuple[int, list[tuple[int, float]]]:
    """Every matching document, scored once: the match mask and the ranking by score.

    Kept per generation for the most recently used queries (within the cache's memory budget),
    since refining a search with facets repeats its text query."""
    key = repr(query)
    cached = catalog.ranked_cache.get(key)
    if cached is None:
        hits = catalog.searcher.search(query, limit=None)
        ranking = [(docnum, float(score)) for score, docnum in hits.top_n]
        cached = (bitset(docnum for docnum, _ in ranking), ranking)
        catalog.ranked_cache.put(key, cached)
    return cached


def at_least(masks: list[int], need: int) -> int:
    """Documents set in at least ``need`` of the masks (a bit-sliced counter)."""
    reached = [-1] + [0] * len(masks)  # reached[j]: documents in at least j masks so far
    for mask in masks:
        for j in range(len(masks), 0, -1):
            reached[j] |= reached[j - 1] & mask
    return reached[need] if need else -1


def _scores(catalog: Catalog, concepts: list[Concept], allowed: int) -> dict[int, float]:
    """Each allowed case's score: per concept, its best weighted BM25 score among the concept's
    alternatives (a synonym never adds to the typed word's own score), summed over the
    concepts. Each alternative is scored once per generation (its ranking is cached), so a new
    query made of known words costs no new Whoosh search."""
    scores: dict[int, float] = {}
    for concept in concepts:
        best: dict[int, float] = {}
        for alt in concept.alternatives:
            for docnum, score in ranked(catalog, alt.query)[1]:
                if allowed >> docnum & 1 and score > best.get(docnum, 0.0):
                    best[docnum] = score
        for docnum, score in best.items():
            scores[docnum] = scores.get(docnum, 0.0) + score
    return scores


def _match(catalog: Catalog, concepts: list[Concept], need: int) -> TextMatch | None:
    """Cases matching at least ``need`` concepts, ranked by (concepts matched, concepts matched
    by the typed word itself, score)."""
    own_masks = [ranked(catalog, c.own.query)[0] for c in concepts]
    alt_masks = [[ranked(catalog, a.query)[0] for a in c.alternatives[1:]] for c in concepts]
    masks = [own | _or(alts) for own, alts in zip(own_masks, alt_masks, strict=True)]
    mask = at_least(masks, need)
    if not mask:
        return None
    keys = frozenset(k for c in concepts for alt in c.alternatives for k in alt.keys)
    if len(concepts) == 1 and len(concepts[0].alternatives) == 1:
        ranking = ranked(catalog, concepts[0].own.query)[1]
        return TextMatch(True, mask, keys, ranking, concepts=1)
    scores = _scores(catalog, concepts, mask)
    matched = dict.fromkeys(scores, 0)
    by_own = dict.fromkeys(scores, 0)
    via: dict[int, list[str]] = {}
    for concept, own, alts, any_mask in zip(concepts, own_masks, alt_masks, masks, strict=True):
        for d in bits(any_mask & mask):
            matched[d] += 1
        for d in bits(own & mask):
            by_own[d] += 1
        for alt, alt_mask in zip(concept.alternatives[1:], alts, strict=True):
            if alt.via is not None:
                for d in bits(alt_mask & mask & ~own):
                    via.setdefault(d, []).append(alt.via)
    ranking = sorted(
        scores.items(), key=lambda pair: (-matched[pair[0]], -by_own[pair[0]], -pair[1])
    )
    return TextMatch(
        True, mask, keys, ranking, _notice(masks, mask, need), via=via, concepts=len(concepts)
    )


def _notice(masks: list[int], mask: int, need: int) -> str | None:
    """What the ranking did, said as it is."""
    count = len(masks)
    if count < 2:
        return None
    full = at_least(masks, count)
    if full == mask:
        return None
    if not full:
        return (
            f"Ingen sager matcher alle {count} ord; viser sager med mindst {need} af dem. "
            "Sager med flest af ordene står først."
        )
    then = ", derefter dem med flest af ordene" if need < count - 1 else ""
    return (
        f"Viser sager med mindst {need} af de {count} ord; sager med alle ordene står først{then}."
    )


def _or(masks: list[int]) -> int:
    out = 0
    for mask in masks:
        out |= mask
    return out


def _needs(count: int) -> list[int]:
    """How many concepts must match, in the order tried: all but one for 3–6 concepts (those
    with all of them rank first), otherwise all; then any (also when the first finds fewer than
    FEW_RESULTS cases: they still come first, since cases matching more concepts rank first)."""
    needs = [count - 1 if 3 <= count <= MAX_RELAXED_WORDS else count]
    if count > 1:
        needs.append(1)
    return needs


def match_text(catalog: Catalog, q: str) -> TextMatch:
    q = capped(q.strip())
    typed = words(q)
    if not typed:
        return TextMatch(False, catalog.facets.all_docs)
    corrected_words = [
        w if is_known(catalog, w) else (catalog.speller.correct(w) or w) for w in typed
    ]
    corrected = " ".join(corrected_words)
    has_correction = corrected != " ".join(typed)
    texts = [(q, False)] + ([(corrected, True)] if has_correction else [])
    misspelt = frozenset(w for w, c in zip(typed, corrected_words, strict=True) if w != c)
    concept_lists = [(concepts_of(catalog, text, misspelt), applied) for text, applied in texts]
    for need_index in range(2):
        for concepts, applied in concept_lists:
            needs = _needs(len(concepts))
            if not concepts or need_index >= len(needs):
                continue
            found = _match(catalog, concepts, needs[need_index])
            if found is None:
                continue
            if (
                need_index == 0
                and not applied
                and len(needs) > 1
                and found.mask.bit_count() < FEW_RESULTS
            ):
                found = _match(catalog, concepts, needs[1]) or found
            found.corrected = corrected if has_correction else None
            if applied:
                found.applied = True
                found.notice = f"Viser resultater for »{corrected}«. Ingen sager matchede »{q}«."
            return found
    return _affix_match(catalog, q, corrected if has_correction else None)


def _affix_match(catalog: Catalog, q: str, corrected: str | None) -> TextMatch:
    """Last resort: words found only inside compounds (``medicin`` in ``medicinfejl``)."""
    keys = [keys[0] for w in words(q)[:MAX_WORDS] if (keys := analyse_word(catalog.analyzer, w))]
    if not keys or min(len(key) for key in keys) < MIN_AFFIX:
        return TextMatch(True, 0, corrected=corrected)
    if not all(catalog.inside_any_key(key) for key in keys):
        return TextMatch(True, 0, corrected=corrected)  # some word is inside no key at all
    affix = And([Or([Prefix(TEXT_FIELD, k), Wildcard(TEXT_FIELD, f"*{k}*")]) for k in keys])
    mask, ranking = ranked(catalog, affix)
    if not mask:
        return TextMatch(True, 0, corrected=corrected)
    notice = "Viser sager med ord, der indeholder søgeordene."
    return TextMatch(True, mask, frozenset(keys), ranking, notice, corrected=corrected)
