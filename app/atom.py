"""Atom (RFC 4287) for a feed page built by ``app.feeds`` (order, ids and dates are set there).

Written with ElementTree, which escapes every text and attribute: no string concatenation.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from app.facets import FACETS_BY_PARAM
from app.feeds import ATOM_TYPE, JSON_FEED_TYPE, SITE, Entry, Feed

ATOM_NS = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry at all (a search for "\x00" must still give a valid feed).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    clean = {key: NOT_XML.sub("", value) for key, value in attrs.items()}
    element = ET.SubElement(parent, tag, clean)
    if text is not None:
        element.text = NOT_XML.sub("", text)
    return element


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _atom_entry(parent: ET.Element, entry: Entry, base_url: str) -> None:
    element = _add(parent, "entry")
    _add(element, "id", entry.url)
    _add(element, "title", entry.record.title)
    _add(element, "published", _iso(entry.published))
    _add(element, "updated", _iso(entry.modified))
    _add(_add(element, "author"), "name", entry.publisher)
    _add(element, "link", rel="alternate", type="text/html", href=entry.url)
    for param, term in entry.tags:
        scheme = f"{base_url}/emner/{FACETS_BY_PARAM[param].path}"
        _add(element, "category", term=term.slug, label=term.label, scheme=scheme)
    _add(element, "summary", entry.record.summary, type="text")
    _add(element, "content", entry.content_html, type="html")


def atom_feed(feed: Feed, atom_path: str, json_path: str, html_path: str) -> bytes:
    # Unqualified names under a default xmlns: ElementTree cannot write a default namespace
    # with unqualified attributes (rel, href, term) otherwise, short of global registration.
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": "da"})
    _add(root, "id", feed.link(atom_path))
    _add(root, "title", feed.title)
    _add(root, "subtitle", feed.description)
    _add(root, "updated", _iso(feed.updated))
    _add(_add(root, "author"), "name", SITE)
    _add(root, "link", rel="self", type=ATOM_TYPE, href=feed.link(atom_path, feed.page))
    _add(root, "link", rel="alternate", type="text/html", href=feed.link(html_path))
    _add(root, "link", rel="alternate", type=JSON_FEED_TYPE, href=feed.link(json_path))
    if feed.has_next:
        _add(root, "link", rel="next", type=ATOM_TYPE, href=feed.link(atom_path, feed.page + 1))
    for entry in feed.entries:
        _atom_entry(root, entry, feed.base_url)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document
