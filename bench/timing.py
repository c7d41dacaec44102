"""Timing helpers shared by the in-process runs of ours and the peers."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")


def summary(ms: list[float]) -> dict[str, Any]:
    ordered = sorted(ms)
    return {
        "raw": ms,
        "n": len(ordered),
        "median_ms": statistics.median(ordered),
        "p95_ms": ordered[max(0, round(len(ordered) * 0.95) - 1)],
        "max_ms": ordered[-1],
    }


BUDGET_S = 60.0  # per mix and system, so a loaded machine cannot stretch a run without bound


def timed(run: Callable[[T], object], items: Iterable[T]) -> dict[str, Any]:
    """Each item once, in order, until the items or the time budget run out (n says which)."""
    ms: list[float] = []
    deadline = time.monotonic() + BUDGET_S
    for item in items:
        start = time.perf_counter()
        run(item)
        ms.append((time.perf_counter() - start) * 1000)
        if time.monotonic() > deadline:
            break
    return summary(ms)
