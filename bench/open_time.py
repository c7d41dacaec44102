"""What verifying a generation's checksums adds to opening it: the real content, or a synthetic
collection of ``--cases`` cases (bench/synthetic.py).

    python -m bench.open_time [--cases 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from app.build import build
from app.catalog import Catalog
from app.generations import damaged_file, read_manifest
from app.settings import PROJECT_DIR, Settings
from bench.synthetic import make_collection


def median_ms(action: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(cases: int, repeat: int) -> str:
    root = Path(tempfile.mkdtemp(prefix="pb-open-"))
    try:
        content = PROJECT_DIR / "content"
        if cases:
            content = make_collection(content, root / "content", cases)
        settings = Settings(content_dir=content, index_dir=root / "index")
        built = time.perf_counter()
        build(settings)
        built = time.perf_counter() - built
        generation = (settings.index_dir / "current").resolve()
        manifest = read_manifest(generation)
        size = sum(entry["size"] for entry in manifest["files"].values())
        verify = median_ms(lambda: damaged_file(generation, manifest), repeat)
        opened = median_ms(lambda: Catalog(generation, settings).close(), repeat)
        return (
            f"{manifest['cases']} cases, {len(manifest['files'])} files, {size / 2**20:.1f} MB "
            f"(build {built:.0f} s): verify {verify:.1f} ms of {opened:.1f} ms to open "
            f"({100 * verify / opened:.0f} %)"
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=0, help="synthetic cases; 0: real content")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(measure(args.cases, args.repeat))


if __name__ == "__main__":
    main()
