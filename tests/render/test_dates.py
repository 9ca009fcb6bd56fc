"""The build's source date: SOURCE_DATE_EPOCH, else the last commit of the project's own repository."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from masterplan_kit.render.dates import source_date


def test_source_date_epoch_wins(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1688688000")
    assert source_date(tmp_path) == "2023-07-07T00:00:00Z"


def test_the_last_commit_of_the_project_not_of_the_current_folder(monkeypatch, tmp_path: Path):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = tmp_path / "kota"
    repo.mkdir()
    (repo / "a.txt").write_text("a", encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_NAME": "k", "GIT_AUTHOR_EMAIL": "k@contoh", "GIT_COMMITTER_NAME": "k",
           "GIT_COMMITTER_EMAIL": "k@contoh", "GIT_COMMITTER_DATE": "2024-02-03T04:05:06Z",
           "GIT_AUTHOR_DATE": "2024-02-03T04:05:06Z"}
    for args in (["init", "-q"], ["add", "a.txt"], ["commit", "-q", "-m", "a"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert source_date(repo) == "2024-02-03T04:05:06Z"
    assert source_date(elsewhere) == "2000-01-01T00:00:00Z"  # no repository: a fixed date
