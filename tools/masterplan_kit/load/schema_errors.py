"""Turn pydantic validation errors into located diagnostics with stable codes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Report, did_you_mean
from .markdown_syntax import describe_char, forbidden_char
from .sources import Source

_TYPE_NAMES = {
    "string_type": "text", "int_type": "a whole number", "int_from_float": "a whole number",
    "float_type": "a number", "bool_type": "true or false", "list_type": "a list",
    "dict_type": "a mapping", "model_type": "a mapping", "model_attributes_type": "a mapping",
    "int_parsing": "a whole number", "float_parsing": "a number", "bool_parsing": "true or false",
}
# fields whose every problem has a code of its own
_FIELD_CODES = {"amount": ("E304", "amount must be a non-negative whole number of rupiah")}


def validate(model: type[BaseModel], data: Any, src: Source, base: tuple, report: Report) -> Any | None:
    """Validate ``data`` (found at ``base`` in ``src``) as ``model``; report every error.

    When only unknown or optional fields are wrong, the model is still returned without them,
    so that the later checks can report the file's other problems in the same run.
    """
    if "\\" in src.text or forbidden_char(src.text) is not None:  # else no value can hold one: skip the walk
        _control_characters(data, src, base, report)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        _report(model, exc, src, base, report)
        return _salvage(model, data, exc)


def _control_characters(data: Any, src: Source, path: tuple, report: Report) -> None:
    """Text holding control characters or bidirectional overrides (E107), at the character."""
    if isinstance(data, str):
        m = forbidden_char(data)
        if m is not None:
            report.add("E107", src.text_position(path, data, m.start()),
                       f"{_dotted(path) or 'text'}: control character {describe_char(m.group())} is not allowed in text; "
                       "remove it")
    elif isinstance(data, dict):
        for key, value in data.items():
            _control_characters(key, src, path, report)
            _control_characters(value, src, (*path, key), report)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            _control_characters(value, src, (*path, i), report)


def _salvage(model: type[BaseModel], data: Any, exc: ValidationError) -> Any | None:
    if not isinstance(data, dict):
        return None
    cleaned = dict(data)
    for err in exc.errors(include_url=False):
        if not err["loc"]:
            return None
        top = err["loc"][0]
        info = model.model_fields.get(top) if isinstance(top, str) else None
        if info is not None and info.is_required():
            placeholder = _placeholder(info)
            if placeholder is None:
                return None
            cleaned[top] = placeholder
        else:
            cleaned.pop(top, None)
    try:
        return model.model_validate(cleaned)
    except ValidationError:
        return None


def _report(model: type[BaseModel], exc: ValidationError, src: Source, base: tuple, report: Report) -> None:
    seen: set[tuple] = set()
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if p != "[key]")
        is_key = len(loc) != len(err["loc"])
        kind = err["type"]
        path = base + loc
        key = (path, kind)
        if key in seen:
            continue
        seen.add(key)
        field = next((p for p in reversed(loc) if isinstance(p, str)), None)
        label = _dotted(loc)
        if field in _FIELD_CODES and kind not in {"missing", "extra_forbidden"}:
            code, msg = _FIELD_CODES[field]
            report.add(code, src.where(path), f"{label}: {msg}, got {_show(err.get('input'))}")
        elif kind == "missing":
            report.add("E101", src.where(path[:-1]), f"required field '{label}' is missing")
        elif kind == "extra_forbidden":
            known = _fields_at(model, loc[:-1])
            report.add("E102", src.where(path, key=True),
                       f"unknown field '{label}'{did_you_mean(str(loc[-1]), known)}")
        elif kind in ("literal_error", "enum"):
            expected = err.get("ctx", {}).get("expected", "")
            report.add("E104", src.where(path), f"{label}: {_show(err.get('input'))} is not allowed; expected {expected}"
                       + did_you_mean(str(err.get("input")), _literal_options(expected)))
        elif kind == "string_pattern_mismatch":
            report.add("E105", src.where(path),
                       f"{label}: {_show(err.get('input'))} is not an id: use lowercase letters, digits and single hyphens")
        elif kind == "finite_number":
            report.add("E107", src.where(path), f"{label or 'value'}: expected a finite number, got {_show(err.get('input'))}")
        elif kind in ("less_than_equal", "greater_than_equal") and not isinstance(err.get("input"), bool):
            limits = err.get("ctx", {})
            bound = f"at most {_number(limits['le'])}" if "le" in limits else f"at least {_number(limits['ge'])}"
            report.add("E107", src.where(path), f"{label or 'value'}: {_show(err.get('input'))} is out of range; "
                                                f"it must be {bound}")
        elif kind in _TYPE_NAMES:
            what = "key" if is_key else label or "value"
            report.add("E103", src.where(path, key=is_key),
                       f"{what}: expected {_TYPE_NAMES[kind]}, got {_describe(err.get('input'))}")
        else:
            report.add("E107", src.where(path), f"{label or 'value'}: {err['msg'].lower()}")


def _placeholder(info: Any) -> Any:
    """A stand-in for a broken required field that no later check looks at (enums, plain text)."""
    import typing

    if typing.get_origin(info.annotation) is typing.Literal:
        return typing.get_args(info.annotation)[0]
    if info.annotation is str and not any(getattr(m, "pattern", None) for m in info.metadata):
        return "?"
    return None


def _number(value: Any) -> str:
    return f"{value:,}".replace(",", ".") if isinstance(value, int) and abs(value) >= 10_000 else str(value)


def _dotted(loc: tuple) -> str:
    out = ""
    for p in loc:
        out += f"[{p}]" if isinstance(p, int) and out and not isinstance(p, bool) else (f".{p}" if out else str(p))
    return out


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (dict,)):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text {_show(value)}"
    return f"{type(value).__name__} {_show(value)}"


def _literal_options(expected: str) -> list[str]:
    return [p.strip().strip("'") for p in expected.replace(" or ", ",").split(",") if p.strip()]


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names of the (nested) model at ``loc``, for 'did you mean'."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        info = fields.get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    import typing

    stack = [annotation]
    while stack:
        ann = stack.pop()
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            return ann
        stack.extend(typing.get_args(ann))
    return None
