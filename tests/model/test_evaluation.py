"""The evaluation formulas, pinned on hand-computed cases."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from masterplan_kit.model import Edition, Kpi, Opd, Pillar, Programme, Project
from masterplan_kit.model.evaluation import (
    Achievement,
    achievement,
    band,
    below_target,
    budget_summary,
    city_rollup,
    final_target,
    latest_actual_year,
    progress,
    rollup,
    rollups,
)


def kpi(targets=None, actuals=None, baseline=None, direction="increase") -> Kpi:
    data: dict = {"indicator": "Indikator", "unit": "%", "direction": direction,
                  "targets": targets or {}, "actuals": actuals or {}}
    if baseline is not None:
        data["baseline"] = {"year": baseline[0], "value": baseline[1]}
    return Kpi.model_validate(data)


# --- achievement (capaian) ---

def test_increase_is_actual_over_target():
    a = achievement(kpi({2024: 80}, {2024: 70}), 2024)
    assert a is not None and a.percent == pytest.approx(87.5) and a.band == "tinggi" and not a.met


def test_decrease_is_twice_the_target_minus_actual_over_target():
    worse = achievement(kpi({2024: 20}, {2024: 23}, direction="decrease"), 2024)
    better = achievement(kpi({2024: 20}, {2024: 15}, direction="decrease"), 2024)
    assert worse is not None and worse.percent == pytest.approx(85.0) and not worse.met
    assert better is not None and better.percent == pytest.approx(125.0) and better.met
    assert better.capped == 100.0


def test_decrease_far_above_the_target_goes_below_zero():
    a = achievement(kpi({2024: 10}, {2024: 25}, direction="decrease"), 2024)
    assert a is not None and a.percent == pytest.approx(-50.0) and a.band == "sangat-rendah"


def test_maintain_is_met_at_or_above_the_target():
    below = achievement(kpi({2024: 50}, {2024: 49}, direction="maintain"), 2024)
    at = achievement(kpi({2024: 50}, {2024: 50}, direction="maintain"), 2024)
    above = achievement(kpi({2024: 50}, {2024: 60}, direction="maintain"), 2024)
    assert below is not None and below.percent == pytest.approx(98.0) and not below.met
    assert at is not None and at.percent == 100.0 and at.met
    assert above is not None and above.percent == pytest.approx(120.0) and above.met


def test_zero_target_gives_no_percentage_and_says_why():
    a = achievement(kpi({2024: 0}, {2024: 3}), 2024)
    assert a is not None and a.percent is None and a.band is None and a.capped is None
    assert a.note is not None and a.note.startswith("n/a") and "target 0" in a.note
    assert a.met  # 3 ≥ 0
    assert not achievement(kpi({2024: 0}, {2024: 3}, direction="decrease"), 2024).met


def test_missing_actual_or_target_gives_no_achievement():
    assert achievement(kpi({2024: 80}, {2023: 70}), 2024) is None
    assert achievement(kpi({2023: 80}, {2024: 70}), 2024) is None


# --- bands (Permendagri 86/2017) ---

@pytest.mark.parametrize("percent,expected", [
    (150, "sangat-tinggi"), (91, "sangat-tinggi"), (90.99, "tinggi"), (76, "tinggi"), (75.99, "sedang"),
    (66, "sedang"), (65.99, "rendah"), (51, "rendah"), (50.99, "sangat-rendah"), (0, "sangat-rendah"),
    (None, None),
])
def test_band_edges(percent, expected):
    assert band(percent) == expected


# --- progress status toward the final target (period 2023–2025, baseline 2022) ---

GROWTH = {2023: 130, 2024: 160, 2025: 200}  # base 100 in 2022 → 200 in 2025: g_r = 2^(1/3) − 1 ≈ 0.2599


@pytest.mark.parametrize("current,status,ratio", [
    (160, "substantial-progress", 1.0192),  # g_o = √1.6 − 1 ≈ 0.2649
    (140, "moderate-progress", 0.7049),  # g_o = √1.4 − 1 ≈ 0.1832
    (110, "limited-progress", 0.1878),  # g_o = √1.1 − 1 ≈ 0.0488
    (90, "deterioration", -0.1974),  # g_o = √0.9 − 1 ≈ −0.0513
])
def test_progress_ratio_thresholds(current, status, ratio):
    p = progress(kpi(GROWTH, {2023: 120, 2024: current}, (2022, 100)), 2025)
    assert p.status == status and p.ratio == pytest.approx(ratio, abs=1e-4)
    assert (p.base_year, p.current_year, p.target_year, p.target_value) == (2022, 2024, 2025, 200)
    assert p.required_growth == pytest.approx(2 ** (1 / 3) - 1)


def test_progress_of_a_decrease_flips_the_sign():
    # response time 60 → 30 minutes by 2025: g_r = 0.5^(1/3) − 1 ≈ −0.2063; 40 in 2024: g_o = √(2/3) − 1 ≈ −0.1835
    good = progress(kpi({2025: 30}, {2024: 40}, (2022, 60), "decrease"), 2025)
    assert good.status == "moderate-progress" and good.ratio == pytest.approx(0.8895, abs=1e-4)
    bad = progress(kpi({2025: 30}, {2024: 70}, (2022, 60), "decrease"), 2025)
    assert bad.status == "deterioration" and bad.ratio is not None and bad.ratio < 0


def test_target_met_early_is_achieved():
    p = progress(kpi({2023: 40, 2024: 70, 2025: 100}, {2023: 100}, (2022, 17)), 2025)
    assert p.status == "target-achieved" and p.label == "Target tercapai"


def test_zero_base_is_not_available_unless_the_target_is_met():
    p = progress(kpi({2025: 20}, {2024: 10}, (2022, 0)), 2025)
    assert p.status == "not-available" and p.note is not None and "baseline 0" in p.note
    assert progress(kpi({2025: 20}, {2024: 25}, (2022, 0)), 2025).status == "target-achieved"


def test_one_point_only_is_not_available():
    no_baseline = progress(kpi({2025: 100}, {2023: 30}), 2025)
    no_actual = progress(kpi({2025: 100}, {}, (2022, 10)), 2025)
    no_target = progress(kpi({}, {2023: 30}, (2022, 10)), 2025)
    assert no_baseline.status == no_actual.status == no_target.status == "not-available"
    assert no_actual.label == "Tidak tersedia"
    assert no_actual.unavailable_because == "belum ada realisasi"  # the reason printed beside the status
    assert progress(kpi({2025: 100}, {2023: 30}, (2022, 0)), 2025).unavailable_because == "baseline 0"
    assert progress(kpi({2025: 100}, {2023: 30, 2024: 60}, (2022, 10)), 2025).unavailable_because == ""


def test_target_equal_to_base_and_not_met_deteriorates():
    stay = kpi({2025: 95}, {2024: 93}, (2022, 95), "maintain")
    p = progress(stay, 2025)
    assert p.status == "deterioration" and p.ratio is None and p.required_growth == 0
    assert progress(kpi({2025: 95}, {2024: 96}, (2022, 95), "maintain"), 2025).status == "target-achieved"


def test_negative_values_use_the_sign_of_the_base():
    # −20 → −5 by 2025 (higher is better): g_r = 0.25^(1/3) − 1 ≈ −0.3700; −10 in 2024: g_o = √0.5 − 1 ≈ −0.2929
    p = progress(kpi({2025: -5}, {2024: -10}, (2022, -20)), 2025)
    assert p.status == "moderate-progress" and p.ratio == pytest.approx(0.7915, abs=1e-4)


def test_progress_as_of_a_year_ignores_later_actuals():
    k = kpi({2025: 200}, {2023: 50, 2024: 200}, (2022, 100))
    assert progress(k, 2025).status == "target-achieved"
    assert progress(k, 2025, as_of=2023).status == "deterioration"


def test_final_target_falls_back_to_the_last_target():
    assert final_target(kpi({2023: 40, 2024: 70}), 2025) == (2024, 70)
    assert final_target(kpi({2023: 40, 2025: 90}), 2025) == (2025, 90)
    assert final_target(kpi(), 2025) is None


# --- roll-ups ---

def programme(pid: str, pillar: str, element: str, lead: str, kpis: list[Kpi], budget=(), locations=()) -> Programme:
    p = Programme.model_validate({
        "title": pid.title(), "summary": "Ringkasan.", "element": element, "lead": lead,
        "kind": "infostruktur", "status": "ongoing", "years": [2023, 2024, 2025],
        "budget": list(budget), "locations": list(locations),
    })
    p.kpis = kpis
    p._id, p._pillar = pid, pillar
    return p


def small_project() -> Project:
    edition = Edition.model_validate({
        "city": "Kota Contoh", "title": "Masterplan", "period": {"start": 2023, "end": 2025},
        "vision": "Visi.", "missions": ["Misi."], "volumes": [{"id": "buku", "title": "Buku", "contents": ["pillars"]}],
    })
    pillars = []
    for pid, order in (("governance", 1), ("living", 2)):
        pl = Pillar.model_validate({"name": f"Smart {pid.title()}", "order": order, "definition": "Definisi.",
                                    "elements": [{"id": "layanan", "name": "Layanan"}]})
        pl._id = pid
        pillars.append(pl)
    opds = [Opd.model_validate(o) for o in (
        {"id": "diskominfo", "name": "Dinas Komunikasi dan Informatika", "abbr": "Diskominfo", "kind": "dinas"},
        {"id": "dinkes", "name": "Dinas Kesehatan", "kind": "dinas"},
        {"id": "palaran", "name": "Kecamatan Palaran", "kind": "kecamatan"},
        {"id": "sambutan", "name": "Kecamatan Sambutan", "kind": "kecamatan"},
    )]
    a = programme("alpha", "governance", "layanan", "diskominfo", [
        kpi({2024: 100}, {2024: 120}, (2022, 50)),  # 120 % (100 in the mean), met
        kpi({2024: 80}, {2024: 60}, (2022, 50)),  # 75 % sedang
    ], budget=[
        {"year": 2024, "amount": 1_000, "source": "APBD", "realised": 900},
        {"year": 2024, "amount": 500, "source": "APBN"},
        {"year": 2023, "amount": 700, "source": "APBD", "realised": 700},
    ], locations=["palaran"])
    b = programme("beta", "governance", "layanan", "dinkes", [
        kpi({2024: 10}, {2023: 5}),  # no actual in 2024
    ], budget=[{"year": 2024, "amount": 2_000, "source": "APBD", "realised": 1_000}], locations=["palaran", "sambutan"])
    c = programme("gamma", "living", "layanan", "dinkes", [
        kpi({2024: 0}, {2024: 4}),  # target 0: assessed, met, no percentage
        kpi({2024: 40}, {2024: 20}, direction="decrease"),  # 150 %, met
    ])
    return Project(root=Path("."), loaded_edition=edition, opds=opds, pillars=pillars, programmes=[a, b, c])


def test_city_rollup_caps_each_kpi_at_100_in_the_mean():
    city = city_rollup(small_project(), 2024)
    assert (city.kpis, city.with_data, city.assessed, city.measured, city.on_track) == (5, 4, 4, 3, 3)
    assert city.without_data == 1
    assert city.mean_achievement == pytest.approx((100 + 75 + 100) / 3)  # uncapped it would be 115
    assert city.band == "sangat-tinggi"
    assert city.bands == {"sangat-tinggi": 2, "tinggi": 0, "sedang": 1, "rendah": 0, "sangat-rendah": 0}
    assert sum(city.statuses.values()) == 5


def test_budget_realisation_counts_only_entries_that_report_it():
    project = small_project()
    b = budget_summary(project.programmes, 2024)
    assert (b.entries, b.planned, b.reported, b.reported_planned, b.realised) == (3, 3_500, 2, 3_000, 1_900)
    assert b.realisation == pytest.approx(1_900 / 3_000 * 100)
    assert budget_summary(project.programmes, 2025).realisation is None


def test_rollups_per_level():
    project = small_project()
    pillars = rollups(project, 2024, "pillar")
    assert [(r.key, r.kpis, r.measured) for r in pillars] == [("governance", 3, 2), ("living", 2, 1)]
    assert pillars[0].mean_achievement == pytest.approx(87.5) and pillars[0].band == "tinggi"
    assert pillars[1].budget is not None and pillars[1].budget.planned == 0
    opd = rollups(project, 2024, "opd")
    assert [(r.key, r.name, r.kpis) for r in opd] == [("diskominfo", "Diskominfo", 2), ("dinkes", "Dinas Kesehatan", 3)]
    kec = rollups(project, 2024, "kecamatan")
    assert [(r.key, r.kpis) for r in kec] == [("palaran", 3), ("sambutan", 1)]
    assert kec[1].budget is not None and kec[1].budget.planned == 2_000
    assert [r.key for r in rollups(project, 2024, "element")] == ["governance/layanan", "living/layanan"]
    assert [r.key for r in rollups(project, 2024, "programme")] == ["alpha", "beta", "gamma"]


def test_latest_year_with_actuals_and_kpis_below_target():
    project = small_project()
    assert latest_actual_year(project) == 2024
    below = below_target(project, 2024)
    assert [(s.ref.key, s.lead) for s in below] == [("alpha#2", "diskominfo")]
    assert isinstance(below[0].achievement, Achievement) and below[0].achievement.percent == pytest.approx(75.0)
    assert latest_actual_year(Project(root=Path("."))) is None


def test_a_target_too_near_zero_gives_no_percentage():
    """(2 × 1e-300 − 10^15) ÷ 1e-300 is beyond any float: no percentage, rather than −∞ %."""
    for direction in ("increase", "decrease"):
        a = achievement(kpi({2024: 1e-300}, {2024: 1e15}, direction=direction), 2024)
        assert a is not None and a.percent is None and a.note is not None and a.note.startswith("n/a")


def test_the_mean_of_achievements_far_below_zero_is_finite():
    far = [kpi({2024: 1e-291}, {2024: 1e15}, direction="decrease") for _ in range(3)]  # about −10^308 % each
    programmes = [programme(f"p{i}", "governance", "layanan", "diskominfo", [k]) for i, k in enumerate(far)]
    mean = rollup("city", "kota", "Kota", programmes, 2024, 2025).mean_achievement
    assert mean is not None and mean < 0 and math.isfinite(mean)
