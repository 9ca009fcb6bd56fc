"""What changed between two editions, as data: the models behind every output of ``masterplan diff``.

The JSON output is these models dumped as they are, so their field names are its stable keys
(``schema_version`` counts incompatible changes). Every key is always present; a value that does
not apply is ``null``. Amounts are integer rupiah; KPI values are numbers (integers when whole).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldChange(_Record):
    """One field whose value differs. Lists also say which items came and went; texts, how many words."""

    field: str
    old: Any = None
    new: Any = None
    added: list[Any] | None = Field(None, description="List fields: items only in the new edition")
    removed: list[Any] | None = Field(None, description="List fields: items only in the old edition")
    words_added: int | None = Field(None, description="Text fields: words added")
    words_removed: int | None = Field(None, description="Text fields: words removed")


class BudgetYear(_Record):
    """A year's indicative budget on both sides (the sum of its entries; null: no entry that year)."""

    year: int
    old: int | None
    new: int | None
    old_sources: list[str] = Field(default_factory=list)
    new_sources: list[str] = Field(default_factory=list)

    @property
    def delta(self) -> int:
        return (self.new or 0) - (self.old or 0)


class BudgetChange(_Record):
    years: list[BudgetYear] = Field(description="The years whose amount or funding sources changed")
    old_total: int
    new_total: int


class YearValue(_Record):
    year: int
    old: float | int | None
    new: float | int | None


class KpiChange(_Record):
    """An indicator, matched by its text."""

    indicator: str
    change: Literal["added", "removed", "changed"]
    unit: str
    fields: list[FieldChange] = Field(default_factory=list, description="unit, direction, baseline")
    targets: list[YearValue] = Field(default_factory=list, description="Years whose target changed")
    actuals: list[YearValue] = Field(default_factory=list, description="Years whose actual value changed")


class ProgrammeEntry(_Record):
    """A programme added or removed, as it stands in the edition that has it."""

    id: str
    title: str
    pillar: str
    element: str
    lead: str
    status: str
    years: list[int]
    quick_win: bool
    budget_total: int


class ProgrammeChange(_Record):
    id: str
    title: str = Field(description="The title in the new edition")
    pillar: str = Field(description="The pillar in the new edition")
    moved_from: str | None = Field(None, description="The pillar in the old edition, when the programme moved")
    fields: list[FieldChange] = Field(default_factory=list)
    budget: BudgetChange | None = None
    kpis: list[KpiChange] = Field(default_factory=list)


class ProgrammeChanges(_Record):
    added: list[ProgrammeEntry] = Field(default_factory=list)
    removed: list[ProgrammeEntry] = Field(default_factory=list)
    changed: list[ProgrammeChange] = Field(default_factory=list)


class TextEntry(_Record):
    """A chapter, pillar, volume or OPD added or removed."""

    id: str
    title: str
    words: int | None = None


class ItemChange(_Record):
    """A chapter, pillar, volume or OPD present on both sides whose fields differ.

    A chapter's body is the field ``body``; a pillar's narrative (its index.md) is ``narrative``.
    """

    id: str
    title: str = Field(description="The title (or name) in the new edition")
    fields: list[FieldChange] = Field(default_factory=list)


class ItemChanges(_Record):
    added: list[TextEntry] = Field(default_factory=list)
    removed: list[TextEntry] = Field(default_factory=list)
    changed: list[ItemChange] = Field(default_factory=list)


class SideInfo(_Record):
    label: str = Field(description="The revision or folder as given on the command line")
    revision: str | None = Field(None, description="The commit it resolved to (git revisions only)")
    title: str
    version: str | None
    period: str
    programmes: int
    budget_total: int


class Summary(_Record):
    programmes_added: int
    programmes_removed: int
    programmes_moved: int
    programmes_changed: int
    chapters_added: int
    chapters_removed: int
    chapters_changed: int
    volumes_added: int
    volumes_removed: int
    volumes_changed: int
    pillars_changed: int
    opd_changed: int
    edition_changed: int


class Changes(_Record):
    schema_version: int = SCHEMA_VERSION
    old: SideInfo
    new: SideInfo
    summary: Summary
    edition: list[FieldChange]
    programmes: ProgrammeChanges
    budget_by_year: list[BudgetYear] = Field(description="The whole masterplan's indicative budget by year")
    chapters: ItemChanges
    volumes: ItemChanges
    pillars: ItemChanges
    opd: ItemChanges

    @property
    def empty(self) -> bool:
        return not (self.edition or self.programmes.added or self.programmes.removed or self.programmes.changed
                    or any(c.added or c.removed or c.changed
                           for c in (self.chapters, self.volumes, self.pillars, self.opd)))
