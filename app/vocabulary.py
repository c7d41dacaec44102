"""The controlled vocabularies (content/vocabulary.yml, content/geography.yml) as typed objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.errors import ContentError

NOT_TERMS = ("publications",)  # top-level keys of vocabulary.yml that are not lists of terms


class Term(BaseModel):
    """One value of a vocabulary."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: str
    label: str
    description: str = ""
    synonyms: tuple[str, ...] = ()
    region: str | None = None  # geography: the region a municipality lies in
    kind: str | None = None  # geography: kommune, region or special
    code: str | None = None  # geography: the municipality's code (Danmarks Statistik)
    kommunegruppe: str | None = None  # geography: the municipality's group (Danmarks Statistik)
    phrase: str | None = None  # sectors: how the Danish sentence names it ("en kommune")


class Publication(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: str
    label: str
    publisher: str
    year: int
    seed: str
    description: str = ""


class Vocabulary(BaseModel):
    """Every controlled vocabulary, keyed by the front-matter field that uses it."""

    model_config = ConfigDict(frozen=True)

    terms: dict[str, tuple[Term, ...]]
    roles: tuple[Term, ...]
    publications: tuple[Publication, ...]
    by_slug: dict[str, dict[str, Term]] = Field(default_factory=dict)

    def term(self, field: str, slug: str) -> Term | None:
        return self.by_slug.get(field, {}).get(slug)

    def label(self, field: str, slug: str) -> str:
        found = self.term(field, slug)
        return found.label if found else slug

    def region_of(self, slug: str) -> str | None:
        found = self.term("geography", slug)
        return found.region if found else None

    def kommunegruppe_of(self, slug: str) -> str | None:
        found = self.term("geography", slug)
        return found.kommunegruppe if found else None

    def publication(self, slug: str) -> Publication | None:
        return next((pub for pub in self.publications if pub.slug == slug), None)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path.name}: kan ikke læses: {exc}") from exc
    if not isinstance(data, dict):
        raise ContentError(f"{path.name}: forventede en YAML-ordbog øverst i filen.")
    return data


def _geography_terms(data: dict[str, Any]) -> tuple[Term, ...]:
    regions = [Term(**item, kind="region") for item in data.get("regions", [])]
    municipalities = [Term(**item, kind="kommune") for item in data.get("municipalities", [])]
    special = [Term(**item, kind="special") for item in data.get("special", [])]
    return tuple(regions + municipalities + special)


def load_vocabulary(content_dir: Path) -> Vocabulary:
    """Read both vocabulary files; a broken vocabulary is fatal (it defines validity)."""
    vocab = _read_yaml(content_dir / "vocabulary.yml")
    geography = _read_yaml(content_dir / "geography.yml")
    try:
        terms = {
            field: tuple(Term(**item) for item in items)
            for field, items in vocab.items()
            if field not in NOT_TERMS and isinstance(items, list)
        }
        terms["geography"] = _geography_terms(geography)
        terms["kommunegrupper"] = tuple(
            Term(**item) for item in geography.get("kommunegrupper", [])
        )
        roles = terms.pop("roles", ())
        publications = tuple(Publication(**item) for item in vocab.get("publications", []))
    except (TypeError, ValidationError) as exc:
        raise ContentError(f"vocabulary.yml/geography.yml: ugyldig værdi: {exc}") from exc
    by_slug = {field: {term.slug: term for term in values} for field, values in terms.items()}
    by_slug["roles"] = {role.slug: role for role in roles}
    return Vocabulary(terms=terms, roles=roles, publications=publications, by_slug=by_slug)
