"""The generated sections a volume's ``contents`` (and the site) can name: one table.

Each entry says what the section is called, where it lives on the site, which templates render it
for the books and the site, and which programmes a volume that holds it shows. The validator (an
unknown section is E205), the book assembly, the site's pages and navigation and the JSON Schema's
description all read this table: adding a generated section is one entry here plus its templates.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionSpec:
    id: str  # as written in a volume's contents
    title: str  # its title in the books and on the site
    description: str
    key: str  # anchor and id prefix in the books
    book_template: str | None  # HTML for the PDF and DOCX volumes (None: assembled otherwise, see per_pillar)
    route: str | None = None  # its page on the site (None: no page of its own)
    site_template: str | None = None
    site_title: str | None = None  # the page's title when it differs from the books'
    annex: bool = False  # printed as a landscape annex ("LAMPIRAN") after the chapters
    per_pillar: bool = False  # one chapter per pillar instead of one section
    shows_all: bool = False  # a volume holding it shows every programme (for W405 and the open data)
    takes_year: bool = False  # accepts a ``year`` option


SECTIONS: dict[str, SectionSpec] = {s.id: s for s in [
    SectionSpec("pillars", "Pilar", "one chapter per pillar: narrative, elements and its programmes", "pilar",
                None, per_pillar=True, shows_all=True),
    SectionSpec("roadmap", "Peta Jalan", "programmes by year, grouped by pillar", "peta-jalan",
                "pdf/sections/roadmap.html.j2", "peta-jalan.html", "site/roadmap.md.j2", shows_all=True),
    SectionSpec("quick-wins", "Quick Wins", "the quick-win programmes", "quick-wins",
                "pdf/sections/quick-wins.html.j2", "quick-wins.html", "site/quick-wins.md.j2"),
    SectionSpec("kpis", "Indikator Kinerja", "every programme's indicators, baselines, targets and actuals",
                "indikator", "pdf/sections/kpis.html.j2", "indikator.html", "site/kpis.md.j2", shows_all=True),
    SectionSpec("achievement", "Capaian Kinerja",
                "KPI achievement and budget realisation of a year (Laporan Capaian)", "capaian",
                "pdf/sections/achievement.html.j2", shows_all=True, takes_year=True),
    SectionSpec("changes", "Daftar Perubahan", "what changed since the previous edition", "perubahan",
                "pdf/sections/changes.html.j2"),
    SectionSpec("programme-matrix", "Matriks Program", "landscape annex listing every programme",
                "matriks-program", "pdf/sections/programme-matrix.html.j2", "katalog.html", "site/catalogue.md.j2",
                site_title="Katalog Program", annex=True, shows_all=True),
]}


def section(section_id: str) -> SectionSpec | None:
    return SECTIONS.get(section_id)


def site_pages() -> list[SectionSpec]:
    """The sections that have a page of their own on the site, in the table's order."""
    return [s for s in SECTIONS.values() if s.route and s.site_template]
