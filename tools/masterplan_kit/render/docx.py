"""DOCX copies for reviewers: the assembled volume converted by pandoc with templates/docx/reference.docx.

Headings become Word heading styles (Heading 1 for "BAB I …", Heading 2 for "1.1 …"), the tables
become real Word tables, and pandoc inserts a table-of-contents field that Word fills on opening.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import BuildError
from ..model import Project
from ..templating import find_template_file
from .book import VolumeBook, book_environment
from .dates import source_date, tanggal
from .outputs import BuildOptions
from .pandoc import project_fragments, run_pandoc
from .write import write_bytes


class DocxBuildError(BuildError):
    pass


def _reference(root: Path) -> Path:
    found = find_template_file(root, "docx/reference.docx")
    if found is None:
        raise DocxBuildError("templates/docx/reference.docx not found")
    return found


def build_docx(project: Project, options: BuildOptions, volume_id: str) -> list[Path]:
    """The ``docx`` output of one volume (see outputs.py)."""
    return write_docx(project, options.out / "docx", [volume_id])


def write_docx(project: Project, out_dir: Path, volume_ids: list[str] | None = None) -> list[Path]:
    env = book_environment(project.root)
    fragments = project_fragments(project)
    reference = _reference(project.root)
    ed = project.edition
    created = source_date(project.root)
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or str(_epoch(created))
    written = []
    for volume in ed.volumes:
        if volume_ids and volume.id not in volume_ids:
            continue
        book = VolumeBook(project, volume, env, fragments, {"roadmap": "docx/views/roadmap.html.j2"})
        front, body = book.chapters()
        html = env.get_template("docx/volume.html.j2").render(project=project, edition=ed, volume=volume,
                                                               front=front, body=body)
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / f"{volume.id}.docx"
            old = os.environ.get("SOURCE_DATE_EPOCH")
            os.environ["SOURCE_DATE_EPOCH"] = epoch  # pandoc stamps the DOCX with it: reproducible
            try:
                run_pandoc(["--from=html", "--to=docx", f"--output={target}",
                            "--sandbox", f"--reference-doc={reference}", "--toc", "--toc-depth=2",
                            f"--metadata=title:{ed.title} — {volume.title}",
                            f"--metadata=subtitle:{volume.subtitle or ''}",
                            f"--metadata=author:{ed.publisher or ed.city}", f"--metadata=lang:{ed.language}",
                            f"--metadata=date:{tanggal(ed.published or created)}", "--metadata=toc-title:Daftar Isi"],
                           html, f"volume {volume.id}")
            finally:
                if old is None:
                    os.environ.pop("SOURCE_DATE_EPOCH", None)
                else:
                    os.environ["SOURCE_DATE_EPOCH"] = old
            data = target.read_bytes()
        out = out_dir / f"{volume.id}.docx"
        write_bytes(out, data)
        written.append(out)
    return written


def _epoch(iso: str) -> int:
    import calendar
    import time

    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ"))
