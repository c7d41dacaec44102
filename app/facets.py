"""Facet definitions and disjunctive facet counting over per-generation bitsets.

Each facet value holds a Python int used as a bitset over document numbers, built once per index
generation. Counting a facet is then one AND and one ``bit_count`` per value, whatever the size of
the result set: no per-request walk over documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PERIOD_BUCKETS: tuple[tuple[str, str, int, int], ...] = (
    ("foer-2005", "Før 2005", 1950, 2004),
    ("2005-2009", "2005–2009", 2005, 2009),
    ("2010-2014", "2010–2014", 2010, 2014),
    ("2015-2019", "2015–2019", 2015, 2019),
    ("2020-", "2020 og senere", 2020, 2100),
)
STATUS_LABELS = {"igangværende": "Igangværende", "afsluttet": "Afsluttet", "ukendt": "Ukendt"}


@dataclass(frozen=True)
class FacetSpec:
    """One facet: its URL parameter, the case field it reads and its Danish names."""

    param: str
    field: str
    label: str
    plural: str
    path: str  # Danish URL segment of its browse page

    @property
    def vocabulary(self) -> str:
        return self.field


FACETS: tuple[FacetSpec, ...] = (
    FacetSpec("sector", "sectors", "Sektor", "Sektorer", "sektor"),
    FacetSpec("target_group", "target_groups", "Målgruppe", "Målgrupper", "maalgruppe"),
    FacetSpec("policy_area", "policy_areas", "Politikområde", "Politikområder", "politikomraade"),
    FacetSpec(
        "success_factor", "success_factors", "Succesfaktor", "Succesfaktorer", "succesfaktor"
    ),
    FacetSpec("barrier", "barriers", "Barriere", "Barrierer", "barriere"),
    FacetSpec("geography", "geography", "Geografi", "Geografi", "geografi"),
    FacetSpec("source", "source", "Publikation", "Publikationer", "publikation"),
    FacetSpec("period", "period", "Periode", "Perioder", "periode"),
    FacetSpec("status", "status", "Status", "Status", "status"),
)
FACETS_BY_PARAM = {facet.param: facet for facet in FACETS}
FACETS_BY_PATH = {facet.path: facet for facet in FACETS}


def period_buckets(start: int, end: int | None, ongoing: bool, until: int) -> list[str]:
    """The period buckets a case's years overlap."""
    last = until if ongoing or end is None else end
    return [slug for slug, _, low, high in PERIOD_BUCKETS if start <= high and last >= low]


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
