"""The ``masterplan`` command line."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import NoReturn

import typer

from . import __version__
from .errors import BuildError, _one_line
from .render.outputs import OUTPUTS

app = typer.Typer(
    name="masterplan",
    help="Validate and publish a city's Smart City Masterplan from YAML and Markdown sources.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
new_app = typer.Typer(help="Create a new source file from a commented skeleton.", no_args_is_help=True)
app.add_typer(new_app, name="new")
sheet_app = typer.Typer(help="Exchange programmes with OPD through Excel workbooks.", no_args_is_help=True)
app.add_typer(sheet_app, name="sheet")


class Format(str, Enum):
    text = "text"
    json = "json"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"masterplan {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    pass


def _root(path: Path) -> Path:
    from .load.project import find_root

    if not path.exists():
        typer.echo(_one_line(f"error: path '{path}' does not exist"), err=True)
        raise typer.Exit(2)
    root = find_root(path if path.is_dir() else path.parent)
    if root is None:
        typer.echo(_one_line(f"{path}: error[E008]: no masterplan/masterplan.yml here or in a parent folder"), err=True)
        raise typer.Exit(1)
    return root


def _valid_project(root: Path, stopped: str, as_json: bool = False, warnings=None):
    """The project at ``root`` when it validates; otherwise its problems and ``stopped`` are printed
    and the command exits 1. Warnings go to ``warnings`` (standard output by default)."""
    from .pipeline import load_and_check

    project, report = load_and_check(root)
    if report.errors():
        sys.stdout.write(report.to_json() if as_json else report.to_text())
        typer.echo(stopped, err=True)
        raise typer.Exit(1)
    (warnings or sys.stdout).write(report.to_text())
    return project


@app.command()
def validate(
    path: Path = typer.Argument(Path("."), help="The project folder (or any folder inside it)."),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors."),
    format: Format = typer.Option(Format.text, "--format", help="Output format."),
) -> None:
    """Check every source; print one problem a line. Exit 0 clean, 1 problems."""
    from .pipeline import load_and_check

    root = _root(path)
    _, report = load_and_check(root)
    if format is Format.json:
        sys.stdout.write(report.to_json(strict))
    else:
        sys.stdout.write(report.to_text(strict))
        if len(report):
            n_err = len(report.errors(strict))
            n_warn = len(report) - n_err
            typer.echo(f"{n_err} error(s), {n_warn} warning(s)", err=True)
    raise typer.Exit(1 if report.errors(strict) else 0)


@app.command()
def schema(
    path: Path = typer.Argument(Path("."), help="The project folder."),
    out: Path | None = typer.Option(None, "--out", help="Folder for the schemas (default: <project>/schemas)."),
    check: bool = typer.Option(False, "--check", help="Only check that the schemas are up to date."),
) -> None:
    """Write the JSON Schemas (draft-07) of every source file kind, generated from the models."""
    from .model.jsonschema import stale, write_all

    target = out if out is not None else _root(path) / "schemas"
    if (target.exists() or target.is_symlink()) and not target.is_dir():
        typer.echo(f"error: {target} is not a folder; the schemas go into a folder", err=True)
        raise typer.Exit(1)
    if check:
        names = stale(target)
        for name in names:
            typer.echo(f"{target / name}: out of date; run 'masterplan schema'", err=True)
        raise typer.Exit(1 if names else 0)
    for changed in write_all(target):
        typer.echo(f"wrote {changed}")


# the outputs `build` can write come from the table in render/outputs.py, plus "all"
Target = Enum("Target", {name: name for name in [*OUTPUTS, "all"]}, type=str)  # type: ignore[misc]


class PdfVariant(str, Enum):
    pdfa = "pdf/a-3b"
    pdfua = "pdf/ua-1"


@app.command()
def build(
    target: Target = typer.Argument("all", help="What to build: " + ", ".join(
        f"{o.name} ({o.help})" for o in OUTPUTS.values()) + ", or all."),
    path: Path = typer.Option(Path("."), "--path", help="The project folder."),
    out: Path | None = typer.Option(None, "--out", help="Output folder (default: <project>/build)."),
    volume: list[str] | None = typer.Option(None, "--volume", help="Only this volume (repeatable); pdf and docx."),
    pdf_variant: PdfVariant | None = typer.Option(None, "--pdf-variant",
                                                  help="Archival (pdf/a-3b) or tagged (pdf/ua-1) PDF."),
    html: bool = typer.Option(False, "--html",
                              help="Also write build/pdf/<volume>.html, the whole volume as one HTML file."),
    force: bool = typer.Option(False, "--force", help="Rebuild even what is up to date."),
) -> None:
    """Validate, then build outputs into build/. A failed build leaves the previous outputs intact."""
    import jinja2

    from .build import build_outputs, template_problem

    root = _root(path)
    project = _valid_project(root, "build stopped: fix the errors above; previous outputs were left as they were")
    targets = list(OUTPUTS) if target.value == "all" else [target.value]
    skipped: list[Path] = []
    try:
        for written in build_outputs(project, targets, out or root / "build", volume or None,
                                     pdf_variant.value if pdf_variant else None, html, force, skipped):
            typer.echo(f"wrote {written}")
        for fresh in skipped:
            typer.echo(f"up to date: {fresh}")
    except BuildError as exc:
        typer.echo(f"error: {exc}", err=True)
        typer.echo("build stopped; previous outputs were left as they were", err=True)
        raise typer.Exit(1) from None
    except jinja2.TemplateError as exc:
        sys.stdout.write(template_problem(exc, root).to_text())
        typer.echo("build stopped; previous outputs were left as they were", err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        typer.echo(f"error: {os_error(exc)}", err=True)
        typer.echo("build stopped; previous outputs were left as they were", err=True)
        raise typer.Exit(1) from None


def os_error(exc: OSError) -> str:
    """An operating system's refusal in one line: what could not be done, to which file."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    name = exc.filename or exc.filename2
    return f"{reason}: '{name}'" if name else reason


@app.command("report")
def report_command(
    path: Path = typer.Argument(Path("."), help="The project folder (or any folder inside it)."),
    year: int | None = typer.Option(None, "--year",
                                    help="The year to report on (default: the latest year with actuals)."),
    format: Format = typer.Option(Format.text, "--format", help="Output format."),
) -> None:
    """Validate, then print a year's KPI achievement and budget realisation per pillar and for the city."""
    import jinja2

    from .build import template_problem
    from .report import YearOutsidePeriod, to_json, to_text, year_report

    root = _root(path)
    # warnings go to stderr: they do not stop the report, nor mix with it
    project = _valid_project(root, "report stopped: fix the errors above", as_json=format is Format.json,
                             warnings=sys.stderr)
    try:
        chosen = year_report(project, year)
    except YearOutsidePeriod as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if format is Format.json:
        sys.stdout.write(to_json(chosen))
        return
    try:
        sys.stdout.write(to_text(chosen, root, project))
    except jinja2.TemplateError as exc:
        sys.stdout.write(template_problem(exc, root).to_text())
        raise typer.Exit(1) from None


@app.command()
def serve(
    path: Path = typer.Option(Path("."), "--path", help="The project folder."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int | None = typer.Option(None, "--port", min=0, max=65535,
                                    help="Port to listen on (0: any free port); default 8000, with --api 8001."),
    api: bool = typer.Option(False, "--api", help="Serve the open data (build/data/masterplan.db) read-only with "
                                                  "datasette instead of the site; needs the [api] extra."),
) -> None:
    """Build the site, serve it on localhost and rebuild when a source changes; or, with --api, build the
    open data and serve it as a read-only API."""
    if api:
        _serve_api(path, host, 8001 if port is None else port)
        return
    from .serve import serve as run

    root = _root(path)
    try:
        run(root, host, 8000 if port is None else port)
    except BuildError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        typer.echo(f"error: cannot serve on {host}:{8000 if port is None else port}: {os_error(exc)}", err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        pass


def _serve_api(path: Path, host: str, port: int) -> None:
    from .api import INSTALL_HINT, bind, datasette_installed, serve_api

    if not datasette_installed():
        typer.echo(f"error: masterplan serve --api needs datasette; install it with: {INSTALL_HINT}", err=True)
        raise typer.Exit(2)
    from .build import build_outputs

    root = _root(path)
    try:
        sock = bind(host, port)
    except OSError as exc:
        typer.echo(f"error: cannot serve on {host}:{port}: {exc.strerror or exc}", err=True)
        raise typer.Exit(1) from None
    with sock:
        project = _valid_project(root, "serve stopped: fix the errors above")
        try:
            list(build_outputs(project, ["data"], root / "build"))
        except BuildError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        bound = sock.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        typer.echo(f"serving {root / 'build' / 'data' / 'masterplan.db'} read-only on http://{shown}:{bound}/")
        serve_api(root / "build" / "data", sock)


@new_app.command("programme")
def new_programme(
    programme_id: str = typer.Argument(..., metavar="ID", help="The new programme's id (a lowercase slug)."),
    pillar: str = typer.Option(..., "--pillar", help="The pillar id, e.g. governance."),
    path: Path = typer.Option(Path("."), "--path", help="The project folder."),
) -> None:
    """Write pillars/<pillar>/programmes/<ID>.yml; never overwrites."""
    from .errors import Report
    from .load.project import load_project
    from .scaffold import new_programme as make

    report, loading = Report(), Report()
    project = load_project(_root(path), loading)
    if project.loaded_edition is None:
        from .load.project import EDITION_FILE

        sys.stdout.write("".join(d.format() + "\n" for d in loading.errors() if d.path == EDITION_FILE))
        typer.echo(f"error: {EDITION_FILE} does not load (see above); a new programme takes its years from the "
                   "edition's period: fix it first", err=True)
        raise typer.Exit(1)
    _finish(make(project, pillar, programme_id, report), report)


@new_app.command("chapter")
def new_chapter(
    chapter_id: str = typer.Argument(..., metavar="ID", help="The new chapter's id (a lowercase slug)."),
    path: Path = typer.Option(Path("."), "--path", help="The project folder."),
) -> None:
    """Write masterplan/chapters/<ID>.md; never overwrites."""
    from .errors import Report
    from .load.project import load_project
    from .scaffold import new_chapter as make

    report = Report()
    project = load_project(_root(path), Report())
    _finish(make(project, chapter_id, report), report)


@app.command("init")
def init_command(
    directory: Path = typer.Argument(..., metavar="DIR", help="The folder of the new repository."),
    city: str = typer.Option(..., "--city", help="'Kota …' or 'Kabupaten …', e.g. 'Kabupaten Kutai Kartanegara'."),
    province: str = typer.Option("", "--province", help="The province, e.g. 'Kalimantan Timur'."),
    region_code: str = typer.Option("", "--region-code", help="BPS region code, e.g. 6402."),
    period: str | None = typer.Option(None, "--period",
                                      help="START-END, e.g. 2025-2029 (default: this year and the four after)."),
    toolkit_repo: str = typer.Option("", "--toolkit-repo",
                                     help="Git address of the masterplan toolkit, for pre-commit and copier update."),
    force: bool = typer.Option(False, "--force",
                               help="Add the missing files to a non-empty folder; never overwrites a file."),
) -> None:
    """Write a new city's masterplan repository: pillars, example programmes, chapter skeletons, site, CI."""
    from .init import Answers, InitError, init_city

    try:
        result = init_city(directory, Answers.from_options(city, province, region_code, period, toolkit_repo), force)
    except InitError as exc:
        typer.echo(_one_line(f"error: {exc}"), err=True)
        raise typer.Exit(exc.code) from None
    for rel in result.skipped:
        typer.echo(f"skipped {directory / rel}: it exists and was left unchanged")
    typer.echo(f"created {len(result.written)} files in {directory}")
    typer.echo(f"next: cd {directory} && masterplan validate && masterplan build all (see README.md)")


def _finish(created: Path | None, report) -> None:
    if created is None:
        sys.stdout.write(report.to_text())
        raise typer.Exit(1)
    typer.echo(f"created {created}")


@sheet_app.command("export")
def sheet_export(
    opd: str | None = typer.Option(None, "--opd", help="Only the programmes this OPD leads (and, read-only, "
                                      "those it supports)."),
    year: int | None = typer.Option(None, "--year", help="A realisation workbook: only that year's KPI actuals "
                                       "and realised budgets editable."),
    output: Path | None = typer.Option(None, "-o", "--output", help="The .xlsx to write (default: build/sheets/…)."),
    path: Path = typer.Option(Path("."), "--path", help="The project folder."),
    force: bool = typer.Option(False, "--force", help="Replace the file -o names if it exists."),
) -> None:
    """Write a workbook of programmes (Program, Anggaran, Indikator, Petunjuk) for an OPD to fill in."""
    from .sheet.export import Scope, export

    root = _root(path)
    project = _valid_project(root, "export stopped: fix the errors above first")
    if opd is not None and project.opd(opd) is None:
        from .errors import did_you_mean

        typer.echo(f"error: unknown OPD '{opd}'{did_you_mean(opd, [o.id for o in project.opds])}", err=True)
        raise typer.Exit(2)
    period = project.edition.period
    if year is not None and period is not None and not period.start <= year <= period.end:
        typer.echo(f"error: --year {year} is outside the period {period.start}–{period.end}", err=True)
        raise typer.Exit(2)
    name = "-".join(["program", *([opd] if opd else []), *([f"realisasi-{year}"] if year is not None else [])])
    target = output if output is not None else root / "build" / "sheets" / f"{name}.xlsx"
    if target.suffix.lower() != ".xlsx":
        typer.echo(f"error: {target}: the workbook must be an .xlsx file", err=True)
        raise typer.Exit(2)
    if output is not None:
        _may_replace(output, force)
    try:
        if output is None:
            from .render.write import claim_output_folder

            claim_output_folder(root / "build")
        typer.echo(f"wrote {export(project, Scope(opd=opd, year=year), target)}")
    except BuildError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        typer.echo(f"error: cannot write {target}: {exc.strerror or exc}", err=True)
        raise typer.Exit(1) from None


def _may_replace(output: Path, force: bool) -> None:
    """A file named with -o is replaced only with --force (it may be a workbook an OPD filled in),
    and only when it is a file."""
    import stat

    try:
        mode = output.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        typer.echo(f"error: cannot write {output}: {exc.strerror or exc}", err=True)
        raise typer.Exit(1) from None
    if stat.S_ISDIR(mode) or (stat.S_ISLNK(mode) and output.is_dir()):
        typer.echo(f"error: {output} is a folder; name the workbook's file, e.g. {output / 'program.xlsx'}", err=True)
        raise typer.Exit(1)
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        typer.echo(f"error: {output} is not a regular file (a FIFO, device or socket); name another file", err=True)
        raise typer.Exit(1)
    if not force:
        typer.echo(f"error: {output} exists (perhaps a workbook an OPD filled in) and was left as it was; name "
                   "another file, or pass --force to replace it", err=True)
        raise typer.Exit(1)


@sheet_app.command("import")
def sheet_import(
    workbook: Path = typer.Argument(..., metavar="FILE.xlsx", help="The filled workbook."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change; write nothing."),
    path: Path = typer.Option(Path("."), "--path", help="The project folder."),
) -> None:
    """Check a filled workbook cell by cell and write its changes into pillars/*/programmes/*.yml."""
    from .sheet.apply import SourcesBroken, import_workbook

    root = _root(path)
    try:
        outcome = import_workbook(root, workbook, dry_run)
    except SourcesBroken as exc:
        sys.stdout.write(exc.report.to_text())
        typer.echo("import stopped: the sources have errors; fix them first", err=True)
        raise typer.Exit(1) from None
    if outcome.problems:
        sys.stdout.write(outcome.problems.to_text(str(workbook)))
        typer.echo(f"{len(outcome.problems)} problem(s); nothing was written", err=True)
        raise typer.Exit(1)
    for change in outcome.changes:
        typer.echo(f"{'added' if change.added else 'changed'} {change.programme} ({change.file})")
        for line in change.lines():
            typer.echo(f"  {line}")
    for pid, rel in outcome.missing:
        typer.echo(f"not in the workbook, file kept: {pid} ({rel})")
    n_added = sum(c.added for c in outcome.changes)
    summary = f"{len(outcome.changes) - n_added} programme(s) changed, {n_added} added"
    if dry_run:
        typer.echo(f"{summary}; dry run: nothing written")
    else:
        typer.echo(f"{summary}; wrote {len(outcome.written)} file(s)")


@app.command()
def doctor() -> None:
    """Check that this machine can build every output, with the fix for what is missing."""
    from .doctor import run_checks

    failed = 0
    for c in run_checks():
        mark = "ok  " if c.ok else "FAIL"
        typer.echo(f"{mark} {c.name}: {c.detail}")
        if not c.ok:
            failed += 1
            typer.echo(f"     fix: {c.fix}")
    raise typer.Exit(1 if failed else 0)


from .diff.command import diff as _diff  # noqa: E402  (the command lives with its package)

app.command("diff")(_diff)


def _interrupted() -> NoReturn:
    """Ctrl+C: the render processes are ended, and the process leaves at once (exit 130). Not
    through the interpreter's exit: it would join the render pool's threads, and one that was
    handing a large chapter to a process just ended waits on its pipe for ever."""
    pdf = sys.modules.get("masterplan_kit.render.pdf")  # loaded only by a build that renders books
    if pdf is not None:
        pdf.kill_workers()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(130)


def main() -> None:
    """The command, with the last word on what no command handled: Ctrl+C exits 130, and an
    operating system's refusal (a read-only or full disk, a missing program) is one line, exit 1."""
    try:
        app()
    except KeyboardInterrupt:
        _interrupted()
    except OSError as exc:
        sys.stderr.write(f"error: {os_error(exc)}\n")
        sys.exit(1)
