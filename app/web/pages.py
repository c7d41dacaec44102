"""The pages the law and users expect: the accessibility statement, what the site stores, and a
form to suggest a case (checked by ``app.suggest``; nothing is stored on the server)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from app.facets import FACETS_BY_PARAM, STATUS_VALUES, TAG_FACETS
from app.models import SECTIONS
from app.suggest import (
    LINK_ROWS,
    LONG,
    MAX_BODY_BYTES,
    MAX_FIELDS,
    PARTNER_ROWS,
    SHORT,
    Suggestion,
    checkbox_facets,
    suggest_case,
)
from app.web.deps import CatalogDep, SettingsDep
from app.web.templating import templates

router = APIRouter(include_in_schema=False)
SUGGEST_PATH = "/foreslaa"
FORM_TYPE = "application/x-www-form-urlencoded"
STATEMENT_DATE = dt.date(2026, 12, 2)  # when this statement was written
REVIEW_DATE = dt.date(2026, 12, 2)  # when the checks it rests on were last reviewed
AUTHORITY_CHECKED = dt.date(2026, 12, 2)  # when the complaints procedure below was looked up
# The pages the automated axe-core audits visit (tests/browser), by path without the query: a
# test keeps this list and the audits in step, both ways.
AUDITED_PAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Forsiden", ("/",)),
    (
        "Søgesiden: med en valgt facet, uden resultater (med løsninger og beslægtede begreber), "
        "sorteret efter senest tilføjet og under valg af sager til sammenligning",
        ("/sog",),
    ),
    (
        "Sagssider, også en med en lang titel",
        ("/sag/peer-stoette-psykiatri-koebenhavn", "/sag/klimapartnerskab-aarhus"),
    ),
    (
        "Emneoversigten og emnesiderne for målgrupper, geografi og kommunegrupper",
        ("/emner", "/emner/maalgruppe", "/emner/geografi", "/emner/kommunegruppe"),
    ),
    ("Om samlingen", ("/om",)),
    (
        "Baggrundsnoterne og en baggrundsnote",
        ("/baggrund", "/baggrund/casa-socialpaedagogerne-tidlige-indsatser"),
    ),
    ("Sammenligning af to og fire sager og fejlen ved kun én sag", ("/sammenlign",)),
    ("Statistik, med og uden filter", ("/statistik",)),
    ("Redaktionens søgeindsigt", ("/redaktion/soegninger",)),
    ("Fejlsiden for en side, der ikke findes", ("/findes-ikke",)),
    ("Denne erklæring og siden om privatliv", ("/tilgaengelighed", "/privatliv")),
    ("Formularen »Foreslå en sag«, også med fejl og med et færdigt udkast", (SUGGEST_PATH,)),
)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


@router.get("/tilgaengelighed", response_class=HTMLResponse)
async def accessibility(request: Request, settings: SettingsDep) -> HTMLResponse:
    return render(
        request,
        "accessibility.html",
        settings=settings,
        statement_date=STATEMENT_DATE,
        review_date=REVIEW_DATE,
        authority_checked=AUTHORITY_CHECKED,
        audited=AUDITED_PAGES,
    )


@router.get("/privatliv", response_class=HTMLResponse)
async def privacy(request: Request, settings: SettingsDep) -> HTMLResponse:
    return render(request, "privacy.html", settings=settings)


def _form_page(
    request: Request, catalog: CatalogDep, settings: SettingsDep, result: Suggestion
) -> HTMLResponse:
    response = render(
        request,
        "suggest.html",
        status=422 if result.problems else 200,
        result=result,
        vocab=catalog.vocab,
        settings=settings,
        facets=checkbox_facets(),
        geography=FACETS_BY_PARAM["geography"],
        sectors=next(f for f in TAG_FACETS if f.field == "sectors").values(catalog.vocab),
        statuses=STATUS_VALUES,
        sections=SECTIONS,
        partner_rows=range(PARTNER_ROWS),
        link_rows=range(LINK_ROWS),
        short=SHORT,
        long=LONG,
    )
    response.headers["Cache-Control"] = "no-store"  # the proposer's own text
    return response


@router.get(SUGGEST_PATH, response_class=HTMLResponse)
async def suggest_form(
    request: Request, catalog: CatalogDep, settings: SettingsDep
) -> HTMLResponse:
    return _form_page(request, catalog, settings, Suggestion(values={}))


async def read_form(request: Request) -> dict[str, list[str]]:
    """The URL-encoded form, refused beyond ``MAX_BODY_BYTES`` or ``MAX_FIELDS`` fields."""
    if request.headers.get("content-type", "").split(";")[0].strip() != FORM_TYPE:
        raise HTTPException(415, "Forslaget skal sendes fra formularen (URL-kodet).")
    too_big = HTTPException(413, f"Forslaget er for stort (højst {MAX_BODY_BYTES // 1000} kB).")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_big
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise too_big
    try:
        text = body.decode("utf-8")
        return parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError) as exc:
        raise HTTPException(
            400, "Forslaget kan ikke læses (for mange felter eller ikke UTF-8)."
        ) from exc


@router.post(SUGGEST_PATH, response_class=HTMLResponse)
async def suggest_submit(request: Request, catalog: CatalogDep, settings: SettingsDep) -> Response:
    values = await read_form(request)
    action = values.pop("handling", [""])[0]
    result = suggest_case(values, catalog.vocab, dt.datetime.now(dt.UTC).date())
    if result.valid and action == "hent":
        return Response(
            result.draft,
            media_type="text/markdown; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{result.slug}.md"',
                "Cache-Control": "no-store",
            },
        )
    return _form_page(request, catalog, settings, result)
