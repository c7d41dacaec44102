"""Where pages live: the paths every page-data module builds its links from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paths:
    """Where the rendered page lives, and the public base URL for permanent links."""

    search: str
    base_url: str
    case: str = "/sag/"
    api_case: str = "/api/v1/cases/"

    def case_path(self, slug: str) -> str:
        return f"{self.case}{slug}"

    def case_url(self, slug: str) -> str:
        return f"{self.base_url}{self.case}{slug}"
