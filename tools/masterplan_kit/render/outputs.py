"""The outputs ``masterplan build`` can write: one table.

Each entry names the output (its CLI choice), what it reads of other outputs (built first when
chosen together), the files it writes, whether it is written per volume, and the function that
writes it (imported only when used, so the CLI starts fast). The CLI's choices, ``build all``, the
build order and the site's download page all read this table: adding an output is one module that
writes it, its templates and one entry here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class BuildOptions:
    out: Path  # the build folder
    volumes: list[str] = field(default_factory=list)  # the volumes chosen (all by default)
    pdf_variant: str | None = None
    pdf_html: bool = False


@dataclass(frozen=True)
class OutputSpec:
    name: str
    help: str
    writer: str  # "module:function" under masterplan_kit.render; called as f(project, options[, volume_id])
    folder: str  # its folder under the build folder
    suffix: str = ""  # per volume: the file written for a volume is <folder>/<volume id><suffix>
    per_volume: bool = False
    needs: tuple[str, ...] = ()  # outputs it reads; built before it when both are chosen
    reads: tuple[str, ...] = ()  # outputs it reads when present, without asking for them
    download: bool = False  # its files are offered on the site's download page
    options: tuple[str, ...] = ()  # build options that change its bytes (part of its fingerprint)

    def files(self, options: BuildOptions, volume_id: str | None = None) -> list[Path]:
        folder = options.out / self.folder
        if not self.per_volume:
            return [folder]
        files = [folder / f"{volume_id}{self.suffix}"]
        if self.name == "pdf" and options.pdf_html:
            files.append(folder / f"{volume_id}.html")
        return files

    def write(self, project: Any, options: BuildOptions, volume_id: str | None = None) -> list[Path]:
        module, _, function = self.writer.partition(":")
        fn: Callable[..., list[Path]] = getattr(importlib.import_module(f"masterplan_kit.render.{module}"), function)
        return fn(project, options, volume_id) if self.per_volume else fn(project, options)


OUTPUTS: dict[str, OutputSpec] = {o.name: o for o in [
    OutputSpec("data", "open data: JSON, CSV and their schemas", "data:build_data", "data", download=True),
    OutputSpec("pdf", "the volumes as print-ready PDF books", "pdf:build_pdf", "pdf", ".pdf", per_volume=True,
               download=True, options=("pdf_variant", "pdf_html")),
    OutputSpec("docx", "the volumes as Word documents for reviewers", "docx:build_docx", "docx", ".docx",
               per_volume=True, download=True),
    OutputSpec("site", "the website (MkDocs Material)", "site:build_site", "site", needs=("data",),
               reads=("pdf", "docx")),
]}


def build_order(chosen: list[str]) -> list[OutputSpec]:
    """The chosen outputs and what they need, each after what it needs or reads."""
    wanted: set[str] = set()

    def want(name: str) -> None:
        if name not in wanted:
            wanted.add(name)
            for need in OUTPUTS[name].needs:
                want(need)

    for name in chosen:
        want(name)
    order: list[OutputSpec] = []

    def visit(name: str) -> None:
        spec = OUTPUTS[name]
        if spec in order:
            return
        for before in spec.needs + spec.reads:
            if before in wanted:
                visit(before)
        order.append(spec)

    for name in OUTPUTS:
        if name in wanted:
            visit(name)
    return order


def downloads(out: Path) -> dict[str, Path]:
    """The files of the downloadable per-volume outputs already built (the books), by file name."""
    found: dict[str, Path] = {}
    for spec in OUTPUTS.values():
        if spec.download and spec.per_volume and (out / spec.folder).is_dir():
            found.update({f.name: f for f in sorted((out / spec.folder).glob(f"*{spec.suffix}"))})
    return found
