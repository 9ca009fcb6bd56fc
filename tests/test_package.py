"""The installed package: a wheel built from the repository, installed into a fresh virtual
environment, builds a content-only project (no templates/, no mkdocs.yml of its own)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import tomllib

from conftest import REPO
from masterplan_kit import __version__


def _run(*args: str | Path, cwd: Path | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], check=False, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})


def test_every_subpackage_is_listed_in_pyproject():
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    tools = REPO / "tools"
    found = {".".join(p.parent.relative_to(tools).parts) for p in (tools / "masterplan_kit").rglob("__init__.py")}
    assert found <= listed, f"subpackages missing from [tool.setuptools] packages: {sorted(found - listed)}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    src = tmp_path_factory.mktemp("src") / "repo"
    # a clean copy of what git tracks and what is being changed: no .venv, no build/
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(".venv", "build", ".git", "node_modules", "*.egg-info",
                                                             "__pycache__", ".pytest_cache", ".hypothesis"))
    done = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", ".", "-w", dist, cwd=src)
    assert done.returncode == 0, done.stderr[-3000:]
    (found,) = dist.glob("masterplan-*.whl")
    return found


def test_wheel_ships_the_templates_and_licence(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("masterplan_kit/templates/pdf/book.css", "masterplan_kit/templates/site/mkdocs.yml",
                     "masterplan_kit/templates/scaffold/programme.yml.j2", "masterplan_kit/templates/docx/reference.docx"):
        assert expected in names
    assert any(n.endswith(("licenses/LICENSE", "/LICENSE")) for n in names)
    assert f"masterplan-{__version__}" in wheel.name


def test_installed_wheel_builds_a_content_only_project(wheel: Path, tmp_path: Path):
    venv = tmp_path / "venv"
    # the dependencies come from this test environment (a path entry, whose own .pth files, such as
    # the editable install's, are not read); the package itself only from the wheel
    done = _run(sys.executable, "-m", "venv", venv)
    assert done.returncode == 0, done.stderr
    py = venv / "bin" / "python"
    site = _run(py, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").stdout.strip()
    deps = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "test-deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    done = _run(py, "-m", "pip", "install", "--no-deps", "--force-reinstall", wheel)
    assert done.returncode == 0, done.stderr[-3000:]
    where = _run(py, "-c", "import masterplan_kit, sys; print(masterplan_kit.__file__)")
    assert str(venv) in where.stdout, "the test must use the installed wheel, not the source tree"

    project = tmp_path / "kota"
    for name in ("masterplan", "pillars"):
        shutil.copytree(REPO / name, project / name)
    cli = venv / "bin" / "masterplan"
    env_run = lambda *a: _run(cli, *a, cwd=project)
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
