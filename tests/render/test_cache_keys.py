"""What the caches key on (render/cache.py): file digests, mkdocs.yml's own inputs, the source date."""

from __future__ import annotations

import os
from pathlib import Path

from masterplan_kit.render.cache import file_digest, fingerprint, mkdocs_inputs


def test_a_file_digest_follows_its_bytes(tmp_path: Path):
    f = tmp_path / "logo.svg"
    f.write_text("<svg/>", encoding="utf-8")
    first = file_digest(f)
    f.write_text("<svg></svg>", encoding="utf-8")
    os.utime(f, ns=(1, 1))  # a new modification time, as any editor gives it
    assert file_digest(f) != first
    assert file_digest(tmp_path / "missing") == "-"


def test_mkdocs_inputs_follow_hooks_custom_dir_and_inherit(tmp_path: Path):
    (tmp_path / "base.yml").write_text("theme: {name: material}\n", encoding="utf-8")
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "main.html").write_text("{% extends 'base.html' %}", encoding="utf-8")
    (tmp_path / "hooks.py").write_text("", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "INHERIT: base.yml\nhooks: [hooks.py]\ntheme:\n  custom_dir: overrides\nsite_url: !ENV [URL, 'x']\n",
        encoding="utf-8")
    found = {p.relative_to(tmp_path).as_posix() for p in mkdocs_inputs(tmp_path)}
    assert found == {"mkdocs.yml", "base.yml", "hooks.py", "overrides/main.html"}


def test_the_fingerprint_changes_with_the_source_date(small: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    a = fingerprint(small)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700086400")
    assert fingerprint(small) != a
