"""Settings from environment variables with the prefix ``PB_`` (see the README's settings table).

Paths default to folders of the checkout, derived from this file, never from the working
directory.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every setting of the product. Each field is documented in the README's settings table."""

    model_config = SettingsConfigDict(env_prefix="PB_", extra="ignore")

    base_url: str = Field(
        "",
        description=(
            "Public base URL, used in feeds, permanent case URLs and the widget. Empty: the "
            "scheme and host each request came to (from a trusted proxy's X-Forwarded-*)."
        ),
    )
    allowed_hosts: list[str] = Field(
        ["localhost", "127.0.0.1", "::1", "testserver"],
        description=(
            "Host names the site answers to (JSON list; `*.example.org` for subdomains, `*` "
            "for any); the host of `base_url` is always allowed. Others get 400."
        ),
    )
    trusted_proxies: list[str] = Field(
        ["127.0.0.1", "::1"],
        description="Proxy addresses or networks (JSON list) whose X-Forwarded-* headers count.",
    )
    hsts_seconds: int = Field(
        31536000, ge=0, description="HSTS max-age on responses served over https; 0: no HSTS."
    )
    keep_alive_timeout: float = Field(
        5.0, gt=0, le=3600, description="Seconds an idle keep-alive connection is kept open."
    )
    header_timeout: float = Field(
        10.0, gt=0, le=3600, description="Seconds a client has to send a request's headers."
    )
    max_request_head: int = Field(
        32768,
        ge=4096,
        le=1048576,
        description="Largest request line plus headers in bytes; beyond: 414 or 431.",
    )
    content_dir: Path = Field(
        PROJECT_DIR / "content", description="Folder with cases/, vocabulary.yml and geography.yml."
    )
    index_dir: Path = Field(
        PROJECT_DIR / "search_index",
        description="Folder holding built index generations and the `current` link.",
    )
    database_url: str | None = Field(
        None,
        description=(
            "SQLAlchemy URL of the case store. Empty: an SQLite file inside each index generation."
        ),
    )
    cors_origins: list[str] = Field(
        ["*"], description="Origins allowed to GET the API and feeds (JSON list); `*` allows all."
    )
    per_page_default: int = Field(20, ge=1, le=100, description="Results per page by default.")
    per_page_max: int = Field(100, ge=1, le=500, description="Largest `per_page` a client may ask.")
    feed_size: int = Field(20, ge=1, le=200, description="Items per feed page.")
    log_level: str = Field("INFO", description="Log level: DEBUG, INFO, WARNING or ERROR.")
    reload_interval: float = Field(
        1.0,
        gt=0,
        description="Seconds between attempts to open an index while none can be opened "
        "(the `current` link itself is read at the start of every request).",
    )
    keep_generations: int = Field(
        3, ge=2, description="How many index generations to keep on disk after a build."
    )
    search_log: bool = Field(
        True, description="Record searches on /sog and /api/v1/cases for the editors' insight page."
    )
    search_log_url: str | None = Field(
        None,
        description=(
            "SQLAlchemy URL of the search log. Empty: `database_url`, or without it an SQLite "
            "file `var/searchlog.sqlite` next to the index folder."
        ),
    )
    search_log_retention_days: int = Field(
        90, ge=1, le=3650, description="Days a logged search is kept before it is deleted."
    )
    search_log_flush_interval: float = Field(
        5.0, gt=0, le=3600, description="Seconds between writes of the queued searches."
    )
    max_concurrent_searches: int = Field(
        8,
        ge=0,
        le=1000,
        description="Searches and pages one worker computes at once; more get 503 and Retry-After.",
    )
    editor_token: SecretStr | None = Field(
        None,
        description="Bearer token for the editors' pages under /redaktion/; empty: they are off.",
    )
    organisation: str = Field(
        "Redaktionen af Partnerskabsbasen",
        description="The organisation responsible for the site, named on /tilgaengelighed.",
    )
    contact_email: str = Field(
        "redaktion@example.org",
        max_length=200,
        description="The editors' e-mail: accessibility, privacy and case suggestions (set it).",
    )
    contact_phone: str | None = Field(
        None, max_length=40, description="The editors' phone number; the law asks for one."
    )

    @property
    def cases_dir(self) -> Path:
        return self.content_dir / "cases"


@lru_cache
def get_settings() -> Settings:
    return Settings()
