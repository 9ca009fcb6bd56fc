"""masterplan/masterplan.yml: the edition of the masterplan and its volumes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Slug, Sourced, Strict, Text, Year
from .sections import SECTIONS

GENERATED_SECTIONS: dict[str, str] = {s.id: s.description for s in SECTIONS.values()}

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


class Period(Strict):
    start: Year
    end: Year


class Section(Strict):
    """A generated section named with options, e.g. ``{id: achievement, year: 2024}``."""

    id: Slug = Field(description="A generated section (" + ", ".join(GENERATED_SECTIONS) + ")")
    year: Year | None = Field(None, description="The year it reports on (achievement); default: the latest year with actuals")
    title: str | None = Field(None, description="A title instead of the section's usual one")


ContentItem = str | Section


class Volume(Strict):
    id: Slug = Field(description="Volume id; also the output file name (build/pdf/<id>.pdf)")
    title: Text
    subtitle: str | None = None
    paper: Literal["A4", "A5"] = Field("A4", description="Paper size of the printed volume")
    contents: list[ContentItem] = Field(
        min_length=1,
        description="Chapter ids and generated sections (" + ", ".join(GENERATED_SECTIONS) + "), in order; "
                    "a section with options is a mapping such as {id: achievement, year: 2024}",
    )

    @property
    def items(self) -> list[str]:
        """The ids of the contents, in order (a section with options by its id)."""
        return [c if isinstance(c, str) else c.id for c in self.contents]

    def section(self, section_id: str) -> Section | None:
        """The options a generated section is named with (None when it is named plainly or absent)."""
        return next((c for c in self.contents if isinstance(c, Section) and c.id == section_id), None)


class Licence(Strict):
    """Licences of the published content (books, site text) and of the open data, as SPDX ids."""

    content: str = Field("CC-BY-4.0", description="SPDX id of the content's licence, e.g. CC-BY-4.0")
    data: str | None = Field(None, description="SPDX id of the open data's licence (default: the content's)")


class Signature(Strict):
    """The signature block under the Kata Pengantar; an empty field prints a line to fill in by hand."""

    place: str | None = Field(None, description="Place of signing, e.g. 'Samarinda'")
    date: str | None = Field(None, pattern=ISO_DATE, description="Date of signing, YYYY-MM-DD")
    office: str | None = Field(None, description="The signing office, e.g. 'Wali Kota Samarinda'")
    name: str | None = None
    nip: str | None = Field(None, description="NIP (Nomor Induk Pegawai) of a civil servant who signs, e.g. a "
                            "Kepala Dinas; leave it out for an elected official (no NIP line), or empty for a line to fill in")


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
    version: str | None = Field(None, description="Edition or draft label printed in the imprint, e.g. 'Draf 2'")
    published: str | None = Field(None, pattern=ISO_DATE, description="Publication date, YYYY-MM-DD")
    site_url: str | None = Field(None, description="Address of the published site, printed in the books")
    licence: Licence = Field(default_factory=Licence)
    previous: str | None = Field(None, description="Git revision of the previous edition, for the list of changes")
    signature: Signature | None = None
    vision: Text
    missions: list[Text] = Field(min_length=1)
    logo: str | None = Field(None, description="Logo image, relative to masterplan/")
    notice: str | None = Field(None, description="A notice shown on the home page and covers")
    volumes: list[Volume] = Field(min_length=1)
