"""The one-way pipeline: load sources into the model, then check it."""

from __future__ import annotations

from pathlib import Path

from .check import check_project
from .errors import Report
from .load.project import load_project
from .model import Project


def load_and_check(root: Path) -> tuple[Project, Report]:
    report = Report()
    project = load_project(root, report)
    check_project(project, report)
    return project, report
