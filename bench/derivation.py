"""Derived forms: our stem-plus-ending rule against two Danish lemmatisers, simplemma and lemmy.

Usage: ``python -m bench.derivation [--per-query] [--write]`` (needs the ``bench`` extra).

Snowball already meets most inflections (``hjemløse``/``hjemløses``); the question is how a
query and a case text that differ by a *derivation* (``digitale``/``digitalisering``) meet, and
what each way of joining them costs in precision. Every method gives the same thing the catalog
builds once per generation, ``Catalog.derived``: per index key, the other keys of its word
family, searched with DERIVED_WEIGHT. The methods:

- ``snowball``: no families; only what the stemmer itself merges.
- ``regel``: the product's rule (``app.analysis.derived_forms``): keys sharing a stem of at least
  MIN_STEM letters where the rest is one derivational ending, over the index's keys.
- ``simplemma`` / ``lemmy``: two keys are one family when words of the collection behind them
  share a lemma. lemmy needs a word class and a query has no context, so a word's lemmas are
  those lemmy gives it as noun, adjective and verb (two words meet when any lemma is shared).
- ``simplemma+regel`` / ``lemmy+regel``: the rule applied to the (folded) lemmas instead of the
  Snowball stems.
- ``regel ∪ simplemma`` / ``regel ∪ lemmy``: the rule's families and the lemma families together.

Part (a) is a word-level check: PAIRS that a civil servant's query and a case text may differ
by, and NON_PAIRS that share a beginning but not a meaning, so joining them hurts precision.
UNSURE pairs are shown but not counted. A pair is *joined* when the search would make the two
words meet: the same key, or either key in the other's family (built over the collection's words
plus the words of the lists). Part (b) runs the search evaluation on the development set,
``tests/eval/queries.yml``, once per method on the same built index, in the same run. The
held-out set is deliberately not used here: a choice made on it would stop it being held out.
Part (c) is the cost: loading the library, building the families over the collection, and the
installed size.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.analysis import MAX_FAMILY, derived_forms, normalise
from app.build import build
from app.catalog import Catalog, CatalogHolder
from app.index import TEXT_FIELD
from app.search import search
from app.settings import PROJECT_DIR, Settings
from app.text import fold
from bench.evaluate import (
    ABSENT,
    QUERIES,
    Judged,
    Scores,
    absent_queries,
    evaluate,
    load_queries,
    score_one,
)

Families = dict[str, tuple[str, ...]]
Lemmatiser = Callable[[str], Iterable[str]]
RESULTS = PROJECT_DIR / "bench" / "results.md"
BEGIN, END = "<!-- derivation:begin -->", "<!-- derivation:end -->"

# (query word, case-text word, kind): words a search should let meet. "afledning" is a
# derivation (another word of the family), "bøjning" an inflection (the same word, bent).
PAIRS: tuple[tuple[str, str, str], ...] = (
    ("arbejdsløse", "arbejdsløshed", "afledning"),
    ("digitale", "digitalisering", "afledning"),
    ("psykiatri", "psykiatrisk", "afledning"),
    ("ensom", "ensomhed", "afledning"),
    ("ensomme", "ensomhed", "afledning"),
    ("frivillig", "frivillighed", "afledning"),
    ("frivillige", "frivillighed", "afledning"),
    ("integration", "integrere", "afledning"),
    ("samskabelse", "samskabe", "afledning"),
    ("forebygge", "forebyggelse", "afledning"),
    ("rehabilitering", "rehabilitere", "afledning"),
    ("innovation", "innovativ", "afledning"),
    ("evaluering", "evaluere", "afledning"),
    ("koordinere", "koordinering", "afledning"),
    ("finansiering", "finansiere", "afledning"),
    ("beskæftigelse", "beskæftiget", "afledning"),
    ("kriminalitet", "kriminel", "afledning"),
    ("misbrug", "misbruger", "afledning"),
    ("hjemløse", "hjemløshed", "afledning"),
    ("ledig", "ledighed", "afledning"),
    ("sund", "sundhed", "afledning"),
    ("udsatte", "udsathed", "afledning"),
    ("inddragelse", "inddrage", "afledning"),
    ("forankring", "forankre", "afledning"),
    ("dokumentation", "dokumentere", "afledning"),
    ("kommunikation", "kommunikere", "afledning"),
    ("kommune", "kommunal", "afledning"),
    ("region", "regional", "afledning"),
    ("forskning", "forske", "afledning"),
    ("uddannelse", "uddanne", "afledning"),
    ("organisering", "organisere", "afledning"),
    ("organisation", "organisatorisk", "afledning"),
    ("økonomi", "økonomisk", "afledning"),
    ("bæredygtig", "bæredygtighed", "afledning"),
    ("tryg", "tryghed", "afledning"),
    ("inklusion", "inkluderende", "afledning"),
    ("sygemeldte", "sygemelding", "afledning"),
    ("kultur", "kulturel", "afledning"),
    ("fattig", "fattigdom", "afledning"),
    ("sårbar", "sårbarhed", "afledning"),
    ("ansvar", "ansvarlig", "afledning"),
    ("fastholde", "fastholdelse", "afledning"),
    ("rekruttere", "rekruttering", "afledning"),
    ("indvandrer", "indvandring", "afledning"),
    ("ung", "ungdom", "afledning"),
    ("syg", "sygdom", "afledning"),
    ("tilknytning", "tilknyttet", "afledning"),
    ("udvikling", "udvikle", "afledning"),
    ("boligsocial", "boligsociale", "bøjning"),
    ("handicap", "handicappede", "bøjning"),
    ("partnerskab", "partnerskaber", "bøjning"),
    ("psykisk", "psykiske", "bøjning"),
    ("barn", "børn", "bøjning"),
    ("menneske", "mennesker", "bøjning"),
)

# (word, word, why they must stay apart): a shared beginning, a different meaning.
NON_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("arbejde", "arbejdsløs", "arbejde mod mangel på arbejde"),
    ("social", "socialisering", "velfærd mod opdragelse"),
    ("social", "socialist", "velfærd mod politisk retning"),
    ("kommune", "kommunikation", "myndighed mod formidling"),
    ("kommunal", "kommunikere", "myndighed mod formidling"),
    ("effekt", "effektiv", "virkning mod hurtig/billig"),
    ("effekt", "effektivisering", "virkning mod besparelse"),
    ("forskning", "forskel", "forskning mod forskel"),
    ("forskning", "forskellig", "forskning mod forskellig"),
    ("organ", "organisation", "kropsdel/instans mod organisation"),
    ("stat", "statistik", "staten mod tal"),
    ("stat", "status", "staten mod stade"),
    ("politi", "politisk", "politiet mod politik"),
    ("politiet", "politik", "politiet mod politik"),
    ("borger", "borgmester", "borgeren mod politikeren"),
    ("handel", "handling", "handel mod handling"),
    ("handicap", "handle", "handicap mod handle"),
    ("tid", "tidlig", "tid mod tidlig (indsats)"),
    ("vold", "voldsom", "vold mod kraftig"),
    ("fri", "frivillig", "fri mod frivillig"),
    ("frihed", "frivillighed", "frihed mod frivillighed"),
    ("natur", "naturlig", "natur mod naturligvis"),
    ("mål", "måling", "mål (formål) mod måling"),
    ("ret", "retning", "ret (jura) mod retning"),
    ("magt", "magtesløs", "magt mod afmagt"),
    ("general", "generation", "general mod generation"),
    ("energi", "energisk", "energi (forsyning) mod energisk"),
    ("praktik", "praktisk", "praktikplads mod praktisk"),
    ("central", "centralisering", "central mod samling af opgaver"),
    ("national", "nationalitet", "national mod statsborgerskab"),
    ("erhverv", "erhvervelse", "erhvervsliv mod at erhverve"),
    ("værdi", "værdig", "værdi mod værdig"),
    ("værdi", "værdighed", "værdi mod værdighed"),
    ("ledig", "ledelse", "ledighed mod ledelse"),
    ("ledighed", "leder", "ledighed mod ledere"),
    ("forening", "forenkling", "forening mod forenkling"),
    ("integration", "integritet", "integration mod integritet"),
    ("kvalitet", "kvalificering", "kvalitet mod kvalifikation"),
    ("tillid", "tilladelse", "tillid mod tilladelse"),
    ("tilbud", "tilbage", "tilbud mod tilbage"),
    ("indsats", "indsatte", "indsats mod fanger"),
    ("brugere", "brug", "brugere mod brug"),
    ("kort", "kortlægning", "kort mod kortlægning"),
    ("form", "formidling", "form mod formidling"),
    ("form", "formål", "form mod formål"),
    ("spil", "spild", "spil mod spild"),
    ("lov", "lovende", "lov mod lovende"),
    ("regel", "regelmæssig", "regel mod jævnlig"),
    ("grund", "grundig", "grund mod grundig"),
    ("deling", "deltager", "deling mod deltager"),
)

# Related, but whether a search should join them depends on the query: shown, not counted.
UNSURE: tuple[tuple[str, str, str], ...] = (
    ("plan", "planlægning", "en plan mod at planlægge"),
    ("bolig", "boligsocial", "sammensat ord; delene findes allerede"),
    ("bolig", "boligløse", "bolig mod hjemløshed"),
    ("institution", "institutionalisering", "stedet mod en (uønsket) udvikling"),
    ("person", "personlig", "person mod personlig"),
    ("sikker", "sikkerhed", "sikker (finansiering) mod tryghed"),
    ("læring", "lærer", "læring mod lærere"),
    ("fællesskab", "fælles", "fællesskab mod fælles"),
    ("koordinator", "koordinering", "personen mod opgaven"),
    ("ældre", "gamle", "målgruppen mod alder i almindelighed (lemmatiserne samler dem)"),
)


@cache
def _simplemma() -> Lemmatiser:
    import simplemma

    return lambda word: (simplemma.lemmatize(word, lang="da"),)


@cache
def _lemmy() -> Lemmatiser:
    import lemmy  # type: ignore[import-untyped]  # no type hints shipped

    lemmatizer = lemmy.load("da")

    def lemmas(word: str) -> Iterable[str]:
        found: set[str] = set()
        for word_class in ("NOUN", "ADJ", "VERB"):
            found.update(lemmatizer.lemmatize(word_class, word))
        return found

    return lemmas


def lemma_families(surface: Iterable[str], lemmas_of: Lemmatiser, rule: bool = False) -> Families:
    """Per key, the keys whose words share a lemma with its words; with ``rule`` also the keys
    whose lemmas the derivation rule joins to its lemmas."""
    keys_of_lemma: dict[str, set[str]] = {}
    lemmas_of_key: dict[str, set[str]] = {}
    for word in surface:
        key = normalise(word)
        for lemma in lemmas_of(word):
            lemma_key = fold(lemma.lower())
            keys_of_lemma.setdefault(lemma_key, set()).add(key)
            lemmas_of_key.setdefault(key, set()).add(lemma_key)
    related = derived_forms(keys_of_lemma) if rule else {}
    families: Families = {}
    for key, lemmas in lemmas_of_key.items():
        reach = set(lemmas).union(*(related.get(lemma, ()) for lemma in lemmas))
        others = set().union(*(keys_of_lemma[lemma] for lemma in reach)) - {key}
        if others:
            families[key] = tuple(sorted(others, key=lambda k: (len(k), k))[:MAX_FAMILY])
    return families


def union(first: Families, second: Families) -> Families:
    """Both methods' families per key, the first's members first."""
    merged: Families = {}
    for key in first.keys() | second.keys():
        members = dict.fromkeys((*first.get(key, ()), *second.get(key, ())))
        merged[key] = tuple(members)[:MAX_FAMILY]
    return merged


@dataclass(frozen=True)
class Method:
    name: str
    families: Callable[[Sequence[str], Sequence[str]], Families]  # (index keys, words) → families
    library: str | None = None


METHODS = (
    Method("snowball", lambda keys, words: {}),
    Method("regel", lambda keys, words: derived_forms(keys)),
    Method("simplemma", lambda k, words: lemma_families(words, _simplemma()), "simplemma"),
    Method("lemmy", lambda k, words: lemma_families(words, _lemmy()), "lemmy"),
    Method("simplemma+regel", lambda k, w: lemma_families(w, _simplemma(), True), "simplemma"),
    Method("lemmy+regel", lambda k, w: lemma_families(w, _lemmy(), True), "lemmy"),
    Method(
        "regel ∪ simplemma",
        lambda k, w: union(derived_forms(k), lemma_families(w, _simplemma())),
        "simplemma",
    ),
    Method(
        "regel ∪ lemmy", lambda k, w: union(derived_forms(k), lemma_families(w, _lemmy())), "lemmy"
    ),
)


def joined(families: Families, first: str, second: str) -> bool:
    """Whether a search for one word would meet the other (same key or same family)."""
    a, b = normalise(first), normalise(second)
    return a == b or b in families.get(a, ()) or a in families.get(b, ())


def collection_words(catalog: Catalog) -> tuple[list[str], list[str]]:
    """The index's keys and the collection's own words (the generation's spelling list)."""
    keys = [
        key.decode("utf-8") if isinstance(key, bytes) else key
        for key in catalog.searcher.reader().lexicon(TEXT_FIELD)
    ]
    return keys, sorted(catalog.speller.counts)


def word_check(keys: list[str], words: list[str]) -> tuple[str, dict[str, list[str]]]:
    """Table of joined pairs and wrongly joined non-pairs per method, and the details."""
    listed = {w for rows in (PAIRS, NON_PAIRS, UNSURE) for a, b, _ in rows for w in (a, b)}
    keys = sorted(set(keys) | {normalise(w) for w in listed})
    words = sorted(set(words) | listed)
    lines = [
        "| metode | afledninger samlet | bøjninger samlet | ikke-par samlet (fejl) "
        "| usikre samlet |",
        "|---|---|---|---|---|",
    ]
    details: dict[str, list[str]] = {}
    derivations = [p for p in PAIRS if p[2] == "afledning"]
    inflections = [p for p in PAIRS if p[2] == "bøjning"]
    for method in METHODS:
        families = method.families(keys, words)

        def hits(rows: Sequence[tuple[str, str, str]], fam: Families = families) -> list[str]:
            return [f"{a}/{b}" for a, b, _ in rows if joined(fam, a, b)]

        wrong = hits(NON_PAIRS)
        missed = [f"{a}/{b}" for a, b, _ in PAIRS if not joined(families, a, b)]
        unsure = hits(UNSURE)
        details[method.name] = [
            f"  ikke samlet: {', '.join(missed) or '–'}",
            f"  fejlagtigt samlet: {', '.join(wrong) or '–'}",
            f"  usikre samlet: {', '.join(unsure) or '–'}",
        ]
        lines.append(
            f"| {method.name} | {len(hits(derivations))} af {len(derivations)} "
            f"| {len(hits(inflections))} af {len(inflections)} "
            f"| {len(wrong)} af {len(NON_PAIRS)} | {len(unsure)} af {len(UNSURE)} |"
        )
    return "\n".join(lines), details


def load_seconds(library: str) -> float:
    """Import and first use of a library in a fresh interpreter (what a catalog open would pay
    once per process)."""
    use = {
        "simplemma": "import simplemma; simplemma.lemmatize('kommunerne', lang='da')",
        "lemmy": "import lemmy; lemmy.load('da').lemmatize('NOUN', 'kommunerne')",
    }[library]
    code = f"import time; t = time.perf_counter(); {use}; print(time.perf_counter() - t)"
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        for _ in range(3)
    ]
    return min(float(run.stdout) for run in runs)  # the least disturbed of three


def installed_mb(library: str) -> float:
    files = importlib.metadata.distribution(library).files or []
    return sum(Path(str(f.locate())).stat().st_size for f in files) / 1e6


def cost_table(keys: list[str], words: list[str]) -> tuple[str, dict[str, Families]]:
    lines = [
        f"Over the collection: {len(keys)} index keys, {len(words)} distinct words.",
        "",
        "| metode | indlæsning s | familier ms | nøgler med familie | installeret MB |",
        "|---|---|---|---|---|",
    ]
    built: dict[str, Families] = {}
    for method in METHODS:
        load = load_seconds(method.library) if method.library else 0.0
        method.families(keys[:1], words[:1])  # load the library in this process first
        start = time.perf_counter()
        built[method.name] = method.families(keys, words)
        ms = 1000 * (time.perf_counter() - start)
        size = f"{installed_mb(method.library):.1f}" if method.library else "–"
        lines.append(
            f"| {method.name} | {load:.2f} | {ms:.0f} | {len(built[method.name])} | {size} |"
        )
    return "\n".join(lines), built


@dataclass(frozen=True)
class Run:
    scores: dict[str, Scores]
    totals: float  # mean number of matching cases per query
    ndcg: dict[str, float]  # per query
    matches: dict[str, frozenset[str]]  # per query, every matching case


def run_method(catalog: Catalog, queries: list[Judged], absent: frozenset[str]) -> Run:
    from app.paths import Paths
    from app.query import SearchQuery

    paths = Paths(search="/sog", base_url="")
    totals: list[int] = []
    rankings: dict[str, list[str]] = {}

    def rank(q: str) -> list[str]:
        page = search(catalog, SearchQuery(q=q, per_page=10, facets=()), paths, False)
        totals.append(page.total)
        rankings[q] = [result.slug for result in page.results]
        return rankings[q]

    scores = evaluate(rank, queries, absent)
    ndcg = {j.query: score_one(rankings[j.query], j.grades)[2] for j in queries}
    every = len(catalog.records)
    matches = {
        j.query: frozenset(
            r.slug
            for r in search(
                catalog, SearchQuery(q=j.query, per_page=every, facets=()), paths, False
            ).results
        )
        for j in queries
    }
    return Run(scores, sum(totals) / len(totals), ndcg, matches)


def added_hits(runs: dict[str, Run], queries: list[Judged], against: str = "snowball") -> str:
    """Per method, the cases it matches beyond Snowball alone, and how many of them are judged
    relevant to the query (unjudged is not proof of irrelevance, so this bounds precision)."""
    lines = [
        "| metode | ekstra træf (alle forespørgsler) | heraf vurderet relevante "
        "| forespørgsler med ekstra træf | tabte træf |",
        "|---|---|---|---|---|",
    ]
    for name, run in runs.items():
        extra = judged = touched = lost = 0
        for j in queries:
            more = run.matches[j.query] - runs[against].matches[j.query]
            extra += len(more)
            judged += len(more & j.relevant)
            touched += bool(more)
            lost += len(runs[against].matches[j.query] - run.matches[j.query])
        lines.append(f"| {name} | {extra} | {judged} | {touched} | {lost} |")
    return "\n".join(lines)


def added_details(runs: dict[str, Run], against: str = "snowball") -> list[str]:
    out = []
    for name, run in runs.items():
        for query, found in run.matches.items():
            if more := sorted(found - runs[against].matches[query]):
                out.append(f"  {name:<18} {query!r}: {', '.join(more)}")
    return out


def own_keys(catalog: Catalog) -> dict[str, frozenset[str]]:
    """Per case, the keys of its own text (title, summary, partners, body)."""
    found = {}
    for record in catalog.records.values():
        partners = " ".join(p["name"] for p in record.partners)
        text = f"{record.title} {record.summary} {partners} {record.body_text}"
        found[record.slug] = frozenset(token.text for token in catalog.analyzer(text))
    return found


def probe(
    catalog: Catalog, keys: dict[str, frozenset[str]], rows: Sequence[tuple[str, str, str]]
) -> tuple[int, int]:
    """Searching one word of each row (both ways round): of the cases whose own text has the
    other word's key but not the searched word's, how many are found, and how many there are.
    A word the collection does not hold is not searched: the speller would answer for it."""
    from app.paths import Paths
    from app.query import SearchQuery

    paths, every = Paths(search="/sog", base_url=""), len(catalog.records)
    found = total = 0
    held = frozenset().union(*keys.values())
    for first, second, _ in rows:
        for typed, other in ((first, second), (second, first)):
            typed_key, other_key = normalise(typed), normalise(other)
            targets = {s for s, own in keys.items() if other_key in own and typed_key not in own}
            if not targets or typed_key not in held:
                continue
            query = SearchQuery(q=typed, per_page=every, facets=())
            hits = {r.slug for r in search(catalog, query, paths, False).results}
            found, total = found + len(hits & targets), total + len(targets)
    return found, total


def probe_table(probes: dict[str, tuple[tuple[int, int], tuple[int, int]]]) -> str:
    lines = [
        "| metode | par: sager kun med det andet ord, fundet | ikke-par: det samme (fejl) |",
        "|---|---|---|",
    ]
    for name, ((pair_hits, pair_all), (non_hits, non_all)) in probes.items():
        lines.append(f"| {name} | {pair_hits} af {pair_all} | {non_hits} af {non_all} |")
    return "\n".join(lines)


def search_table(runs: dict[str, Run], count: int, absent: int) -> str:
    lines = [
        f"Development set (`tests/eval/queries.yml`): {count} queries, {absent} word-absent.",
        "",
        "| metode | nDCG@10 | recall@5 | MRR | nDCG@10 ord-fraværende | recall@5 ord-fraværende "
        "| MRR ord-fraværende | træf pr. forespørgsel |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, run in runs.items():
        every, gone = run.scores["alle"], run.scores[ABSENT]
        lines.append(
            f"| {name} | {every.ndcg_at_10:.3f} | {every.recall_at_5:.3f} | {every.mrr:.3f} "
            f"| {gone.ndcg_at_10:.3f} | {gone.recall_at_5:.3f} | {gone.mrr:.3f} "
            f"| {run.totals:.1f} |"
        )
    return "\n".join(lines)


def changed_queries(runs: dict[str, Run], against: str = "regel") -> list[str]:
    out = []
    for name, run in runs.items():
        if name == against:
            continue
        for query, ndcg in run.ndcg.items():
            before = runs[against].ndcg[query]
            if abs(ndcg - before) > 1e-9:
                out.append(f"  {name:<16} {query!r}: {against} {before:.2f} → {ndcg:.2f}")
    return out


def report(per_query: bool = False) -> str:
    queries = load_queries(QUERIES)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(content_dir=PROJECT_DIR / "content", index_dir=Path(tmp) / "index")
        build(settings)
        holder = CatalogHolder(settings)
        try:
            product = holder.get()
            keys, words = collection_words(product)
            words_table, details = word_check(keys, words)
            costs, built = cost_table(keys, words)
            absent = absent_queries(product, queries)
            case_keys = own_keys(product)
            runs, probes = {}, {}
            for method in METHODS:
                catalog = Catalog(product.generation, settings)
                try:
                    catalog.derived = built[method.name]
                    runs[method.name] = run_method(catalog, queries, absent)
                    probes[method.name] = (
                        probe(catalog, case_keys, PAIRS),
                        probe(catalog, case_keys, NON_PAIRS),
                    )
                finally:
                    catalog.close()
        finally:
            holder.close()
    out = [
        "### Word check",
        "",
        f"{len(PAIRS)} pairs, {len(NON_PAIRS)} non-pairs, {len(UNSURE)} unsure (not counted).",
        "",
        words_table,
        "",
        "The same lists through the search (each word searched, both ways round; a case counts "
        "when its own text has the other word but not the searched one):",
        "",
        probe_table(probes),
        "",
        "### Search, development set",
        "",
        search_table(runs, len(queries), len(absent)),
        "",
        "Cases matched beyond Snowball alone (every matching case, not only the first page):",
        "",
        added_hits(runs, queries),
        "",
        "### Cost",
        "",
        costs,
    ]
    if per_query:
        out += ["", "Word details:"]
        for name, lines in details.items():
            out += [name, *lines]
        out += ["", "Queries whose nDCG@10 differs from the rule's:", *changed_queries(runs)]
        out += ["", "Cases matched beyond Snowball alone:", *added_details(runs)]
    return "\n".join(out)


def write(section: str) -> None:
    """Put the section into bench/results.md between its markers (replacing an older one)."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    block = f"{BEGIN}\n## Derived forms (`python -m bench.derivation`)\n\n{section}\n{END}"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-query", action="store_true", help="word and query details")
    parser.add_argument("--write", action="store_true", help="write the tables to results.md")
    args = parser.parse_args()
    text = report(args.per_query)
    print(text)
    if args.write:
        write(text.split("\n\nWord details:")[0])


if __name__ == "__main__":
    main()
