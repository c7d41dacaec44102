"""Any search as CSV for Excel: every matching case (up to ``MAX_ROWS``), one row per case.

The file is UTF-8 with a byte-order mark, so Excel reads æøå right. It is separated by
semicolons by default, because Danish Excel expects that when a file is opened by double-click
(``,`` for other tools). List fields hold Danish labels joined with "; ". A text cell that a
spreadsheet would take for a formula (it starts with =, +, -, @, tab or carriage return) gets a
leading apostrophe, so a cell is always shown as the text it is.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from app.catalog import CaseRecord, Catalog
from app.query import SearchQuery
from app.search import Paths, label_for, search

MAX_ROWS = 10_000
LIST_SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS: tuple[tuple[str, str], ...] = (
    ("slug", "Sagens id, også sidst i dens URL / the case's id"),
    ("title", "Titel / title"),
    ("summary", "Resumé / summary"),
    ("partnership", "Partnerskabets navn, hvis det har et / name of the partnership, if any"),
    ("url", "Sagens permanente URL / the case's permanent URL"),
    ("partners", "Partnere: navn (sektor, rolle) / partners: name (sector, role)"),
    ("sectors", "Sektorer / sectors"),
    ("target_groups", "Målgrupper / target groups"),
    ("policy_areas", "Politikområder / policy areas"),
    ("success_factors", "Succesfaktorer / success factors"),
    ("barriers", "Barrierer / barriers"),
    ("geography", "Kommuner, regioner, hele landet eller udlandet / geography"),
    ("period", "Perioden som tekst, fx 2012–2015 / the period as text"),
    ("period_start", "Startår / first year"),
    ("period_end", "Slutår; tomt hvis igangværende eller ukendt / last year, if any"),
    ("status", "Igangværende, Afsluttet eller Ukendt / status"),
    ("key_results", "Nøgleresultater / key results"),
    ("source", "Kildepublikationens titel / title of the source publication"),
    ("source_publisher", "Kildens udgiver / publisher of the source"),
    ("source_year", "Kildens udgivelsesår / year of the source"),
    ("source_pages", "Sider i kilden / pages in the source"),
    ("source_section", "Afsnit i kilden / section of the source"),
    ("added", "Tilføjet til samlingen, ÅÅÅÅ-MM-DD / date added"),
    ("updated", "Sidst redigeret, ÅÅÅÅ-MM-DD; tomt hvis aldrig / last edited, if ever"),
)


@dataclass(frozen=True)
class CsvExport:
    body: bytes
    rows: int
    total: int


def codebook() -> str:
    """The columns as a Markdown table, for the endpoint's documentation."""
    rows = "\n".join(f"| `{name}` | {text} |" for name, text in COLUMNS)
    return f"| Kolonne / column | Indhold / content |\n|---|---|\n{rows}"


def _labels(catalog: Catalog, record: CaseRecord, param: str) -> str:
    return LIST_SEPARATOR.join(label_for(catalog, param, v) for v in record.tags.get(param, []))


def _partner(catalog: Catalog, partner: dict[str, str]) -> str:
    roles = [catalog.vocab.label("sectors", partner["sector"])]
    if partner.get("role"):
        roles.append(catalog.vocab.label("roles", partner["role"]))
    return f"{partner['name']} ({', '.join(roles)})"


def case_row(catalog: Catalog, record: CaseRecord, base_url: str) -> dict[str, object]:
    """One case as a row, keyed by column name."""
    publication = catalog.vocab.publication(record.source_publication)
    return {
        "slug": record.slug,
        "title": record.title,
        "summary": record.summary,
        "partnership": record.partnership,
        "url": f"{base_url}/sag/{record.slug}",
        "partners": LIST_SEPARATOR.join(_partner(catalog, p) for p in record.partners),
        "sectors": _labels(catalog, record, "sector"),
        "target_groups": _labels(catalog, record, "target_group"),
        "policy_areas": _labels(catalog, record, "policy_area"),
        "success_factors": _labels(catalog, record, "success_factor"),
        "barriers": _labels(catalog, record, "barrier"),
        "geography": _labels(catalog, record, "geography"),
        "period": record.period_label,
        "period_start": record.period_start,
        "period_end": record.period_end,
        "status": _labels(catalog, record, "status"),
        "key_results": LIST_SEPARATOR.join(record.key_results),
        "source": publication.label if publication else record.source_publication,
        "source_publisher": publication.publisher if publication else None,
        "source_year": publication.year if publication else None,
        "source_pages": record.source_pages,
        "source_section": record.source_section,
        "added": record.added.isoformat(),
        "updated": record.updated.isoformat() if record.updated else None,
    }


def cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    return f"'{text}" if isinstance(value, str) and text.startswith(FORMULA_STARTS) else text


def export_csv(
    catalog: Catalog, query: SearchQuery, paths: Paths, delimiter: str = ";", limit: int = MAX_ROWS
) -> CsvExport:
    """Every case the search matches, in the search's order, regardless of its page."""
    page = search(catalog, query.model_copy(update={"page": 1, "per_page": limit}), paths)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow([name for name, _ in COLUMNS])
    for result in page.results:
        row = case_row(catalog, catalog.case(result.slug), paths.base_url)
        writer.writerow([cell(row[name]) for name, _ in COLUMNS])
    body = buffer.getvalue().encode("utf-8-sig")
    return CsvExport(body=body, rows=len(page.results), total=page.total)
