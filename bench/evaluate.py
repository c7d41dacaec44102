"""Search quality: recall@5, MRR and nDCG@10 per kind of query, for the Danish analysis and for a
plain Whoosh baseline (standard analyser, no Danish handling) built from the same cases in the
same run.  Usage: ``python -m bench.evaluate`` (builds both indexes in a temporary folder).

The baseline uses Whoosh directly; that is measurement tooling, not product code, which keeps
Whoosh inside app/index.py, app/search.py and app/analysis.py.
"""

from __future__ import annotations

import math
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
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
from app.query import SearchQuery
from app.search import Paths, search
from app.settings import PROJECT_DIR, Settings
from app.vocabulary import load_vocabulary

QUERIES = PROJECT_DIR / "tests" / "eval" / "queries.yml"
Ranker = Callable[[str], list[str]]


@dataclass(frozen=True)
class Judged:
    query: str
    kind: str
    relevant: frozenset[str]


@dataclass(frozen=True)
class Scores:
    recall_at_5: float
    mrr: float
    ndcg_at_10: float
    count: int


def load_queries(path: Path = QUERIES) -> list[Judged]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Judged(item["q"], item["kind"], frozenset(item["relevant"])) for item in data]


def score_one(ranking: Sequence[str], relevant: frozenset[str]) -> tuple[float, float, float]:
    recall = len(set(ranking[:5]) & relevant) / len(relevant)
    mrr = next((1 / (rank + 1) for rank, slug in enumerate(ranking) if slug in relevant), 0.0)
    dcg = sum(1 / math.log2(rank + 2) for rank, slug in enumerate(ranking[:10]) if slug in relevant)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(relevant), 10)))
    return recall, mrr, dcg / ideal


def evaluate(rank: Ranker, queries: list[Judged]) -> dict[str, Scores]:
    """Mean scores per kind of query, plus ``alle`` over every query."""
    per_kind: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for judged in queries:
        scores = score_one(rank(judged.query), judged.relevant)
        per_kind[judged.kind].append(scores)
        per_kind["alle"].append(scores)
    return {
        kind: Scores(*(sum(s[i] for s in rows) / len(rows) for i in range(3)), count=len(rows))
        for kind, rows in per_kind.items()
    }


def danish_ranker(catalog: Catalog) -> Ranker:
    paths = Paths(search="/sog", base_url="")

    def rank(q: str) -> list[str]:
        page = search(catalog, SearchQuery(q=q, per_page=10), paths)
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


@contextmanager
def rankers(content_dir: Path, workdir: Path) -> Iterator[tuple[Ranker, Ranker]]:
    """The Danish search and the plain baseline over the same cases, closed afterwards."""
    settings = Settings(content_dir=content_dir, index_dir=workdir / "index")
    build(settings)
    vocab = load_vocabulary(content_dir)
    cases = load_cases(content_dir / "cases", vocab).cases
    write_index(workdir / "baseline", [document_for(c, vocab) for c in cases], danish=False)
    holder = CatalogHolder(settings)
    with ExitStack() as stack:
        stack.callback(holder.close)
        yield danish_ranker(holder.get()), baseline_ranker(workdir / "baseline", stack)


def table(danish: dict[str, Scores], baseline: dict[str, Scores]) -> str:
    lines = [
        f"{'slags':<16}{'n':>4}  {'recall@5':>17}  {'MRR':>17}  {'nDCG@10':>17}",
        f"{'':<16}{'':>4}  {'dansk / basis':>17}  {'dansk / basis':>17}  {'dansk / basis':>17}",
    ]
    for kind in sorted(danish, key=lambda k: (k == "alle", k)):
        d, b = danish[kind], baseline[kind]
        cells = [
            f"{x:.2f} / {y:.2f}"
            for x, y in (
                (d.recall_at_5, b.recall_at_5),
                (d.mrr, b.mrr),
                (d.ndcg_at_10, b.ndcg_at_10),
            )
        ]
        lines.append(f"{kind:<16}{d.count:>4}  " + "  ".join(f"{c:>17}" for c in cells))
    return "\n".join(lines)


def main() -> None:
    queries = load_queries()
    with (
        tempfile.TemporaryDirectory() as tmp,
        rankers(PROJECT_DIR / "content", Path(tmp)) as (danish, baseline),
    ):
        print(table(evaluate(danish, queries), evaluate(baseline, queries)))


if __name__ == "__main__":
    main()
