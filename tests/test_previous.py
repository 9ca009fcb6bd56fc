"""masterplan.yml may name the previous edition (``previous: <git revision>``): the build compares the
two, and a volume's ``changes`` section lists what changed (Daftar Perubahan)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import FIXTURE


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@contoh.id", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@contoh.id", "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
                        "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z", "PATH": "/usr/bin:/bin"})


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "kota"
    shutil.copytree(FIXTURE, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "edisi 1")
    git(root, "tag", "edisi-1")
    new = root / "pillars" / "environment" / "programmes" / "taman-kota.yml"
    new.write_text((root / "pillars/environment/programmes/pantau-sungai.yml").read_text(encoding="utf-8")
                   .replace("title: Pantau Sungai", "title: Taman Kota Cerdas"), encoding="utf-8")
    mp = root / "masterplan" / "masterplan.yml"
    text = mp.read_text(encoding="utf-8").replace("language: id\n", "language: id\nversion: Edisi 2\nprevious: edisi-1\n")
    text = text.replace("    contents: [profil, quick-wins]", "    contents: [profil, quick-wins, changes]")
    mp.write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "edisi 2")
    return root


def test_the_changes_section_lists_what_changed(repo: Path, cli):
    result = cli("build", "pdf", "--path", repo, "--volume", "buku-saku")
    assert result.exit_code == 0, result.output
    pages = PdfReader(repo / "build" / "pdf" / "buku-saku.pdf").pages
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pages)
    assert "Daftar Perubahan" in text and "Program Baru" in text and "Taman Kota Cerdas" in text


def test_an_unknown_previous_revision_is_a_clear_error(repo: Path, cli):
    mp = repo / "masterplan" / "masterplan.yml"
    mp.write_text(mp.read_text(encoding="utf-8").replace("previous: edisi-1", "previous: edisi-9"), encoding="utf-8")
    result = cli("build", "pdf", "--path", repo, "--volume", "buku-saku")
    assert result.exit_code == 1
    assert "masterplan/masterplan.yml:" in result.output and "unknown revision 'edisi-9'" in result.output


def test_the_site_has_a_page_of_changes(repo: Path, cli):
    result = cli("build", "site", "--path", repo)
    assert result.exit_code == 0, result.output
    page = (repo / "build" / "site" / "buku" / "perubahan.html").read_text(encoding="utf-8")
    assert "Taman Kota Cerdas" in page and "Program Baru" in page
    assert "perubahan.html" in (repo / "build" / "site" / "buku" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("previous", ["../lain", "{other}", "."])
def test_previous_names_a_revision_never_a_folder(repo: Path, tmp_path: Path, previous: str):
    """A build reads only the project's own files: ``previous`` naming a folder (another city's
    project beside this one, or this one) is not read as the previous edition."""
    from masterplan_kit.errors import BuildError
    from masterplan_kit.pipeline import load_and_check
    from masterplan_kit.previous import changes_since_previous

    other = tmp_path / "lain"
    shutil.copytree(FIXTURE, other)
    mp = repo / "masterplan" / "masterplan.yml"
    spec = previous.format(other=other)
    mp.write_text(mp.read_text(encoding="utf-8").replace("previous: edisi-1", f"previous: '{spec}'"), encoding="utf-8")
    project, report = load_and_check(repo)
    assert not report.errors(), report.to_text()
    with pytest.raises(BuildError, match=f"unknown revision '{re.escape(spec)}'"):
        changes_since_previous(project)
