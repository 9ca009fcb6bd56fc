"""masterplan/masterplan.yml: the edition of the masterplan and its volumes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Strict, Slug, Sourced, Text, Year

GENERATED_SECTIONS: dict[str, str] = {
    "pillars": "one chapter per pillar: narrative, elements and its programmes",
    "roadmap": "programmes by year, grouped by pillar",
    "quick-wins": "the quick-win programmes",
    "kpis": "every programme's indicators, baselines and targets",
    "programme-matrix": "landscape annex listing every programme",
}


class Period(Strict):
    start: Year
    end: Year


class Volume(Strict):
    id: Slug = Field(description="Volume id; also the output file name (build/pdf/<id>.pdf)")
    title: Text
    subtitle: str | None = None
    paper: Literal["A4", "A5"] = Field("A4", description="Paper size of the printed volume")
    contents: list[str] = Field(
        min_length=1,
        description="Chapter ids and generated sections (" + ", ".join(GENERATED_SECTIONS) + "), in order",
    )


class Edition(Sourced):
    city: Text = Field(description="Name of the kota or kabupaten, e.g. 'Kota Samarinda'")
    title: Text
    subtitle: str | None = None
    province: str | None = None
    region_code: str | None = Field(None, description="BPS region code, e.g. '6472'")
    publisher: str | None = Field(None, description="The agency that publishes the masterplan")
    period: Period
    language: Literal["id", "en"] = "id"
    year: Year | None = Field(None, description="Year of publication (defaults to the period start)")
    vision: Text
    missions: list[Text] = Field(min_length=1)
    logo: str | None = Field(None, description="Logo image, relative to masterplan/")
    notice: str | None = Field(None, description="A notice shown on the home page and covers")
    volumes: list[Volume] = Field(min_length=1)
