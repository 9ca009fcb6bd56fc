"""The programmes of the default Samarinda masterplan: described, placed, measured and evaluable.

The evaluation helpers below restate the rules a reader of the achievement report relies on
(Permendagri 86/2017 bands; Open SDG progress status), so that the default content is checked
to show every band and every status on real programme pages.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml

from conftest import REPO
from masterplan_kit.model.programme import Kpi
from masterplan_kit.pipeline import load_and_check

YEAR = 2024  # the latest year with actuals in the default content
BANDS = ["sangat-tinggi", "tinggi", "sedang", "rendah", "sangat-rendah"]
STATUSES = ["target-achieved", "substantial-progress", "moderate-progress", "limited-progress",
            "deterioration", "not-available"]
PLACEHOLDERS = re.compile(r"lorem|todo|xxx|tbd\b", re.IGNORECASE)
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@pytest.fixture(scope="module")
def project():
    project, report = load_and_check(REPO)
    assert report.items == [], report.to_text()
    return project


@pytest.fixture(scope="module")
def kpis(project) -> list[tuple[str, Kpi]]:
    return [(p.id, k) for p in project.programmes for k in p.kpis]


def achievement(kpi: Kpi, year: int) -> float | None:
    """Actual against target in percent; lower is better for a decreasing indicator."""
    target, actual = kpi.targets.get(year), kpi.actuals.get(year)
    if target is None or actual is None or target == 0:
        return None
    if kpi.direction == "decrease":
        return (2 * target - actual) / target * 100
    return actual / target * 100


def band(value: float | None) -> str | None:
    if value is None:
        return None
    for floor, name in ((91, "sangat-tinggi"), (76, "tinggi"), (66, "sedang"), (51, "rendah")):
        if value >= floor:
            return name
    return "sangat-rendah"


def status(kpi: Kpi, upto: int, end: int) -> str:
    """Progress toward the period's final target from the baseline, by compound annual growth."""
    actuals = {y: v for y, v in kpi.actuals.items() if y <= upto}
    target = kpi.targets.get(end)
    if kpi.baseline is None or not actuals or target is None:
        return "not-available"
    year = max(actuals)
    current, base = actuals[year], kpi.baseline.value
    if current <= target if kpi.direction == "decrease" else current >= target:
        return "target-achieved"
    if base <= 0:
        return "not-available"
    observed = (current / base) ** (1 / (year - kpi.baseline.year)) - 1
    required = (target / base) ** (1 / (end - kpi.baseline.year)) - 1
    if required == 0:
        return "not-available"
    ratio = observed / abs(required) * (-1 if kpi.direction == "decrease" else 1)
    if ratio >= 0.95:
        return "substantial-progress"
    if ratio >= 0.6:
        return "moderate-progress"
    if ratio >= 0:
        return "limited-progress"
    return "deterioration"


def words(markdown: str) -> list[str]:
    return re.findall(r"\w[\w.,%/–-]*", LINK.sub(r"\1", markdown))


def test_helpers_follow_the_rules():
    rising = Kpi(indicator="x", unit="%", baseline={"year": 2022, "value": 40},
                 targets={2024: 60, 2025: 80}, actuals={2024: 45})
    falling = Kpi(indicator="x", unit="menit", direction="decrease", baseline={"year": 2022, "value": 20},
                  targets={2024: 15, 2025: 12}, actuals={2024: 21})
    assert achievement(rising, 2024) == 75 and band(75) == "sedang"
    assert achievement(falling, 2024) == pytest.approx(60) and band(60) == "rendah"
    assert [band(v) for v in (91, 90.9, 76, 66, 65.9, 51, 50.9)] == \
        ["sangat-tinggi", "tinggi", "tinggi", "sedang", "rendah", "rendah", "sangat-rendah"]
    assert status(falling, 2024, 2025) == "deterioration"
    assert status(rising, 2024, 2025) == "limited-progress"  # 6.1 % a year against 26 % needed


def test_every_programme_is_described(project):
    short = {p.id: len(words(p.description or "")) for p in project.programmes
             if len(words(p.description or "")) < 60}
    assert not short, f"descriptions under 60 words: {short}"


def test_every_kpi_states_its_direction_in_the_source():
    missing = []
    for path in sorted(REPO.glob("pillars/*/programmes/*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        missing += [f"{path.stem}: {k['indicator']}" for k in data.get("kpis", []) if "direction" not in k]
    assert not missing, missing


def test_most_kpis_have_actuals_for_past_years(kpis):
    measured = [k for _, k in kpis if {2023, 2024} <= set(k.actuals)]
    assert len(measured) >= 0.8 * len(kpis), f"{len(measured)} of {len(kpis)}"


def test_some_kpis_fall_short_in_2024(kpis):
    short = [pid for pid, k in kpis if (a := achievement(k, YEAR)) is not None and a < 100]
    assert len(short) >= 3, short


def test_2024_shows_every_band_mostly_high(kpis):
    bands = Counter(band(achievement(k, YEAR)) for _, k in kpis)
    bands.pop(None, None)
    assert all(bands[b] >= 1 for b in BANDS), bands
    assert bands["sangat-tinggi"] + bands["tinggi"] > sum(bands.values()) / 2, bands


def test_2024_shows_every_status_twice(project, kpis):
    end = project.edition.period.end
    statuses = Counter(status(k, YEAR, end) for _, k in kpis)
    assert all(statuses[s] >= 2 for s in STATUSES), statuses


def test_every_kpi_has_a_final_target_within_its_programme(project):
    """A KPI is targeted up to its programme's last year and not beyond: a programme that ends
    early sets no target for a year it has no budget for."""
    untargeted = [(p.id, k.indicator) for p in project.programmes for k in p.kpis if max(p.years) not in k.targets]
    assert not untargeted
    outside = [(p.id, k.indicator, y) for p in project.programmes for k in p.kpis
               for y in k.targets if not min(p.years) <= y <= max(p.years)]
    assert not outside


def test_done_programmes_reached_their_targets(project):
    for p in project.programmes:
        if p.status != "done":
            continue
        for k in p.kpis:
            year = max(k.actuals)
            assert (achievement(k, year) or 0) >= 100, (p.id, k.indicator)


def test_past_budgets_record_their_realisation(project):
    budgets = [(p.id, b) for p in project.programmes for b in p.budget]
    assert all(b.realised is not None for _, b in budgets if b.year == 2023), \
        [pid for pid, b in budgets if b.year == 2023 and b.realised is None]
    of_2024 = [b for _, b in budgets if b.year == 2024]
    assert sum(b.realised is not None for b in of_2024) >= 0.8 * len(of_2024)
    rates = [b.realised / b.amount for _, b in budgets if b.realised is not None]
    assert all(0 < r <= 1.0 for r in rates)
    assert any(r < 0.7 for r in rates) and sum(r >= 0.7 for r in rates) > 0.8 * len(rates)


def test_programmes_naming_a_kecamatan_are_located_there(project):
    kecamatan = {o.id: o.name.removeprefix("Kecamatan ") for o in project.opds if o.kind == "kecamatan"}
    for p in project.programmes:
        text = " ".join(f"{p.title} {p.summary} {p.description}".split())
        named = {k for k, name in kecamatan.items() if re.search(rf"\b{name}\b", text)}
        assert named <= set(p.locations), (p.id, named - set(p.locations))


def test_locations_cover_every_kecamatan(project):
    located = Counter(loc for p in project.programmes for loc in p.locations)
    kecamatan = [o.id for o in project.opds if o.kind == "kecamatan"]
    assert all(located[k] >= 2 for k in kecamatan), located


def test_kecamatan_have_distinct_kemendagri_codes(project):
    codes = [o.code for o in project.opds if o.kind == "kecamatan"]
    assert len(codes) == 10 and all(c and re.fullmatch(r"64\.72\.\d{2}", c) for c in codes), codes
    assert len(set(codes)) == 10


def test_unconfirmed_opd_are_marked_not_described(project):
    assert any(not o.verified for o in project.opds)
    assert not [o.id for o in project.opds if "verifikasi" in (o.note or "").lower()]


def test_no_placeholder_text():
    files = [*REPO.glob("pillars/*/programmes/*.yml"), REPO / "masterplan" / "opd.yml"]
    found = [f.name for f in files if PLACEHOLDERS.search(f.read_text(encoding="utf-8"))]
    assert not found, found


def test_invented_figures_are_marked():
    unmarked = [f.stem for f in REPO.glob("pillars/*/programmes/*.yml")
                if "# angka ilustratif" not in f.read_text(encoding="utf-8")]
    assert not unmarked, unmarked

