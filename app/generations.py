"""Index generations on disk: which are complete, whether their files are intact, which to keep.

A generation is complete when its ``manifest.json`` exists and every file it lists still has
the recorded size and sha256. Nothing here knows the search engine: it only reads files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

from app.errors import IndexUnavailableError

MANIFEST = "manifest.json"
CURRENT = "current"
GENERATIONS = "generations"
CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_checksums(generation: Path) -> dict[str, dict[str, Any]]:
    """Size and sha256 of every file in a generation except the manifest itself."""
    files = sorted(p for p in generation.rglob("*") if p.is_file() and p.name != MANIFEST)
    return {
        p.relative_to(generation).as_posix(): {"size": p.stat().st_size, "sha256": sha256_of(p)}
        for p in files
        if not p.name.endswith(".tmp")
    }


def write_manifest(generation: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest atomically, with the checksums of the files as they are now."""
    manifest = {**manifest, "files": file_checksums(generation)}
    temporary = generation / f"{MANIFEST}.tmp"
    temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temporary, generation / MANIFEST)  # written last: its presence marks "complete"


def read_manifest(generation: Path) -> dict[str, Any]:
    """The manifest of a complete, intact generation; ``IndexUnavailableError`` otherwise."""
    try:
        manifest: dict[str, Any] = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexUnavailableError(
            f"generationen '{generation.name}' er ufuldstændig (ingen {MANIFEST})."
        ) from None
    except (OSError, ValueError) as exc:
        raise IndexUnavailableError(
            f"generationen '{generation.name}': {MANIFEST} kan ikke læses ({exc})."
        ) from exc
    problem = damaged_file(generation, manifest)
    if problem:
        raise IndexUnavailableError(f"generationen '{generation.name}' er beskadiget: {problem}.")
    return manifest


def damaged_file(generation: Path, manifest: dict[str, Any]) -> str | None:
    """What is wrong with the generation's files, or None when all match the manifest."""
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        return f"{MANIFEST} har ingen kontrolsummer (bygget før de blev indført; byg igen)"
    for name, expected in files.items():  # sizes first: a truncated file is found without hashing
        try:
            size = (generation / name).stat().st_size
        except OSError:
            return f"filen '{name}' mangler"
        if size != expected.get("size"):
            return f"filen '{name}' har størrelsen {size}, ikke {expected.get('size')}"
    for name, expected in files.items():
        try:
            actual = sha256_of(generation / name)
        except OSError as exc:
            return f"filen '{name}' kan ikke læses ({exc})"
        if actual != expected.get("sha256"):
            return f"filen '{name}' svarer ikke til sin kontrolsum"
    return None


def is_intact(generation: Path) -> bool:
    try:
        read_manifest(generation)
    except IndexUnavailableError:
        return False
    return True


def generation_dirs(index_dir: Path) -> list[Path]:
    """Every generation folder, newest first (names start with the build's time stamp)."""
    try:
        found = [p for p in (index_dir / GENERATIONS).iterdir() if p.is_dir()]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name, reverse=True)


def _builder_alive(generation: Path) -> bool:
    """Whether the process that is building this (manifest-less) generation still runs."""
    parts = generation.name.split("-")
    if len(parts) < 3 or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    return pid != os.getpid() and process_alive(pid)


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (one owned by another user counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def prune_generations(index_dir: Path, keep: int) -> list[Path]:
    """Keep the newest ``keep`` intact generations and the current one; delete the rest:
    older intact ones, damaged ones and partial ones left by a killed build (but never a
    generation another running build is still writing). Returns what was deleted."""
    current = (index_dir / CURRENT).resolve()
    kept = 0
    removed = []
    for generation in generation_dirs(index_dir):
        if generation.resolve() == current:
            kept += 1
            continue
        if not (generation / MANIFEST).exists() and _builder_alive(generation):
            continue
        if kept < keep and is_intact(generation):
            kept += 1
            continue
        shutil.rmtree(generation, ignore_errors=True)
        removed.append(generation)
    return removed
