"""The vocabularies with counts: browse pages and `/api/v1/vocabularies`."""

from __future__ import annotations

from pydantic import BaseModel

from app.catalog import Catalog
from app.facets import FACETS, FACETS_BY_PATH
from app.query import filter_url
from app.search import Paths, facet_values


class VocabularyValueOut(BaseModel):
    value: str
    label: str
    description: str
    count: int
    url: str


class VocabularyOut(BaseModel):
    param: str
    label: str
    plural: str
    path: str
    values: list[VocabularyValueOut]


class VocabulariesOut(BaseModel):
    total_cases: int
    facets: list[VocabularyOut]


def vocabulary(catalog: Catalog, param: str, paths: Paths) -> VocabularyOut:
    facet = next(f for f in FACETS if f.param == param)
    counts = catalog.facets.counts(param, catalog.facets.all_docs)
    values = [
        VocabularyValueOut(
            value=value,
            label=label,
            description=description,
            count=counts.get(value, 0),
            url=filter_url(paths.search, param, value),
        )
        for value, label, description in facet_values(catalog, param)
    ]
    return VocabularyOut(
        param=param, label=facet.label, plural=facet.plural, path=facet.path, values=values
    )


def vocabularies(catalog: Catalog, paths: Paths) -> VocabulariesOut:
    return VocabulariesOut(
        total_cases=catalog.size, facets=[vocabulary(catalog, f.param, paths) for f in FACETS]
    )


def facet_for_path(path: str) -> str | None:
    facet = FACETS_BY_PATH.get(path)
    return facet.param if facet else None
