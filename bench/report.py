"""bench/results.md: machine, cold and warm tables with the peers, HTTP, case page, targets."""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
from typing import Any

PEERS = (("fts5", "SQLite FTS5"), ("postgres", "PostgreSQL"))


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def _ms(s: dict[str, float] | None) -> str:
    return f"{s['median_ms']:.2f} / {s['p95_ms']:.2f}" if s else "–"


def faster_peer(row: dict[str, Any], mix: str) -> tuple[str, float, float]:
    """The faster peer on ``mix``, its median, and ours over the same queries (a peer that ran
    out of time answered only a prefix of the list)."""
    found = [(label, row[key][mix]) for key, label in PEERS if key in row and mix in row[key]]
    label, peer = min(found, key=lambda item: item[1]["median_ms"])
    n = min(peer["n"], row["ours"][mix]["n"])
    ours = statistics.median(row["ours"][mix]["raw"][:n])
    return label, statistics.median(peer["raw"][:n]), ours


def search_table(rows: list[dict[str, Any]], mixes: tuple[str, ...]) -> list[str]:
    lines = [
        "| cases | mix | ours median / p95 ms | SQLite FTS5 | PostgreSQL "
        "| ours ÷ faster peer (median, same queries) |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        for mix in mixes:
            ours = row["ours"][mix]
            peers = [row.get(key, {}).get(mix) for key, _ in PEERS]
            ratio = "–"
            if any(peers):
                label, peer, same = faster_peer(row, mix)
                ratio = f"{same / peer:.2f} ({label})"
            lines.append(
                f"| {row['size']} | {mix} | {_n(ours)} | {_n(peers[0])} | {_n(peers[1])} "
                f"| {ratio} |"
            )
    return lines


def _n(s: dict[str, Any] | None) -> str:
    return f"{_ms(s)} (n={s['n']})" if s else "–"


def _rps(run: dict[str, float]) -> str:
    return f"{run['rps']:.0f} ({run['p50_ms']:.0f} / {run['p95_ms']:.0f})"


def http_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| cases | URL list | 1 worker req/s (p50 / p95 ms) | 2 workers | distinct URLs (2w) |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        http = row["http"]
        for name in ("cold", "zipf", "case"):
            one, two = http[f"{name}_1w"], http[f"{name}_2w"]
            lines.append(
                f"| {row['size']} | {name} | {_rps(one)} | {_rps(two)} "
                f"| {two['distinct']} of {two['requests']} |"
            )
        lines.append(f"| {row['size']} | /healthz (ceiling) | {_rps(http['trivial_1w'])} | | |")
        ds = row["datasette"]
        lines.append(
            f"| {row['size']} | Datasette, cold list one at a time (n={ds['n']}) "
            f"| {ds['rps']:.1f} ({ds['median_ms']:.0f} / {ds['p95_ms']:.0f}) | | |"
        )
    return lines


def targets(rows: list[dict[str, Any]]) -> list[str]:
    checks = []  # (text, value, limit, higher_is_better)
    for row in rows:
        size = row["size"]
        label, peer, same = faster_peer(row, "cold")
        checks.append((f"cold in-process median at {size} ≤ 0.7 × {label} ({peer:.2f} ms), "
                       "same queries", same, 0.7 * peer, False))  # fmt: skip
        if size == 10000:
            checks.append(("cold in-process p95 at 10000 ≤ 50 ms",
                           row["ours"]["cold"]["p95_ms"], 50.0, False))  # fmt: skip
            checks.append(("case page in-process p95 at 10000 ≤ 10 ms",
                           row["case_page"]["p95_ms"], 10.0, False))  # fmt: skip
        if size == 1000:
            checks.append(("HTTP cold mix, 2 workers, at 1000 ≥ 300 req/s",
                           row["http"]["cold_2w"]["rps"], 300.0, True))  # fmt: skip
    lines = ["| target | measured | limit | measured ÷ limit | |", "|---|---|---|---|---|"]
    for text, value, limit, higher in checks:
        met = value >= limit if higher else value <= limit
        lines.append(
            f"| {text} | {value:.2f} | {limit:.2f} | {value / limit:.2f} "
            f"| {'met' if met else 'missed'} |"
        )
    return lines


def render(rows: list[dict[str, Any]], quick: bool = False) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"`make bench`{' --quick' if quick else ''} on {dt.datetime.now(dt.UTC).date()}: "
        f"{machine()}. Shared machine, so compare the ratios.",
        "",
        "Cold: distinct queries (1–3 words from one case's own text, about a third with one or "
        "two facet values selected), each run once on a freshly opened catalog / connection. "
        "Zipf: a log-like mix of the same list (query i weighted 1/i^1.1, so a few repeat "
        "often), fresh catalog. Repeat: the cold list again on the warm catalog. Every search "
        "counts every facet; the peers count them with one GROUP BY per facet over the matching "
        "rows joined to a tag table and return the top 20 with a snippet.",
        "",
        "| cases | build s | index MB |",
        "|---|---|---|",
        *[f"| {r['size']} | {r['build_s']:.1f} | {r['index_mb']:.1f} |" for r in rows],
        "",
        "## Cold, in process (median / p95 ms)",
        "",
        *search_table(rows, ("cold",)),
        "",
        "## Warm, in process (median / p95 ms)",
        "",
        *search_table(rows, ("zipf", "repeat")),
        "",
        "## Case page, in process (`app.casepage.case_page`, distinct cases, fresh catalog)",
        "",
        "| cases | n | median / p95 ms |",
        "|---|---|---|",
        *[f"| {r['size']} | {r['case_page']['n']} | {_ms(r['case_page'])} |" for r in rows],
        "",
        "## HTTP (wrk, 2 threads, 8 connections, on 127.0.0.1; each request a different URL of "
        "the list, server started fresh per list)",
        "",
        *http_table(rows),
        "",
        "## Targets (2-core machine)",
        "",
        *targets(rows),
    ]
    return "\n".join(lines)
