"""Safe YAML: plain data only, with the position of every value.

libyaml's C parser composes the node graph; the construction below is ours, so that it can
refuse tags, aliases and duplicate keys (PyYAML silently keeps the last duplicate) and record
where each value came from.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .sources import Source, SourceError

try:
    _Loader = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # libyaml missing: same behaviour, slower
    _Loader = yaml.SafeLoader

_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = _T + "str", _T + "int", _T + "float", _T + "bool", _T + "null"
_SEQ, _MAP, _TIMESTAMP, _VALUE = _T + "seq", _T + "map", _T + "timestamp", _T + "value"
_scalars = yaml.constructor.SafeConstructor()


def parse(src: Source) -> Any:
    """Parse ``src.text``; fill ``src.positions``; raise SourceError on anything unsafe."""
    text = src.text
    try:
        if "&" in text:  # an anchor is only visible in the event stream
            for event in yaml.parse(text, Loader=_Loader):
                if getattr(event, "anchor", None) and not isinstance(event, yaml.AliasEvent):
                    m = event.start_mark
                    raise SourceError(
                        "E006", "YAML anchors (&name) are not allowed; write the value out",
                        m.line + 1, m.column + 1,
                    )
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
    if node is None:
        return None
    return _Builder(src).build(node, ())


class _Builder:
    def __init__(self, src: Source) -> None:
        self.src = src
        self.seen: set[int] = set()

    def build(self, node: Any, path: tuple) -> Any:
        mark = node.start_mark
        if id(node) in self.seen:
            raise SourceError(
                "E006", "YAML aliases (*name) are not allowed; write the value out",
                mark.line + 1, mark.column + 1,
            )
        self.seen.add(id(node))
        self.src.positions[path] = (mark.line + 1, mark.column + 1)
        tag = node.tag
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, SequenceNode):
            if tag != _SEQ:
                raise _tag_error(node)
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            if tag != _MAP:
                raise _tag_error(node)
            result: dict = {}
            for knode, vnode in node.value:
                km = knode.start_mark
                if not isinstance(knode, ScalarNode):
                    raise SourceError("E004", "invalid YAML: a key must be a plain value",
                                      km.line + 1, km.column + 1)
                if knode.tag == _T + "merge":
                    raise SourceError("E006", "YAML merge keys (<<) are not allowed",
                                      km.line + 1, km.column + 1)
                key = self.scalar(knode, None)
                if key in result:
                    first = self.src.key_positions.get(path + (key,), (0, 0))[0]
                    raise SourceError("E007", f"duplicate key '{key}' (first given on line {first})",
                                      km.line + 1, km.column + 1)
                self.src.key_positions[path + (key,)] = (km.line + 1, km.column + 1)
                result[key] = self.build(vnode, path + (key,))
            return result
        raise _tag_error(node)  # pragma: no cover - libyaml yields only the three kinds

    def scalar(self, node: ScalarNode, path: tuple | None) -> Any:
        tag = node.tag
        if tag == _STR or tag == _TIMESTAMP or tag == _VALUE:
            if path is not None and node.style in ("|", ">"):
                self.src.block_scalars[path] = node.start_mark.line + 2
            return node.value
        if tag == _INT:
            return _scalars.construct_yaml_int(node)
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return _scalars.construct_yaml_bool(node)
        if tag == _FLOAT:
            return _scalars.construct_yaml_float(node)
        raise _tag_error(node)


def _tag_error(node: Any) -> SourceError:
    m = node.start_mark
    tag = node.tag.replace(_T, "!!")
    return SourceError("E005", f"YAML tag '{tag}' is not allowed; plain values only",
                       m.line + 1, m.column + 1)
