"""``make bench``: timings as ratios against a baseline measured in the same run.

Validation of a synthetic masterplan of 2,000 programmes, against a bare libyaml parse
(``yaml.load(..., CSafeLoader)``) of the same files.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from .synth import write_synthetic


def _best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bare_parse(root: Path) -> None:
    for f in sorted(root.rglob("*.yml")):
        yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)


def bench_validate(n: int = 2000) -> dict[str, float]:
    exe = Path(sys.executable).with_name("masterplan")
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic(Path(tmp), programmes=n)

        def run() -> None:
            subprocess.run([str(exe), "validate", str(root)], check=True, capture_output=True)

        run()  # warm the file cache
        from .pipeline import load_and_check

        parse = _best(lambda: bare_parse(root))
        cli = _best(run)
        inproc = _best(lambda: load_and_check(root))
        startup = _best(lambda: subprocess.run([str(exe), "--version"], check=True, capture_output=True))
    return {"parse": parse, "cli": cli, "inproc": inproc, "startup": startup}


def _run(*args: str, env=None) -> tuple[float, int]:
    """Wall time and peak RSS (MiB) of a CLI run in a fresh process."""
    import resource

    exe = Path(sys.executable).with_name("masterplan")
    t0 = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/env", sys.executable, "-c",
         "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]).returncode; "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(r)",
         str(exe), *args], check=False, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"masterplan {' '.join(args)} failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    _ = resource
    return wall, int(proc.stderr.strip().splitlines()[-1]) // 1024


def bench_site(n: int = 300) -> dict[str, float]:
    import shutil

    from .errors import Report
    from .load.project import load_project
    from .render.data import write_data
    from .render.site import generate_docs

    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic(Path(tmp), programmes=n)
        shutil.copy(Path(__file__).resolve().parents[2] / "mkdocs.yml", root / "mkdocs.yml")
        cold, rss = _run("build", "site", "--path", str(root))
        project = load_project(root, Report())
        t0 = time.perf_counter()
        generate_docs(project, {}, write_data(project, root / "build" / "gen-data"))
        gen = time.perf_counter() - t0
        size = sum(f.stat().st_size for f in (root / "build" / "site").rglob("*") if f.is_file())
        warm, _ = _run("build", "site", "--path", str(root))
    return {"cold": cold, "gen": gen, "size": size / 2**20, "warm": warm, "rss": rss}


def bench_pdf(n: int = 300, repeat: int = 2) -> dict[str, float]:
    """Buku 2 of a synthetic masterplan: a cold build (no caches) and a single-pass WeasyPrint render
    of the same volume's HTML, alternated ``repeat`` times, the best of each kept; then rebuilds
    after editing one programme (best of three edits) and a build of every output with nothing
    changed."""
    import os
    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic(Path(tmp), programmes=n, paragraphs=1)
        env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
        weasyprint = str(Path(sys.executable).with_name("weasyprint"))
        colds, singles, rss = [], [], 0
        for _ in range(repeat):
            shutil.rmtree(root / "build", ignore_errors=True)
            wall, peak = _run("build", "pdf", "--volume", "buku-2", "--html", "--path", str(root), env=env)
            colds.append(wall)
            rss = max(rss, peak)
            shutil.copy(root / "build" / "pdf" / "buku-2.html", root / "single.html")
            t0 = time.perf_counter()
            subprocess.run([weasyprint, str(root / "single.html"), str(root / "single.pdf")], check=True,
                           capture_output=True)
            singles.append(time.perf_counter() - t0)
        single_size = (root / "single.pdf").stat().st_size
        import pikepdf

        with pikepdf.open(root / "build" / "pdf" / "buku-2.pdf") as book:
            pages = len(book.pages)
        edits = []
        for k, prog in enumerate(sorted((root / "pillars" / "governance" / "programmes").glob("*.yml"))[:3]):
            prog.write_text(prog.read_text(encoding="utf-8").replace("title: Program", f"title: Program {k}X", 1),
                            encoding="utf-8")
            wall, peak = _run("build", "pdf", "--volume", "buku-2", "--html", "--path", str(root), env=env)
            edits.append(wall)
            rss = max(rss, peak)
        size = (root / "build" / "pdf" / "buku-2.pdf").stat().st_size
        _run("build", "all", "--path", str(root), env=env)
        nothing, _ = _run("build", "all", "--path", str(root), env=env)
    return {"cold": min(colds), "single": min(singles), "edit": min(edits), "nothing": nothing, "rss": rss,
            "pages": pages, "size": size / 2**20, "single_size": single_size / 2**20}


def bench_sheet(n: int = 300) -> dict[str, float]:
    """Excel round trip of a synthetic masterplan: export, import without edits, and import with one
    edit (which also writes the staging copy and validates it), against loading the same sources."""
    import openpyxl

    from .pipeline import load_and_check
    from .sheet.apply import import_workbook
    from .sheet.export import Scope, export

    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic(Path(tmp) / "project", programmes=n)
        book = Path(tmp) / "program.xlsx"
        edited = Path(tmp) / "edited.xlsx"
        load = _best(lambda: load_and_check(root), 3)
        out = _best(lambda: export(load_and_check(root)[0], Scope(), book), 3)
        same = _best(lambda: import_workbook(root, book, dry_run=True), 3)
        wb = openpyxl.load_workbook(book)
        wb["Program"]["J3"] = "done" if wb["Program"]["J3"].value != "done" else "ongoing"
        wb.save(edited)
        one = _best(lambda: import_workbook(root, edited, dry_run=True), 3)
    return {"load": load, "export": out, "import": same, "edit": one}


def main() -> None:
    print("masterplan benchmark (best of 5; ratios against a baseline of the same run)")
    r = bench_validate()
    print("\nvalidate, 2,000 programmes")
    print(f"  bare libyaml parse (baseline)    {r['parse']:7.3f} s   1.00x")
    print(f"  masterplan validate (CLI, wall)  {r['cli']:7.3f} s   {r['cli'] / r['parse']:.2f}x   target <= 2.5x and <= 2 s")
    print(f"  load + check in process          {r['inproc']:7.3f} s   {r['inproc'] / r['parse']:.2f}x")
    print(f"  CLI start-up alone               {r['startup']:7.3f} s")
    ok = r["cli"] <= 2.0 and r["cli"] / r["parse"] <= 2.5
    print(f"  {'PASS' if ok else 'FAIL'}")

    s = bench_site()
    print("\nsite, 300 programmes (single runs)")
    print(f"  cold build (CLI, wall)           {s['cold']:7.2f} s   target <= 15 s")
    print(f"  generation before MkDocs         {s['gen']:7.2f} s   {100 * s['gen'] / s['cold']:.0f}% of the cold build, target <= 20%")
    print(f"  site size                        {s['size']:7.1f} MiB target <= 30 MiB")
    print(f"  second build, nothing changed    {s['warm']:7.2f} s   target <= 1.5 s")
    print(f"  peak memory                      {s['rss']:7d} MiB")

    x = bench_sheet()
    print("\nExcel workbooks, 300 programmes (best of 3, in process)")
    print(f"  load + check the sources (baseline){x['load']:6.3f} s   1.00x")
    print(f"  sheet export                     {x['export']:7.3f} s   {x['export'] / x['load']:.2f}x   target < 3 s")
    print(f"  sheet import, no edit            {x['import']:7.3f} s   {x['import'] / x['load']:.2f}x   target < 3 s")
    print(f"  sheet import, one edit, validated{x['edit']:7.3f} s   {x['edit'] / x['load']:.2f}x   target < 3 s")

    p = bench_pdf()
    print(f"\nBuku 2 PDF, 300 programmes, {p['pages']} pages (best of 2 cold builds and single passes, of 3 edits)")
    print(f"  single-pass weasyprint (baseline){p['single']:7.2f} s   1.00x")
    print(f"  cold build                       {p['cold']:7.2f} s   {p['cold'] / p['single']:.2f}x   target <= 0.6x")
    print(f"  rebuild after editing a programme{p['edit']:7.2f} s   {p['edit'] / p['single']:.2f}x   target <= 0.2x (aim 0.12x)")
    print(f"  every output, nothing changed    {p['nothing']:7.2f} s   target <= 1.5 s")
    print(f"  peak memory                      {p['rss']:7d} MiB target <= 400 MiB")
    print(f"  book size                        {p['size']:7.2f} MiB (the single pass: {p['single_size']:.2f} MiB)")


if __name__ == "__main__":
    main()
