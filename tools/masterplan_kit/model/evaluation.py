"""Evaluation of a masterplan year by year: what each OPD realised against its targets.

Pure functions over the model (no markup, no I/O) shared by ``masterplan report``, the open data
and the renderers:

- the **achievement** (capaian) of a KPI in a year, as Indonesian performance reports compute it;
- its **band** (predikat, Permendagri 86/2017);
- the **progress status** toward the period's final target (Open SDG's progress measure);
- **roll-ups** for a programme, element, pillar, OPD, kecamatan or the whole city.

Percentages keep full precision; they are rounded only when shown. The README section
"Monitoring dan evaluasi" documents every formula and edge case decided here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from .programme import Direction, Kpi, Programme
from .project import Project

BandId = Literal["sangat-tinggi", "tinggi", "sedang", "rendah", "sangat-rendah"]
StatusId = Literal["target-achieved", "substantial-progress", "moderate-progress", "limited-progress",
                   "deterioration", "not-available"]
Level = Literal["programme", "element", "pillar", "opd", "kecamatan"]

BANDS: dict[BandId, str] = {
    "sangat-tinggi": "Sangat Tinggi",
    "tinggi": "Tinggi",
    "sedang": "Sedang",
    "rendah": "Rendah",
    "sangat-rendah": "Sangat Rendah",
}
# lower bound of each band but the last, highest first (Permendagri 86/2017)
BAND_FLOORS: tuple[tuple[float, BandId], ...] = (
    (91.0, "sangat-tinggi"), (76.0, "tinggi"), (66.0, "sedang"), (51.0, "rendah"),
)

STATUSES: dict[StatusId, str] = {
    "target-achieved": "Target tercapai",
    "substantial-progress": "Kemajuan substansial",
    "moderate-progress": "Kemajuan moderat",
    "limited-progress": "Kemajuan terbatas",
    "deterioration": "Memburuk",
    "not-available": "Tidak tersedia",
}
# lower bound of the growth ratio of each status (Open SDG's thresholds for indicators with a target)
STATUS_FLOORS: tuple[tuple[float, StatusId], ...] = (
    (0.95, "substantial-progress"), (0.6, "moderate-progress"), (0.0, "limited-progress"),
)

CAP = 100.0  # each KPI's achievement is capped here when averaged


def band(percent: float | None) -> BandId | None:
    """The band of an achievement percentage (unrounded); None when there is no percentage."""
    if percent is None:
        return None
    for floor, band_id in BAND_FLOORS:
        if percent >= floor:
            return band_id
    return "sangat-rendah"


def meets(direction: Direction, value: float, target: float) -> bool:
    """Whether a value meets a target: at or above it, or at or below it for ``decrease``."""
    return value <= target if direction == "decrease" else value >= target


def achievement_percent(direction: Direction, target: float, actual: float) -> tuple[float | None, str | None]:
    """(percentage, None), or (None, why) when the target gives no percentage.

    increase and maintain: actual ÷ target × 100; decrease: (2 × target − actual) ÷ target × 100.
    """
    if target == 0:
        return None, "n/a: target 0, capaian tidak dapat dihitung sebagai persentase"
    if target < 0:
        return None, "n/a: target negatif, capaian tidak dapat dihitung sebagai persentase"
    percent = (2 * target - actual) / target * 100 if direction == "decrease" else actual / target * 100
    if not math.isfinite(percent):  # a target so near 0 that no float holds the ratio
        return None, "n/a: target terlalu dekat dengan 0, capaian tidak dapat dihitung sebagai persentase"
    return percent, None


@dataclass(frozen=True)
class Achievement:
    """A KPI's realisation against its target in one year."""

    year: int
    direction: Direction
    target: float
    actual: float
    percent: float | None  # unrounded, not capped; None when the target gives no percentage
    note: str | None = None  # why there is no percentage

    @property
    def band(self) -> BandId | None:
        return band(self.percent)

    @property
    def capped(self) -> float | None:
        """The percentage capped at 100, as roll-ups average it."""
        return None if self.percent is None else min(self.percent, CAP)

    @property
    def met(self) -> bool:
        """The year's target is met (achievement ≥ 100 when there is a percentage)."""
        return meets(self.direction, self.actual, self.target)


def achievement(kpi: Kpi, year: int) -> Achievement | None:
    """The KPI's achievement in ``year``; None when that year has no actual or no target."""
    if year not in kpi.actuals or year not in kpi.targets:
        return None
    target, actual = kpi.targets[year], kpi.actuals[year]
    percent, note = achievement_percent(kpi.direction, target, actual)
    return Achievement(year, kpi.direction, target, actual, percent, note)


@dataclass(frozen=True)
class Progress:
    """Progress toward the period's final target, with the figures it was judged from."""

    status: StatusId
    base_year: int | None = None
    base_value: float | None = None
    current_year: int | None = None
    current_value: float | None = None
    target_year: int | None = None
    target_value: float | None = None
    observed_growth: float | None = None  # compound annual growth, base → current
    required_growth: float | None = None  # compound annual growth, base → target
    ratio: float | None = None  # observed ÷ |required|, sign flipped for decrease
    note: str | None = None  # why the status is not-available, or how an edge case was decided

    @property
    def label(self) -> str:
        return STATUSES[self.status]

    @property
    def unavailable_because(self) -> str:
        """Why no status could be computed, in a few words ("baseline 0", "belum ada realisasi");
        empty when there is a status."""
        return (self.note or "").split(": ")[0] if self.status == "not-available" else ""


def final_target(kpi: Kpi, period_end: int) -> tuple[int, float] | None:
    """(year, value) of the target of the period's last year, else of the KPI's last target."""
    if period_end in kpi.targets:
        return period_end, kpi.targets[period_end]
    if not kpi.targets:
        return None
    year = max(kpi.targets)
    return year, kpi.targets[year]


def latest_actual(kpi: Kpi, as_of: int | None = None) -> tuple[int, float] | None:
    """(year, value) of the latest actual, up to ``as_of`` when given."""
    years = [y for y in kpi.actuals if as_of is None or y <= as_of]
    if not years:
        return None
    return max(years), kpi.actuals[max(years)]


def _cagr(value: float, base: float, years: int) -> float:
    return float((value / base) ** (1 / years) - 1)


def progress(kpi: Kpi, period_end: int, as_of: int | None = None) -> Progress:
    """The KPI's progress status toward its final target, judged from actuals up to ``as_of``.

    Follows Open SDG's measure for indicators with a target, with these decisions:
    a target already met is ``target-achieved`` whatever the other points (a baseline is not
    needed for it); without a target, an actual or a baseline, or with a zero base, the status is
    ``not-available`` (Open SDG would replace a zero base by 0.001); a required growth of 0 (the
    target equals the base and is not met) is ``deterioration``; ``maintain`` is judged as
    ``increase``.
    """
    tgt = final_target(kpi, period_end)
    cur = latest_actual(kpi, as_of)
    base = kpi.baseline
    seen = Progress(
        "not-available",
        base_year=base.year if base else None, base_value=base.value if base else None,
        current_year=cur[0] if cur else None, current_value=cur[1] if cur else None,
        target_year=tgt[0] if tgt else None, target_value=tgt[1] if tgt else None,
    )
    if tgt is None:
        return replace(seen, note="tanpa target")
    if cur is None:
        return replace(seen, note="belum ada realisasi")
    if meets(kpi.direction, cur[1], tgt[1]):
        return replace(seen, status="target-achieved")
    if base is None:
        return replace(seen, note="tanpa baseline: kurang dari dua titik data")
    if base.value == 0:
        return replace(seen, note="baseline 0: laju pertumbuhan tidak terdefinisi")
    if cur[0] <= base.year or tgt[0] <= base.year:
        return replace(seen, note="kurang dari dua titik data")
    if cur[1] / base.value < 0 or tgt[1] / base.value < 0:
        return replace(seen, note="baseline dan nilai berbeda tanda")
    observed = _cagr(cur[1], base.value, cur[0] - base.year)
    required = _cagr(tgt[1], base.value, tgt[0] - base.year)
    seen = replace(seen, observed_growth=observed, required_growth=required)
    if required == 0:
        return replace(seen, status="deterioration", note="target sama dengan baseline dan belum tercapai")
    sign = (-1 if kpi.direction == "decrease" else 1) * (-1 if base.value < 0 else 1)
    ratio = sign * observed / abs(required)
    status: StatusId = "deterioration"
    for floor, status_id in STATUS_FLOORS:
        if ratio >= floor:
            status = status_id
            break
    return replace(seen, status=status, ratio=ratio)


@dataclass(frozen=True)
class KpiRef:
    """A KPI with the programme it belongs to; ``number`` counts from 1 within the programme."""

    programme: Programme
    number: int
    kpi: Kpi

    @property
    def key(self) -> str:
        """A stable key, ``<programme>#<n>``."""
        return f"{self.programme.id}#{self.number}"


def kpi_refs(programmes: Iterable[Programme]) -> list[KpiRef]:
    return [KpiRef(p, n, k) for p in programmes for n, k in enumerate(p.kpis, 1)]


@dataclass(frozen=True)
class BudgetSummary:
    """Budget of a year: planned (every entry) against realised (entries that report it)."""

    year: int
    entries: int = 0
    planned: int = 0  # sum of the amounts of every entry of the year
    reported: int = 0  # entries that have ``realised``
    reported_planned: int = 0  # sum of the amounts of those entries
    realised: int = 0  # sum of ``realised``

    @property
    def realisation(self) -> float | None:
        """Realised ÷ planned × 100 over the entries that report a realisation; None without any."""
        return self.realised / self.reported_planned * 100 if self.reported_planned else None


def budget_summary(programmes: Iterable[Programme], year: int) -> BudgetSummary:
    entries = [b for p in programmes for b in p.budget if b.year == year]
    reported = [b for b in entries if b.realised is not None]
    return BudgetSummary(
        year=year, entries=len(entries), planned=sum(b.amount for b in entries), reported=len(reported),
        reported_planned=sum(b.amount for b in reported), realised=sum(b.realised or 0 for b in reported),
    )


def _zero_bands() -> dict[BandId, int]:
    return dict.fromkeys(BANDS, 0)


def _zero_statuses() -> dict[StatusId, int]:
    return dict.fromkeys(STATUSES, 0)


@dataclass(frozen=True)
class Rollup:
    """The KPIs and budget of a group of programmes in one year."""

    level: str  # programme | element | pillar | opd | kecamatan | city
    key: str
    name: str
    year: int
    kpis: int = 0
    with_data: int = 0  # KPIs with an actual in the year
    assessed: int = 0  # with an actual and a target in the year
    measured: int = 0  # with an achievement percentage (a target other than 0)
    on_track: int = 0  # the year's target met (achievement ≥ 100)
    mean_achievement: float | None = None  # mean of the measured KPIs, each capped at 100
    bands: dict[BandId, int] = field(default_factory=_zero_bands)
    statuses: dict[StatusId, int] = field(default_factory=_zero_statuses)
    budget: BudgetSummary | None = None

    @property
    def without_data(self) -> int:
        return self.kpis - self.with_data

    @property
    def band(self) -> BandId | None:
        return band(self.mean_achievement)


def rollup(level: str, key: str, name: str, programmes: list[Programme], year: int, period_end: int) -> Rollup:
    """Roll the KPIs and budget of ``programmes`` up for ``year``; progress as of that year."""
    refs = kpi_refs(programmes)
    found = [a for a in (achievement(r.kpi, year) for r in refs) if a is not None]
    capped = [a.capped for a in found if a.capped is not None]
    bands = _zero_bands()
    for a in found:
        if a.band is not None:
            bands[a.band] += 1
    statuses = _zero_statuses()
    for r in refs:
        statuses[progress(r.kpi, period_end, as_of=year).status] += 1
    return Rollup(
        level=level, key=key, name=name, year=year, kpis=len(refs),
        with_data=sum(1 for r in refs if year in r.kpi.actuals), assessed=len(found), measured=len(capped),
        on_track=sum(1 for a in found if a.met),
        mean_achievement=_mean(capped),
        bands=bands, statuses=statuses, budget=budget_summary(programmes, year),
    )


def _mean(values: list[float]) -> float | None:
    """The mean; also of values whose sum is beyond a float (each very far below 0)."""
    if not values:
        return None
    mean = sum(values) / len(values)
    return mean if math.isfinite(mean) else sum(v / len(values) for v in values)


def _groups(project: Project, level: Level) -> list[tuple[str, str, list[Programme]]]:
    """(key, name, programmes) of every group at ``level`` that has programmes, in the project's order."""
    progs = project.programmes
    if level == "programme":
        return [(p.id, p.title, [p]) for p in progs]
    if level == "pillar":
        return [(pl.id, pl.name, members) for pl in project.pillars if (members := project.programmes_of(pl.id))]
    if level == "element":
        return [(f"{pl.id}/{e.id}", e.name, members)
                for pl in project.pillars for e in pl.elements
                if (members := [p for p in progs if p.pillar == pl.id and p.element == e.id])]
    if level == "opd":
        return [(o.id, o.label, members) for o in project.opds
                if (members := [p for p in progs if p.lead == o.id])]
    return [(o.id, o.name, members) for o in project.opds
            if o.kind == "kecamatan" and (members := [p for p in progs if o.id in p.locations])]


def rollups(project: Project, year: int, level: Level) -> list[Rollup]:
    """A roll-up per programme, element, pillar, lead OPD or kecamatan (``locations``) with programmes.

    A programme in several kecamatan counts, KPIs and budget in full, in each of them.
    """
    end = _period_end(project)
    return [rollup(level, key, name, members, year, end) for key, name, members in _groups(project, level)]


def city_rollup(project: Project, year: int) -> Rollup:
    name = project.loaded_edition.city if project.loaded_edition else "Kota"
    return rollup("city", "city", name, project.programmes, year, _period_end(project))


def latest_actual_year(project: Project) -> int | None:
    """The latest year any KPI has an actual for (the default year of a report)."""
    return max((y for p in project.programmes for k in p.kpis for y in k.actuals), default=None)


@dataclass(frozen=True)
class Shortfall:
    """A KPI below its target in a year, with its programme and lead OPD."""

    ref: KpiRef
    achievement: Achievement

    @property
    def programme(self) -> Programme:
        return self.ref.programme

    @property
    def lead(self) -> str:
        return self.ref.programme.lead


def below_target(project: Project, year: int) -> list[Shortfall]:
    """KPIs whose target of ``year`` is not met (achievement < 100), lowest achievement first.

    KPIs without a percentage (target 0) come last; ties keep the project's order.
    """
    found = [Shortfall(r, a) for r in kpi_refs(project.programmes)
             if (a := achievement(r.kpi, year)) is not None and not a.met]
    return sorted(found, key=lambda s: (s.achievement.percent is None, s.achievement.percent or 0.0))


def _period_end(project: Project) -> int:
    if project.loaded_edition is None:
        raise ValueError("the project has no edition (masterplan.yml) to take the period from")
    return project.edition.period.end
