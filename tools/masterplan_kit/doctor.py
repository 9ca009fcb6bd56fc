"""``masterplan doctor``: is this machine able to build every output? Each check says the fix."""

from __future__ import annotations

import ctypes.util
import shutil
import subprocess
import sys
from dataclasses import dataclass


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def run_checks() -> list[Check]:
    return [_python(), _libyaml(), _pango(), _cairo(), _weasyprint(), _fonts(), _pandoc(), _mkdocs()]


def _python() -> Check:
    v = sys.version_info
    ok = v >= (3, 10)
    return Check("Python", ok, f"{v.major}.{v.minor}.{v.micro}", "install Python 3.10 or newer")


def _libyaml() -> Check:
    import yaml

    ok = bool(getattr(yaml, "__with_libyaml__", False))
    return Check("libyaml (fast YAML parser)", ok, "available" if ok else "missing: validation is slower",
                 "apt-get install libyaml-dev, then reinstall PyYAML")


def _cairo() -> Check:
    """Cairo draws the PNG copies of the charts in the DOCX; without it Word gets the SVG only."""
    lib = ctypes.util.find_library("cairo")
    return Check("Cairo (PNG copies of charts in DOCX)", bool(lib), lib or "missing: DOCX charts are SVG only",
                 "apt-get install libcairo2")


def _pango() -> Check:
    lib = ctypes.util.find_library("pango-1.0")
    if not lib:
        return Check("Pango (text layout for PDF)", False, "not found",
                     "apt-get install libpango-1.0-0 libpangoft2-1.0-0 (Debian/Ubuntu)")
    try:
        version = ctypes.CDLL(lib).pango_version()
        text = f"{version // 10000}.{version // 100 % 100}.{version % 100}"
        ok = version >= 14400
    except (OSError, AttributeError):
        text, ok = lib, True
    return Check("Pango (text layout for PDF)", ok, text, "WeasyPrint needs Pango 1.44 or newer")


def _weasyprint() -> Check:
    try:
        import weasyprint

        return Check("WeasyPrint", True, weasyprint.__version__)
    except Exception as exc:  # an OSError from a missing shared library, typically
        return Check("WeasyPrint", False, f"cannot import: {exc}".splitlines()[0],
                     "pip install weasyprint; apt-get install libpango-1.0-0 libpangoft2-1.0-0")


def _fonts() -> Check:
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return Check("Fonts (fontconfig)", False, "fc-list not found", "apt-get install fontconfig fonts-dejavu-core")
    try:
        out = subprocess.run([fc_list, ":", "family"], check=False, capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        return Check("Fonts (fontconfig)", False, str(exc), "apt-get install fontconfig")
    families = {f.split(",")[0].strip() for f in out.splitlines() if f.strip()}
    ok = bool(families)
    return Check("Fonts (fontconfig)", ok, f"{len(families)} families", "apt-get install fonts-dejavu-core")


def _pandoc() -> Check:
    try:
        import pypandoc

        return Check("pandoc", True, pypandoc.get_pandoc_version())
    except Exception as exc:
        return Check("pandoc", False, str(exc).splitlines()[0] if str(exc) else "not found",
                     "pip install pypandoc-binary")


def _mkdocs() -> Check:
    try:
        from importlib.metadata import version

        mk, mat = version("mkdocs"), version("mkdocs-material")
        ok = mk.split(".")[0] == "1"
        return Check("MkDocs + Material", ok, f"mkdocs {mk}, material {mat}", "pip install 'mkdocs<2' mkdocs-material")
    except Exception:
        return Check("MkDocs + Material", False, "not installed", "pip install 'mkdocs<2' mkdocs-material")
