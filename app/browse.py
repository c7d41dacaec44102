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
    similar_label: str | None = Field(
        None, description="Kommuner: »sager fra kommuner som X« (kommunegruppen) / like mine"
    )
    similar_url: str | None = Field(None, description="Søgningen på kommunens kommunegruppe")
    similar_count: int | None = Field(None, description="Antal sager i kommunegruppen")


class VocabularyGroupOut(BaseModel):
    label: str = Field(description="Gruppen, fx en region / the group, e.g. a region")
    url: str | None = Field(None, description="Søgningen på gruppen, hvis den er en værdi")
    count: int = Field(description="Sager i gruppen / cases in the group")
    values: list[VocabularyValueOut] = Field(description="Værdierne med sager / values with cases")
    without_cases: int = Field(description="Antal værdier uden sager / values without cases")


class VocabularyOut(BaseModel):
    param: str = Field(description="URL-parameter, fx `sector` / the search parameter")
    label: str = Field(description="Facettens navn i ental / singular name")
    plural: str = Field(description="Facettens navn i flertal / plural name")
    path: str = Field(description="Emnesidens sti under /emner/ / browse page segment")
    values: list[VocabularyValueOut] = Field(description="Alle værdier i vokabularets orden")
    groups: list[VocabularyGroupOut] = Field(
        default_factory=list, description="Geografi: kommunerne grupperet under deres region"
    )


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
    if param == "geography":
        values = [_with_kommunegruppe(catalog, v, paths) for v in values]
    return VocabularyOut(
        param=param,
        label=facet.label,
        plural=facet.plural,
        path=facet.path,
        values=values,
        groups=_by_region(catalog, values, paths) if param == "geography" else [],
    )


def _with_kommunegruppe(
    catalog: Catalog, value: VocabularyValueOut, paths: Paths
) -> VocabularyValueOut:
    """A municipality's »sager fra kommuner som X«: the cases of its kommunegruppe."""
    group = catalog.vocab.kommunegruppe_of(value.value)
    if group is None:
        return value
    count = catalog.facets.masks["kommunegruppe"].get(group, 0).bit_count()
    label = catalog.labels.label("kommunegruppe", group).lower()
    return value.model_copy(
        update={
            "similar_label": f"Sager fra kommuner som {value.label.removesuffix(' Kommune')} "
            f"({label})",
            "similar_url": filter_url(paths.search, "kommunegruppe", group),
            "similar_count": count,
        }
    )


def _by_region(
    catalog: Catalog, values: list[VocabularyValueOut], paths: Paths
) -> list[VocabularyGroupOut]:
    """Geography grouped by region: each region with its municipalities that have cases."""
    groups: dict[str, list[VocabularyValueOut]] = {}
    for value in values:
        term = catalog.vocab.term("geography", value.value)
        home = value.value if term and term.kind == "region" else (term.region if term else None)
        groups.setdefault(home or "andet", []).append(value)
    out = []
    for key, members in groups.items():
        head = next((v for v in members if v.value == key), None)
        listed = [v for v in members if v.count and v.value != key]
        out.append(
            VocabularyGroupOut(
                label=head.label if head else "Hele landet og udlandet",
                url=head.url if head and head.count else None,
                count=head.count if head else sum(v.count for v in members),
                values=listed if head else [v for v in members if v.count],
                without_cases=sum(1 for v in members if not v.count and v.value != key),
            )
        )
    return out


def vocabularies(catalog: Catalog, paths: Paths) -> VocabulariesOut:
    return VocabulariesOut(
        total_cases=catalog.size, facets=[vocabulary(catalog, f.param, paths) for f in FACETS]
    )


def facet_for_path(path: str) -> str | None:
    facet = FACETS_BY_PATH.get(path)
    return facet.param if facet else None
