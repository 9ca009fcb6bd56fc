"""Changing programme files the way a careful person would: only the fields that changed.

Files are edited through ruamel.yaml's round trip, which keeps comments, key order, flow style
and quoting; a new value takes the style of the one it replaces, a new key goes where the model
puts it. Text that YAML 1.1 (the loader's dialect) would read as something else — ``yes``,
``12:30``, ``1_000`` — is quoted.
"""

from __future__ import annotations

import io
import re
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.util import load_yaml_guess_indent

from .records import BUDGET_KEYS, KPI_KEYS, PROGRAMME_KEYS, Record, align

MODELINE = "# yaml-language-server: $schema=../../../schemas/programme.schema.json\n"
_RESOLVER = pyyaml.resolver.Resolver()
_DOC_START = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n)*---[ \t]*(?:#[^\n]*)?(?:\n|$)")  # after comments or blank lines
_DOC_END = re.compile(r"\n\.\.\.[ \t]*(?:#[^\n]*)?\n?(?:[ \t]*(?:#[^\n]*)?\n?)*\Z")
_STR = "tag:yaml.org,2002:str"


def _yaml(sequence: int = 4, offset: int = 2) -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 100_000  # never fold a long line that was one line
    y.indent(mapping=2, sequence=sequence, offset=offset)
    return y


def _loader_for(text: str) -> YAML:
    _, sequence, offset = load_yaml_guess_indent(text)
    if sequence is None or offset is None:
        return _yaml()
    return _yaml(sequence, offset)


def _dump(y: YAML, doc: Any) -> str:
    out = io.StringIO()
    y.dump(doc, out)
    return out.getvalue()


def _text(value: str, like: Any = None) -> Any:
    """A string node: a block scalar for several lines, the replaced value's quoting otherwise."""
    if "\n" in value or isinstance(like, (LiteralScalarString, FoldedScalarString)):
        return LiteralScalarString(value.rstrip("\n") + "\n")
    if isinstance(like, (SingleQuotedScalarString, DoubleQuotedScalarString)):
        return type(like)(value)
    if _RESOLVER.resolve(pyyaml.ScalarNode, value, (True, False)) != _STR or value != value.strip():
        return SingleQuotedScalarString(value) if "'" not in value else DoubleQuotedScalarString(value)
    return value


def _scalar(value: Any, like: Any = None) -> Any:
    if isinstance(value, str):
        return _text(value, like)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _flow_seq(items: list[Any]) -> CommentedSeq:
    seq = CommentedSeq([_scalar(v) for v in items])
    seq.fa.set_flow_style()
    return seq


def _flow_map(items: dict[Any, Any]) -> CommentedMap:
    cmap = CommentedMap((k, _scalar(v)) for k, v in items.items())
    cmap.fa.set_flow_style()
    return cmap


def _insert(cmap: CommentedMap, key: Any, node: Any, order: tuple[Any, ...]) -> None:
    """Insert ``key`` after the last present key that comes before it in ``order``."""
    rank = {k: i for i, k in enumerate(order)}
    mine = rank.get(key, len(order))
    pos = 0
    for i, k in enumerate(cmap):
        if rank.get(k, -1) < mine:
            pos = i + 1
    cmap.insert(pos, key, node)


def _set(cmap: CommentedMap, key: Any, value: Any, order: tuple[Any, ...]) -> None:
    """Set one key to a plain value (None removes it), keeping the style of what was there."""
    if value is None:
        if key in cmap:
            del cmap[key]
        return
    current = cmap.get(key)
    if isinstance(value, list):
        if isinstance(current, CommentedSeq):
            current[:] = [_scalar(v) for v in value]
        else:
            _insert_or_set(cmap, key, _flow_seq(value), order)
        return
    if isinstance(value, dict):
        if isinstance(current, CommentedMap):
            _update_map(current, value, tuple(value))
        else:
            _insert_or_set(cmap, key, _flow_map(value), order)
        return
    _insert_or_set(cmap, key, _scalar(value, current), order)


def _insert_or_set(cmap: CommentedMap, key: Any, node: Any, order: tuple[Any, ...]) -> None:
    if key in cmap:
        cmap[key] = node
    else:
        _insert(cmap, key, node, order)


def _update_map(cmap: CommentedMap, value: dict[Any, Any], order: tuple[Any, ...]) -> None:
    """Make a mapping hold ``value``: changed keys set in place, new keys inserted in order."""
    for key in [k for k in cmap if k not in value]:
        del cmap[key]
    if all(isinstance(k, int) for k in (*cmap, *value)):  # targets and actuals by year
        order = tuple(sorted(set(cmap) | set(value)))
    for key, v in value.items():
        if key not in cmap or cmap[key] != _scalar(v):
            _set(cmap, key, v, order)


def _entries(doc: CommentedMap, key: str, old: list[Record], new: list[Record], update: Any, create: Any) -> None:
    """Make a list of mappings (budget, kpis) hold ``new``, entry by entry, in place: the entries
    without a row are removed, the others updated where they are, new rows appended."""
    if not new:
        if key in doc:
            del doc[key]
        return
    seq = doc.get(key)
    if not isinstance(seq, CommentedSeq):
        seq = CommentedSeq()
        _insert_or_set(doc, key, seq, PROGRAMME_KEYS)
    removed = sorted((i for i, j in align(key, old, new) if j is None and i is not None), reverse=True)
    if len(seq) == len(old):
        for i in removed:
            del seq[i]
        old = [entry for i, entry in enumerate(old) if i not in removed]
    for i, entry in enumerate(new):
        if i < len(seq) and isinstance(seq[i], CommentedMap):
            if i >= len(old) or old[i] != entry:
                update(seq[i], old[i] if i < len(old) else {}, entry)
        else:
            sibling = seq[i - 1] if i and isinstance(seq[i - 1], CommentedMap) else None
            seq.append(create(entry, sibling))
    while len(seq) > len(new):
        del seq[len(seq) - 1]


def _budget_update(cmap: CommentedMap, old: Record, new: Record) -> None:
    for k in BUDGET_KEYS:
        if old.get(k) != new.get(k) or (k not in cmap and new.get(k) is not None):
            _set(cmap, k, new.get(k), BUDGET_KEYS)


def _budget_entry(new: Record, sibling: CommentedMap | None) -> CommentedMap:
    cmap = CommentedMap((k, _scalar(new[k])) for k in BUDGET_KEYS if new.get(k) is not None)
    if sibling is None or sibling.fa.flow_style():
        cmap.fa.set_flow_style()
    return cmap


def _kpi_update(cmap: CommentedMap, old: Record, new: Record) -> None:
    for k in KPI_KEYS:
        value = new.get(k)
        if k in ("targets", "actuals") and not value:
            value = None
        if k == "direction" and value == "increase" and k not in cmap and old.get(k) in (None, "increase"):
            continue
        if old.get(k) != new.get(k) or (k not in cmap and value is not None):
            _set(cmap, k, value, KPI_KEYS)


def _kpi_entry(new: Record, sibling: CommentedMap | None) -> CommentedMap:
    cmap = CommentedMap()
    cmap["indicator"] = _scalar(new["indicator"])
    cmap["unit"] = _scalar(new["unit"]) if new["unit"] else DoubleQuotedScalarString("")
    cmap["direction"] = new["direction"]
    if new.get("baseline"):
        cmap["baseline"] = _flow_map(new["baseline"])
    cmap["targets"] = _flow_map(new["targets"])
    if new.get("actuals"):
        cmap["actuals"] = _flow_map(new["actuals"])
    return cmap


class EditError(Exception):
    """A file that cannot be edited in place, keeping its comments and layout."""


def edit(text: str, old: Record, new: Record) -> str:
    """The text of a programme file with the fields that differ between ``old`` and ``new`` changed.

    The file's own conventions stay: Windows line ends (CRLF), a document start marker ``---`` and
    an end marker ``...``, which the round trip would otherwise drop or change on every line.
    """
    crlf = "\r\n" in text
    if crlf:
        text = text.replace("\r\n", "\n")
    start = _DOC_START.match(text)
    head = text[: start.end()] if start else ""  # kept as it is, with its comments
    text = text[len(head):]
    end = _DOC_END.search(text)
    tail = text[end.start() + 1:] if end else ""
    text = text[: end.start() + 1] if end else text
    try:
        y = _loader_for(text)
        doc = y.load(text)
    except YAMLError as exc:  # YAML the validator reads but the round trip does not (a tab before a comment)
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise EditError(f"{problem}{where}") from None
    for key in PROGRAMME_KEYS:
        if old.get(key) == new.get(key):
            continue
        if key == "budget":
            _entries(doc, key, old[key], new[key], _budget_update, _budget_entry)
        elif key == "kpis":
            _entries(doc, key, old[key], new[key], _kpi_update, _kpi_entry)
        else:
            _set(doc, key, new[key], PROGRAMME_KEYS)
    out = head + _dump(y, doc) + tail
    return out.replace("\n", "\r\n") if crlf else out


def create(new: Record) -> str:
    """The text of a new programme file, with the schema modeline."""
    doc = CommentedMap()
    for key in PROGRAMME_KEYS:
        value = new.get(key)
        if key == "budget":
            if value:
                doc[key] = CommentedSeq(_budget_entry(b, None) for b in value)
        elif key == "kpis":
            if value:
                doc[key] = CommentedSeq(_kpi_entry(k, None) for k in value)
        elif isinstance(value, list):
            if value or key == "years":
                doc[key] = _flow_seq(value)
        elif key == "quick_win":
            if value:
                doc[key] = True
        elif value is not None:
            doc[key] = _scalar(value)
    return MODELINE + _dump(_yaml(), doc)
