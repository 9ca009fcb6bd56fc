"""``masterplan init``: a new city's masterplan repository, rendered from the toolkit's Copier template.

The template is ``templates/init/`` in the package data (``copier.yml`` and ``questions.yml``, the
files under ``project/``). Copier renders it into an empty temporary folder — a local folder, so
offline and without git — and the files are then created in the target folder one by one, each
exclusively: an existing file is never overwritten, even with ``--force`` (which only allows a
non-empty folder).

Copier's answers file (``.copier-answers.yml``) records the template's version as the toolkit's
release tag (``v<version>``) and, when known, its source as the toolkit's git repository, whose root
``copier.yml`` holds the same template. A city's ``copier update`` then re-renders the old and the
new template version with its answers and merges only their difference into its edited files.

Every answer is checked before Copier sees it. The city name is data: the template quotes it in
YAML and never evaluates it as a template.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from . import __version__
from .templating import TOOLKIT_TEMPLATES

TEMPLATE = TOOLKIT_TEMPLATES / "init"
ANSWERS_FILE = ".copier-answers.yml"
PREFIXES = ("Kota", "Kabupaten")
DEFAULT_YEARS = 5  # a five-year period, like an RPJMD, when --period is not given


class InitError(Exception):
    """Bad input, with what to do about it; ``code`` is the exit status (2 a bad option, 1 a refused folder)."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Answers:
    """The answers to the template's questions (see ``templates/init/questions.yml``)."""

    city: str
    period_start: int
    period_end: int
    province: str = ""
    region_code: str = ""
    toolkit_repository: str = ""

    @classmethod
    def from_options(cls, city: str, province: str = "", region_code: str = "", period: str | None = None,
                     toolkit_repository: str = "") -> Answers:
        start, end = parse_period(period) if period is not None else default_period()
        return cls(check_city(city), start, end, check_text("--province", province), check_region_code(region_code),
                   check_repository(toolkit_repository))

    def data(self) -> dict[str, object]:
        return {"city": self.city, "province": self.province, "region_code": self.region_code,
                "period_start": self.period_start, "period_end": self.period_end,
                "toolkit_version": __version__, "toolkit_repository": self.toolkit_repository}


def check_text(option: str, value: str) -> str:
    value = value.strip()
    if not value.isprintable():
        raise InitError(f"{option} must be one line of text without control characters")
    return value


# a git address pip and pre-commit can use: a URL, scp-like (git@host:path) or an absolute path
_REPOSITORY = re.compile(r"(?:(?:https?|ssh|git|file)://[^\s#;'\"`<>\\]+|[\w.-]+@[\w.-]+:[^\s#;'\"`<>\\]+|/[^\s#;'\"`<>\\]*)")


def check_repository(address: str) -> str:
    address = check_text("--toolkit-repo", address)
    if address and not _REPOSITORY.fullmatch(address):
        raise InitError(f"--toolkit-repo '{address}' is not a git address pip and pre-commit can use: give an "
                        "https://, ssh:// or git@host:path address, or an absolute path, without spaces, '#' or quotes")
    return address


def check_city(name: str) -> str:
    name = " ".join(check_text("--city", name).split())
    if not name:
        raise InitError("--city is empty; give the region's name, e.g. --city 'Kabupaten Kutai Kartanegara'")
    first, _, rest = name.partition(" ")
    if first.lower() not in {p.lower() for p in PREFIXES} or not rest:
        raise InitError(f"--city '{name}' must begin with 'Kota' or 'Kabupaten' followed by the name "
                        "(e.g. 'Kota Samarinda', 'Kabupaten Kutai Kartanegara'): it decides the wording "
                        "(Wali Kota or Bupati)")
    return name


def check_region_code(code: str) -> str:
    code = code.strip()
    if not code or re.fullmatch(r"[0-9]{2,4}", code):  # ASCII digits: \d would take ٦٤٠٢ too
        return code
    if re.fullmatch(r"[0-9]{2}(\.[0-9]{2})+", code):
        raise InitError(f"--region-code '{code}' is a dotted Kemendagri code; give the BPS code as 2 to 4 digits "
                        f"without dots, e.g. {code.replace('.', '')[:4]}")
    raise InitError(f"--region-code '{code}' is not a BPS region code: 2 to 4 digits, e.g. 6402 for "
                    "Kabupaten Kutai Kartanegara or 6472 for Kota Samarinda")


def parse_period(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*([0-9]{4})\s*[-–]\s*([0-9]{4})\s*", text)
    if not match:
        raise InitError(f"--period '{text}' is not two years START-END, e.g. 2025-2029")
    start, end = int(match[1]), int(match[2])
    if end < start:
        raise InitError(f"--period '{text}' ends before it starts")
    if start < 1900 or end > 2200:
        raise InitError(f"--period '{text}' lies outside the years 1900 to 2200")
    return start, end


def default_period() -> tuple[int, int]:
    start = date.today().year
    return start, start + DEFAULT_YEARS - 1


@dataclass
class Result:
    """Paths relative to the target folder."""

    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)


def init_city(target: Path, answers: Answers, force: bool = False) -> Result:
    """Write the new repository into ``target``; never overwrites a file that is already there."""
    if target.exists() and not target.is_dir():
        raise InitError(f"'{target}' is a file, not a folder", code=1)
    if target.is_dir() and not force and any(p.name != ".git" for p in target.iterdir()):
        raise InitError(f"folder '{target}' is not empty; choose a new folder, or use --force to add the missing "
                        "files (existing files are never overwritten)", code=1)
    with tempfile.TemporaryDirectory(prefix="masterplan-init-") as tmp:
        staged = Path(tmp) / "repo"
        render(staged, answers)
        return place(staged, target)


def render(staged: Path, answers: Answers) -> None:
    """Render the template and the JSON Schemas into the empty folder ``staged``."""
    from copier import run_copy

    from .model.jsonschema import render_all

    run_copy(str(TEMPLATE), staged, data=answers.data(), defaults=True, overwrite=True, quiet=True)
    _record_source(staged / ANSWERS_FILE, answers)
    (staged / "schemas").mkdir()
    for name, text in render_all().items():
        (staged / "schemas" / name).write_text(text, encoding="utf-8")


def _record_source(path: Path, answers: Answers) -> None:
    """Name the toolkit's repository and release tag as the template's source and version (Copier
    recorded the temporary path of the packaged copy, which ``copier update`` cannot use)."""
    text = path.read_text(encoding="utf-8")
    header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    recorded = yaml.safe_load(text) or {}
    recorded.pop("_src_path", None)
    source = {"_commit": f"v{__version__}"}
    if answers.toolkit_repository:
        source["_src_path"] = answers.toolkit_repository
    body = yaml.safe_dump({**source, **recorded}, allow_unicode=True, sort_keys=False, default_flow_style=False)
    path.write_text(header + body, encoding="utf-8")


def place(staged: Path, target: Path) -> Result:
    """Create every staged file under ``target``, exclusively; what exists already is skipped.

    All or nothing: when a file cannot be written (a full disk, a folder without write permission)
    or Ctrl+C stops it, the files and folders created so far are removed again, so the folder is
    left as it was and the command can simply be run again.
    """
    result = Result()
    folders: list[Path] = []  # created here, parents first
    try:
        for src in sorted(p for p in staged.rglob("*") if p.is_file()):
            rel = src.relative_to(staged)
            dest = target / rel
            if not _inside_real_folders(target, rel):
                result.skipped.append(rel)
                continue
            for folder in reversed([dest.parent, *dest.parent.parents]):
                if not folder.is_dir():
                    folder.mkdir()
                    folders.append(folder)
            try:
                fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
            except (FileExistsError, IsADirectoryError):
                result.skipped.append(rel)
                continue
            result.written.append(rel)
            with os.fdopen(fd, "wb") as fh:
                fh.write(src.read_bytes())
    except BaseException:
        for rel in result.written:
            (target / rel).unlink(missing_ok=True)
        for folder in reversed(folders):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return result


def _inside_real_folders(target: Path, rel: Path) -> bool:
    """False when a folder on the way to ``rel`` is a symlink or a file: nothing is written through it."""
    here = target
    for part in rel.parts[:-1]:
        here = here / part
        if here.is_symlink() or (here.exists() and not here.is_dir()):
            return False
    return True
