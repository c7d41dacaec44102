"""The typed case model. Front matter is validated into these classes at the content edge."""

from __future__ import annotations

import datetime as dt
import re
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


APPROX_RE = re.compile(r"^ca\. (\d{4})$")
YearValue = StrictInt | StrictStr | None


def _year_parts(value: int | str | None) -> tuple[int | None, bool]:
    """(year, approximate?) of a period year as written: 2009, "ca. 2009" or None."""
    if value is None:
        return None, False
    if isinstance(value, int):
        return value, False
    match = APPROX_RE.match(value)
    assert match, value  # the validator below admits nothing else
    return int(match.group(1)), True


class Period(Strict):
    """Years only as the source gives them: a year, "ca. YYYY" for a marked approximation, or
    nothing (unknown)."""

    start: YearValue = None
    end: YearValue = None

    @field_validator("start", "end")
    @classmethod
    def _a_year_or_marked_approximation(cls, value: int | str | None) -> int | str | None:
        if isinstance(value, str):
            if value.strip() == "igangværende":
                raise ValueError(
                    "'igangværende' hører til i 'status', ikke i perioden; fjern den her"
                )
            if not APPROX_RE.match(value):
                raise ValueError(
                    f"skal være et årstal, 'ca. ÅÅÅÅ' for en tilnærmelse eller tom (fik {value!r})"
                )
        year, _ = _year_parts(value)
        if year is not None and not 1950 <= year <= 2030:
            raise ValueError("årstallet skal ligge mellem 1950 og 2030")
        return value

    @property
    def start_year(self) -> int | None:
        return _year_parts(self.start)[0]

    @property
    def start_approx(self) -> bool:
        return _year_parts(self.start)[1]

    @property
    def end_year(self) -> int | None:
        return _year_parts(self.end)[0]

    @property
    def end_approx(self) -> bool:
        return _year_parts(self.end)[1]


class Link(Strict):
    label: NonEmpty = Field(min_length=2, max_length=120)
    url: NonEmpty = Field(pattern=r"^https?://[^\s]+$")


class Source(Strict):
    publication: NonEmpty
    title: NonEmpty
    publisher: NonEmpty
    year: StrictInt
    pages: NonEmpty | None = None
    section: NonEmpty | None = None
    seed: NonEmpty
    url: NonEmpty | None = Field(None, pattern=r"^https?://[^\s]+$")


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
    keywords: list[NonEmpty] = Field(default_factory=list, max_length=12)
    links: list[Link] = Field(default_factory=list)
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
