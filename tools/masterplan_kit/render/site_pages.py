"""The site map: every page the site generates, and the navigation that holds them.

The navigation has one tab per question a reader comes with — Beranda, Pilar (with each pillar's
programmes under it), Program (catalogue, quick wins, agencies), Peta Jalan, Capaian, Wilayah,
Unduhan, Buku — and every generated page sits in it exactly once (a programme under its pillar,
shown when it is the page being read), so that the theme marks where a reader is and prints the
breadcrumbs (``navigation.path``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..model import Project
from ..model.sections import SECTIONS, site_pages
from . import routes
from .site_data import report_years


@dataclass
class Page:
    route: str
    template: str
    title: str  # the page's heading and its entry in the navigation
    context: dict = field(default_factory=dict)
    group: str = ""  # the tab or section it belongs to, to tell pages of the same title apart
    head_title: str = ""  # the <title> before the site's name: unique across the site
    parent: str = ""  # the page (a Markdown file) it shows under without being listed in the navigation

    @property
    def source(self) -> str:
        return routes.source_file(self.route)


def _by_title(items: list, attr: str = "title") -> list:
    return sorted(items, key=lambda x: (getattr(x, attr).casefold(), getattr(x, "id", "")))


def pages(project: Project) -> list[Page]:
    """Every page of the site, in the order of the navigation."""
    ed = project.edition
    found = [Page(routes.HOME, "site/home.md.j2", ed.title, group="Beranda")]
    found.append(Page(routes.PILLARS, "site/pillars.md.j2", "Pilar", group="Pilar"))
    for pl in project.pillars:
        found.append(Page(routes.pillar(pl.id), "site/pillar.md.j2", pl.name, {"pillar": pl}, "Pilar"))
        found += [Page(routes.programme(p.id), "site/programme.md.j2", p.title, {"programme": p}, "Program",
                       parent=routes.source_file(routes.pillar(pl.id)))
                  for p in _by_title(project.programmes_of(pl.id))]
    for spec in site_pages():
        assert spec.route is not None and spec.site_template is not None
        found.append(Page(spec.route, spec.site_template, spec.site_title or spec.title, {"section": spec}, "Program"))
    found.append(Page(routes.OPD_INDEX, "site/opd-index.md.j2", "Perangkat Daerah", group="Program"))
    found += [Page(routes.opd(o.id), "site/opd.md.j2", o.name, {"opd": o}, "Perangkat Daerah")
              for o in _by_title(project.opds, "name") if o.kind != "kecamatan"]
    found.append(Page(routes.ACHIEVEMENT, "site/achievement.md.j2", "Capaian Kinerja", group="Capaian"))
    found += [Page(routes.achievement(y), "site/achievement-year.md.j2", f"Capaian Tahun {y}", {"year": y}, "Capaian")
              for y in report_years(project)]
    found.append(Page(routes.PLACES, "site/places.md.j2", "Wilayah", group="Wilayah"))
    found += [Page(routes.place(o.id), "site/place.md.j2", o.name, {"place": o}, "Wilayah")
              for o in project.opds if o.kind == "kecamatan"]
    found.append(Page(routes.DOWNLOADS, "site/downloads.md.j2", "Unduhan", group="Unduhan"))
    found.append(Page(routes.BOOKS, "site/books.md.j2", "Buku", group="Buku"))
    if project.previous is not None:
        found.append(Page(routes.CHANGES, "site/changes.md.j2", "Perubahan Edisi", group="Buku"))
    for cid, ch in project.chapters.items():
        volume = next((v for v in ed.volumes if cid in v.items), None)
        found.append(Page(routes.chapter(cid), "site/chapter.md.j2", ch.title, {"chapter": ch},
                          volume.title if volume else "Buku"))
    _unique_head_titles(found)
    return found


def _unique_head_titles(found: list[Page]) -> None:
    """Each page's <title>: its title, with its group added where two pages share a title."""
    counts = Counter(p.title.casefold() for p in found)
    for p in found:
        p.head_title = p.title if counts[p.title.casefold()] == 1 or p.group == p.title else f"{p.title} ({p.group})"
    counts = Counter(p.head_title.casefold() for p in found)
    for p in found:  # still shared (the same title in the same group): the route tells them apart
        if counts[p.head_title.casefold()] > 1:
            p.head_title = f"{p.head_title} [{p.route.removesuffix('.html')}]"


def navigation(project: Project) -> list:
    """The MkDocs ``nav``: the tabs, each page once, except the programmes. A pillar's section lists
    none of them: a programme's page has its pillar as ``parent`` and the site's hook shows it
    there, alone, while it is the page being built (listing every programme under its pillar
    made each of its pages render all the others: a build time that grows with the square of the
    number of programmes)."""
    src = routes.source_file
    ed = project.edition
    nav: list = [{"Beranda": src(routes.HOME)}]
    pillars: list = [src(routes.PILLARS)]
    for pl in project.pillars:  # a pillar's programmes show under it one at a time (Page.parent)
        pillars.append({pl.name: [src(routes.pillar(pl.id))]})
    nav.append({"Pilar": pillars})
    sections = {s.route: s.site_title or s.title for s in site_pages() if s.route}
    programme_items: list = [{sections.pop(route): src(route)} for route in (routes.CATALOGUE, routes.QUICK_WINS)
                             if route in sections]
    programme_items.append({"Perangkat Daerah": [src(routes.OPD_INDEX)] + [
        {o.name: src(routes.opd(o.id))} for o in _by_title(project.opds, "name") if o.kind != "kecamatan"]})
    roadmap = sections.pop(routes.ROADMAP, None)
    kpis = sections.pop(routes.KPIS, None)
    programme_items += [{title: src(route)} for route, title in sections.items()]  # sections added later
    nav.append({"Program": programme_items})
    if roadmap:
        nav.append({roadmap: src(routes.ROADMAP)})
    achievement: list = [src(routes.ACHIEVEMENT)]
    if kpis:
        achievement.append({kpis: src(routes.KPIS)})
    achievement += [{f"Tahun {y}": src(routes.achievement(y))} for y in report_years(project)]
    nav.append({"Capaian": achievement})
    nav.append({"Wilayah": [src(routes.PLACES)] + [
        {o.name: src(routes.place(o.id))} for o in project.opds if o.kind == "kecamatan"]})
    nav.append({"Unduhan": src(routes.DOWNLOADS)})
    books: list = [src(routes.BOOKS)]
    if project.previous is not None:
        books.append({"Perubahan Edisi": src(routes.CHANGES)})
    seen: set[str] = set()
    for volume in ed.volumes:
        chapters = [c for c in volume.items if c in project.chapters and c not in seen and c not in SECTIONS]
        seen.update(chapters)
        if chapters:
            books.append({volume.title: [{project.chapters[c].title: src(routes.chapter(c))} for c in chapters]})
    others = [c for c in project.chapters if c not in seen]
    if others:
        books.append({"Bab lain": [{project.chapters[c].title: src(routes.chapter(c))} for c in others]})
    nav.append({"Buku": books})
    return nav
