"""The whole masterplan as one model: what every check and every renderer works from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .changes import Changes
from .chapter import Chapter
from .edition import Edition
from .opd import Opd
from .pillar import Pillar
from .programme import Programme


class EditionMissing(Exception):
    """The edition (masterplan.yml) did not load; the validator has reported why."""


@dataclass
class Project:
    """The loaded masterplan. ``edition`` is always set on a project that validated (every build
    and report starts from one), so renderers read it without checks; the checks, which also run
    on a project whose masterplan.yml did not load, read ``loaded_edition`` instead."""

    root: Path
    loaded_edition: Edition | None = None
    opds: list[Opd] = field(default_factory=list)
    pillars: list[Pillar] = field(default_factory=list)  # sorted by order, then id
    programmes: list[Programme] = field(default_factory=list)  # pillar order, then id
    chapters: dict[str, Chapter] = field(default_factory=dict)
    # what changed since the previous edition (masterplan.yml's ``previous``), set by the build
    previous: Changes | None = None
    # ids whose source file exists but could not be loaded: references to them are not errors
    unloaded: dict[str, set[str]] = field(default_factory=lambda: {"programme": set(), "pillar": set(), "opd": set()})

    @property
    def edition(self) -> Edition:
        if self.loaded_edition is None:
            raise EditionMissing("masterplan/masterplan.yml did not load")
        return self.loaded_edition

    def exists(self, kind: str, item_id: str) -> bool:
        if item_id in self.unloaded.get(kind, ()):
            return True
        found = {"programme": self.programme, "pillar": self.pillar, "opd": self.opd}[kind](item_id)
        return found is not None

    def opd(self, opd_id: str) -> Opd | None:
        return self._index("_opd_index", self.opds).get(opd_id)

    def pillar(self, pillar_id: str) -> Pillar | None:
        return self._index("_pillar_index", self.pillars).get(pillar_id)

    def programme(self, programme_id: str) -> Programme | None:
        return self._index("_programme_index", self.programmes).get(programme_id)

    def programmes_of(self, pillar_id: str) -> list[Programme]:
        return [p for p in self.programmes if p.pillar == pillar_id]

    def _index(self, name: str, items: list) -> dict:
        """Items by id, made again when the list has grown (the loader appends to it)."""
        cached = self.__dict__.get(name)
        if cached is None or cached[0] != len(items):
            cached = (len(items), {})
            for item in items:
                cached[1].setdefault(item.id, item)
            self.__dict__[name] = cached
        return cached[1]
