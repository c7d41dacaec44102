"""Markdown to safe HTML (Python-Markdown + the nh3 allow-list sanitiser) and to plain text."""

from __future__ import annotations

import markdown as markdown_lib
import nh3

from app.text import plain_text_of_markdown

ALLOWED_TAGS = {
    "p", "ul", "ol", "li", "strong", "em", "a", "blockquote", "h2", "h3", "h4",
    "table", "thead", "tbody", "tr", "th", "td", "br", "code", "pre", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}


def render_markdown(text: str) -> str:
    """Render Markdown and keep only an allow-list of tags; scripts and raw HTML are dropped."""
    html = markdown_lib.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def plain_text(text: str) -> str:
    return plain_text_of_markdown(text)
