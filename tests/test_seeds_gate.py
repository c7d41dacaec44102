"""The seeds check may skip on a developer's machine, but never under CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import test_real_content


@pytest.mark.parametrize("ci", ["true", "1", "yes"])
def test_missing_seeds_fail_under_ci(
    ci: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(test_real_content, "SEEDS", tmp_path / "no-such-seeds")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="required under CI"):
        test_real_content.test_no_case_copies_twelve_words_from_a_publication()


def test_an_empty_seeds_folder_fails_under_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(test_real_content, "SEEDS", tmp_path)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        test_real_content.test_no_case_copies_twelve_words_from_a_publication()


@pytest.mark.parametrize("ci", [None, "", "false", "0"])
def test_missing_seeds_skip_without_ci(
    ci: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(test_real_content, "SEEDS", tmp_path / "no-such-seeds")
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception):
        test_real_content.test_no_case_copies_twelve_words_from_a_publication()
