"""Safe YAML: plain data only, with the position of every value.

libyaml's C parser composes the node graph; the construction below is ours, so that it can
refuse tags, aliases and duplicate keys (PyYAML silently keeps the last duplicate) and record
where each value came from.

Plain scalars are typed as YAML 1.2's core schema types them, stricter still, never as YAML 1.1
does: ``true``/``false`` are the only booleans (``yes``, ``no``, ``on``, ``off`` stay text),
numbers are decimal (``0x1F``, ``017``, ``1_000`` and ``1:30`` stay text, not 31, 15, 1000 and
90), and ``.inf``/``.nan`` stay text. A field that wants a number or a boolean then reports the
text it got, instead of taking a value its author did not mean.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .sources import Source, SourceError

_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = _T + "str", _T + "int", _T + "float", _T + "bool", _T + "null"
_SEQ, _MAP, _MERGE = _T + "seq", _T + "map", _T + "merge"
_KEY_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL})
# (tag, the characters a scalar of it can start with, its form)
_IMPLICIT: list[tuple[str, str, re.Pattern[str]]] = [
    (_NULL, "~nN", re.compile(r"~|null|Null|NULL")),
    (_BOOL, "tTfF", re.compile(r"true|True|TRUE|false|False|FALSE")),
    (_INT, "-+0123456789", re.compile(r"[-+]?(?:0|[1-9][0-9]{0,99})")),  # longer: text, which the field refuses
    (_FLOAT, "-+0123456789.", re.compile(r"[-+]?(?:(?:0|[1-9][0-9]{0,99})(?:\.[0-9]{0,100})?|\.[0-9]{1,100})(?:[eE][-+]?[0-9]{1,4})?")),
    (_MERGE, "<", re.compile(r"<<")),
]
_FIRST: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _starts, _form in _IMPLICIT:
    for _ch in _starts:
        _FIRST.setdefault(_ch, []).append((_tag, _form))


class _FastResolver(yaml.resolver.BaseResolver):
    """Typing of plain scalars (see the module's docstring), with a quick path for the common
    case: a scalar whose first character cannot start a number, boolean or null."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            if implicit[0]:
                if value == "":
                    return _NULL
                for tag, regexp in _FIRST.get(value[0], ()):
                    if regexp.fullmatch(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


try:
    from yaml._yaml import CParser as _Parser  # libyaml

    class _Loader(_Parser, _FastResolver):
        def __init__(self, stream):
            _Parser.__init__(self, stream)
            _FastResolver.__init__(self)
except ImportError:  # libyaml missing: same behaviour, slower
    class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,  # type: ignore[no-redef]
                  yaml.composer.Composer, _FastResolver):
        def __init__(self, stream):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _FastResolver.__init__(self)


def parse(src: Source, locate: bool = False) -> Any:
    """Parse ``src.text``; raise SourceError on anything unsafe.

    Positions are recorded only with ``locate``; a Source parsed without them re-parses itself
    the first time a position is asked for (only files with problems pay for positions).
    """
    text = src.text
    try:
        if "&" in text:  # an anchor is only visible in the event stream
            for event in yaml.parse(text, Loader=yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):
                if getattr(event, "anchor", None) and not isinstance(event, yaml.AliasEvent):
                    m = event.start_mark
                    line, col = (m.line + 1, m.column + 1) if m is not None else (1, 1)
                    raise SourceError("E006", "YAML anchors (&name) are not allowed; write the value out", line, col)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except SourceError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        if exc.context and exc.problem:
            problem = f"{problem} ({exc.context})"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise SourceError("E004", f"invalid YAML: {problem}", line, col) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) and the like
        pos = getattr(exc, "position", None)
        line, col = 1, 1
        if isinstance(pos, int):
            head = text[:pos]
            line, col = head.count("\n") + 1, pos - (head.rfind("\n") + 1) + 1
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        raise SourceError("E004", f"invalid YAML: {reason}", line, col) from None
    src.locate = _locate
    if node is None:
        return None
    builder = _Builder(src, "*" in text)
    if locate:
        src.located = True
        return builder.build(node, ())
    return builder.plain(node)


def _locate(src: Source) -> None:
    parse(src, locate=True)


class _Builder:
    def __init__(self, src: Source, may_alias: bool) -> None:
        self.src = src
        self.positions = src.positions
        self.key_positions = src.key_positions
        self.seen: set[int] | None = set() if may_alias else None

    def _once(self, node: Any) -> None:
        """An alias is the same node met twice: refuse it (only when the text has a '*')."""
        if self.seen is not None:
            if id(node) in self.seen:
                m = node.start_mark
                raise SourceError("E006", "YAML aliases (*name) are not allowed; write the value out",
                                  m.line + 1, m.column + 1)
            self.seen.add(id(node))

    def build(self, node: Any, path: tuple) -> Any:
        self._once(node)
        mark = node.start_mark
        self.positions[path] = (mark.line + 1, mark.column + 1)
        cls = node.__class__
        if cls is ScalarNode:
            return self.scalar(node, path)
        if cls is MappingNode:
            if node.tag != _MAP:
                raise _tag_error(node)
            result: dict = {}
            key_positions = self.key_positions
            for knode, vnode in node.value:
                km = knode.start_mark
                if knode.__class__ is not ScalarNode:
                    raise SourceError("E004", "invalid YAML: a key must be a plain value",
                                      km.line + 1, km.column + 1)
                if knode.tag == _MERGE:
                    raise SourceError("E006", "YAML merge keys (<<) are not allowed",
                                      km.line + 1, km.column + 1)
                key = self.scalar(knode, None)
                kpath = (*path, key)
                if key in result:
                    first = key_positions.get(kpath, (0, 0))[0]
                    raise SourceError("E007", f"duplicate key '{key}' (first given on line {first})",
                                      km.line + 1, km.column + 1)
                key_positions[kpath] = (km.line + 1, km.column + 1)
                result[key] = self.build(vnode, kpath)
            return result
        if cls is SequenceNode:
            if node.tag != _SEQ:
                raise _tag_error(node)
            build = self.build
            return [build(child, (*path, i)) for i, child in enumerate(node.value)]
        raise _tag_error(node)  # pragma: no cover - libyaml yields only the three kinds

    def plain(self, node: Any) -> Any:
        """As ``build``, without recording positions: the fast path."""
        self._once(node)
        cls = node.__class__
        if cls is ScalarNode:
            return self.scalar(node, None)
        if cls is MappingNode:
            if node.tag != _MAP:
                raise _tag_error(node)
            result: dict = {}
            plain = self.plain
            for knode, vnode in node.value:
                if knode.__class__ is not ScalarNode or knode.tag == _MERGE or knode.tag not in _KEY_TAGS:
                    return self._explain_key(node)
                key = self.scalar(knode, None)
                if key in result:
                    return self._explain_key(node)
                result[key] = plain(vnode)
            return result
        if cls is SequenceNode:
            if node.tag != _SEQ:
                raise _tag_error(node)
            plain = self.plain
            return [plain(child) for child in node.value]
        raise _tag_error(node)  # pragma: no cover

    def _explain_key(self, node: Any) -> Any:
        """A problem with a key: redo this mapping the slow way, which says what is wrong."""
        return self.build(node, ("\0",))

    def scalar(self, node: ScalarNode, path: tuple | None) -> Any:
        tag = node.tag
        if tag == _STR:
            if path is not None and node.style in ("|", ">"):
                self.src.block_scalars[path] = node.start_mark.line + 2
            return node.value
        if tag == _INT:
            return int(node.value)
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return node.value.lower() == "true"
        if tag == _FLOAT:
            return float(node.value)
        raise _tag_error(node)


def _tag_error(node: Any) -> SourceError:
    m = node.start_mark
    tag = node.tag.replace(_T, "!!")
    return SourceError("E005", f"YAML tag '{tag}' is not allowed; plain values only",
                       m.line + 1, m.column + 1)
