"""Command line: ``python -m app check|build|serve``."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence

from app.background import DIR_NAME, load_background
from app.content import LoadResult, load_cases
from app.errors import PartnerskabsbaseError
from app.facets import TAG_FACETS
from app.settings import Settings, get_settings
from app.thesaurus import FILE_NAME as THESAURUS_FILE
from app.thesaurus import load_thesaurus
from app.vocabulary import Vocabulary, load_vocabulary

REPORT_ONLY = "Kun en rapport: exit 0. Brug 'check --strict' for at fejle på problemer."


def _summary(result: LoadResult, vocab: Vocabulary) -> list[str]:
    lines = [f"{len(result.cases)} sager indlæst, {len(set(result.skipped))} sprunget over."]
    per_pub = Counter(case.front.source.publication for case in result.cases)
    lines.append("Sager pr. publikation:")
    for pub in vocab.publications:
        lines.append(f"  {per_pub.get(pub.slug, 0):>3}  {pub.label} ({pub.year})")
    lines.append("Tags i brug (værdier brugt / i vokabularet):")
    for facet in TAG_FACETS:
        used = Counter(v for case in result.cases for v in getattr(case.front, facet.field))
        known = len(vocab.terms[facet.field])
        lines.append(f"  {facet.label:<14} {len(used):>3} / {known:>3}")
    return lines


def run_check(settings: Settings, strict: bool) -> int:
    vocab = load_vocabulary(settings.content_dir)
    result = load_cases(settings.cases_dir, vocab)
    thesaurus, thesaurus_problems = load_thesaurus(settings.content_dir / THESAURUS_FILE)
    result.problems.extend(thesaurus_problems)
    result.problems.extend(load_background(settings.content_dir / DIR_NAME, vocab).problems)
    for problem in result.problems:
        print(problem)
    if result.problems:
        print(f"\n{len(result.problems)} problemer i {len(result.files_with_problems)} filer.")
        if not strict:
            print(REPORT_ONLY)
    print("\n".join(_summary(result, vocab)))
    print(f"Tesaurus: {len(thesaurus.groups)} begrebsgrupper.")
    return 1 if strict and result.problems else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description="Partnerskabsbasen")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate every case file and print a summary")
    check.add_argument("--strict", action="store_true", help="exit 1 if any problem is found")
    build = commands.add_parser("build", help="build the database and search index, then swap")
    build.add_argument("--strict", action="store_true", help="refuse to build if any problem")
    serve = commands.add_parser("serve", help="serve the built site")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--reload-content",
        action="store_true",
        help="watch content/ and rebuild + swap the index while serving",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = get_settings()
    try:
        if args.command == "check":
            return run_check(settings, args.strict)
        if args.command == "build":
            from app.build import run_build

            return run_build(settings, strict=args.strict)
        from app.web.server import run_server

        return run_server(settings, args.host, args.port, args.workers, args.reload_content)
    except PartnerskabsbaseError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 2
