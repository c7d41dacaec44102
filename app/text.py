"""Small text helpers shared by the content, analysis and web layers."""

from __future__ import annotations

import re
import unicodedata

_SLUG_MAP = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")
WORD_RE = re.compile(r"[0-9a-zæøåäöüéèáàóòúíñ]+(?:[-'][0-9a-zæøåäöüéèáàóòúíñ]+)*", re.IGNORECASE)
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """ASCII slug: æ→ae, ø→oe, å→aa, other accents dropped, words joined by hyphens."""
    lowered = text.lower().translate(_SLUG_MAP)
    ascii_text = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    return _NON_SLUG.sub("-", ascii_text).strip("-")


def fold(word: str) -> str:
    """Fold a lower-case word so Danish letters and their ASCII spellings meet.

    æ/ä/ae → a, ø/ö/oe → o, å/aa → a, other accents dropped. Users who type without æøå write
    either the digraph (hjemloese) or the bare vowel (hjemlose); both fold to the same key.
    """
    word = word.replace("æ", "a").replace("ä", "a").replace("ø", "o").replace("ö", "o")
    word = word.replace("å", "a").replace("ae", "a").replace("oe", "o").replace("aa", "a")
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()


def words(text: str) -> list[str]:
    """Lower-case word tokens of a text (Danish letters kept)."""
    return [match.group(0).lower() for match in WORD_RE.finditer(text)]


def plain_text_of_markdown(markdown_text: str) -> str:
    """A rough plain-text view of Markdown for indexing and snippets."""
    text = re.sub(r"`{1,3}[^`]*`{1,3}", " ", markdown_text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"^#+\s*", "", text, flags=re.MULTILINE)
    text = re.sub(r"[*_>#|]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()
