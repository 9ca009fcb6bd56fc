"""Shared fixtures: a scratch copy of the default masterplan, and the CLI run in-process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from masterplan_kit.cli import app

REPO = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("masterplan", "pillars", "schemas")


def copy_project(dest: Path) -> Path:
    for name in SOURCE_DIRS:
        shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The default masterplan's data and site, built once for the session."""
    from masterplan_kit.build import build_outputs
    from masterplan_kit.pipeline import load_and_check

    root = copy_project(tmp_path_factory.mktemp("site") / "project")
    project, report = load_and_check(root)
    assert not report.errors(), report.to_text()
    list(build_outputs(project, ["data", "site"], root / "build"))
    return root / "build" / "site"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the default sources."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def cli():
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return run


def edit(root: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(root: Path, rel: str, needle: str) -> int:
    for n, line in enumerate((root / rel).read_bytes().decode("utf-8", "replace").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {rel}")


@pytest.fixture(scope="session")
def built_books(tmp_path_factory) -> Path:
    """The default masterplan's PDF and DOCX volumes, built once for the session."""
    from masterplan_kit.build import build_outputs
    from masterplan_kit.pipeline import load_and_check

    root = copy_project(tmp_path_factory.mktemp("books") / "project")
    project, report = load_and_check(root)
    assert not report.errors(), report.to_text()
    list(build_outputs(project, ["pdf", "docx"], root / "build", pdf_html=True))
    return root / "build"


FIXTURE = REPO / "tests" / "fixtures" / "kota-contoh"


def copy_fixture(dest: Path) -> Path:
    """A writable copy of the small fixture project (two pillars, three programmes, two chapters):
    tests that need a project, not the Samarinda content, use it."""
    shutil.copytree(FIXTURE, dest)
    return dest


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return copy_fixture(tmp_path / "kota-contoh")


SMALL_PROJECT = {
    "masterplan/masterplan.yml": """\
city: Kota Contoh
title: Masterplan Smart City Kota Contoh
period: {start: 2023, end: 2025}
vision: Kota cerdas.
missions: [Melayani warga.]
volumes:
  - {id: buku, title: Buku, contents: [pillars]}
""",
    "masterplan/opd.yml": """\
- {id: diskominfo, name: Dinas Komunikasi dan Informatika, abbr: Diskominfo, kind: dinas}
- {id: dinkes, name: Dinas Kesehatan, abbr: Dinkes, kind: dinas}
""",
    "pillars/governance/pillar.yml": """\
name: Smart Governance
order: 1
definition: Tata kelola.
elements: [{id: layanan, name: Layanan}]
""",
    "pillars/living/pillar.yml": """\
name: Smart Living
order: 2
definition: Kehidupan.
elements: [{id: kesehatan, name: Kesehatan}]
""",
    # 2024: KPI 1 60 / 80 = 75 % (sedang); KPI 2 (decrease) (2 × 40 − 38) / 40 = 105 %; budget 900 of 1.000 juta
    "pillars/governance/programmes/alpha.yml": """\
title: Alpha
summary: Program alpha.
element: layanan
lead: diskominfo
kind: infostruktur
status: ongoing
years: [2023, 2024, 2025]
budget:
  - {year: 2024, amount: 1000000000, source: APBD, realised: 900000000}
  - {year: 2024, amount: 500000000, source: APBN}
kpis:
  - indicator: '=HYPERLINK("http://contoh")'
    unit: "%"
    baseline: {year: 2022, value: 50}
    targets: {2023: 60, 2024: 80, 2025: 100}
    actuals: {2023: 62, 2024: 60}
  - indicator: Waktu tanggap pengaduan
    unit: menit
    direction: decrease
    baseline: {year: 2022, value: 60}
    targets: {2024: 40, 2025: 30}
    actuals: {2024: 38}
""",
    "pillars/living/programmes/beta.yml": """\
title: Beta
summary: Program beta.
element: kesehatan
lead: dinkes
kind: infrastruktur
status: planned
years: [2025]
kpis:
  - indicator: Puskesmas terhubung
    unit: puskesmas
    targets: {2025: 10}
""",
}


def write_small_project(dest: Path) -> Path:
    """A two-pillar masterplan whose evaluation is easy to compute by hand (see the comments above)."""
    for rel, text in SMALL_PROJECT.items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(text, encoding="utf-8")
    (dest / "masterplan" / "chapters").mkdir(exist_ok=True)
    return dest


def run_process(*args: str | Path, cwd: Path | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], check=False, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The package's wheel, built once for the session from a clean copy of the repository."""
    dist = tmp_path_factory.mktemp("dist")
    src = tmp_path_factory.mktemp("src") / "repo"
    # a clean copy of what git tracks and what is being changed: no .venv, no build/
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(".venv", "build", ".git", "node_modules", "*.egg-info",
                                                             "__pycache__", ".pytest_cache", ".hypothesis"))
    done = run_process(sys.executable, "-m", "pip", "wheel", "--no-deps", ".", "-w", dist, cwd=src)
    assert done.returncode == 0, done.stderr[-3000:]
    (found,) = dist.glob("masterplan-*.whl")
    return found


def install_wheel(wheel: Path, venv: Path) -> Path:
    """A fresh virtual environment with only the wheel installed; returns its bin folder."""
    # the dependencies come from this test environment (a path entry, whose own .pth files, such as
    # the editable install's, are not read); the package itself only from the wheel
    done = run_process(sys.executable, "-m", "venv", venv)
    assert done.returncode == 0, done.stderr
    py = venv / "bin" / "python"
    site = run_process(py, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").stdout.strip()
    deps = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "test-deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    done = run_process(py, "-m", "pip", "install", "--no-deps", "--force-reinstall", wheel)
    assert done.returncode == 0, done.stderr[-3000:]
    where = run_process(py, "-c", "import masterplan_kit, sys; print(masterplan_kit.__file__)")
    assert str(venv) in where.stdout, "the test must use the installed wheel, not the source tree"
    return venv / "bin"
