"""The case page's data (and its JSON twin): facts, tags with search links, citation, related."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from app.catalog import CaseRecord, Catalog
from app.facets import FACETS
from app.paths import Paths
from app.related import RelatedOut, related_cases
from app.search import TagOut, tag_for


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
    url: str | None = Field(description="Publikationens adresse, hvis kilden trykker den")
    citation: str = Field(description="Færdig kildehenvisning til at kopiere")


class LinkOut(BaseModel):
    label: str = Field(description="Hvad linket er / what the link is")
    url: str = Field(description="Adressen, som kilden trykker den / as printed in the source")


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
    period_start: int | None = Field(description="Startår, hvis kilden giver det / first year")
    period_start_approx: bool = Field(description="Startåret er en tilnærmelse (ca.)")
    period_end: int | None = Field(description="Slutår, hvis kilden giver det / last year")
    period_end_approx: bool = Field(description="Slutåret er en tilnærmelse (ca.)")
    status: str = Field(
        description="Status-facetten: igangværende (ved udgivelsen), afsluttet eller ukendt"
    )
    status_at_publication: str = Field(description="Status som kilden gav den, da den udkom")
    status_label: str = Field(description="Status med »ved udgivelsen i ÅÅÅÅ« / with its as-of")
    keywords: list[str] = Field(description="Søgeord / keywords")
    links: list[LinkOut] = Field(description="Adresser, som kilden selv trykker / printed links")
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
        url=record.source_url,
        citation=text,
    )


def case_page(catalog: Catalog, slug: str, paths: Paths) -> CaseOut:
    record = catalog.case(slug)
    vocab = catalog.vocab
    tags = {
        facet.param: [
            tag_for(catalog, paths.search, facet.param, value)
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
        url=paths.case_url(record.slug),
        path=paths.case_path(record.slug),
        partners=partners,
        tags=tags,
        facet_labels={facet.param: facet.label for facet in FACETS},
        period=record.period_label,
        period_start=record.period_start,
        period_start_approx=record.period_start_approx,
        period_end=record.period_end,
        period_end_approx=record.period_end_approx,
        status=record.status_now,
        status_at_publication=record.status,
        status_label=record.status_label,
        keywords=record.keywords,
        links=[LinkOut(**link) for link in record.links],
        key_results=record.key_results,
        source=citation(catalog, record),
        body_html=record.body_html,
        added=record.added,
        updated=record.updated,
        related=related_cases(catalog, record, paths),
    )
