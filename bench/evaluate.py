"""Search quality: recall@5, MRR and nDCG@10 per kind of query, for the Danish search, for the
same search without the thesaurus and derived forms, and for a plain Whoosh baseline (standard
analyser, no Danish handling) built from the same cases in the same run.

Usage: ``python -m bench.evaluate [--set queries|blind_dev|heldout] [--per-query]``.

Three sets: ``tests/eval/queries.yml`` (judged by reading the cases), ``tests/eval/blind_dev.yml``
(written blind from the seed publications, used for tuning) and the held-out
``tests/eval/heldout.yml`` (written blind the same way; never tuned to). Relevance
is graded (2 = squarely about it, 1 = partly; a plain list means grade 1) and nDCG uses the
grades. A query is *absent* when none of its words occurs in the own text (title, summary,
partners, body) of any of its grade-2 cases: those are the queries that need the thesaurus.

The baseline uses Whoosh directly; that is measurement tooling, not product code, which keeps
Whoosh inside app/index.py, app/matching.py and app/analysis.py.
"""

from __future__ import annotations

import argparse
import math
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from whoosh import index as whoosh_index
from whoosh.qparser import OrGroup, QueryParser

from app.build import build
from app.catalog import Catalog, CatalogHolder
from app.content import load_cases
from app.index import TEXT_FIELD, document_for, write_index
from app.paths import Paths
from app.query import SearchQuery
from app.search import search
from app.settings import PROJECT_DIR, Settings
from app.thesaurus import Thesaurus
from app.vocabulary import load_vocabulary

QUERIES = PROJECT_DIR / "tests" / "eval" / "queries.yml"
HELDOUT = PROJECT_DIR / "tests" / "eval" / "heldout.yml"
BLIND_DEV = PROJECT_DIR / "tests" / "eval" / "blind_dev.yml"
SETS = {"queries": QUERIES, "blind_dev": BLIND_DEV, "heldout": HELDOUT}
Ranker = Callable[[str], list[str]]


@dataclass(frozen=True)
class Judged:
    query: str
    kind: str
    grades: Mapping[str, int]

    @property
    def relevant(self) -> frozenset[str]:
        return frozenset(self.grades)


@dataclass(frozen=True)
class Scores:
    recall_at_5: float
    mrr: float
    ndcg_at_10: float
    count: int


def load_queries(path: Path = QUERIES) -> list[Judged]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    judged = []
    for item in data:
        relevant = item["relevant"]
        grades = dict(relevant) if isinstance(relevant, dict) else dict.fromkeys(relevant, 1)
        judged.append(Judged(item["q"], item["kind"], grades))
    return judged


def score_one(ranking: Sequence[str], grades: Mapping[str, int]) -> tuple[float, float, float]:
    relevant = set(grades)
    recall = len(set(ranking[:5]) & relevant) / len(relevant)
    mrr = next((1 / (rank + 1) for rank, slug in enumerate(ranking) if slug in relevant), 0.0)
    dcg = sum(
        (2 ** grades.get(slug, 0) - 1) / math.log2(rank + 2)
        for rank, slug in enumerate(ranking[:10])
    )
    best = sorted(grades.values(), reverse=True)[:10]
    ideal = sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(best))
    return recall, mrr, dcg / ideal


ABSENT = "ord-fraværende"


def evaluate(
    rank: Ranker, queries: list[Judged], absent: frozenset[str] = frozenset()
) -> dict[str, Scores]:
    """Mean scores per kind of query, plus ``alle`` over every query and ``ord-fraværende``
    over the queries in ``absent``."""
    per_kind: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for judged in queries:
        scores = score_one(rank(judged.query), judged.grades)
        per_kind[judged.kind].append(scores)
        per_kind["alle"].append(scores)
        if judged.query in absent:
            per_kind[ABSENT].append(scores)
    return {
        kind: Scores(*(sum(s[i] for s in rows) / len(rows) for i in range(3)), count=len(rows))
        for kind, rows in per_kind.items()
    }


def danish_ranker(catalog: Catalog) -> Ranker:
    paths = Paths(search="/sog", base_url="")

    def rank(q: str) -> list[str]:
        page = search(catalog, SearchQuery(q=q, per_page=10, facets=()), paths, False)
        return [result.slug for result in page.results]

    return rank


def baseline_ranker(directory: Path, stack: ExitStack) -> Ranker:
    ix = whoosh_index.open_dir(str(directory))
    searcher = stack.enter_context(ix.searcher())
    stack.callback(ix.close)
    parser = QueryParser(TEXT_FIELD, ix.schema, group=OrGroup)

    def rank(q: str) -> list[str]:
        hits = searcher.search(parser.parse(q), limit=10)
        return [hit["slug"] for hit in hits]

    return rank


@dataclass
class Rankers:
    danish: Ranker
    without_thesaurus: Ranker
    baseline: Ranker
    catalog: Catalog


@contextmanager
def rankers(content_dir: Path, workdir: Path) -> Iterator[Rankers]:
    """The Danish search, the same without thesaurus and derived forms, and the plain baseline
    over the same cases, closed afterwards."""
    settings = Settings(content_dir=content_dir, index_dir=workdir / "index")
    build(settings)
    vocab = load_vocabulary(content_dir)
    cases = load_cases(content_dir / "cases", vocab).cases
    write_index(workdir / "baseline", [document_for(c, vocab) for c in cases], danish=False)
    holder = CatalogHolder(settings)
    plain = Catalog(holder.get().generation, settings)
    plain.thesaurus, plain.derived = Thesaurus(), {}
    with ExitStack() as stack:
        stack.callback(holder.close)
        stack.callback(plain.close)
        yield Rankers(
            danish_ranker(holder.get()),
            danish_ranker(plain),
            baseline_ranker(workdir / "baseline", stack),
            holder.get(),
        )


def absent_queries(catalog: Catalog, queries: list[Judged]) -> frozenset[str]:
    """Queries none of whose words occurs in the own text of any of their grade-2 cases."""
    own_keys: dict[str, set[str]] = {}
    for record in catalog.records.values():
        text = " ".join(
            (record.title, record.summary, record.partnership or "", record.body_text,
             " ".join(p["name"] for p in record.partners))
        )  # fmt: skip
        own_keys[record.slug] = {key for key, _, _ in _keys(catalog, text)}
    absent = set()
    for judged in queries:
        keys = {key for key, _, _ in _keys(catalog, judged.query)}
        best = [
            slug for slug, grade in judged.grades.items() if grade == max(judged.grades.values())
        ]
        if keys and all(not (keys & own_keys.get(slug, set())) for slug in best):
            absent.add(judged.query)
    return frozenset(absent)


def _keys(catalog: Catalog, text: str) -> list[tuple[str, int, int]]:
    return [(t.text, t.startchar, t.endchar) for t in catalog.analyzer(text, chars=True)]


def table(columns: Sequence[tuple[str, dict[str, Scores]]]) -> str:
    names = " / ".join(name for name, _ in columns)
    width = 7 * len(columns)
    lines = [
        f"{'slags':<16}{'n':>4}  {'recall@5':>{width}}  {'MRR':>{width}}  {'nDCG@10':>{width}}",
        f"{'':<16}{'':>4}  {names:>{width}}  {names:>{width}}  {names:>{width}}",
    ]
    first = columns[0][1]
    for kind in sorted(first, key=lambda k: (k in ("alle", ABSENT), k == "alle", k)):
        cells = [
            " / ".join(f"{getattr(scores[kind], metric):.2f}" for _, scores in columns)
            for metric in ("recall_at_5", "mrr", "ndcg_at_10")
        ]
        lines.append(
            f"{kind:<16}{first[kind].count:>4}  " + "  ".join(f"{c:>{width}}" for c in cells)
        )
    return "\n".join(lines)


def report(which: str, per_query: bool = False) -> str:
    queries = load_queries(SETS[which])
    with tempfile.TemporaryDirectory() as tmp, rankers(PROJECT_DIR / "content", Path(tmp)) as r:
        absent = absent_queries(r.catalog, queries)
        columns = [
            ("dansk", evaluate(r.danish, queries, absent)),
            ("uden tesaurus", evaluate(r.without_thesaurus, queries, absent)),
            ("basis", evaluate(r.baseline, queries, absent)),
        ]
        out = [f"{which}: {len(queries)} forespørgsler, {len(absent)} med ord, der ikke står i "
               "de mest relevante sagers egen tekst", table(columns)]  # fmt: skip
        if per_query:
            for judged in queries:
                ranking = r.danish(judged.query)
                ndcg = score_one(ranking, judged.grades)[2]
                out.append(f"{ndcg:.2f}  {judged.kind:<14} {judged.query!r} -> {ranking[:3]}")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), action="append")
    parser.add_argument("--per-query", action="store_true")
    args = parser.parse_args()
    for which in args.set or ["queries", "heldout"]:
        print(report(which, args.per_query) + "\n")


if __name__ == "__main__":
    main()
