"""The installed package: a wheel built from the repository, installed into a fresh virtual
environment, builds a content-only project (no templates/, no mkdocs.yml of its own)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import tomllib

from conftest import REPO, install_wheel, run_process
from masterplan_kit import __version__


def test_every_subpackage_is_listed_in_pyproject():
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    tools = REPO / "tools"
    found = {".".join(p.parent.relative_to(tools).parts) for p in (tools / "masterplan_kit").rglob("__init__.py")}
    assert found <= listed, f"subpackages missing from [tool.setuptools] packages: {sorted(found - listed)}"


def test_wheel_ships_the_templates_and_licence(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("masterplan_kit/templates/pdf/book.css", "masterplan_kit/templates/site/mkdocs.yml",
                     "masterplan_kit/templates/scaffold/programme.yml.j2", "masterplan_kit/templates/docx/reference.docx"):
        assert expected in names
    assert any(n.endswith(("licenses/LICENSE", "/LICENSE")) for n in names)
    assert f"masterplan-{__version__}" in wheel.name


def test_installed_wheel_builds_a_content_only_project(wheel: Path, tmp_path: Path):
    cli = install_wheel(wheel, tmp_path / "venv") / "masterplan"

    project = tmp_path / "kota"
    for name in ("masterplan", "pillars"):
        shutil.copytree(REPO / name, project / name)
    env_run = lambda *a: run_process(cli, *a, cwd=project)
    assert env_run("--version").stdout.strip() == f"masterplan {__version__}"
    done = env_run("validate")
    assert done.returncode == 0, done.stdout + done.stderr
    done = env_run("new", "programme", "--pillar", "governance", "layanan-baru")
    assert done.returncode == 0, done.stdout + done.stderr
    done = env_run("new", "chapter", "lampiran-baru")
    assert done.returncode == 0, done.stdout + done.stderr
    done = env_run("validate")
    assert done.returncode == 0, done.stdout + done.stderr
    done = env_run("build", "all")
    assert done.returncode == 0, done.stdout + done.stderr
    out = project / "build"
    assert (out / "site" / "index.html").is_file()
    assert (out / "site" / "stylesheets" / "masterplan.css").is_file()
    assert "stylesheets/masterplan.css" in (out / "site" / "index.html").read_text(encoding="utf-8")
    books = sorted(p.stem for p in (out / "pdf").glob("*.pdf"))
    assert books and books == sorted(p.stem for p in (out / "docx").glob("*.docx"))
    assert (out / "data" / "programmes.json").is_file()
