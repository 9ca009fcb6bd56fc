"""The open-data records (build/data/*.json): what other city systems read.

Like the source models, these pydantic models are the single source of truth for the published
JSON Schemas.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .evaluation import BandId, StatusId
from .programme import Direction, FundingSource, Kind, Priority, Status


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PeriodRecord(_Record):
    start: int
    end: int


class BudgetRecord(_Record):
    year: int
    amount: int = Field(description="Indicative ceiling in rupiah")
    source: FundingSource
    realised: int | None = Field(description="Rupiah actually spent that year (realisasi); null when not reported")


class KpiRecord(_Record):
    indicator: str
    unit: str
    direction: Direction = Field(description="increase: higher is better; decrease: lower is better; "
                                             "maintain: at or above the target is met")
    baseline_year: int | None
    baseline_value: float | None
    targets: dict[str, float] = Field(description="Target by year (keys are years)")
    actuals: dict[str, float] = Field(description="Achieved value by year (keys are years)")


class ProgrammeRecord(_Record):
    id: str
    title: str
    summary: str
    description: str | None = Field(description="Markdown, as written")
    pillar: str
    pillar_name: str
    element: str
    element_name: str
    lead: str
    lead_name: str
    partners: list[str]
    kind: Kind
    quick_win: bool
    priority: Priority
    status: Status
    years: list[int]
    budget: list[BudgetRecord]
    budget_total: int = Field(description="Sum of the indicative budget, in rupiah")
    kpis: list[KpiRecord]
    related: list[str]
    locations: list[str]
    volumes: list[str] = Field(description="Ids of the volumes the programme appears in")
    url: str = Field(description="Path of the programme's page, relative to the site root")


class ProgrammesFile(_Record):
    """build/data/programmes.json"""

    schema_version: int = 1
    city: str
    title: str
    period: PeriodRecord
    programmes: list[ProgrammeRecord]


class KpiYearRecord(_Record):
    """One KPI in one year of the period: a row of build/data/kpis.csv and kpis.json."""

    kpi: str = Field(description="The KPI's key, <programme>#<n> (n counts the programme's KPIs from 1)")
    programme: str
    pillar: str
    lead: str = Field(description="Id of the OPD that leads the programme")
    indicator: str
    unit: str
    direction: Direction
    year: int
    baseline_year: int | None
    baseline_value: float | None
    target: float | None
    actual: float | None
    achievement: float | None = Field(
        description="Capaian in percent, unrounded: actual ÷ target × 100, or (2 × target − actual) ÷ target × 100 "
                    "for decrease; null without an actual or a target, or when the target is 0")
    band: BandId | None = Field(description="Predikat of the achievement (Permendagri 86/2017)")
    progress_status: StatusId = Field(
        description="Progress toward the period's final target, judged from the latest actual "
                    "(the same on every row of a KPI)")


class KpisFile(_Record):
    """build/data/kpis.json"""

    schema_version: int = 1
    city: str
    title: str
    period: PeriodRecord
    rows: list[KpiYearRecord] = Field(description="One row per KPI and year of the period")


class ElementRecord(_Record):
    id: str
    name: str
    programmes: int


class PillarRecord(_Record):
    id: str
    name: str
    aliases: list[str]
    short: str | None
    definition: str
    order: int
    elements: list[ElementRecord]
    programmes: list[str]
    budget_total: int
    url: str


class PillarsFile(_Record):
    """build/data/pillars.json"""

    schema_version: int = 1
    pillars: list[PillarRecord]


class OpdRecord(_Record):
    id: str
    name: str
    abbr: str | None
    kind: str
    leads: list[str]
    supports: list[str]
    url: str


class OpdFile(_Record):
    """build/data/opd.json"""

    schema_version: int = 1
    opd: list[OpdRecord]
