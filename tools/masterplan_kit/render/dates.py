"""The date a build stamps on its outputs, and dates written the Indonesian way.

Outputs carry the date of their sources, not of the build, so that two builds of the same sources
give the same bytes: ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention), else the
date of the last commit of the project's repository.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from functools import lru_cache
from pathlib import Path

FALLBACK_EPOCH = 946684800  # 2000-01-01, when neither is known


@lru_cache(maxsize=8)
def _last_commit(root: str) -> str:
    try:
        return subprocess.run(["git", "log", "-1", "--format=%ct"], capture_output=True, text=True, timeout=10,
                              cwd=root, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def source_epoch(root: Path | None = None) -> int:
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or _last_commit(str(root or Path.cwd()))
    return int(epoch) if epoch.isdigit() else FALLBACK_EPOCH


@lru_cache(maxsize=8)
def source_revision(root: Path) -> str:
    """The short commit id of the sources (empty outside a git repository): the imprint prints it."""
    try:
        return subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], capture_output=True, text=True,
                              timeout=10, cwd=root, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def source_date(root: Path | None = None) -> str:
    """ISO timestamp (UTC) of SOURCE_DATE_EPOCH, else of the last commit."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(source_epoch(root)))


def tanggal(value: str | dt.date | None) -> str:
    """A date as Indonesian documents write it: 7 Juli 2022 (Babel's Indonesian calendar names)."""
    from babel.dates import format_date

    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return format_date(value, "d MMMM y", locale="id")
