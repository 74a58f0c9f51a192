"""Reading a parameters file and turning every problem into one ParamsError (private).

A YAML syntax error names the file and the line; a value that breaks the typed
model names the file, the key (``tests_of_change entry 1: date``,
``beds.target_occupancy``) and the problem.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pydantic
import yaml
from pydantic import AfterValidator, ConfigDict, model_validator

from hscp import paths
from hscp.errors import HscpError

Model = TypeVar("Model", bound=pydantic.BaseModel)


class ParamsError(HscpError, ValueError):
    """A parameters file that cannot be used: names the file, the key and the problem."""


class Section(pydantic.BaseModel):
    """A block of a parameters file: typed values, no unknown keys (an unknown key is an
    error listing the known ones), nothing converted silently ("5" is not a number). A
    key left empty takes its default, where it has one."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        if cls.model_config.get("extra") == "forbid":
            known = {f.alias or name for name, f in cls.model_fields.items()}
            unknown = sorted(str(k) for k in data if k not in known)
            if unknown:
                raise ValueError(
                    f"unknown keys {', '.join(unknown)} (known: {', '.join(sorted(known))})"
                )
        return {k: v for k, v in data.items() if v is not None or not _has_default(cls, k)}


def _has_default(model: type[pydantic.BaseModel], key: str) -> bool:
    """True when a key of `model` has a default other than None (so empty means it)."""
    field = model.model_fields.get(key)
    return field is not None and not field.is_required() and field.default is not None


def rule(ok: Callable[[Any], bool], problem: str) -> AfterValidator:
    """A check of one value, for `Annotated[type, rule(...)]`: `problem` (a phrase after
    the key, e.g. "must be 1 or more") when `ok(value)` is false."""

    def check(value: Any) -> Any:
        if not ok(value):
            raise ValueError(f"{problem}, not {value!r}")
        return value

    return AfterValidator(check)


def read_yaml(path: Path | str) -> Any:
    """The parsed YAML of a parameters file; a missing file or bad YAML is a ParamsError
    naming the file (and the line)."""
    path = Path(path)
    if not path.is_file():
        raise ParamsError(f"{path}: parameters file not found")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        where = ""
        mark = getattr(err, "problem_mark", None)
        if mark is not None:
            where = f" at line {mark.line + 1}, column {mark.column + 1}"
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ParamsError(f"{path}: not valid YAML{where}: {problem}") from err


def validate(model: type[Model], raw: Any, source: Path | str) -> Model:
    """`raw` (a parsed file) as the typed `model`; ParamsError naming `source` otherwise."""
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise ParamsError(f"{source}: expected keys and values, got {type(raw).__name__}")
    try:
        return model.model_validate(raw)
    except pydantic.ValidationError as err:
        raise ParamsError(describe(err, source)) from None


def load(model: type[Model], path: Path | str) -> Model:
    """Read and validate one parameters file."""
    return validate(model, read_yaml(path), path)


def source_name(path: Path | str) -> str:
    """A file as a reader would look for it (relative to the project when inside it)."""
    return paths.shown_path(path)


# --- the message of a validation error -----------------------------------------------------


def key_text(loc: Sequence[str | int]) -> str:
    """A pydantic location as a reader finds the key: ('tests_of_change', 0, 'date') ->
    'tests_of_change entry 1: date'; ('beds', 'target_occupancy') -> 'beds.target_occupancy'."""
    out = ""
    after_entry = False
    for part in loc:
        if isinstance(part, int):
            out += f" entry {part + 1}"
            after_entry = True
            continue
        out = part if not out else f"{out}{': ' if after_entry else '.'}{part}"
        after_entry = False
    return out


_KIND = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "keys and values",
    "model_type": "keys and values",
    "model_attributes_type": "keys and values",
}


def describe(err: pydantic.ValidationError, source: Path | str) -> str:
    """One message for every problem in the file, each naming its key."""
    problems: list[str] = []
    unknown: dict[tuple, list[str]] = {}
    seen: set[tuple] = set()
    for error in err.errors(include_url=False):
        loc = tuple(p for p in error["loc"] if not _is_union_tag(p))
        tags = {p for p in error["loc"] if _is_union_tag(p)}
        kind = error["type"]
        if kind == "extra_forbidden":
            unknown.setdefault(loc[:-1], []).append(str(loc[-1]))
            continue
        key = key_text(loc)
        if kind == "missing":
            parent = key_text(loc[:-1])
            problems.append(f"{parent + ': ' if parent else ''}missing {loc[-1]}")
            continue
        if key in seen:  # a union reports each alternative: one message is enough
            continue
        seen.add(key)
        value = error.get("input")
        if kind == "value_error":
            message = str(error["ctx"]["error"])
            joiner = " " if message.startswith(("must ", "is ", "are ")) else ": "
            problems.append(f"{key}{joiner}{message}" if key else message)
        elif kind == "literal_error":
            problems.append(f"{key} must be one of {error['ctx']['expected']}, not {value!r}")
        elif kind in _KIND:
            what = "a number" if "float" in kind or tags >= {"int"} else _KIND[kind]
            problems.append(f"{key} must be {what}, got {value!r}")
        else:
            problems.append(f"{key}: {error['msg'].lower()} (got {value!r})")
    for parent, names in unknown.items():
        where = key_text(parent)
        problems.append(f"{where + ': ' if where else ''}unknown keys {', '.join(sorted(names))}")
    return f"{source}: " + "; ".join(problems)


def _is_union_tag(part: str | int) -> bool:
    """pydantic names the alternative of a union in the location ('int', 'float')."""
    return isinstance(part, str) and part in ("int", "float", "str", "bool", "list[int]")
