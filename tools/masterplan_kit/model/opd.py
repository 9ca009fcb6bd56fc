"""masterplan/opd.yml: the registry of OPD (the city's agencies and kecamatan)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Slug, Sourced, Text

OpdKind = Literal["dinas", "badan", "sekretariat", "inspektorat", "kecamatan", "other"]


class Opd(Sourced):
    id: Slug
    name: Text
    abbr: str | None = Field(None, description="Short name, e.g. 'Diskominfo'")
    kind: OpdKind
    code: str | None = Field(None, description="Kemendagri region code of a kecamatan, e.g. '64.72.01'")
    verified: bool = Field(True, description="false while the name is not yet checked against the official list")
    website: str | None = None
    note: str | None = None

    @property
    def label(self) -> str:
        return self.abbr or self.name
