"""The typed case model. Front matter is validated into these classes at the content edge."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, field_validator

STATUSES = ("igangværende", "afsluttet", "ukendt")
SECTIONS = (
    "Baggrund og formål",
    "Partnere og roller",
    "Organisering",
    "Resultater",
    "Succesfaktorer",
    "Udfordringer",
    "Gode råd",
)
REQUIRED_SECTIONS = ("Baggrund og formål",)

NonEmpty = StrictStr


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Partner(Strict):
    name: NonEmpty = Field(min_length=2)
    sector: NonEmpty
    role: NonEmpty | None = None


class Period(Strict):
    start: StrictInt = Field(ge=1950, le=2030)
    end: StrictInt | Literal["igangværende"] | None = None

    @field_validator("end")
    @classmethod
    def _end_is_a_plausible_year(cls, end: int | str | None) -> int | str | None:
        if isinstance(end, int) and not 1950 <= end <= 2030:
            raise ValueError("slutåret skal ligge mellem 1950 og 2030")
        return end


class Source(Strict):
    publication: NonEmpty
    title: NonEmpty
    publisher: NonEmpty
    year: StrictInt
    pages: NonEmpty | None = None
    section: NonEmpty | None = None
    seed: NonEmpty


class FrontMatter(Strict):
    """Exactly the keys a case file may carry (see the README, »Sagsformatet«)."""

    title: NonEmpty = Field(min_length=5, max_length=120)
    summary: NonEmpty = Field(min_length=20, max_length=700)
    partnership: NonEmpty | None = None
    partners: list[Partner] = Field(min_length=1)
    sectors: list[NonEmpty] = Field(min_length=1)
    target_groups: list[NonEmpty] = Field(min_length=1)
    policy_areas: list[NonEmpty] = Field(min_length=1)
    success_factors: list[NonEmpty] = Field(min_length=1)
    barriers: list[NonEmpty] = Field(default_factory=list)
    geography: list[NonEmpty] = Field(min_length=1)
    period: Period
    status: Literal["igangværende", "afsluttet", "ukendt"]
    key_results: list[NonEmpty] = Field(default_factory=list)
    source: Source
    added: dt.date
    updated: dt.date | None = None


class Section(Strict):
    heading: str
    markdown: str


class Case(Strict):
    """A validated case: its front matter plus the slug and the body split into sections."""

    slug: str
    front: FrontMatter
    body_markdown: str
    sections: tuple[Section, ...]

    @property
    def modified(self) -> dt.date:
        return self.front.updated or self.front.added

    def tags(self, field: str) -> list[str]:
        if field == "source":
            return [self.front.source.publication]
        if field == "status":
            return [self.front.status]
        values: list[str] = getattr(self.front, field)
        return values
