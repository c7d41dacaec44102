"""The fragment of a case shown under each result, with the matched words marked."""

from __future__ import annotations

from collections.abc import Collection
from html import escape
from typing import Any

from app.catalog import CaseRecord

SNIPPET_CHARS = 220


def _mark(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, cursor = [], start
    for left, right in spans:
        if left < cursor or right > end:
            continue
        out += [escape(text[cursor:left]), f'<mark class="match">{escape(text[left:right])}</mark>']
        cursor = right
    out.append(escape(text[cursor:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + "".join(out).strip() + suffix


def window(text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """The SNIPPET_CHARS-wide window holding the most matches, snapped to word boundaries."""
    best, best_count = spans[0][0], 0
    for left, _ in spans:
        count = sum(1 for l2, _ in spans if left <= l2 < left + SNIPPET_CHARS)
        if count > best_count:
            best, best_count = left, count
    start = max(0, best - 40)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(text), start + SNIPPET_CHARS)
    space = text.find(" ", end)
    return start, (space if space != -1 and space - end < 20 else end)


def snippet(record: CaseRecord, wanted: Collection[str], analyzer: Any) -> str:
    """The summary, or the window of the body, with the index keys in ``wanted`` marked
    (escaped HTML); the plain summary when nothing matches."""
    if not wanted:
        return escape(record.summary)
    for name, source in (("summary", record.summary), ("body", record.body_text)):
        by_key = record.spans_of(name, analyzer)
        spans = sorted(span for key in wanted for span in by_key.get(key, ()))
        if spans:
            if name == "summary":
                return _mark(source, spans, 0, len(source))
            return _mark(source, spans, *window(source, spans))
    return escape(record.summary)
