"""The PDF render processes: a unit that fails, a process that dies, a unit that takes too long and
Ctrl+C each end the build at once with a clear message; the build never waits for ever."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import FIXTURE, copy_fixture
from masterplan_kit.render import pdf
from masterplan_kit.templating import TOOLKIT_TEMPLATES

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fork only")


def _jobs(root: Path, *bodies: str) -> list[tuple[str, str, list[str]]]:
    return [(f"<!doctype html><html><body>{b}</body></html>", str(root), [str(root), str(TOOLKIT_TEMPLATES)])
            for b in bodies]


def _within(seconds: float, fn):
    """Run ``fn`` in a thread; fail (instead of hanging) when it does not end in time."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still waiting after {seconds} s"
    return outcome, time.monotonic() - started


@pytest.fixture
def fresh_pool():
    """Workers forked after the test's changes (a running pool holds the code as it was)."""
    pdf.kill_workers()
    yield
    pdf.kill_workers()


def test_a_refused_resource_ends_the_build_naming_the_unit(tmp_path: Path, fresh_pool):
    jobs = _jobs(tmp_path, "<h1>Bab Satu</h1><p>Isi.</p>",
                 '<h1>Bab Dua</h1><p style="background-image:url(https://evil.example/x.png)">x</p>'
                 '<img src="https://evil.example/y.png">')
    outcome, took = _within(60, lambda: pdf._render_units(jobs))
    error = outcome.get("error")
    assert isinstance(error, pdf.PdfBuildError), outcome
    assert "'Bab Dua'" in str(error) and "refused" in str(error)
    assert took < 30


def _die(job):
    os._exit(3)


def test_a_worker_that_dies_ends_the_build_within_seconds(tmp_path: Path, fresh_pool, monkeypatch):
    monkeypatch.setattr(pdf, "_render_unit", _die)
    outcome, took = _within(30, lambda: pdf._render_units(_jobs(tmp_path, "<h1>A</h1>", "<h1>B</h1>")))
    assert isinstance(outcome.get("error"), pdf.PdfBuildError), outcome
    assert "ended unexpectedly" in str(outcome["error"])
    assert took < 10
    assert pdf._POOL is None  # the next build starts a fresh pool


def _slow(job):
    time.sleep(60)


def test_a_unit_that_takes_too_long_is_named(tmp_path: Path, fresh_pool, monkeypatch):
    monkeypatch.setattr(pdf, "_render_unit", _slow)
    monkeypatch.setenv("MASTERPLAN_TIMEOUT", "1")
    outcome, took = _within(30, lambda: pdf._render_units(_jobs(tmp_path, "<h1>Bab Lambat</h1>", "<h1>B</h1>")))
    error = outcome.get("error")
    assert isinstance(error, pdf.PdfBuildError), outcome
    assert "not rendered within 1 s" in str(error) and ("'Bab Lambat'" in str(error) or "'B'" in str(error))
    assert took < 10


def _greedy(text, project, more):
    return bytearray(400 * 1024 * 1024), [], {}


def test_a_unit_that_needs_too_much_memory_is_named(tmp_path: Path, fresh_pool, monkeypatch):
    if not Path("/proc/self/statm").exists():
        pytest.skip("no /proc here")
    monkeypatch.setattr(pdf, "_stylesheets", _greedy)
    monkeypatch.setenv("MASTERPLAN_MEMORY_MB", "100")
    outcome, _ = _within(60, lambda: pdf._render_units(_jobs(tmp_path, "<h1>Bab Besar</h1>", "<h1>B</h1>")))
    error = outcome.get("error")
    assert isinstance(error, pdf.PdfBuildError), outcome
    # the allocation fails in Python (MemoryError, the unit named) or, now and then, where the worker
    # cannot recover (it dies): either way the build ends with an error saying why
    assert "more than 100 MiB" in str(error) or "out of memory" in str(error), error


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _render_processes(pid: int) -> set[int]:
    """The children of ``pid`` that are forks of the build itself (its render pool)."""
    found = set()
    for child in _children(pid):
        with contextlib.suppress(OSError):
            if "masterplan" in Path(f"/proc/{child}/cmdline").read_bytes().decode(errors="replace"):
                found.add(child)
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_ctrl_c_stops_a_pdf_build(tmp_path: Path):
    root = copy_fixture(tmp_path / "kota")
    rows = "".join(f"| {i} | Baris {i} dengan teks yang cukup panjang untuk dibungkus | {i * 7} |\n" for i in range(3000))
    chapter = root / "masterplan/chapters/profil.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n\n| n | teks | nilai |\n|--:|---|--:|\n" + rows,
                       encoding="utf-8")
    exe = Path(sys.executable).with_name("masterplan")
    # as from a terminal: SIGINT not ignored (a child inherits an ignored signal from its parent,
    # here a test process where a library run earlier may have left it so)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen([str(exe), "build", "pdf", "--path", str(root)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    finally:
        signal.signal(signal.SIGINT, previous)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and not workers:
        workers |= _render_processes(proc.pid)  # forked from the build (pandoc runs are children too)
        time.sleep(0.1)
    time.sleep(3)  # the pool is up, the units are rendering (the long table takes far longer)
    workers |= _render_processes(proc.pid)
    assert workers and proc.poll() is None, proc.communicate()
    pdf_dir = root / "build" / "pdf"
    assert not pdf_dir.exists() or not any(pdf_dir.iterdir()), "the build ended before Ctrl+C: nothing to stop"
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("masterplan build pdf did not stop on Ctrl+C")
    assert proc.returncode == 130, proc.communicate()
    time.sleep(0.5)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()
             and "masterplan" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")]
    assert alive == [], "render processes left running"
    assert not (root / "build" / "pdf").exists() or not any((root / "build" / "pdf").iterdir())


def test_the_fixture_still_builds(tmp_path: Path, cli):
    root = copy_fixture(tmp_path / "kota")
    result = cli("build", "pdf", "--path", root)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (root / "build" / "pdf").iterdir()) == ["buku-1.pdf", "buku-2.pdf", "buku-saku.pdf"]
    assert FIXTURE.is_dir()


def test_a_variant_rendered_in_this_process_is_bounded_too(small: Path, monkeypatch):
    from masterplan_kit.pipeline import load_and_check

    project, _ = load_and_check(small)
    monkeypatch.setattr(pdf, "render_volume", lambda *args, **kw: time.sleep(60))
    monkeypatch.setenv("MASTERPLAN_TIMEOUT", "1")
    started = time.monotonic()
    with pytest.raises(pdf.PdfBuildError, match=r"buku-1: not rendered within 1 s"):
        pdf.write_pdfs(project, small / "build" / "pdf", ["buku-1"], "pdf/a-3b")
    assert time.monotonic() - started < 10
