"""Every core module is named in the import contracts, so a new one cannot slip past them."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from app.settings import PROJECT_DIR

APP = PROJECT_DIR / "app"
CONTRACTS: list[dict[str, Any]] = tomllib.loads(
    (PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8")
)["tool"]["importlinter"]["contracts"]


# The command line's `serve` starts uvicorn with the web app: the one core module allowed to
# reach the web layer (the layers contract still puts it on top).
STARTS_THE_SERVER = {"app.cli"}


def core_modules() -> set[str]:
    """Every module under app/ except the web layer, the package itself and its entry point."""
    found = set()
    for path in APP.rglob("*.py"):
        relative = path.relative_to(APP).with_suffix("")
        if relative.parts[0] == "web" or relative.name in ("__init__", "__main__"):
            continue
        found.add(".".join(("app", *relative.parts)))
    return found


def contract(kind: str, name_start: str) -> dict[str, Any]:
    matching = [c for c in CONTRACTS if c["type"] == kind and c["name"].startswith(name_start)]
    assert len(matching) == 1, [c["name"] for c in CONTRACTS]
    return matching[0]


def layered(modules: list[str]) -> set[str]:
    return {name.strip() for layer in modules for name in layer.split("|")}


def covered(module: str, listed: set[str]) -> bool:
    """Named itself or through a listed package that contains it."""
    return any(module == name or module.startswith(name + ".") for name in listed)


def test_the_core_modules_are_found() -> None:
    modules = core_modules()
    assert {"app.facets", "app.matching", "app.search", "app.cli"} <= modules
    assert not any(m.startswith("app.web") for m in modules)


def test_every_core_module_is_in_the_layers_contract() -> None:
    listed = layered(contract("layers", "Layers")["layers"])
    missing = sorted(m for m in core_modules() if not covered(m, listed))
    assert missing == [], f"add these to the layers contract in pyproject.toml: {missing}"
    assert "app.web" in listed


def test_every_core_module_is_kept_from_the_web_framework() -> None:
    forbidden = contract("forbidden", "Only the web layer imports the web framework")
    listed = set(forbidden["source_modules"])
    missing = sorted(m for m in core_modules() - STARTS_THE_SERVER if not covered(m, listed))
    assert missing == [], f"add these to the web-framework contract in pyproject.toml: {missing}"
    assert not STARTS_THE_SERVER & listed
    assert {"fastapi", "starlette"} <= set(forbidden["forbidden_modules"])


@pytest.mark.parametrize("kind", ["layers", "forbidden"])
def test_the_contracts_name_no_module_that_does_not_exist(kind: str) -> None:
    existing = core_modules() | {"app.web"}
    for found in (c for c in CONTRACTS if c["type"] == kind):
        names = layered(found["layers"]) if kind == "layers" else set(found["source_modules"])
        stale = sorted(n for n in names if n not in existing and not (APP / n[4:]).is_dir())
        assert stale == [], f"{found['name']}: {stale}"


def test_a_new_module_would_be_caught(tmp_path: Path) -> None:
    listed = layered(contract("layers", "Layers")["layers"])
    assert not covered("app.brand_new_module", listed)
    assert covered("app.web.api", listed)
