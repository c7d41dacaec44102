"""The facet registry (``FACETS``) and disjunctive facet counting over per-generation bitsets.

Each facet value holds a Python int used as a bitset over document numbers, built once per index
generation. Counting a facet is then one AND and one ``bit_count`` per value, whatever the size of
the result set: no per-request walk over documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.models import Case
from app.vocabulary import Vocabulary

UNKNOWN_PERIOD = "ukendt"
PERIOD_BUCKETS: tuple[tuple[str, str, int, int], ...] = (
    ("foer-2005", "Før 2005", 1950, 2004),
    ("2005-2009", "2005–2009", 2005, 2009),
    ("2010-2014", "2010–2014", 2010, 2014),
    ("2015-2019", "2015–2019", 2015, 2019),
    ("2020-", "2020 og senere", 2020, 2100),
)


@dataclass(frozen=True)
class FacetValue:
    """One value a facet can take: its slug (in the URL), label, description, sentence phrase."""

    slug: str
    label: str
    description: str = ""
    phrase: str | None = None


STATUS_VALUES = (
    FacetValue(
        "igangværende",
        "Igangværende ved udgivelsen",
        "Kilden beskrev partnerskabet som igangværende, da den udkom; nyere status kendes ikke.",
        "igangværende ved kildens udgivelse",
    ),
    FacetValue(
        "afsluttet",
        "Afsluttet",
        "Afsluttet ifølge kilden, eller det slutår, kilden giver, er passeret.",
        "afsluttede",
    ),
    FacetValue(
        "ukendt", "Ukendt", "Kilden siger ikke, om partnerskabet er i gang.", "med ukendt status"
    ),
)
PERIOD_VALUES = (
    *(FacetValue(slug, label) for slug, label, _, _ in PERIOD_BUCKETS),
    FacetValue(
        UNKNOWN_PERIOD, "Ukendt periode", "Kilden angiver ikke, hvornår partnerskabet startede."
    ),
)


@dataclass(frozen=True)
class CaseFacts:
    """What the facets read about one case: its front-matter tags and its dates."""

    tags: Mapping[str, Sequence[str]]  # front-matter tag lists by field name
    publication: str
    status: str  # as the source gives it, at publication
    start: int | None
    end: int | None
    published: int  # the source's year
    this_year: int

    @property
    def status_now(self) -> str:
        """The source's status, unless the end year it gives has passed."""
        if self.end is not None and self.end < self.this_year:
            return "afsluttet"
        return self.status

    @property
    def last_known_year(self) -> int | None:
        """The last year the case is known to run: its end, else the source's year if it was
        ongoing then, else its start."""
        if self.end is not None:
            return self.end
        if self.status == "igangværende":
            return self.published
        return self.start

    @property
    def active_years(self) -> range:
        """The years the case is known to run (empty when the start is unknown)."""
        last = self.last_known_year
        if self.start is None or last is None:
            return range(0)
        return range(self.start, max(self.start, last) + 1)


def period_buckets(facts: CaseFacts) -> list[str]:
    """The period buckets the years a case is known to run overlap; 'ukendt' without a start."""
    years = facts.active_years
    if not years:
        return [UNKNOWN_PERIOD]
    return [slug for slug, _, low, high in PERIOD_BUCKETS if years[0] <= high and years[-1] >= low]


@dataclass(frozen=True)
class Phrase:
    """How the Danish sentence that describes a search names a facet's selection."""

    template: str  # "for {}" or, as a clause after the comma, "hvor {} deltager"
    clause: bool = False
    lower: bool = True  # lower-case the labels (not for names such as "Aarhus Kommune")
    quote: bool = False  # put each label in »…«


@dataclass(frozen=True)
class FacetSpec:
    """Everything about one facet. Adding a facet is one entry in ``FACETS`` (plus its vocabulary
    content): the validator, the query parameters, the sentence, labels, the catalog's bitsets,
    feeds, CSV, the case page and related cases all read it from here."""

    param: str  # URL parameter
    field: str  # front-matter field or vocabulary key it is named after
    label: str
    plural: str
    path: str  # Danish URL segment of its browse page under /emner/
    help: str  # the API parameter's description
    phrase: Phrase
    values: Callable[[Vocabulary], tuple[FacetValue, ...]]
    case_values: Callable[[CaseFacts, Vocabulary], list[str]]
    noun: str | None = None  # a front-matter tag list checked against the vocabulary: its noun
    on_results: bool = False  # shown as tags on each search result
    related_weight: float = 0.0  # weight of a shared value when finding related cases
    indexed: bool = True  # the labels and synonyms of a case's values are searchable text


def _terms(field: str) -> Callable[[Vocabulary], tuple[FacetValue, ...]]:
    def values(vocab: Vocabulary) -> tuple[FacetValue, ...]:
        return tuple(
            FacetValue(t.slug, t.label, t.description, t.phrase) for t in vocab.terms.get(field, ())
        )

    return values


def _tags(field: str) -> Callable[[CaseFacts, Vocabulary], list[str]]:
    def case_values(facts: CaseFacts, vocab: Vocabulary) -> list[str]:
        return list(facts.tags.get(field, ()))

    return case_values


def _geography_with_regions(facts: CaseFacts, vocab: Vocabulary) -> list[str]:
    """A case's places and the regions its municipalities lie in: a region finds them."""
    own = list(facts.tags.get("geography", ()))
    regions = [region for slug in own if (region := vocab.region_of(slug))]
    return list(dict.fromkeys(own + regions))


def _kommunegrupper(facts: CaseFacts, vocab: Vocabulary) -> list[str]:
    groups = [g for slug in facts.tags.get("geography", ()) if (g := vocab.kommunegruppe_of(slug))]
    return list(dict.fromkeys(groups))


def _publications(vocab: Vocabulary) -> tuple[FacetValue, ...]:
    return tuple(FacetValue(p.slug, p.label, p.description) for p in vocab.publications)


FACETS: tuple[FacetSpec, ...] = (
    FacetSpec(
        "sector", "sectors", "Sektor", "Sektorer", "sektor",
        "Sektor (stat, region, kommune, civilsamfund, fond, privat, ...). Gentag for ELLER.",
        Phrase("hvor {} deltager", clause=True),
        _terms("sectors"), _tags("sectors"), noun="en sektor", on_results=True,
        related_weight=0.5,
    ),
    FacetSpec(
        "target_group", "target_groups", "Målgruppe", "Målgrupper", "maalgruppe",
        "Målgruppe, fx `hjemloese`. Se /api/v1/vocabularies. Gentag for ELLER.",
        Phrase("for {}"), _terms("target_groups"), _tags("target_groups"),
        noun="en målgruppe", on_results=True, related_weight=1.0,
    ),
    FacetSpec(
        "policy_area", "policy_areas", "Politikområde", "Politikområder", "politikomraade",
        "Politikområde, fx `psykiatri`. Gentag for ELLER.",
        Phrase("inden for {}"), _terms("policy_areas"), _tags("policy_areas"),
        noun="et politikområde", on_results=True, related_weight=1.0,
    ),
    FacetSpec(
        "success_factor", "success_factors", "Succesfaktor", "Succesfaktorer", "succesfaktor",
        "Succesfaktor, fx `faelles-maal`. Gentag for ELLER.",
        Phrase("med succesfaktoren {}", clause=True), _terms("success_factors"),
        _tags("success_factors"), noun="en succesfaktor", related_weight=0.5,
    ),
    FacetSpec(
        "barrier", "barriers", "Barriere", "Barrierer", "barriere",
        "Barriere, fx `siloer-og-ressortansvar`. Gentag for ELLER.",
        Phrase("med barrieren {}", clause=True), _terms("barriers"), _tags("barriers"),
        noun="en barriere", related_weight=0.5,
    ),
    FacetSpec(
        "geography", "geography", "Geografi", "Geografi", "geografi",
        "Kommune, region (med dens kommuner), `hele-landet` eller `udlandet`, fx `aarhus`. "
        "Gentag for ELLER.",
        Phrase("i {}", lower=False), _terms("geography"), _geography_with_regions,
        noun="en kommune, en region, hele-landet eller udlandet", on_results=True,
    ),
    FacetSpec(
        "kommunegruppe", "kommunegrupper", "Kommunegruppe", "Kommunegrupper", "kommunegruppe",
        "Danmarks Statistiks kommunegruppe for sagens kommuner: hovedstadskommuner, "
        "storbykommuner, provinsbykommuner, oplandskommuner, landkommuner. Gentag for ELLER.",
        Phrase("i {}"), _terms("kommunegrupper"), _kommunegrupper, related_weight=0.25,
    ),
    FacetSpec(
        "source", "source", "Publikation", "Publikationer", "publikation",
        "Kildepublikation, fx `sammen-ved-vi-bedst-2021`. Gentag for ELLER.",
        Phrase("fra {}", lower=False, quote=True), _publications,
        lambda facts, vocab: [facts.publication],
    ),
    FacetSpec(
        "period", "period", "Periode", "Perioder", "periode",
        "Periode, sagen vides at løbe i: foer-2005, 2005-2009, 2010-2014, 2015-2019, 2020-, "
        "ukendt. Gentag for ELLER.",
        Phrase("i perioden {}", lower=False), lambda vocab: PERIOD_VALUES,
        lambda facts, vocab: period_buckets(facts), indexed=False,
    ),
    FacetSpec(
        "status", "status", "Status", "Status", "status",
        "Status som kilden giver den ved udgivelsen (igangværende), medmindre kildens slutår er "
        "passeret (afsluttet); ukendt. Gentag for ELLER.",
        Phrase("som er {}", clause=True), lambda vocab: STATUS_VALUES,
        lambda facts, vocab: [facts.status_now], indexed=False,
    ),
)  # fmt: skip
FACETS_BY_PARAM = {facet.param: facet for facet in FACETS}
FACETS_BY_PATH = {facet.path: facet for facet in FACETS}
TAG_FACETS = tuple(facet for facet in FACETS if facet.noun)  # checked front-matter tag lists


def case_facts(case: Case, this_year: int) -> CaseFacts:
    front = case.front
    return CaseFacts(
        tags={facet.field: getattr(front, facet.field) for facet in TAG_FACETS},
        publication=front.source.publication,
        status=front.status,
        start=front.period.start_year,
        end=front.period.end_year,
        published=front.source.year,
        this_year=this_year,
    )


def bitset(docnums: Iterable[int]) -> int:
    """A mask with the given document numbers set; linear in their number."""
    flags = bytearray()
    for docnum in docnums:
        byte = docnum >> 3
        if byte >= len(flags):
            flags.extend(bytes(byte - len(flags) + 1))
        flags[byte] |= 1 << (docnum & 7)
    return int.from_bytes(flags, "little")


def bits(mask: int) -> list[int]:
    """The document numbers set in a mask, ascending; linear in the mask's length."""
    text = bin(mask)[:1:-1]
    return [index for index, flag in enumerate(text) if flag == "1"]


@dataclass(frozen=True)
class FacetIndex:
    """Per facet, per value, the bitset of documents carrying it."""

    masks: Mapping[str, Mapping[str, int]]
    all_docs: int

    def selection_mask(self, param: str, values: Iterable[str]) -> int:
        """OR of the selected values of one facet (all documents when nothing is selected)."""
        chosen = list(values)
        if not chosen:
            return self.all_docs
        mask = 0
        for value in chosen:
            mask |= self.masks[param].get(value, 0)
        return mask

    def filter_mask(self, selections: Mapping[str, list[str]], skip: str | None = None) -> int:
        mask = self.all_docs
        for param, values in selections.items():
            if param != skip and values:
                mask &= self.selection_mask(param, values)
        return mask

    def counts(self, param: str, base: int) -> dict[str, int]:
        return {value: (base & mask).bit_count() for value, mask in self.masks[param].items()}


@dataclass(frozen=True)
class YearIndex:
    """Per year, the bitset of cases known to run in it; a year range is an OR of a few masks."""

    masks: Mapping[int, int]

    @classmethod
    def build(cls, years_by_doc: Mapping[int, range]) -> YearIndex:
        by_year: dict[int, list[int]] = {}
        for docnum, years in years_by_doc.items():
            for year in years:
                by_year.setdefault(year, []).append(docnum)
        return cls({year: bitset(docs) for year, docs in by_year.items()})

    def between(self, low: int | None, high: int | None) -> int:
        """Cases known to run in at least one year of [low, high] (cases without a start year
        are never in a year range)."""
        mask = 0
        for year, year_mask in self.masks.items():
            if (low is None or year >= low) and (high is None or year <= high):
                mask |= year_mask
        return mask


@dataclass(frozen=True)
class Labels:
    """Every facet's values in vocabulary order, and the label of each, computed once."""

    values: Mapping[str, tuple[FacetValue, ...]]
    by_slug: Mapping[str, Mapping[str, FacetValue]]

    @classmethod
    def build(cls, vocab: Vocabulary) -> Labels:
        values = {facet.param: facet.values(vocab) for facet in FACETS}
        return cls(values, {p: {v.slug: v for v in vals} for p, vals in values.items()})

    def label(self, param: str, slug: str) -> str:
        found = self.by_slug.get(param, {}).get(slug)
        return found.label if found else slug

    def phrase(self, param: str, slug: str) -> str | None:
        found = self.by_slug.get(param, {}).get(slug)
        return found.phrase if found else None
