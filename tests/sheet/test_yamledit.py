"""Editing a programme file changes the lines of the changed fields and nothing else, whatever the
file's own conventions."""

from __future__ import annotations

import pytest

from masterplan_kit.sheet.yamledit import edit

OLD = {"title": "A", "status": "planned"}
NEW = {"title": "A", "status": "done"}


@pytest.mark.parametrize(("before", "after"), [
    ("title: A\r\nstatus: planned\r\n", "title: A\r\nstatus: done\r\n"),  # Windows line ends stay
    ("---\ntitle: A\nstatus: planned\n", "---\ntitle: A\nstatus: done\n"),  # a document start marker
    ("title: A\nstatus: planned\n...\n", "title: A\nstatus: done\n...\n"),  # and an end marker
    ("# yaml-language-server: $schema=x\n---\ntitle: A\nstatus: planned\n...\n# ditinjau 2024\n",
     "# yaml-language-server: $schema=x\n---\ntitle: A\nstatus: done\n...\n# ditinjau 2024\n"),
    ("# catatan\r\n---\r\ntitle: A   # judul\r\nstatus: planned\r\n",
     "# catatan\r\n---\r\ntitle: A   # judul\r\nstatus: done\r\n"),
])
def test_only_the_changed_line_changes(before, after):
    assert edit(before, OLD, NEW) == after
