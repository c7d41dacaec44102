"""Related cases, computed once per index generation at build time (``related.json``).

Score of case b for case a = Σ over the tag values they share of the facet's ``related_weight``
× the value's rarity (1 − share of cases carrying it), plus ``TEXT_WEIGHT`` × text similarity
(a's most distinctive words against the other cases' postings, scaled 0–1 against a's best
match). The tag part is one
weighted matrix product (numpy, in blocks), so the build stays fast at 10,000 cases; a case
page only reads its precomputed list.
"""

from __future__ import annotations

import heapq
import json
import math
import os
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from app.catalog import CaseRecord, Catalog
from app.facets import FACETS, bits
from app.index import TEXT_FIELD
from app.paths import Paths

RELATED_COUNT = 5
TEXT_WEIGHT = 2.0
FILE_NAME = "related.json"
BLOCK = 512  # rows of the score matrix computed at a time
MAX_SHARED = 4

Related = list[tuple[str, float, list[str]]]  # (slug, score, shared labels), best first


class RelatedOut(BaseModel):
    slug: str = Field(description="Den relaterede sags id / the related case's id")
    title: str = Field(description="Titel / title")
    path: str = Field(description="Sti på sitet / path on the site")
    url: str = Field(description="Permanent URL / permanent URL")
    shared: list[str] = Field(description="Fælles tags (labels)")


def text_neighbours(
    catalog: Catalog, row: dict[int, int], keys_per_case: int = 25, limit: int = 10
) -> list[dict[int, float]]:
    """Per row, the rows whose text resembles it most, scored 0–1 against the best: like
    Whoosh's more-like-this (a case's most distinctive words, then the cases holding them,
    weighted by idf), but computed for every case at once from the index's postings, so the
    build stays linear in the collection's size."""
    reader = catalog.searcher.reader()
    size = len(row)
    common = max(5, size // 10)  # words in more cases than this say little about likeness
    postings: list[np.ndarray[tuple[int, ...], np.dtype[np.int32]]] = []
    keys_of: list[list[tuple[float, int]]] = [[] for _ in range(size)]
    for term in reader.lexicon(TEXT_FIELD):
        frequency = reader.doc_frequency(TEXT_FIELD, term)
        if frequency < 2 or frequency > common:
            continue
        rows = [row[d] for d in reader.postings(TEXT_FIELD, term).all_ids() if d in row]
        weight = math.log(size / frequency)
        for index in rows:
            keys_of[index].append((weight, len(postings)))
        postings.append(np.asarray(rows, dtype=np.int32))
    out: list[dict[int, float]] = []
    for index in range(size):
        scores = np.zeros(size, dtype=np.float32)
        for weight, key in heapq.nlargest(keys_per_case, keys_of[index]):
            scores[postings[key]] += weight
        scores[index] = 0.0
        best = _top(scores, limit)
        top = float(scores[best[0]]) if len(best) else 0.0
        out.append({int(b): float(scores[b]) / top for b in best if top and scores[b] > 0})
    return out


def _top(scores: np.ndarray[tuple[int, ...], np.dtype[np.float32]], count: int) -> list[int]:
    """Indexes of the ``count`` highest scores, best first (ties by index)."""
    if len(scores) > count:
        candidates = np.argpartition(-scores, count)[: count + 1]
    else:
        candidates = np.arange(len(scores))
    return sorted((int(i) for i in candidates), key=lambda i: (-scores[i], i))[:count]


Matrix = np.ndarray[tuple[int, ...], np.dtype[np.float32]]


def _tag_matrix(
    catalog: Catalog,
) -> tuple[Matrix, Matrix, list[tuple[str, str]], list[int]]:
    """Cases × tag values (0/1), each value's weight, the values, and the row order."""
    docnums = sorted(catalog.records)
    row = {docnum: index for index, docnum in enumerate(docnums)}
    values = [
        (facet.param, value)
        for facet in FACETS
        if facet.related_weight
        for value in catalog.facets.masks[facet.param]
    ]
    matrix = np.zeros((len(docnums), len(values)), dtype=np.float32)
    weights = np.zeros(len(values), dtype=np.float32)
    size = max(len(docnums), 1)
    for column, (param, value) in enumerate(values):
        mask = catalog.facets.masks[param][value]
        members = [row[d] for d in bits(mask)]
        matrix[members, column] = 1.0
        weights[column] = WEIGHTS[param] * (1.0 - len(members) / size)
    return matrix, weights, values, docnums


WEIGHTS = {facet.param: facet.related_weight for facet in FACETS}


def compute_related(catalog: Catalog, count: int = RELATED_COUNT) -> dict[str, Related]:
    """Every case's best related cases."""
    matrix, weights, values, docnums = _tag_matrix(catalog)
    row = {docnum: index for index, docnum in enumerate(docnums)}
    similar = text_neighbours(catalog, row)
    weighted = matrix * weights
    out: dict[str, Related] = {}
    for start in range(0, len(docnums), BLOCK):
        block = weighted[start : start + BLOCK] @ matrix.T
        for offset in range(block.shape[0]):
            index = start + offset
            docnum = docnums[index]
            scores = block[offset]
            scores[index] = -1.0  # never itself
            for other, similarity in similar[index].items():
                scores[other] += TEXT_WEIGHT * similarity
            best = _top(scores, count)
            own = matrix[index]
            out[catalog.records[docnum].slug] = [
                (
                    catalog.records[docnums[b]].slug,
                    round(float(scores[b]), 4),
                    [
                        catalog.labels.label(*values[c])
                        for c in np.flatnonzero(own * matrix[b])[:MAX_SHARED]
                    ],
                )
                for b in best
                if scores[b] > 0
            ]
    return out


def write_related(catalog: Catalog) -> None:
    """Compute and store the related cases inside the generation (written atomically)."""
    path = catalog.generation / FILE_NAME
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(compute_related(catalog), ensure_ascii=False), "utf-8")
    os.replace(temporary, path)


def read_related(generation: Path) -> dict[str, Related]:
    path = generation / FILE_NAME
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        slug: [(s, float(score), list(shared)) for s, score, shared in rows]
        for slug, rows in data.items()
    }


def related_cases(catalog: Catalog, record: CaseRecord, paths: Paths) -> list[RelatedOut]:
    """The precomputed related cases of a case (computed on first use for a generation built
    without them)."""
    rows = catalog.related_cache.get(record.slug)
    if rows is None:
        if not catalog.related_cache:
            stored = read_related(catalog.generation) or compute_related(catalog)
            catalog.related_cache.update(stored)
        rows = catalog.related_cache.get(record.slug, [])
    return [
        RelatedOut(
            slug=slug,
            title=catalog.case(slug).title,
            path=paths.case_path(slug),
            url=paths.case_url(slug),
            shared=labels,
        )
        for slug, _, labels in rows
    ]
