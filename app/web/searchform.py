"""The search form's side of the search page: a submitted form sends every field, also the
ones left empty, so the page's address drops those (and a per-page count at its default) before
it is shown, and the form offers a few sizes of page up to the configured largest."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

PER_PAGE_STEPS = (10, 20, 50, 100)
BLANK_MEANS_UNSET = ("q", "year_from", "year_to", "per_page")


def tidy_query(pairs: Iterable[tuple[str, str]], default_per_page: int) -> str | None:
    """The query string without the form's empty fields and a default ``per_page``, or None
    when nothing is dropped (so the address is already tidy)."""
    items = list(pairs)
    kept = [(key, value) for key, value in items if not _redundant(key, value, default_per_page)]
    return None if len(kept) == len(items) else urlencode(kept)


def _redundant(key: str, value: str, default_per_page: int) -> bool:
    if key in BLANK_MEANS_UNSET and not value.strip():
        return True
    return key == "per_page" and value.strip() == str(default_per_page)


def per_page_choices(default: int, maximum: int, current: int) -> list[int]:
    """The sizes the form offers: the default, the current size and the usual steps, up to
    the largest a client may ask for."""
    return sorted({n for n in (default, current, *PER_PAGE_STEPS) if n <= maximum})
