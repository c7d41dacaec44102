"""The README is the manual: tests keep its settings table, vocabularies and commands true."""

from __future__ import annotations

import re

import whoosh

from app.settings import PROJECT_DIR, Settings
from app.vocabulary import load_vocabulary

README = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")


def test_settings_table_lists_every_setting_and_nothing_else() -> None:
    documented = set(re.findall(r"^\| `(PB_[A-Z_]+)` \|", README, flags=re.MULTILINE))
    expected = {f"PB_{name.upper()}" for name in Settings.model_fields}
    assert documented == expected


def test_every_vocabulary_value_is_documented() -> None:
    vocab = load_vocabulary(PROJECT_DIR / "content")
    for field in ("sectors", "target_groups", "policy_areas", "success_factors", "barriers"):
        for term in vocab.terms[field]:
            assert f"`{term.slug}` ({term.label})" in README, term.slug
    for publication in vocab.publications:
        assert f"`{publication.slug}`" in README


def test_the_two_commands_are_documented_and_ci_runs_the_test_command() -> None:
    assert "`make run`" in README and "`make test`" in README
    ci = (PROJECT_DIR / ".ci" / "run").read_text()
    assert ci.strip().splitlines()[-1] == "make test"


def test_whoosh_distribution_is_the_pinned_one() -> None:
    assert whoosh.versionstring() == "3.54.0"
    lock = (PROJECT_DIR / "requirements.lock").read_text()
    assert "whoosh3==3.54.0" in lock
