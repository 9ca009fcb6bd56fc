"""What the site's pages show beyond the model itself: money, achievement, places, downloads.

Numbers only (no markup): the templates in ``templates/site/`` lay them out. Achievement comes
from ``model/evaluation.py`` and is never computed here; this module only picks the year, groups
the programmes (by pillar, lead OPD, kecamatan) and remembers the roll-ups each page asks for.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..model import Programme, Project
from ..model import evaluation as ev
from ..model.evaluation import Achievement, Progress, Rollup
from ..model.licences import LicenceInfo, licence
from ..model.programme import Kpi
from .barchart import BarChart
from .dates import source_date
from .site_charts import achievement_chart

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def plain_text(fragment_html: str) -> str:
    """The words of an HTML fragment, without its markup (what a reader sees)."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", fragment_html))).strip()


def summary_text(text: str, limit: int = 160) -> str:
    """A description for search engines and link previews: at most ``limit`` characters, cut at a word."""
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


@dataclass(frozen=True)
class KpiLine:
    """A KPI with its programme, its achievement in one year and its progress toward the final target."""

    programme: Programme
    number: int
    kpi: Kpi
    year: int
    achievement: Achievement | None
    progress: Progress

    @property
    def target(self) -> float | None:
        return self.kpi.targets.get(self.year)

    @property
    def actual(self) -> float | None:
        return self.kpi.actuals.get(self.year)

    @property
    def below_target(self) -> bool:
        """The year's target is not met (as ``evaluation.below_target`` decides)."""
        return self.achievement is not None and not self.achievement.met


@dataclass(frozen=True)
class Place:
    """A kecamatan and the programmes located in it (``locations``)."""

    id: str
    name: str
    code: str | None
    programmes: list[Programme]

    @property
    def budget(self) -> int:
        return sum(p.total_budget for p in self.programmes)


@dataclass(frozen=True)
class DownloadFile:
    """A file offered on the downloads page."""

    name: str  # file name, e.g. buku-2.pdf
    href: str  # relative to the site root
    format: str  # PDF, DOCX, JSON, CSV …
    size: int  # bytes
    pages: int | None = None  # PDF only
    date: str | None = None  # ISO date the file carries (its sources' date)


@dataclass
class SiteData:
    """Figures the pages share, computed once per build."""

    project: Project
    downloads: dict[str, Path] = field(default_factory=dict)
    data_dir: Path | None = None
    texts: dict[str, str] = field(default_factory=dict)  # programme id -> its description as plain text
    _rollups: dict[tuple[str, int], dict[str, Rollup]] = field(default_factory=dict)

    # --- years -------------------------------------------------------------------------------
    @property
    def years(self) -> list[int]:
        period = self.project.edition.period
        return list(range(period.start, period.end + 1))

    @cached_property
    def year(self) -> int | None:
        """The year the site reports achievement for: the latest year with actuals."""
        return ev.latest_actual_year(self.project)

    @cached_property
    def actual_years(self) -> list[int]:
        """Years of the period that have at least one actual (each has its page of achievement)."""
        return report_years(self.project)

    # --- achievement ---------------------------------------------------------------------------
    def rollups(self, level: ev.Level, year: int) -> dict[str, Rollup]:
        """Roll-ups of every group at ``level`` in ``year``, by key."""
        key = (level, year)
        if key not in self._rollups:
            self._rollups[key] = {r.key: r for r in ev.rollups(self.project, year, level)}
        return self._rollups[key]

    def rollup(self, level: ev.Level, key: str, year: int | None = None) -> Rollup | None:
        year = year if year is not None else self.year
        return None if year is None else self.rollups(level, year).get(key)

    def city(self, year: int | None = None) -> Rollup | None:
        year = year if year is not None else self.year
        if year is None:
            return None
        key = ("city", year)
        if key not in self._rollups:
            self._rollups[key] = {"city": ev.city_rollup(self.project, year)}
        return self._rollups[key]["city"]

    def kpi_lines(self, programmes: list[Programme], year: int | None = None) -> list[KpiLine]:
        """Every KPI of ``programmes`` with its achievement in ``year`` (default: the site's year), the
        programmes in the order lists show them (``ordered``)."""
        year = year if year is not None else (self.year or self.years[-1])
        end = self.project.edition.period.end
        return [KpiLine(r.programme, r.number, r.kpi, year, ev.achievement(r.kpi, year),
                        ev.progress(r.kpi, end, as_of=year))
                for r in ev.kpi_refs(self.ordered(programmes))]

    def progress(self, kpi: Kpi) -> Progress:
        return ev.progress(kpi, self.project.edition.period.end, as_of=self.year)

    def achievement(self, kpi: Kpi, year: int) -> Achievement | None:
        return ev.achievement(kpi, year)

    def below_target(self, year: int) -> list[ev.Shortfall]:
        return ev.below_target(self.project, year)

    # --- places ---------------------------------------------------------------------------------
    @cached_property
    def places(self) -> list[Place]:
        """Every kecamatan of opd.yml, in its order, with the programmes located in it."""
        return [Place(o.id, o.name, o.code, [p for p in self.project.programmes if o.id in p.locations])
                for o in self.project.opds if o.kind == "kecamatan"]

    @cached_property
    def citywide(self) -> list[Programme]:
        """Programmes tied to no kecamatan: they serve the whole city."""
        return [p for p in self.project.programmes if not p.locations]

    def place(self, place_id: str) -> Place | None:
        return next((pl for pl in self.places if pl.id == place_id), None)

    def ordered(self, programmes: list[Programme]) -> list[Programme]:
        """Programmes as a reader scans a list of them: by pillar, then by title (ids need not
        follow the titles: "sp4n-lapor" is "Pengaduan Terpadu SP4N-LAPOR!")."""
        rank = {pl.id: n for n, pl in enumerate(self.project.pillars)}
        return sorted(programmes, key=lambda p: (rank.get(p.pillar, len(rank)), p.title.casefold(), p.id))

    # --- money ------------------------------------------------------------------------------------
    @staticmethod
    def budget(programmes: list[Programme]) -> int:
        return sum(p.total_budget for p in programmes)

    @cached_property
    def agencies_involved(self) -> int:
        """How many OPD (kecamatan aside) lead or support a programme."""
        ids = {p.lead for p in self.project.programmes} | {o for p in self.project.programmes for o in p.partners}
        return sum(1 for o in self.project.opds if o.id in ids and o.kind != "kecamatan")

    def led_by(self, opd_id: str) -> list[Programme]:
        return [p for p in self.project.programmes if p.lead == opd_id]

    def supported_by(self, opd_id: str) -> list[Programme]:
        return [p for p in self.project.programmes if opd_id in p.partners]

    # --- the catalogue ------------------------------------------------------------------------
    @cached_property
    def catalogue(self) -> list[dict]:
        """What the catalogue's script filters and sorts on, one record per programme in the
        project's order; ``text`` is what a reader sees of it (no markup), names included."""
        project = self.project
        out = []
        for n, p in enumerate(project.programmes):
            pillar, lead = project.pillar(p.pillar), project.opd(p.lead)
            element = pillar.element(p.element) if pillar else None
            places = [o.name for o in (project.opd(k) for k in p.locations) if o is not None] or ["Seluruh kota"]
            words = [p.title, p.summary, self.texts.get(p.id, ""), pillar.name if pillar else "",
                     element.name if element else "", lead.name if lead else "", lead.label if lead else "", *places]
            out.append({
                "id": p.id, "title": p.title, "pillar": p.pillar, "element": p.element, "lead": p.lead,
                "lead_name": lead.name if lead else p.lead, "partners": list(p.partners),
                "locations": list(p.locations), "years": list(p.years), "status": p.status, "kind": p.kind,
                "quick_win": p.quick_win, "budget": p.total_budget, "order": n,
                "text": " ".join(w for w in words if w),
            })
        return out

    def achievement_chart(self, title: str, rows: list[tuple[str, str, Rollup | None]]) -> BarChart:
        return achievement_chart(title, rows)

    # --- licences and downloads -----------------------------------------------------------------
    @property
    def content_licence(self) -> LicenceInfo:
        return licence(self.project.edition.licence.content)

    @property
    def data_licence(self) -> LicenceInfo:
        lic = self.project.edition.licence
        return licence(lic.data or lic.content)

    @cached_property
    def date(self) -> str:
        """The date the outputs carry (their sources' date), ISO."""
        return source_date(self.project.root)[:10]

    @cached_property
    def files(self) -> dict[str, DownloadFile]:
        """Every downloadable file (books, then open data), by its path under the site root."""
        found: dict[str, DownloadFile] = {}
        for name, path in self.downloads.items():
            pages, date = pdf_facts(path) if path.suffix == ".pdf" else (None, None)
            found[f"unduhan/{name}"] = DownloadFile(name, f"unduhan/{name}", path.suffix[1:].upper(),
                                                    path.stat().st_size, pages, date or self.date)
        if self.data_dir is not None and self.data_dir.is_dir():
            for f in sorted(self.data_dir.iterdir()):
                if f.is_file():
                    found[f"data/{f.name}"] = DownloadFile(f.name, f"data/{f.name}", _format(f), f.stat().st_size,
                                                           None, self.date)
        return found

    def file(self, href: str) -> DownloadFile | None:
        return self.files.get(href)


def report_years(project: Project) -> list[int]:
    """The years of the period with at least one KPI actual: the years the site reports on."""
    period = project.edition.period
    found = {y for p in project.programmes for k in p.kpis for y in k.actuals}
    return [y for y in range(period.start, period.end + 1) if y in found]


def _format(path: Path) -> str:
    if path.name.endswith(".schema.json"):
        return "JSON Schema"
    return {".db": "SQLite"}.get(path.suffix, path.suffix[1:].upper())


def pdf_facts(path: Path) -> tuple[int | None, str | None]:
    """(number of pages, ISO creation date) of a PDF; (None, None) when it cannot be read."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            pages = len(pdf.pages)
            created = str(pdf.docinfo.get("/CreationDate", "")).removeprefix("D:")
    except (pikepdf.PdfError, OSError, ValueError):
        return None, None
    date = f"{created[:4]}-{created[4:6]}-{created[6:8]}" if re.match(r"\d{8}", created) else None
    return pages, date

