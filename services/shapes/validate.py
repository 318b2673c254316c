"""Server-side validation of a request against the generated model.

botocore checks only required members, minimums and types client-side, so everything else (max
lengths, patterns, enums, ranges) arrives here. Messages follow AWS's Coral wording:
``1 validation error detected: Value 'x' at 'settings.maxSpeakerLabels' failed to satisfy
constraint: Member must have value less than or equal to 30``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from services.core.errors import BadRequestException, SerializationException
from services.shapes.generated import OPERATIONS, SHAPES

#: Coral stops listing after this many violations (and says how many there were).
MAX_LISTED = 10


@lru_cache(maxsize=512)
def _regex(pattern: str) -> re.Pattern[str]:
    # The model's Java-style patterns are not $-anchored; names "cannot contain spaces", so the
    # whole value must match.
    return re.compile(pattern, re.DOTALL)


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_show(v)}" for k, v in value.items()) + "}"
    return str(value)


class _Walker:
    def __init__(self) -> None:
        self.violations: list[str] = []

    def fail(self, value: Any, path: str, constraint: str) -> None:
        shown = "null" if value is None else f"'{_show(value)}'"
        self.violations.append(f"Value {shown} at '{path}' failed to satisfy constraint: {constraint}")

    def walk(self, shape_name: str, value: Any, path: str) -> None:
        shape = SHAPES[shape_name]
        kind = shape["type"]
        if kind == "structure":
            if not isinstance(value, dict):
                raise SerializationException(f"Expected an object at '{path or 'request'}'")
            for member in shape.get("required", []):
                if value.get(member) is None:
                    self.fail(None, self._join(path, member), "Member must not be null")
            for member, member_shape in shape["members"].items():
                if member in value and value[member] is not None:
                    self.walk(member_shape, value[member], self._join(path, member))
        elif kind == "list":
            if not isinstance(value, list):
                raise SerializationException(f"Expected a list at '{path}'")
            self._size(shape, value, path)
            for i, item in enumerate(value, start=1):
                if item is None:
                    self.fail(None, f"{path}.{i}.member", "Member must not be null")
                else:
                    self.walk(shape["member"]["shape"], item, f"{path}.{i}.member")
        elif kind == "map":
            if not isinstance(value, dict):
                raise SerializationException(f"Expected a map at '{path}'")
            self._size(shape, value, path)
            for k, v in value.items():
                self.walk(shape["key"]["shape"], k, f"{path}.key")
                if v is None:
                    self.fail(None, f"{path}.{k}", "Member must not be null")
                else:
                    self.walk(shape["value"]["shape"], v, f"{path}.{k}")
        elif kind == "string":
            if not isinstance(value, str):
                raise SerializationException(
                    f"Expected a string at '{path}' but got {type(value).__name__}")
            self._size(shape, value, path)
            if "enum" in shape and value not in shape["enum"]:
                self.fail(value, path, "Member must satisfy enum value set: [" + ", ".join(shape["enum"]) + "]")
            if "pattern" in shape and not _regex(shape["pattern"]).fullmatch(value):
                self.fail(value, path, f"Member must satisfy regular expression pattern: {shape['pattern']}")
        elif kind in ("integer", "long"):
            if isinstance(value, bool) or not isinstance(value, int):
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                else:
                    raise SerializationException(f"Expected an integer at '{path}'")
            self._range(shape, value, path)
        elif kind in ("float", "double"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise SerializationException(f"Expected a number at '{path}'")
            self._range(shape, value, path)
        elif kind == "boolean":
            if not isinstance(value, bool):
                raise SerializationException(f"Expected a boolean at '{path}'")
        elif kind == "timestamp" and (isinstance(value, bool) or not isinstance(value, int | float | str)):
            raise SerializationException(f"Expected a timestamp at '{path}'")

    @staticmethod
    def _join(path: str, member: str) -> str:
        return f"{path}.{_camel(member)}" if path else _camel(member)

    def _size(self, shape: dict[str, Any], value: Any, path: str) -> None:
        n = len(value)
        if "min" in shape and n < shape["min"]:
            self.fail(value, path, f"Member must have length greater than or equal to {shape['min']}")
        if "max" in shape and n > shape["max"]:
            self.fail(value, path, f"Member must have length less than or equal to {shape['max']}")

    def _range(self, shape: dict[str, Any], value: float, path: str) -> None:
        if "min" in shape and value < shape["min"]:
            self.fail(value, path, f"Member must have value greater than or equal to {shape['min']}")
        if "max" in shape and value > shape["max"]:
            self.fail(value, path, f"Member must have value less than or equal to {shape['max']}")


def validation_message(violations: list[str]) -> str:
    n = len(violations)
    head = f"{n} validation error{'s' if n != 1 else ''} detected: "
    return head + "; ".join(violations[:MAX_LISTED])


def validate_request(operation: str, params: Any) -> None:
    """Raise BadRequestException (constraints) or SerializationException (types) for bad input."""
    input_shape = OPERATIONS[operation]["input"]
    if input_shape is None:
        return
    walker = _Walker()
    walker.walk(input_shape, params, "")
    if walker.violations:
        raise BadRequestException(validation_message(walker.violations))
