"""pillars/<pillar-id>/programmes/<id>.yml: one programme entry contributed by an OPD."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import MAX_AMOUNT, Slug, Sourced, Strict, Text, Value
from .document import Document

Kind = Literal["infrastruktur", "suprastruktur", "infostruktur"]
Priority = Literal["high", "medium", "low"]
Status = Literal["planned", "ongoing", "done", "dropped"]
FundingSource = Literal["APBD", "APBD-Prov", "APBN", "DAK", "CSR", "KPBU", "hibah", "other"]
Direction = Literal["increase", "decrease", "maintain"]


class Budget(Strict):
    year: int
    amount: int = Field(description="Indicative ceiling in rupiah, a non-negative integer",
                        json_schema_extra={"minimum": 0, "maximum": MAX_AMOUNT})
    source: FundingSource
    realised: int | None = Field(None, description="Rupiah actually spent that year (realisasi), a non-negative integer",
                                 json_schema_extra={"minimum": 0, "maximum": MAX_AMOUNT})
    note: str | None = None


class Baseline(Strict):
    year: int
    value: Value


class Kpi(Strict):
    indicator: Text
    unit: str = Field(description="Unit of the values, e.g. '%', 'kelurahan', 'aplikasi'")
    direction: Direction = Field(
        "increase",
        description="increase: higher is better; decrease: lower is better (response time, flood area, cost); "
                    "maintain: at or above the target is met",
    )
    baseline: Baseline | None = None
    targets: dict[int, Value] = Field(default_factory=dict, description="Target value by year")
    actuals: dict[int, Value] = Field(default_factory=dict, description="Achieved value by year")


class Programme(Sourced):
    title: Text
    summary: Text = Field(description="One sentence")
    description: str | None = Field(None, description="Markdown")
    element: Slug = Field(description="An element id of this programme's pillar")
    lead: Slug = Field(description="The OPD that leads the programme")
    partners: list[Slug] = Field(default_factory=list)
    kind: Kind
    quick_win: bool = False
    priority: Priority = "medium"
    status: Status
    years: list[int] = Field(min_length=1)
    budget: list[Budget] = Field(default_factory=list)
    kpis: list[Kpi] = Field(default_factory=list)
    related: list[Slug] = Field(default_factory=list)
    locations: list[Slug] = Field(default_factory=list, description="Kecamatan ids")

    _id: str = ""
    _pillar: str = ""
    _doc: Document | None = None  # the description's Markdown, read by the loader

    @property
    def id(self) -> str:
        return self._private()["_id"]

    @property
    def pillar(self) -> str:
        return self._private()["_pillar"]

    @property
    def doc(self) -> Document | None:
        """The description as a Document (links, images, data views), None without a description."""
        return self._private()["_doc"]

    @property
    def total_budget(self) -> int:
        return sum(b.amount for b in self.budget)
