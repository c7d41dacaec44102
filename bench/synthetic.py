"""Synthetic collections for benchmarks, made from the real cases' vocabulary, tags and text.

Each synthetic case takes its partners and sectors from one real case (so the sector rule holds),
its other tags from other real cases, and a body stitched from sentences of several real cases.
Seeded, so every run measures the same collection.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import yaml

from app.content import load_cases
from app.models import Case
from app.vocabulary import load_vocabulary

SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _body(rng: random.Random, donors: list[Case]) -> str:
    parts = []
    for heading in ("Baggrund og formål", "Organisering", "Resultater"):
        sentences = []
        for donor in rng.sample(donors, k=min(3, len(donors))):
            text = " ".join(section.markdown for section in donor.sections)
            sentences += [s for s in SENTENCE.split(text) if len(s) > 20][:4]
        rng.shuffle(sentences)
        parts.append(f"## {heading}\n\n" + " ".join(sentences[:8]))
    return "\n\n".join(parts) + "\n"


def _front(rng: random.Random, number: int, cases: list[Case]) -> dict[str, object]:
    base = rng.choice(cases)
    other = rng.choice(cases)
    data = base.front.model_dump(mode="json", exclude_none=True)
    for field in ("target_groups", "policy_areas", "success_factors", "barriers", "geography"):
        data[field] = list(dict.fromkeys(getattr(base.front, field) + getattr(other.front, field)))
    data["title"] = f"{base.front.title[:90]} (syntetisk {number})"
    data["added"] = f"20{rng.randint(20, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    data.pop("updated", None)
    return data


def make_collection(content_dir: Path, target: Path, size: int, seed: int = 2026) -> Path:
    """Write ``size`` synthetic cases plus the real vocabularies into ``target``."""
    vocab = load_vocabulary(content_dir)
    cases = load_cases(content_dir / "cases", vocab).cases
    if not cases:
        raise SystemExit("no real cases to draw from in content/cases")
    rng = random.Random(seed)
    (target / "cases").mkdir(parents=True)
    for name in ("vocabulary.yml", "geography.yml"):
        shutil.copy2(content_dir / name, target / name)
    for number in range(size):
        front = yaml.safe_dump(_front(rng, number, cases), allow_unicode=True, sort_keys=False)
        body = _body(rng, cases)
        (target / "cases" / f"syntetisk-{number:05d}.md").write_text(
            f"---\n{front}---\n{body}", encoding="utf-8"
        )
    return target
