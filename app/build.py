"""The offline build: validate content, write the store and the index into a new generation,
then swap the ``current`` link atomically. A reader never sees a half-built generation.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from app.catalog import Catalog
from app.content import LoadResult, load_cases
from app.generations import CURRENT, prune_generations, write_manifest
from app.index import document_for, write_index
from app.related import write_related
from app.settings import Settings
from app.spelling import build_dictionary
from app.store import database_url_for, make_engine, write_store
from app.thesaurus import FILE_NAME as THESAURUS_FILE
from app.thesaurus import load_thesaurus
from app.vocabulary import Vocabulary, load_vocabulary

log = logging.getLogger("partnerskabsbasen.build")


@dataclass(frozen=True)
class BuildReport:
    generation: Path
    cases: int
    load: LoadResult
    seconds: float


def copy_vocabulary(content_dir: Path, generation: Path) -> None:
    """Snapshot the vocabularies into a generation, so labels match the cases it holds."""
    target = generation / "content"
    target.mkdir()
    for name in ("vocabulary.yml", "geography.yml", "thesaurus.yml"):
        if (content_dir / name).exists():
            shutil.copy2(content_dir / name, target / name)
    if (content_dir / "background").is_dir():  # the notes served with this generation
        shutil.copytree(content_dir / "background", target / "background")


def _new_generation_dir(index_dir: Path) -> Path:
    generations = index_dir / "generations"
    generations.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    for attempt in range(1000):
        candidate = generations / f"{stamp}-{os.getpid()}-{attempt}"
        try:
            candidate.mkdir()
            return candidate
        except FileExistsError:
            continue
    raise RuntimeError("kunne ikke oprette en ny generationsmappe")


def _manifest(generation: Path, result: LoadResult, settings: Settings) -> dict[str, object]:
    return {
        "generation": generation.name,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cases": len(result.cases),
        "skipped": sorted(set(result.skipped)),
        "problems": [str(problem) for problem in result.problems],
        "external_database": settings.database_url is not None,
        "per_publication": Counter(c.front.source.publication for c in result.cases),
    }


def swap_current(index_dir: Path, generation: Path) -> None:
    link = index_dir / CURRENT
    temporary = index_dir / f".{CURRENT}-{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(Path("generations") / generation.name, temporary)
    os.replace(temporary, link)


def _precompute(generation: Path, settings: Settings) -> None:
    """What the serving side would otherwise compute per request: related cases. The generation
    is complete (manifest written) but not yet current, so nobody reads it meanwhile."""
    catalog = Catalog(generation, settings)
    try:
        write_related(catalog)
    finally:
        catalog.close()


def build_generation(settings: Settings, vocab: Vocabulary, result: LoadResult) -> Path:
    generation = _new_generation_dir(settings.index_dir)
    try:
        engine = make_engine(database_url_for(generation, settings.database_url))
        write_store(engine, result.cases, vocab)
        engine.dispose()
        documents = [document_for(case, vocab) for case in result.cases]
        write_index(generation / "whoosh", documents)
        build_dictionary(generation, documents, vocab)
        copy_vocabulary(settings.content_dir, generation)
        manifest = _manifest(generation, result, settings)
        write_manifest(generation, manifest)  # the precomputation opens it as a generation
        _precompute(generation, settings)
        write_manifest(generation, manifest)  # again, with the checksum of related.json
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
    return generation


def build(settings: Settings, strict: bool = False) -> BuildReport | LoadResult:
    """Build and swap in a new generation; with ``strict``, refuse if any file has a problem."""
    started = time.perf_counter()
    vocab = load_vocabulary(settings.content_dir)
    result = load_cases(settings.cases_dir, vocab)
    result.problems.extend(load_thesaurus(settings.content_dir / THESAURUS_FILE)[1])
    if strict and result.problems:
        return result
    generation = build_generation(settings, vocab, result)
    swap_current(settings.index_dir, generation)
    for removed in prune_generations(settings.index_dir, settings.keep_generations):
        log.info("removed generation %s", removed.name)
    return BuildReport(generation, len(result.cases), result, time.perf_counter() - started)


def run_build(settings: Settings, strict: bool = False) -> int:
    report = build(settings, strict)
    load = report.load if isinstance(report, BuildReport) else report
    for problem in load.problems:
        print(problem)
    if not isinstance(report, BuildReport):
        print(f"Bygning afvist (--strict): {len(load.problems)} problemer.")
        return 1
    skipped = sorted(set(load.skipped))
    print(
        f"Bygget generation {report.generation.name}: {report.cases} sager indekseret, "
        f"{len(skipped)} sprunget over, {report.seconds:.1f} s."
    )
    for name in skipped:
        print(f"  sprunget over: {name} (se problemerne ovenfor)")
    return 0
