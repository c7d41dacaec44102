"""The case page's data (and its JSON twin): facts, tags with search links, citation, related."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from app.catalog import CaseRecord, Catalog
from app.facets import FACETS
from app.pages import TagOut
from app.query import filter_url
from app.search import Paths, label_for, similar_text

RELATED_COUNT = 5


class PartnerOut(BaseModel):
    name: str = Field(description="Partnerens navn / the partner's name")
    sector: str = Field(description="Sektorens slug / sector slug")
    sector_label: str = Field(description="Sektorens betegnelse / sector label")
    role: str | None = Field(description="Rollens slug, hvis kendt / role slug, if known")
    role_label: str | None = Field(description="Rollens betegnelse / role label")


class SourceOut(BaseModel):
    publication: str = Field(description="Publikationens slug / the publication's slug")
    title: str = Field(description="Publikationens titel / its title")
    publisher: str = Field(description="Udgiver / publisher")
    year: int = Field(description="Udgivelsesår / year")
    pages: str | None = Field(description="Sider i kilden / pages")
    section: str | None = Field(description="Afsnit i kilden / section")
    citation: str = Field(description="Færdig kildehenvisning til at kopiere")


class RelatedOut(BaseModel):
    slug: str = Field(description="Den relaterede sags id / the related case's id")
    title: str = Field(description="Titel / title")
    path: str = Field(description="Sti på sitet / path on the site")
    url: str = Field(description="Permanent URL / permanent URL")
    shared: list[str] = Field(description="Fælles tags (labels)")


class CaseOut(BaseModel):
    slug: str = Field(description="Sagens id, også i URL'en / the case's id")
    title: str = Field(description="Titel / title")
    summary: str = Field(description="Resumé / summary")
    partnership: str | None = Field(description="Partnerskabets navn, hvis det har et")
    url: str = Field(description="Sagens permanente URL / permanent URL")
    path: str = Field(description="Sagens sti på sitet / path on the site")
    partners: list[PartnerOut] = Field(description="Partnerne / the partners")
    tags: dict[str, list[TagOut]] = Field(description="Alle tags pr. facet-parameter")
    facet_labels: dict[str, str] = Field(description="Facetternes navne pr. parameter")
    period: str = Field(description="Perioden som tekst / the period as text")
    period_start: int = Field(description="Startår / first year")
    period_end: int | None = Field(description="Slutår, hvis kendt / last year, if known")
    ongoing: bool = Field(description="Om partnerskabet stadig er i gang / still running")
    status: str = Field(description="igangværende, afsluttet eller ukendt / status")
    key_results: list[str] = Field(description="Nøgleresultater / key results")
    source: SourceOut = Field(description="Kilden / the source")
    body_html: str = Field(description="Brødteksten som saneret HTML")
    added: dt.date = Field(description="Tilføjet til samlingen / date added")
    updated: dt.date | None = Field(description="Sidst redigeret, hvis nogensinde / last edit")
    related: list[RelatedOut] = Field(description="Relaterede sager / related cases")


def citation(catalog: Catalog, record: CaseRecord) -> SourceOut:
    pub = catalog.vocab.publication(record.source_publication)
    assert pub is not None, record.source_publication
    where = (
        f"s. {record.source_pages}"
        if record.source_pages
        else f"afsnittet »{record.source_section}«"
    )
    text = f"{pub.publisher} ({pub.year}): {pub.label}, {where}."
    return SourceOut(
        publication=pub.slug,
        title=pub.label,
        publisher=pub.publisher,
        year=pub.year,
        pages=record.source_pages,
        section=record.source_section,
        citation=text,
    )


def related_cases(catalog: Catalog, record: CaseRecord, paths: Paths) -> list[RelatedOut]:
    """Score = shared tags (weighted by rarity) + similar text; the best few."""
    scores: dict[str, float] = {}
    shared: dict[str, list[str]] = {}
    size = max(catalog.size, 1)
    for param in ("target_group", "policy_area", "success_factor", "sector"):
        for value in record.tags.get(param, []):
            mask = catalog.facets.masks[param].get(value, 0)
            weight = 1.0 - mask.bit_count() / size
            for docnum, other in catalog.records.items():
                if mask >> docnum & 1 and other.slug != record.slug:
                    scores[other.slug] = scores.get(other.slug, 0.0) + weight
                    shared.setdefault(other.slug, []).append(label_for(catalog, param, value))
    for slug, score in similar_text(catalog, record.slug).items():
        if slug != record.slug:
            scores[slug] = scores.get(slug, 0.0) + 2.0 * score
    best = sorted(scores, key=lambda slug: (-scores[slug], slug))[:RELATED_COUNT]
    return [
        RelatedOut(
            slug=s,
            title=catalog.case(s).title,
            path=f"{paths.case}{s}",
            url=f"{paths.base_url}{paths.case}{s}",
            shared=shared.get(s, [])[:4],
        )
        for s in best
    ]


def case_page(catalog: Catalog, slug: str, paths: Paths) -> CaseOut:
    record = catalog.case(slug)
    vocab = catalog.vocab
    tags = {
        facet.param: [
            TagOut(
                value=value,
                label=label_for(catalog, facet.param, value),
                url=filter_url(paths.search, facet.param, value),
            )
            for value in record.tags.get(facet.param, [])
        ]
        for facet in FACETS
    }
    partners = [
        PartnerOut(
            name=p["name"],
            sector=p["sector"],
            sector_label=vocab.label("sectors", p["sector"]),
            role=p.get("role"),
            role_label=vocab.label("roles", p["role"]) if p.get("role") else None,
        )
        for p in record.partners
    ]
    return CaseOut(
        slug=record.slug,
        title=record.title,
        summary=record.summary,
        partnership=record.partnership,
        url=f"{paths.base_url}{paths.case}{record.slug}",
        path=f"{paths.case}{record.slug}",
        partners=partners,
        tags=tags,
        facet_labels={facet.param: facet.label for facet in FACETS},
        period=record.period_label,
        period_start=record.period_start,
        period_end=record.period_end,
        ongoing=record.ongoing,
        status=record.status,
        key_results=record.key_results,
        source=citation(catalog, record),
        body_html=record.body_html,
        added=record.added,
        updated=record.updated,
        related=related_cases(catalog, record, paths),
    )
