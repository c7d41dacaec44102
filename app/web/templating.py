"""The Jinja2 environment (autoescaping on) shared by every HTML page."""

from __future__ import annotations

import datetime as dt

from fastapi.templating import Jinja2Templates

from app.settings import PROJECT_DIR

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december")  # fmt: skip

templates = Jinja2Templates(directory=str(PROJECT_DIR / "templates"))


def danish_date(value: dt.date | None) -> str:
    if value is None:
        return ""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


templates.env.filters["danish_date"] = danish_date
