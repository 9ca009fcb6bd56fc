"""One embedded font per typeface: the subsets of a face that separately rendered parts embed are
combined, and the pages look and read exactly as before."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pikepdf

from conftest import REPO
from masterplan_kit.render.pdffonts import unify

FONTS = (REPO / "templates" / "pdf" / "fonts").as_uri()
STYLE = (f'@font-face {{ font-family: "Book Serif"; src: url({FONTS}/LiberationSerif-Regular.ttf); }}'
         "body { font: 11pt 'Book Serif'; } @page { size: A6; margin: 10mm; }")


def _part(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<style>{STYLE}</style><p>{text}</p>").write_pdf()


def _book(parts: list[bytes]) -> pikepdf.Pdf:
    out = pikepdf.new()
    for data in parts:
        out.pages.extend(pikepdf.open(io.BytesIO(data)).pages)
    return out


def _save(pdf: pikepdf.Pdf, path: Path) -> Path:
    pdf.save(path)
    return path


def _fonts(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        return sorted(str(o.FontName) for o in pdf.objects
                      if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor")


def test_parts_share_one_font_and_pages_are_unchanged(tmp_path: Path):
    parts = [_part("Kota cerdas untuk warga: layanan daring."), _part("Ákses ÿang terbuka — 86,5% (2024)."),
             _part("Kota cerdas lagi, dengan huruf yang sama.")]
    before = _save(_book(parts), tmp_path / "before.pdf")
    book = _book(parts)
    unify(book)
    after = _save(book, tmp_path / "after.pdf")
    assert len(_fonts(before)) == 3 and len(set(_fonts(before))) == 1
    assert len(_fonts(after)) == 1
    assert after.stat().st_size < before.stat().st_size

    def text(path: Path) -> str:
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout

    assert text(after) == text(before)
    assert "Ákses ÿang terbuka — 86,5% (2024)." in text(after)
    for page in (1, 2, 3):
        images = []
        for path in (before, after):
            subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", str(page), "-l", str(page), str(path),
                            str(tmp_path / path.stem)], check=True)
            images.append(next(tmp_path.glob(f"{path.stem}*.png")).read_bytes())
            for f in tmp_path.glob(f"{path.stem}*.png"):
                f.unlink()
        assert images[0] == images[1], f"page {page} looks different"


def test_a_book_embeds_each_typeface_once(built_books: Path):
    for vid in ("buku-1", "buku-2", "buku-saku"):
        names = _fonts(built_books / "pdf" / f"{vid}.pdf")
        assert len(names) == len(set(names)), names
