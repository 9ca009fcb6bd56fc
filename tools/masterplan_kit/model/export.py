"""The open-data records (build/data/*.json, *.csv and masterplan.db): what other city systems read.

Like the source models, these pydantic models are the single source of truth for the published
JSON Schemas, and the row models (``*Row``, and ``KpiYearRecord``) for the CSV columns, the Table
Schemas of datapackage.json and the tables of masterplan.db (see ``model/tables.py``).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from .base import Slug
from .evaluation import BandId, StatusId
from .opd import OpdKind
from .programme import Direction, FundingSource, Kind, Priority, Status

Rupiah = Annotated[int, Field(ge=0)]


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

    kpi: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*#[1-9][0-9]*$",
                     description="The KPI's key, <programme>#<n> (n counts the programme's KPIs from 1)")
    programme: Slug = Field(description="Id of the programme")
    pillar: Slug = Field(description="Id of the programme's pillar")
    lead: Slug = Field(description="Id of the OPD that leads the programme")
    indicator: str
    unit: str
    direction: Direction
    year: int
    baseline_year: int | None
    baseline_value: float | None
    target: float | None
    actual: float | None
    achievement: float | None = Field(
        json_schema_extra={"unit": "percent"},
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


# --- the tables: one row model per CSV file of build/data/ and table of masterplan.db -------------


class PillarRow(_Record):
    """A row of pillars.csv."""

    id: Slug
    name: str
    order: int = Field(description="Position of the pillar in the masterplan")
    short: str | None = Field(description="Short Indonesian description")
    definition: str
    element_count: int
    programme_count: int
    budget_total: Rupiah = Field(description="Sum of the indicative budget of its programmes, in rupiah")
    url: str = Field(description="Path of the pillar's page, relative to the site root")


class ElementRow(_Record):
    """A row of elements.csv: an element of a pillar (element ids are unique within their pillar)."""

    pillar: Slug = Field(description="Id of the pillar")
    id: Slug
    name: str
    description: str | None
    programme_count: int


class OpdRow(_Record):
    """A row of opd.csv: an OPD or a kecamatan."""

    id: Slug
    name: str
    abbr: str | None
    kind: OpdKind
    code: str | None = Field(description="Kemendagri region code of a kecamatan, e.g. 64.72.01")
    verified: bool = Field(description="false while the name is not yet checked against the official list")
    website: str | None
    leads: int = Field(description="Number of programmes it leads")
    supports: int = Field(description="Number of programmes it supports as a partner")
    url: str = Field(description="Path of its page, relative to the site root")


class ProgrammeRow(_Record):
    """A row of programmes.csv; ``programme_row(years)`` adds a budget_<year> column per year of the period."""

    id: Slug
    title: str
    pillar: Slug = Field(description="Id of the pillar")
    element: Slug = Field(description="Id of an element of the programme's pillar")
    lead: Slug = Field(description="Id of the OPD that leads the programme")
    partners: list[Slug] = Field(description="Ids of the supporting OPD")
    kind: Kind
    status: Status
    priority: Priority
    quick_win: bool
    years: list[int] = Field(min_length=1, description="Years of the period the programme runs")
    start_year: int
    end_year: int
    budget_total: Rupiah = Field(description="Sum of the indicative budget, in rupiah")
    funding_sources: list[FundingSource]
    kpi_count: int
    summary: str
    url: str = Field(description="Path of the programme's page, relative to the site root")
    description: str | None = Field(description="Markdown, as written")


def programme_row(years: list[int]) -> type[BaseModel]:
    """The programme row of a period: ProgrammeRow with a ``budget_<year>`` column per year, after end_year."""
    fields: dict[str, Any] = {}
    for name, info in ProgrammeRow.model_fields.items():
        fields[name] = (info.annotation, info)
        if name == "end_year":
            for y in years:
                fields[f"budget_{y}"] = (Rupiah, Field(description=f"Indicative budget of {y}, in rupiah"))
    model: type[BaseModel] = create_model("ProgrammeRow", __base__=_Record, __doc__=ProgrammeRow.__doc__, **fields)
    return model


class BudgetRow(_Record):
    """A row of budget.csv: one budget line of a programme."""

    programme: Slug = Field(description="Id of the programme")
    line: int = Field(ge=1, description="Number of the line within the programme's budget, from 1")
    year: int
    amount: Rupiah = Field(description="Indicative ceiling, in rupiah")
    source: FundingSource
    realised: Rupiah | None = Field(description="Rupiah actually spent that year (realisasi); empty when not reported")
    note: str | None


class LocationRow(_Record):
    """A row of locations.csv: a kecamatan where a programme takes place."""

    programme: Slug = Field(description="Id of the programme")
    kecamatan: Slug = Field(description="Id of the kecamatan in opd.csv")
