"""The built site: strict MkDocs build, every internal link and anchor resolves, content is safe."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import REPO, copy_project, edit
from masterplan_kit.pipeline import load_and_check
from masterplan_kit.render import routes
from masterplan_kit.render.site import SiteBuildError, render_pages, write_site
from masterplan_kit.render.site_blocks import put_back, set_aside, take_out
from masterplan_kit.render.site_pages import navigation, pages


def copy_project_readonly() -> Path:
    """The default sources where they are (for tests that only read them)."""
    return REPO


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
                "opd/index.html", "opd/diskominfo.html", "pilar/index.html", "pilar/governance/index.html",
                "program/e-kelurahan.html", "bab/pendahuluan.html", "capaian/index.html", "capaian/2024.html",
                "wilayah/index.html", "wilayah/samarinda-ulu.html", "buku/index.html", "data/programmes.json",
                "data/programmes.csv", "assets/logo-samarinda.svg"]:
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
    remote = re.compile(r'(?:\bsrc="|<link\b(?![^>]*rel="canonical")[^>]*\bhref=")(?:https?:)?//', re.I)  # links are fine
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not remote.search(text), page
    css = "".join(p.read_text(encoding="utf-8", errors="replace") for p in built_site.rglob("*.css"))
    assert "fonts.googleapis" not in css


def test_programme_page_shows_everything(built_site: Path):
    html = (built_site / "program/e-kelurahan.html").read_text(encoding="utf-8")
    for text in ["Layanan surat pengantar", "Smart Governance", "Pelayanan Publik", "Dinas Komunikasi dan Informatika",
                 "Rp\u00a0650.000.000", "Rp\u00a02.200.000.000", "Kelurahan yang melayani surat pengantar", "Berjalan",
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


# --- the site map -------------------------------------------------------------------------------

def _nav_files(items) -> list[str]:
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        else:
            for value in item.values():
                out += _nav_files(value) if isinstance(value, list) else [value]
    return out


def test_every_page_is_in_the_navigation_once_under_its_tab():
    root = copy_project_readonly()
    project, _ = load_and_check(root)
    nav = navigation(project)
    assert [next(iter(tab)) for tab in nav] == ["Beranda", "Pilar", "Program", "Peta Jalan", "Capaian", "Wilayah",
                                                "Unduhan", "Buku"]
    files = _nav_files(nav)
    every = pages(project)
    assert sorted(files) == sorted(p.source for p in every if not p.parent)  # each once
    assert len(files) == len(set(files))
    tabs = {next(iter(tab)): _nav_files([tab]) for tab in nav}
    assert "wilayah/samarinda-ulu.md" in tabs["Wilayah"]
    assert not any(f.startswith("opd/samarinda") for f in files)  # kecamatan are places, not agencies
    assert "opd/diskominfo.md" in tabs["Program"]
    shown_under = {p.source: p.parent for p in every if p.parent}  # programmes show under their pillar
    assert shown_under["program/e-kelurahan.md"] == "pilar/governance/index.md" in tabs["Pilar"]
    assert len(shown_under) == len(project.programmes)


def test_page_titles_are_unique():
    project, _ = load_and_check(copy_project_readonly())
    heads = [p.head_title.casefold() for p in pages(project)]
    assert len(heads) == len(set(heads))


def test_a_kecamatan_link_leads_to_its_place():
    assert routes.for_link("opd", "palaran", "kecamatan") == "wilayah/palaran.html"
    assert routes.for_link("opd", "dishub") == "opd/dishub.html"


# --- what every page carries ---------------------------------------------------------------------

_GENERATED = ["index.html", "pilar/index.html", "pilar/governance/index.html", "program/e-kelurahan.html",
              "katalog.html", "quick-wins.html", "opd/index.html", "opd/diskominfo.html", "peta-jalan.html",
              "capaian/index.html", "capaian/2024.html", "indikator.html", "wilayah/index.html",
              "wilayah/samarinda-ulu.html", "unduhan.html", "buku/index.html", "bab/pendahuluan.html"]


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False
        self.crumbs: list[str] = []
        self._in_path = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "title" and not self.title:
            self._in_title = True
        if tag == "meta" and (a.get("name") or a.get("property")):
            self.meta[a.get("name") or a["property"]] = a.get("content") or ""
        if tag == "nav" and "md-path" in (a.get("class") or ""):
            self._in_path = 1
        elif self._in_path and tag == "a":
            self.crumbs.append("")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "nav":
            self._in_path = 0

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._in_path and self.crumbs and data.strip():
            self.crumbs[-1] += data.strip()


def _head(path: Path) -> _Head:
    h = _Head()
    h.feed(path.read_text(encoding="utf-8"))
    return h


def test_every_page_has_a_unique_title_a_description_and_a_preview(built_site: Path):
    titles = {}
    for page in sorted(built_site.rglob("*.html")):
        h = _head(page)
        rel = page.relative_to(built_site).as_posix()
        assert h.title not in titles.values(), (rel, h.title)
        if rel != "404.html":
            assert h.meta.get("description"), rel
            assert h.meta.get("og:description") == h.meta["description"], rel
        titles[rel] = h.title
        assert h.meta.get("og:title") and h.meta.get("og:site_name") == "Masterplan Smart City Kota Samarinda", rel
    assert titles["index.html"] == "Masterplan Smart City Kota Samarinda"  # the site's name, once
    assert titles["program/e-kelurahan.html"] == "e-Kelurahan – Masterplan Smart City Kota Samarinda"
    h = _head(built_site / "program/e-kelurahan.html")  # the edition's site_url gives the address of each page
    assert h.meta["og:url"] == "https://smartcity.samarindakota.go.id/program/e-kelurahan.html"
    assert "https://smartcity.samarindakota.go.id/wilayah/palaran.html" in (built_site / "sitemap.xml").read_text(encoding="utf-8")


def test_a_programme_page_shows_under_its_pillar(built_site: Path):
    html = (built_site / "program/e-kelurahan.html").read_text(encoding="utf-8")
    assert re.search(r'md-tabs__item--active">\s*<a href="\.\./pilar/index\.html"', html)
    nav = html[html.index('md-nav--primary'):html.index('md-content')]
    assert 'md-nav__link--active' in nav and "e-Kelurahan" in nav and "Capaian 2024" in nav  # with its contents
    assert "SANTER" not in nav  # its siblings are listed on the pillar's page, not beside every programme
    other = (built_site / "program/santer.html").read_text(encoding="utf-8")
    assert "e-Kelurahan</span>" not in other[other.index('md-nav--primary'):other.index('md-content')]


def test_generated_pages_have_breadcrumbs(built_site: Path):
    assert _head(built_site / "index.html").crumbs == []
    assert _head(built_site / "program/e-kelurahan.html").crumbs == ["Beranda", "Pilar", "Smart Governance"]
    assert _head(built_site / "opd/diskominfo.html").crumbs == ["Beranda", "Program", "Perangkat Daerah"]
    assert _head(built_site / "wilayah/palaran.html").crumbs == ["Beranda", "Wilayah"]
    assert _head(built_site / "capaian/2024.html").crumbs == ["Beranda", "Capaian"]
    assert _head(built_site / "bab/pendahuluan.html").crumbs[:2] == ["Beranda", "Buku"]
    for rel in _GENERATED[1:]:
        assert _head(built_site / rel).crumbs[:1] == ["Beranda"], rel


def test_licence_in_every_footer_and_no_english_in_the_interface(built_site: Path):
    english = re.compile(r"Made with|Permanent link|Table of contents|Back to top|Search|Previous|Next\b|Skip to|"
                         r'"(Header|Footer|Tabs?)"')
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        footer = text[text.index('<footer class="md-footer">'):]
        assert 'rel="license"' in footer and "Creative Commons Atribusi 4.0 Internasional" in footer, page
        assert not english.search(re.sub(r"<script.*?</script>", "", text, flags=re.S)), (page, english.search(text))


# --- place, money, progress ------------------------------------------------------------------------

def _section(html: str, anchor: str) -> str:
    """The HTML from the heading with id ``anchor`` to the next heading of level 2."""
    start = html.index(f'id="{anchor}"')
    end = html.find("<h2", start)
    return html[start:end if end > 0 else None]


def test_a_kecamatan_page_lists_its_programmes_and_the_city_wide_ones_with_budget(built_site: Path):
    html = (built_site / "wilayah/samarinda-ulu.html").read_text(encoding="utf-8")
    here, citywide = _section(html, "program"), _section(html, "seluruh-kota")
    assert "e-Kelurahan" in here and "Rp\u00a02.200.000.000" in here  # located there, with its budget
    assert "Wi-Fi Publik" in citywide and "Wi-Fi Publik" not in here
    assert "Santer" not in here.replace("SANTER", "Santer") or "samarinda-seberang" not in here  # located elsewhere
    assert "Jumlah (" in here and "Jumlah (" in citywide


def test_a_kecamatan_page_names_the_indicators_of_its_programmes_below_target(built_site: Path):
    from masterplan_kit.model.evaluation import below_target, latest_actual_year

    project, _ = load_and_check(copy_project_readonly())
    year = latest_actual_year(project)
    html = (built_site / "wilayah/samarinda-ulu.html").read_text(encoding="utf-8")
    section = _section(html, "capaian")
    assert f"Capaian {year}" in section
    marked = sorted(re.findall(r'<tr data-below="true" data-pillar="[^"]+" data-kpi="([^"]+)"', section))
    expected = sorted(s.ref.key for s in below_target(project, year) if "samarinda-ulu" in s.ref.programme.locations)
    assert marked == expected and marked
    index = (built_site / "wilayah/index.html").read_text(encoding="utf-8")
    assert f'href="samarinda-ulu.html#capaian">{len(expected)} dari ' in index  # the count on the index, to the list


def test_the_number_of_pillars_is_counted_not_assumed(small: Path):
    project, report = load_and_check(small)
    assert not report.errors(), report.to_text()
    from masterplan_kit.render.site_data import SiteData

    home = next(p for p in pages(project) if p.route == routes.HOME)
    markdown, blocks = take_out(render_pages(project, [home], SiteData(project))["index.md"].decode("utf-8"))
    text = put_back(markdown, blocks)
    assert len(project.pillars) == 2 and "## Dua Pilar" in text and "Enam" not in text


def test_budget_totals_on_pillar_and_opd_pages(built_site: Path):
    project, _ = load_and_check(copy_project_readonly())
    from masterplan_kit.render import site_fmt

    pillar_total = sum(p.total_budget for p in project.programmes_of("governance"))
    html = (built_site / "pilar/governance/index.html").read_text(encoding="utf-8")
    assert site_fmt.rupiah_short(pillar_total) in html and html.count("mp-chart-wide") == 2
    assert html.count("mp-chart-narrow") == 2  # each chart also stacked for a phone
    led = [p for p in project.programmes if p.lead == "diskominfo"]
    html = (built_site / "opd/diskominfo.html").read_text(encoding="utf-8")
    assert site_fmt.rupiah(sum(p.total_budget for p in led)) in html and "mp-barchart-svg" in html
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert home.count("mp-chart-wide") >= 3 and "Data anggaran indikatif per pilar" in home
    assert "Data anggaran indikatif per OPD pengampu" in home  # the caption keeps the abbreviation's capitals


def test_achievement_with_direction_and_status(built_site: Path):
    project, _ = load_and_check(copy_project_readonly())
    decreasing = next(p for p in project.programmes if any(k.direction == "decrease" for k in p.kpis))
    html = (built_site / f"program/{decreasing.id}.html").read_text(encoding="utf-8")
    assert "lebih rendah lebih baik" in html and "mp-status--" in html
    for rel in ["index.html", "pilar/governance/index.html", "opd/diskominfo.html", "capaian/index.html"]:
        text = (built_site / rel).read_text(encoding="utf-8")
        assert "mencapai target" in text and "rata-rata capaian" in text.lower(), rel


def test_the_rows_below_target_are_those_of_the_evaluation(built_site: Path):
    from masterplan_kit.model.evaluation import below_target

    project, _ = load_and_check(copy_project_readonly())
    html = (built_site / "capaian/2024.html").read_text(encoding="utf-8")
    marked = sorted(re.findall(r'<tr data-below="true" data-pillar="[^"]+" data-kpi="([^"]+)"', html))
    assert marked == sorted(s.ref.key for s in below_target(project, 2024)) and marked


# --- search -------------------------------------------------------------------------------------

def test_search_index_keeps_cells_apart_and_leaves_widgets_out(built_site: Path):
    index = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    assert index["config"]["fields"]["title_joined"] == index["config"]["fields"]["title"]
    wifi = [d for d in docs if d["location"] == "program/wifi-publik.html"]
    assert wifi and wifi[0]["title_joined"] == "wifi"
    text = " ".join(d["text"] for d in docs)
    assert "PilarSmart" not in text and "Semua pilar" not in text
    assert any("Samarinda Ulu" in d["title"] for d in docs)
    offline = (built_site / "search/search_index.js").read_text(encoding="utf-8")  # the index from file://
    assert offline.startswith("var __index = ") and json.loads(offline.removeprefix("var __index = ")) == index


def test_tables_are_wrapped_and_cells_spaced():
    from masterplan_kit.render.mkdocs_hooks import joined_words, space_cells, wrap_tables

    html = '<table class="mp-table"><tr><th>Pilar</th><td>Smart</td></tr></table>'
    wrapped = wrap_tables(html)
    assert wrapped.startswith('<div class="mp-scroll"><table') and wrap_tables(wrapped) == wrapped
    assert "</th>\n<td>" in space_cells(html)
    assert joined_words("Wi-Fi Publik dan e-Kelurahan, 2023-2025") == ["20232025", "ekelurahan", "wifi"]


# --- downloads ------------------------------------------------------------------------------------

def test_downloads_show_size_pages_date_and_licence(small: Path, tmp_path: Path):
    import pikepdf

    from masterplan_kit.render.site_data import SiteData

    pdf = pikepdf.new()
    for _ in range(3):
        pdf.add_blank_page()
    pdf.docinfo["/CreationDate"] = "D:20240315000000Z"
    pdf.save(tmp_path / "buku-1.pdf")
    project, report = load_and_check(small)
    assert not report.errors(), report.to_text()
    site = SiteData(project, {"buku-1.pdf": tmp_path / "buku-1.pdf"})
    page = next(p for p in pages(project) if p.route == routes.DOWNLOADS)
    markdown, blocks = take_out(render_pages(project, [page], site)["unduhan.md"].decode("utf-8"))
    html = put_back(markdown, blocks)
    row = html[html.index("unduhan/buku-1.pdf"):]
    row = row[:row.index("</tr>")]
    assert "15 Maret 2024" in row and re.search(r">\d+\u00a0(B|KB) · 3 halaman<", row), row
    assert 'data-label="DOCX"><span class="mp-muted">belum dibangun' in row  # one row per book, both formats
    assert "Creative Commons Atribusi 4.0 Internasional" in html


# --- every value from the sources is text -----------------------------------------------------------

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img": '<img src=x onerror="alert(2)">',
}


class _Markup(HTMLParser):
    """Elements and attributes that would run script."""

    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        self._script = tag == "script"
        if any(name.startswith("on") for name, _ in attrs) or (tag == "img" and dict(attrs).get("src") == "x"):
            self.bad.append(f"<{tag} {attrs}>")

    def handle_data(self, data):
        if self._script and "alert(" in data and "\\u003c" not in data:
            self.bad.append(data[:80])

    def handle_endtag(self, tag):
        self._script = False


def test_hostile_names_stay_text_everywhere(small: Path):
    s, i = HOSTILE["script"], HOSTILE["img"]
    yml = small / "masterplan" / "masterplan.yml"
    text = yml.read_text(encoding="utf-8").replace("title: Masterplan Smart City Kota Contoh", f"title: 'Kota {i}'")
    text = text.replace('title: "Buku 1: Analisis"', f"title: 'Buku {s}'")
    yml.write_text(text + f"publisher: 'Dinas {i}'\nversion: 'Draf {s}'\n", encoding="utf-8")
    edit(small, "pillars/governance/pillar.yml", "name: Smart Governance", f"name: 'Gov {s}'")
    edit(small, "pillars/governance/pillar.yml", "name: Pelayanan Publik", f"name: 'Layanan {i}'")
    edit(small, "masterplan/chapters/profil.md", "title: Profil Kota", f"title: 'Profil {i}'")
    edit(small, "masterplan/opd.yml", "abbr: Diskominfo", f"abbr: 'Kominfo {s}'")
    edit(small, "masterplan/opd.yml", "name: Kecamatan Kota Lama", f"name: 'Kota Lama {i}'")
    edit(small, "pillars/governance/programmes/portal-warga.yml", "title: Portal Warga", f"title: 'Portal {s}'")
    edit(small, "pillars/governance/programmes/portal-warga.yml", "indicator: Layanan", f"indicator: '{i} Layanan")
    edit(small, "pillars/governance/programmes/portal-warga.yml", "daring\n    unit", "daring'\n    unit")
    project, report = load_and_check(small)
    assert not report.errors(), report.to_text()
    site = write_site(project, small / "build" / "site")
    for page in site.rglob("*.html"):
        parser = _Markup()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.bad == [], (page.relative_to(site), parser.bad)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Kota &lt;img src=x onerror=" in home and "&lt;script&gt;alert(1)&lt;/script&gt;" in home
    for name in ["search/search_index.json", "sitemap.xml"]:
        raw = (site / name).read_text(encoding="utf-8")
        assert "<script>" not in raw and "<img src=x" not in raw, name


def test_html_parts_wait_outside_markdown():
    page = ('---\ntitle: "x"\n---\n\n<h1 id="judul">x</h1>\n\n## Dua {: #dua }\n\n<p>a --> b</p>\n\n<p>c</p>\n'
            '\n## Tiga {: #tiga }\n\nTeks *Markdown*.\n')
    stored = set_aside(page)
    assert stored.startswith('---\ntitle: "x"\n---\n') and stored.count("-->") == 3  # 2 placeholders, the store
    markdown, blocks = take_out(stored)
    assert blocks == ['<h1 id="judul">x</h1>', "<p>a --> b</p>\n\n<p>c</p>"]
    assert "## Dua {: #dua }" in markdown and "Teks *Markdown*." in markdown and "<p>" not in markdown
    assert put_back(markdown, blocks).count("<p>a --> b</p>") == 1


def test_the_steps_of_a_site_build(small: Path, tmp_path: Path):
    from masterplan_kit.render.site import asset_files, data_files, mkdocs_config

    project, _ = load_and_check(small)
    assets = asset_files(project, {})
    assert "assets/logo.svg" in assets and "stylesheets/masterplan.css" in assets and "javascripts/masterplan.js" in assets
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "programmes.json").write_text("{}", encoding="utf-8")
    (tmp_path / "buku-1.pdf").write_bytes(b"%PDF-")
    assert set(data_files({"buku-1.pdf": tmp_path / "buku-1.pdf"}, tmp_path / "data")) == {
        "unduhan/buku-1.pdf", "data/programmes.json"}
    config = (mkdocs_config(project, tmp_path / "work", tmp_path / "site")).read_text(encoding="utf-8")
    assert "custom_dir: overrides" in config and "Wilayah" in config
    assert (tmp_path / "work" / "overrides" / "main.html").is_file()


def test_relative_links_are_those_of_posixpath():
    import itertools
    import posixpath

    known = ["index.html", "katalog.html", "pilar/index.html", "pilar/gov/index.html", "program/x.html",
             "data/a.json", "wilayah/p.html", "a/b/c/d.html", "pilar/gov/sub/x.html", "media/../x.png"]
    for a, b in itertools.product(known, known):
        assert routes.relative(a, b) == posixpath.relpath(b, posixpath.dirname(a) or "."), (a, b)


def test_a_plain_mkdocs_yml_builds(small: Path):
    (small / "mkdocs.yml").write_text("site_name: Kota Contoh\ntheme: material\n", encoding="utf-8")
    project, _ = load_and_check(small)
    site = write_site(project, small / "build" / "site")
    html = (site / "program/portal-warga.html").read_text(encoding="utf-8")
    assert "<title>Portal Warga – Kota Contoh</title>" in html and 'rel="license"' in html
