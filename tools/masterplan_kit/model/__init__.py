"""The typed model of a masterplan (pydantic v2): the single source of truth for its schema."""

from .chapter import Chapter, ChapterMeta
from .document import Document, Image, Link, View
from .edition import GENERATED_SECTIONS, Edition, Period, Volume
from .opd import Opd
from .pillar import Element, Pillar
from .programme import Baseline, Budget, Kpi, Programme
from .project import Project

__all__ = [
    "GENERATED_SECTIONS",
    "Baseline",
    "Budget",
    "Chapter",
    "ChapterMeta",
    "Document",
    "Edition",
    "Element",
    "Image",
    "Kpi",
    "Link",
    "Opd",
    "Period",
    "Pillar",
    "Programme",
    "Project",
    "View",
    "Volume",
]
