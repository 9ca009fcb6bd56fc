"""Caches never go stale: an incremental build equals a cold build into an empty cache, byte for
byte, whatever changed — an asset, a font, a template, a stylesheet, mkdocs.yml or a source — and
two cold builds in separate processes and caches give the same bytes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE, REPO

CLI = Path(sys.executable).with_name("masterplan")
TOOLKIT = REPO / "templates"


def build(project: Path, out: Path, *targets: str) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    for target in targets or ("all",):
        args = [str(CLI), "build", target, "--path", str(project), "--out", str(out)]
        if target in ("pdf", "docx"):
            args += ["--volume", "buku-saku"]
        done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=600, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


def tree(out: Path, *folders: str) -> dict[str, bytes]:
    """Every output file (not the caches), by path."""
    files: dict[str, bytes] = {}
    for folder in folders:
        for f in sorted((out / folder).rglob("*")):
            if f.is_file():
                files[f.relative_to(out).as_posix()] = f.read_bytes()
    return files


def _asset(p: Path) -> None:
    logo = p / "masterplan" / "assets" / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
                    '<circle cx="20" cy="20" r="18" fill="#c2185b"/></svg>\n', encoding="utf-8")


def _font(p: Path) -> None:
    fonts = p / "templates" / "pdf" / "fonts"
    fonts.mkdir(parents=True)
    shutil.copy(TOOLKIT / "pdf" / "fonts" / "LiberationSans-Regular.ttf", fonts / "LiberationSerif-Regular.ttf")


def _template(p: Path) -> None:
    own = p / "templates" / "views" / "programmes.html.j2"
    own.parent.mkdir(parents=True)
    own.write_text((TOOLKIT / "views" / "programmes.html.j2").read_text(encoding="utf-8")
                   .replace("Daftar program", "Program yang dipilih"), encoding="utf-8")


def _stylesheet(p: Path) -> None:
    own = p / "templates" / "pdf" / "paper-a5.css"
    own.parent.mkdir(parents=True)
    own.write_text((TOOLKIT / "pdf" / "paper-a5.css").read_text(encoding="utf-8")
                   + "\nbody { color: #5d4037; }\n", encoding="utf-8")


def _mkdocs(p: Path) -> None:
    (p / "mkdocs.yml").write_text("site_name: Kota Contoh Cerdas\ntheme:\n  name: material\n  language: id\n",
                                  encoding="utf-8")


def _source(p: Path) -> None:
    prog = p / "pillars" / "governance" / "programmes" / "portal-warga.yml"
    prog.write_text(prog.read_text(encoding="utf-8").replace("title: Portal Warga", "title: Portal Warga Terpadu"),
                    encoding="utf-8")


CHANGES = {
    "asset": (_asset, ("pdf", "site")),
    "font": (_font, ("pdf",)),
    "template": (_template, ("pdf", "docx", "site")),
    "stylesheet": (_stylesheet, ("pdf",)),
    "mkdocs": (_mkdocs, ("site",)),
    "source": (_source, ("data", "pdf", "docx", "site")),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_an_incremental_build_equals_a_cold_one(tmp_path: Path, change: str):
    mutate, targets = CHANGES[change]
    project = tmp_path / "kota"
    shutil.copytree(FIXTURE, project)
    warm = tmp_path / "warm"
    build(project, warm, *targets)
    before = tree(warm, *targets)
    mutate(project)
    build(project, warm, *targets)  # with the caches of the first build
    cold = tmp_path / "cold"
    build(project, cold, *targets)  # an empty cache
    after, expected = tree(warm, *targets), tree(cold, *targets)
    assert sorted(after) == sorted(expected)
    stale = [name for name in expected if after[name] != expected[name]]
    assert not stale, f"{change}: the incremental build differs from a cold one in {stale}"
    assert after != before, f"{change}: the change did not reach the outputs"


def test_two_cold_builds_in_separate_processes_give_identical_bytes(tmp_path: Path):
    project = tmp_path / "kota"
    shutil.copytree(FIXTURE, project)
    build(project, tmp_path / "a", "data", "pdf", "docx", "site")
    build(project, tmp_path / "b", "data", "pdf", "docx", "site")
    a, b = tree(tmp_path / "a", "data", "pdf", "docx", "site"), tree(tmp_path / "b", "data", "pdf", "docx", "site")
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
