"""Related cases: shared tags weighted by rarity and by the facet's ``related_weight``, plus
similar text (Whoosh more-like-this over the body)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.catalog import CaseRecord, Catalog
from app.facets import FACETS
from app.index import TEXT_FIELD
from app.paths import Paths

RELATED_COUNT = 5
TEXT_WEIGHT = 2.0


class RelatedOut(BaseModel):
    slug: str = Field(description="Den relaterede sags id / the related case's id")
    title: str = Field(description="Titel / title")
    path: str = Field(description="Sti på sitet / path on the site")
    url: str = Field(description="Permanent URL / permanent URL")
    shared: list[str] = Field(description="Fælles tags (labels)")


def similar_text(catalog: Catalog, slug: str, limit: int = 10) -> dict[str, float]:
    """Cases whose text resembles this case's, scored 0–1 against the best."""
    docnum = catalog.docnum_by_slug[slug]
    record = catalog.records[docnum]
    hits = catalog.searcher.more_like(
        docnum,
        TEXT_FIELD,
        text=f"{record.title} {record.summary} {record.body_text}",
        top=limit,
        numterms=20,
    )
    top = max((hit.score for hit in hits), default=1.0) or 1.0
    return {catalog.records[hit.docnum].slug: float(hit.score) / top for hit in hits}


def score_related(catalog: Catalog, record: CaseRecord) -> list[tuple[str, float, list[str]]]:
    """(slug, score, shared labels) of the best related cases, best first."""
    scores: dict[str, float] = {}
    shared: dict[str, list[str]] = {}
    size = max(catalog.size, 1)
    own = catalog.docnum_by_slug[record.slug]
    for facet in FACETS:
        if not facet.related_weight:
            continue
        for value in record.tags.get(facet.param, []):
            mask = catalog.facets.masks[facet.param].get(value, 0) & ~(1 << own)
            weight = facet.related_weight * (1.0 - mask.bit_count() / size)
            label = catalog.labels.label(facet.param, value)
            for docnum in _bits(mask):
                slug = catalog.records[docnum].slug
                scores[slug] = scores.get(slug, 0.0) + weight
                shared.setdefault(slug, []).append(label)
    for slug, score in similar_text(catalog, record.slug).items():
        if slug != record.slug:
            scores[slug] = scores.get(slug, 0.0) + TEXT_WEIGHT * score
    best = sorted(scores, key=lambda slug: (-scores[slug], slug))[:RELATED_COUNT]
    return [(slug, round(scores[slug], 4), shared.get(slug, [])[:4]) for slug in best]


def _bits(mask: int) -> list[int]:
    text = bin(mask)[:1:-1]
    return [index for index, flag in enumerate(text) if flag == "1"]


def related_cases(catalog: Catalog, record: CaseRecord, paths: Paths) -> list[RelatedOut]:
    cached = catalog.related_cache.get(record.slug)
    if cached is None:
        cached = score_related(catalog, record)
        catalog.related_cache[record.slug] = cached
    return [
        RelatedOut(
            slug=slug,
            title=catalog.case(slug).title,
            path=paths.case_path(slug),
            url=paths.case_url(slug),
            shared=labels,
        )
        for slug, _, labels in cached
    ]
