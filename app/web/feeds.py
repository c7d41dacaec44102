"""Every search as JSON Feed 1.1 and Atom, and the widget that shows a feed on an intranet."""

from __future__ import annotations

from email.utils import formatdate
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from app.atom import atom_feed
from app.feeds import ATOM_TYPE, JSON_FEED_TYPE, JsonFeed, build_feed, json_feed, render_json_feed
from app.web.deps import SEARCH_SLOT, CatalogDep, SearchQueryDep, SettingsDep, paths_for
from app.web.errors import JSON_ERROR_RESPONSES
from app.web.http import CACHE_RESPONSES

router = APIRouter(tags=["Feeds"])
FEED_JSON_PATH = "/feed.json"
FEED_ATOM_PATH = "/feed.atom"
SEARCH_PATH = "/sog"
WIDGET = Path(__file__).parent / "static" / "widget.js"
FEED_RULES = """Samme parametre som søgesiden og `/api/v1/cases`; `sort` og `per_page` ignoreres:
et feed viser altid de nyeste sager først (efter tilføjelsesdato, så slug), `PB_FEED_SIZE` pr.
side; `page` bladrer. Elementernes id er sagens permanente URL. Datoerne er UTC og forskellige:
tilføjelsesdatoen kl. 00:00:00Z plus ét sekund pr. sag tilføjet samme dag før den i alfabetet,
så Power Automate og andre læsere ser strengt stigende tidspunkter.

Same parameters as the search; newest first whatever `sort` says; ids are permanent URLs."""


class JSONFeedResponse(JSONResponse):
    media_type = JSON_FEED_TYPE

    def render(self, content: Any) -> bytes:
        return content if isinstance(content, bytes) else super().render(content)


class AtomResponse(Response):
    media_type = ATOM_TYPE


class JavaScriptResponse(Response):
    media_type = "application/javascript"


FEED_RESPONSES = {**JSON_ERROR_RESPONSES, **CACHE_RESPONSES}


@router.get(
    FEED_JSON_PATH,
    response_model=JsonFeed,
    response_class=JSONFeedResponse,
    responses=FEED_RESPONSES,
    dependencies=[SEARCH_SLOT],
    summary="JSON Feed 1.1 for enhver søgning / JSON Feed for any search",
    description=FEED_RULES
    + "\n\nUdvidelsen `_partnerskabsbasen` på hvert element har alle facetter med slug og "
    "betegnelse / every facet of the case, slugs and labels.",
)
def feed_json(catalog: CatalogDep, settings: SettingsDep, query: SearchQueryDep) -> Response:
    feed = build_feed(catalog, query, settings.feed_size, paths_for(settings, "").base_url)
    return JSONFeedResponse(render_json_feed(json_feed(feed, FEED_JSON_PATH, SEARCH_PATH)))


@router.get(
    FEED_ATOM_PATH,
    response_class=AtomResponse,
    responses=FEED_RESPONSES,
    dependencies=[SEARCH_SLOT],
    summary="Atom-feed (RFC 4287) for enhver søgning / Atom feed for any search",
    description=FEED_RULES
    + "\n\nHvert element har id, titel, published, updated, resumé, indhold (HTML), en "
    "kategori pr. tag (scheme = facettens emneside), forfatter (kildens udgiver) og link.",
)
def feed_atom(catalog: CatalogDep, settings: SettingsDep, query: SearchQueryDep) -> Response:
    feed = build_feed(catalog, query, settings.feed_size, paths_for(settings, "").base_url)
    return AtomResponse(atom_feed(feed, FEED_ATOM_PATH, FEED_JSON_PATH, SEARCH_PATH))


@router.get(
    "/widget.js",
    response_class=JavaScriptResponse,
    responses=CACHE_RESPONSES,
    tags=["Intranet"],
    summary="Widget til intranettet / intranet widget",
)
def widget() -> Response:
    """Indlejr de nyeste sager fra en søgning på en anden side / embed a search elsewhere:

    `<div data-partnerskabsbasen="target_group=hjemloese"><a href="…">Fallback</a></div>`
    `<script src="…/widget.js" defer></script>`

    Valgfrit / optional: `data-title` (overskrift, standard »Nyeste partnerskaber«) og
    `data-limit` (højst så mange sager). Uden JavaScript, eller hvis hentningen fejler, bliver
    linket i `div`'en stående. Har intranettet selv en Content-Security-Policy, skal den tillade
    scriptet (`script-src`) og hentningen af `/feed.json` (`connect-src`) fra dette site."""
    modified = formatdate(WIDGET.stat().st_mtime, usegmt=True)
    return JavaScriptResponse(WIDGET.read_bytes(), headers={"Last-Modified": modified})
