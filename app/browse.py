"""The vocabularies with counts: browse pages and `/api/v1/vocabularies`."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.catalog import Catalog
from app.facets import FACETS, FACETS_BY_PATH
from app.query import filter_url
from app.search import Paths, facet_values


class VocabularyValueOut(BaseModel):
    value: str = Field(description="Slug; brug den i URL-parameteren / use it in the parameter")
    label: str = Field(description="Dansk betegnelse / Danish label")
    description: str = Field(description="Forklaring af værdien, kan være tom / explanation")
    count: int = Field(description="Antal sager med værdien / number of cases with it")
    url: str = Field(description="Søgningen filtreret på værdien / search filtered on it")


class VocabularyOut(BaseModel):
    param: str = Field(description="URL-parameter, fx `sector` / the search parameter")
    label: str = Field(description="Facettens navn i ental / singular name")
    plural: str = Field(description="Facettens navn i flertal / plural name")
    path: str = Field(description="Emnesidens sti under /emner/ / browse page segment")
    values: list[VocabularyValueOut] = Field(description="Alle værdier i vokabularets orden")


class VocabulariesOut(BaseModel):
    total_cases: int = Field(description="Antal sager i samlingen / cases in the collection")
    facets: list[VocabularyOut] = Field(description="Hver facet med sine værdier / every facet")


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
