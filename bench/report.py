"""The benchmark table, with figures as ratios against baselines measured in the same run."""

from __future__ import annotations

from typing import Any

TARGETS = """Targets (2-core machine): at 1,000 cases, search with all facets under 5 ms median
in-process, at least 300 requests/s over HTTP and at least as many as Datasette; at 10,000
cases, under 50 ms p95 in-process."""


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "–"


def render_table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Made by `make bench` (bench/run.py). Query: `/api/v1/cases?q=kommune&sector=kommune"
        "&sector=region` with every facet counted; Datasette gets the same search with the same "
        "facets (`_search` + `_facet_array`/`_facet`). wrk: 2 threads, 16 connections, 6 s, "
        "30 s timeout, on 127.0.0.1.",
        "",
        "| cases | build s | index MB | in-process median ms | in-process p95 ms "
        "| req/s 1 worker | req/s 2 workers | p50 / p95 ms (1w) | trivial endpoint req/s "
        "| Datasette req/s | ours ÷ trivial | ours ÷ Datasette | 2w ÷ 1w |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        http = row["http"]
        ours, two = http["ours_1w"], http["ours_2w"]
        trivial, peer = http["trivial_1w"], http["datasette_1w"]
        lines.append(
            f"| {row['cases']} | {row['build_s']:.1f} | {row['index_mb']:.1f} "
            f"| {row['in_process']['median_ms']:.2f} | {row['in_process']['p95_ms']:.2f} "
            f"| {ours['rps']:.0f} | {two['rps']:.0f} | {ours['p50_ms']:.1f} / {ours['p95_ms']:.1f} "
            f"| {trivial['rps']:.0f} | {peer['rps']:.0f} | {ratio(ours['rps'], trivial['rps'])} "
            f"| {ratio(ours['rps'], peer['rps'])} | {ratio(two['rps'], ours['rps'])} |"
        )
    errors = sum(run["errors"] for row in rows for run in row["http"].values())
    slow = [str(row["cases"]) for row in rows if row["http"]["datasette_1w"].get("sequential")]
    lines += ["", f"HTTP errors in all runs: {errors}."]
    if slow:
        lines.append(
            f"Datasette finished no request inside wrk's window at {', '.join(slow)} cases "
            "(its array facets scan every row per facet); its req/s there is 1 ÷ the mean of "
            "three sequential requests."
        )
    lines += ["", TARGETS]
    return "\n".join(lines)
