"""The built site: strict MkDocs build, every internal link and anchor resolves, content is safe."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import copy_project, edit
from masterplan_kit.pipeline import load_and_check
from masterplan_kit.render.site import SiteBuildError, write_site


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for key in ("href", "src"):
            if a.get(key) and not (tag == "link" and a.get("rel") in ("canonical",)):
                self.links.append(a[key])


def _parse(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_every_page_exists(built_site: Path):
    for rel in ["index.html", "katalog.html", "peta-jalan.html", "quick-wins.html", "indikator.html", "unduhan.html",
                "opd/index.html", "opd/diskominfo.html", "pilar/governance.html", "program/e-kelurahan.html",
                "bab/pendahuluan.html", "data/programmes.json", "data/programmes.csv", "assets/logo-samarinda.svg"]:
        assert (built_site / rel).is_file(), rel
    assert len(list((built_site / "program").glob("*.html"))) >= 60


def test_no_broken_internal_link_or_anchor(built_site: Path):
    pages = {p: _parse(p) for p in built_site.rglob("*.html")}
    broken = []
    for page, parsed in pages.items():
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("//", "data:")):
                continue
            base = built_site if parts.path.startswith("/") else page.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(built_site)} -> {link}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(built_site)} -> {link} (no anchor)")
    assert broken == []


def test_nothing_is_fetched_from_the_network(built_site: Path):
    remote = re.compile(r'(?:src|href)="(?:https?:)?//', re.I)
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not remote.search(text.replace('href="https://squidfunk', "")), page
    css = "".join(p.read_text(encoding="utf-8", errors="replace") for p in built_site.rglob("*.css"))
    assert "fonts.googleapis" not in css


def test_programme_page_shows_everything(built_site: Path):
    html = (built_site / "program/e-kelurahan.html").read_text(encoding="utf-8")
    for text in ["Layanan surat pengantar", "Smart Governance", "Pelayanan Publik", "Dinas Komunikasi dan Informatika",
                 "Rp 650.000.000", "Rp 2.200.000.000", "Kelurahan yang melayani surat pengantar", "Berjalan",
                 "../opd/diskominfo.html", "href=\"santer.html\"", "Buku 2: Masterplan Smart City"]:
        assert text in html, text


def test_id_links_in_chapters_resolve_to_pages(built_site: Path):
    html = (built_site / "bab/profil-kota.html").read_text(encoding="utf-8")
    assert 'href="../program/e-kelurahan.html"' in html
    assert 'href="../opd/diskominfo.html"' in html
    assert "programme:" not in html


def test_data_views_filled(built_site: Path):
    html = (built_site / "bab/kesiapan-daerah.html").read_text(encoding="utf-8")
    assert html.count("Daftar program") == 3
    assert "Peta Rencana SPBE" in html  # a suprastruktur programme
    roadmap = (built_site / "peta-jalan.html").read_text(encoding="utf-8")
    assert roadmap.count("<svg") >= 6 and "e-Kelurahan" in roadmap


def test_home_page(built_site: Path):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert html.count('class="mp-pillar-card"') == 6
    assert "bukan dokumen resmi" in html
    assert 'lang="id"' in html


def test_catalogue_data_island_matches_export(built_site: Path):
    html = (built_site / "katalog.html").read_text(encoding="utf-8")
    island = re.search(r'<script type="application/json" id="mp-programmes">(.*?)</script>', html, re.S).group(1)
    exported = json.loads((built_site / "data/programmes.json").read_text(encoding="utf-8"))["programmes"]
    assert [p["id"] for p in json.loads(island)] == [p["id"] for p in exported]
    assert html.count("<tr data-id=") == len(exported)


def test_raw_html_is_sanitised(tmp_path: Path):
    root = copy_project(tmp_path / "p")
    ek = "pillars/governance/programmes/e-kelurahan.yml"
    edit(root, ek, "description: |\n",
         "description: |\n  Awas <script>alert('x')</script> dan <a href=\"javascript:alert(1)\" onclick=\"evil()\">tautan</a>\n"
         "  serta <img src=\"../../../masterplan/assets/logo-samarinda.svg\" onerror=\"evil()\">.\n\n")
    edit(root, "masterplan/chapters/pendahuluan.md", "## Latar Belakang\n",
         "## Latar Belakang\n\n<script>alert(2)</script>\n[klik](javascript:alert(3)) <iframe src=\"https://evil\"></iframe>\n")
    project, report = load_and_check(root)
    assert {d.code for d in report.errors()} == {"E212"}, report.to_text()  # refused first
    site = write_site(project, root / "build" / "site")  # and removed, should a build run regardless
    for page in ["program/e-kelurahan.html", "bab/pendahuluan.html"]:
        html = (site / page).read_text(encoding="utf-8")
        assert "alert(" not in html and "javascript:" not in html.lower() and "onclick" not in html
        assert "onerror" not in html and "<iframe" not in html and "evil" not in html
    assert "tautan" in (site / "program/e-kelurahan.html").read_text(encoding="utf-8")


def test_failed_build_keeps_previous_site(tmp_path: Path, monkeypatch):
    root = copy_project(tmp_path / "p")
    project, _ = load_and_check(root)
    site = write_site(project, root / "build" / "site")
    before = (site / "index.html").read_bytes()
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text() + "\nnot_an_option: 1\n", encoding="utf-8")
    with pytest.raises(SiteBuildError):
        write_site(project, root / "build" / "site")
    assert (site / "index.html").read_bytes() == before
    assert [p.name for p in (root / "build").iterdir() if p.name.startswith(".site")] == []
