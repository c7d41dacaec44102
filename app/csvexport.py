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
from app.facets import FACETS
from app.paths import Paths
from app.query import SearchQuery
from app.search import label_for, matching_docnums, ordered_records

MAX_ROWS = 10_000
LIST_SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

OWN_COLUMN_FACETS = ("source", "period", "status")  # facets with columns of their own below
TAG_COLUMN_FACETS = tuple(f for f in FACETS if f.param not in OWN_COLUMN_FACETS)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("slug", "Sagens id, også sidst i dens URL / the case's id"),
    ("title", "Titel / title"),
    ("summary", "Resumé / summary"),
    ("partnership", "Partnerskabets navn, hvis det har et / name of the partnership, if any"),
    ("url", "Sagens permanente URL / the case's permanent URL"),
    ("partners", "Partnere: navn (sektor, rolle) / partners: name (sector, role)"),
    *((f.field, f"{f.plural} (betegnelser) / `{f.param}` labels") for f in TAG_COLUMN_FACETS),
    ("period", "Perioden som tekst, fx 2012–2015, ca. 2010–, Ukendt / the period as text"),
    ("period_start", "Startår; tomt hvis ukendt / first year, if known"),
    ("period_end", "Slutår; tomt hvis ukendt / last year, if known"),
    ("status", "Status-facetten: Igangværende ved udgivelsen, Afsluttet eller Ukendt"),
    ("status_label", "Status med »ved udgivelsen i ÅÅÅÅ« / the status as of the source"),
    ("keywords", "Søgeord / keywords"),
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
        **{f.field: _labels(catalog, record, f.param) for f in TAG_COLUMN_FACETS},
        "period": record.period_label,
        "period_start": record.period_start,
        "period_end": record.period_end,
        "status": _labels(catalog, record, "status"),
        "status_label": record.status_label,
        "keywords": LIST_SEPARATOR.join(record.keywords),
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
    records = ordered_records(catalog, query, limit)
    total = matching_docnums(catalog, query).bit_count()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow([name for name, _ in COLUMNS])
    for record in records:
        row = case_row(catalog, record, paths.base_url)
        writer.writerow([cell(row[name]) for name, _ in COLUMNS])
    body = buffer.getvalue().encode("utf-8-sig")
    return CsvExport(body=body, rows=len(records), total=total)
