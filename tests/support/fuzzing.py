"""Hypothesis strategies for Transcribe requests, built from the generated botocore model.

``shape_valid(op)`` draws requests whose every member has the right type, length, enum and
pattern, with hostile content wherever the model allows it (dot-only names, odd Unicode, S3 URIs
with traversal, extreme numbers). ``hostile(op)`` puts arbitrary JSON into arbitrary members.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from services.shapes.generated import OPERATIONS, SHAPES

NASTY_STRINGS = [
    "..", ".", "../../etc/passwd", "s3://harken-service/../x", "s3://a/../../b", "http://169.254.169.254/",
    "file:///etc/passwd", "\x00", "\u202e", "\ud7ff", "💥" * 50, "%2e%2e/%2e%2e", "a" * 5000, "' OR 1=1 --",
    "${jndi:ldap://x}", "{{7*7}}", "\\..\\..\\", "NaN", "-1", "s3://", "https://", "s3:///k",
]

json_leaf = st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | \
    st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=50) | st.sampled_from(NASTY_STRINGS)
any_json = st.recursive(json_leaf, lambda kids: st.lists(kids, max_size=4) |
                        st.dictionaries(st.text(max_size=10), kids, max_size=4), max_leaves=20)


def _string(shape: dict[str, Any]) -> st.SearchStrategy[str]:
    if "enum" in shape:
        return st.sampled_from(shape["enum"])
    lo, hi = shape.get("min", 0), min(shape.get("max", 300), 300)
    pattern = shape.get("pattern")
    if pattern:
        pat = pattern if pattern.endswith("$") else pattern + "$"
        base = st.from_regex(pat.lstrip("^"), fullmatch=True)
        return base.filter(lambda s: lo <= len(s) <= shape.get("max", 10**9))
    nasty = st.sampled_from([s for s in NASTY_STRINGS if lo <= len(s) <= shape.get("max", 10**9)] or ["x" * lo])
    return nasty | st.text(min_size=lo, max_size=max(lo, hi))


def value(shape_name: str, depth: int = 0) -> st.SearchStrategy[Any]:
    shape = SHAPES[shape_name]
    kind = shape["type"]
    if kind == "string":
        return _string(shape)
    if kind in ("integer", "long"):
        return st.integers(min_value=shape.get("min", -(2**31)), max_value=shape.get("max", 2**31 - 1))
    if kind in ("float", "double"):
        return st.floats(min_value=shape.get("min"), max_value=shape.get("max"), allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.integers(min_value=0, max_value=2**33)
    if depth > 4:
        return st.nothing()
    if kind == "list":
        return st.lists(value(shape["member"]["shape"], depth + 1), min_size=shape.get("min", 0),
                        max_size=min(shape.get("max", 5), 5))
    if kind == "map":
        return st.dictionaries(value(shape["key"]["shape"], depth + 1), value(shape["value"]["shape"], depth + 1),
                               min_size=shape.get("min", 0), max_size=min(shape.get("max", 3), 3))
    if kind == "structure":
        return structure(shape_name, depth)
    raise AssertionError(kind)


def structure(shape_name: str, depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    shape = SHAPES[shape_name]
    required = set(shape.get("required", []))
    members = shape["members"]
    return st.fixed_dictionaries(
        {m: value(members[m], depth + 1) for m in members if m in required},
        optional={m: value(members[m], depth + 1) for m in members if m not in required})


def shape_valid(op: str) -> st.SearchStrategy[dict[str, Any]]:
    return structure(OPERATIONS[op]["input"])


def hostile(op: str) -> st.SearchStrategy[dict[str, Any]]:
    members = list(SHAPES[OPERATIONS[op]["input"]]["members"])
    keys = st.sampled_from(members) | st.text(max_size=20) if members else st.text(max_size=20)
    return st.dictionaries(keys, any_json, max_size=6)
