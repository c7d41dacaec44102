"""The Whoosh index: schema, writing a fresh index and opening one read-only.

Only this module and ``search`` import Whoosh, so the engine can be swapped in two files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.index import Index

from app.analysis import danish_analyzer, known_words, plain_analyzer
from app.errors import IndexUnavailableError
from app.facets import FACETS, case_facts
from app.markdown_render import plain_text
from app.models import Case
from app.vocabulary import Vocabulary

# Field weights: title and partnership name above tags, partners and summary, above body.
# They are applied by repeating each part in one weighted text field: one posting list per word
# instead of a union over six fields, which made Whoosh score every document six times.
FIELD_WEIGHTS: dict[str, int] = {
    "title": 4,
    "partnership": 3,
    "tags_text": 2,
    "keywords": 2,
    "partners": 2,
    "summary": 2,
    "body": 1,
}
TEXT_FIELD = "text"


@dataclass(frozen=True)
class IndexDocument:
    """The text of one case as the index sees it."""

    slug: str
    title: str
    partnership: str
    tags_text: str
    keywords: str
    partners: str
    summary: str
    body: str
    tags: str


def document_for(case: Case, vocab: Vocabulary) -> IndexDocument:
    front = case.front
    facts = case_facts(case, dt.date.today().year)  # only undated facets are indexed
    tag_words: list[str] = []
    keys: list[str] = []
    for facet in FACETS:
        for value in facet.case_values(facts, vocab):
            keys.append(f"{facet.param}:{value}")
            term = vocab.term(facet.field, value) if facet.indexed else None
            if term is not None:
                tag_words.append(" ".join((term.label, *term.synonyms)))
    partners = " ".join(partner.name for partner in front.partners)
    return IndexDocument(
        slug=case.slug,
        title=front.title,
        partnership=front.partnership or "",
        tags_text=" . ".join(tag_words),
        keywords=" . ".join(front.keywords),
        partners=partners,
        summary=front.summary,
        body=plain_text(case.body_markdown) + " " + " ".join(front.key_results),
        tags=" ".join(keys),
    )


def make_schema(documents: list[IndexDocument], danish: bool = True) -> Schema:
    if danish:
        texts = (
            f"{d.title} {d.partnership} {d.keywords} {d.partners} {d.summary} {d.body}"
            for d in documents
        )
        analyzer = danish_analyzer(known_words(texts))
    else:
        analyzer = plain_analyzer()
    return Schema(
        slug=ID(stored=True, unique=True),
        tags=KEYWORD(),
        text=TEXT(analyzer=analyzer, phrase=False),
    )


def weighted_text(document: IndexDocument) -> str:
    """The one text field: each part repeated by its weight, parts kept apart by full stops."""
    parts = []
    for name, weight in FIELD_WEIGHTS.items():
        value = getattr(document, name)
        if value:
            parts.extend([value] * weight)
    return " . ".join(parts)


def write_index(directory: Path, documents: Iterable[IndexDocument], danish: bool = True) -> int:
    """Create a new index in an empty directory. Never call this on a live directory."""
    documents = list(documents)
    directory.mkdir(parents=True, exist_ok=False)
    ix = whoosh_index.create_in(str(directory), make_schema(documents, danish))
    # compound=False: searchers map segment files instead of copying postings into RAM.
    writer = ix.writer(compound=False)
    for document in documents:
        writer.add_document(slug=document.slug, tags=document.tags, text=weighted_text(document))
    writer.commit()
    ix.close()
    return len(documents)


def open_index(directory: Path) -> Index:
    try:
        return whoosh_index.open_dir(str(directory), readonly=True)
    except Exception as exc:  # whoosh raises many kinds for a missing or broken index
        raise IndexUnavailableError(
            f"søgeindekset i '{directory.name}' kan ikke åbnes: {exc}"
        ) from exc
