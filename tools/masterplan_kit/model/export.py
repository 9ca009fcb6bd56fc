"""The open-data records (build/data/*.json): what other city systems read.

Like the source models, these pydantic models are the single source of truth for the published
JSON Schemas.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .programme import FundingSource, Kind, Priority, Status


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PeriodRecord(_Record):
    start: int
    end: int


class BudgetRecord(_Record):
    year: int
    amount: int = Field(description="Indicative ceiling in rupiah")
    source: FundingSource


class KpiRecord(_Record):
    indicator: str
    unit: str
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
