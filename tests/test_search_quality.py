"""Search quality on the judged evaluation set (tests/eval/queries.yml): the Danish analysis
keeps a floor and beats a plain Whoosh baseline built from the same cases in the same run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bench.evaluate import (
    ABSENT,
    BLIND_DEV,
    HELDOUT,
    Scores,
    absent_queries,
    evaluate,
    load_queries,
    rankers,
    table,
)
from tests.conftest import REAL_CONTENT

QUERIES = load_queries()
KINDS = {
    "emne",
    "boejning",
    "sammensat",
    "uden-aeoeaa",
    "stavefejl",
    "synonym",
    "navn",
    "flere-begreber",
}
# Floors for the Danish analysis over all queries (measured 2026-11-23; see the closing note).
FLOOR = {"recall_at_5": 0.85, "mrr": 0.88, "ndcg_at_10": 0.85}


HELD_OUT = load_queries(HELDOUT)
# Floors on the held-out set (written blind from the seeds; never tuned to). Measured on
# 2026-12-02 after tuning on blind_dev and the development set: nDCG@10 0.852 over all queries,
# 0.716 on the queries whose words are absent from their cases (the targets: 0.85, 0.70).
HELD_OUT_FLOOR = {"alle": 0.83, ABSENT: 0.68}


@pytest.fixture(scope="module")
def held_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Scores], ...]:
    with rankers(REAL_CONTENT, Path(tmp_path_factory.mktemp("held-out"))) as ranked:
        absent = absent_queries(ranked.catalog, HELD_OUT)
        return (
            evaluate(ranked.danish, HELD_OUT, absent),
            evaluate(ranked.without_thesaurus, HELD_OUT, absent),
            evaluate(ranked.baseline, HELD_OUT, absent),
        )


def test_the_held_out_set_is_large_graded_and_has_absent_words() -> None:
    assert len(HELD_OUT) >= 60
    assert all(set(q.grades.values()) <= {1, 2} for q in HELD_OUT)
    slugs = {path.stem for path in (REAL_CONTENT / "cases").glob("*.md")}
    assert all(q.grades and set(q.grades) <= slugs for q in HELD_OUT)


def test_held_out_keeps_its_floor_and_the_thesaurus_earns_its_place(
    held_out: tuple[dict[str, Scores], ...],
) -> None:
    danish, without, baseline = held_out
    assert danish[ABSENT].count >= 20
    for kind, floor in HELD_OUT_FLOOR.items():
        assert danish[kind].ndcg_at_10 >= floor, (kind, danish[kind])
        assert danish[kind].ndcg_at_10 > baseline[kind].ndcg_at_10, kind
        assert danish[kind].ndcg_at_10 > without[kind].ndcg_at_10, kind


BLIND_DEV_SET = load_queries(BLIND_DEV)
# Floors on the second blind set (written from the seeds like the held-out set, but used for
# tuning). Measured 2026-12-02: nDCG@10 0.89 over all queries, 0.90 on the 7 absent-word ones.
BLIND_DEV_FLOOR = {"alle": 0.85, ABSENT: 0.80}


def test_the_blind_tuning_set_keeps_its_floor_and_beats_both_comparisons(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    slugs = {path.stem for path in (REAL_CONTENT / "cases").glob("*.md")}
    assert len(BLIND_DEV_SET) >= 60 and all(
        q.grades and set(q.grades) <= slugs for q in BLIND_DEV_SET
    )
    with rankers(REAL_CONTENT, Path(tmp_path_factory.mktemp("blind-dev"))) as ranked:
        absent = absent_queries(ranked.catalog, BLIND_DEV_SET)
        danish = evaluate(ranked.danish, BLIND_DEV_SET, absent)
        without = evaluate(ranked.without_thesaurus, BLIND_DEV_SET, absent)
        baseline = evaluate(ranked.baseline, BLIND_DEV_SET, absent)
    assert danish[ABSENT].count >= 5
    for kind, floor in BLIND_DEV_FLOOR.items():
        assert danish[kind].ndcg_at_10 >= floor, (kind, danish[kind])
        assert danish[kind].ndcg_at_10 > baseline[kind].ndcg_at_10, kind
        assert danish[kind].ndcg_at_10 > without[kind].ndcg_at_10, kind


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Scores], dict[str, Scores]]:
    with rankers(REAL_CONTENT, Path(tmp_path_factory.mktemp("quality"))) as ranked:
        result = evaluate(ranked.danish, QUERIES), evaluate(ranked.baseline, QUERIES)
    print("\n" + table([("dansk", result[0]), ("basis", result[1])]))
    return result


def test_the_set_is_large_varied_and_judged() -> None:
    kinds = Counter(query.kind for query in QUERIES)
    assert len(QUERIES) >= 60
    assert set(kinds) == KINDS and min(kinds.values()) >= 6, kinds
    slugs = {path.stem for path in (REAL_CONTENT / "cases").glob("*.md")}
    assert all(query.relevant and query.relevant <= slugs for query in QUERIES)


def test_danish_analysis_keeps_its_floor(
    scores: tuple[dict[str, Scores], dict[str, Scores]],
) -> None:
    overall = scores[0]["alle"]
    for metric, floor in FLOOR.items():
        assert getattr(overall, metric) >= floor, (metric, getattr(overall, metric))


def test_danish_analysis_is_ahead_of_the_plain_baseline_on_every_kind(
    scores: tuple[dict[str, Scores], dict[str, Scores]],
) -> None:
    """Ahead: a better ranking (nDCG@10) and recall@5 no lower for every kind of query, and a
    better MRR over all queries. (MRR per kind is not required: on multi-concept queries one
    query's first relevant case ranks second for us and first for the baseline.)"""
    danish, baseline = scores
    for kind in KINDS:
        d, b = danish[kind], baseline[kind]
        assert d.ndcg_at_10 > b.ndcg_at_10, (kind, d, b)
        assert d.recall_at_5 >= b.recall_at_5, (kind, d, b)
    assert danish["alle"].mrr > baseline["alle"].mrr
