"""Checks YAML data against a JSON Schema (jsonschema), as located diagnostics.

Schemas live in paperkit/schemas/ as YAML. A schema may say, beside any rule, which
diagnostic code (x-code) and message (x-message) an author sees when data breaks it.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError

from .diagnostics import Diagnostics, Loc
from .limits import MAX_YAML_DEPTH
from .yamlio import item_line, key_line
from .yamlparse import parse_yaml

GENERIC_CODES = {
    "required": "field-missing",
    "additionalProperties": "field-unknown",
    "type": "field-type",
    "enum": "field-value",
    "pattern": "field-value",
    "format": "field-value",
    "minItems": "field-missing",
    "minLength": "field-missing",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A schema of paperkit's own (tests/test_house_style.py checks each against the meta-schema,
    so a build need not: it would cost a tenth of a DOCX build)."""
    text = resources.files("paperkit.schemas").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    schema: dict[str, Any] = parse_yaml(text, MAX_YAML_DEPTH)
    return schema


def validate(data: Any, schema_name: str | dict[str, Any], shown: str, diags: Diagnostics, where: str) -> bool:
    """Report every way `data` breaks the schema; True when it breaks none.

    `where` names the file in messages ("paper.yaml"); `shown` is its path for locations.
    """
    schema = load_schema(schema_name) if isinstance(schema_name, str) else schema_name
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    found = False
    for error in validator.iter_errors(data):
        for loc, code, message in _describe(error, data, shown, where):
            diags.error(loc, code, message)
            found = True
    return not found


def _describe(error: ValidationError, data: Any, shown: str, where: str) -> list[tuple[Loc, str, str]]:
    path = list(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "required":
        missing = [p for p in error.validator_value if p not in error.instance]
        line = _line(data, path)
        return [(Loc(shown, line), "field-missing", f"{_name([*path, p])} is required") for p in missing]
    if error.validator == "additionalProperties":
        known = sorted(schema.get("properties", {}))
        out = []
        for key in sorted(set(error.instance) - set(known), key=str):
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; it may have: {', '.join(known)}"
            inside = f"{_name(path)} in {where}" if path else where
            out.append((Loc(shown, _line(data, [*path, key])), "field-unknown", f"{inside} has no field '{key}'{hint}"))
        return out
    rule = schema  # the rule in force where the error is; a $ref'd rule carries its own words
    code = rule.get("x-code") or GENERIC_CODES.get(str(error.validator), "field-value")
    message = rule.get("x-message") or _plain(error)
    value = "" if isinstance(error.instance, (dict, list)) else f", not '{error.instance}'"
    return [(Loc(shown, _line(data, path)), code, f"{_name(path)} {message}{value}")]


def _plain(error: ValidationError) -> str:
    if error.validator == "type":
        return f"must be {error.validator_value}"
    return re.sub(r"^.*? (is not|does not)", r"\1", error.message)


def _name(path: list[Any]) -> str:
    return "'" + ".".join(str(p) for p in path if not isinstance(p, int)) + "'" if path else "the file"


def _line(data: Any, path: list[Any]) -> int:
    """1-based line of the value at `path` (its key's line), falling back to its nearest parent."""
    node, line = data, 1
    for step in path:
        if isinstance(step, int):
            line = item_line(node, step, line)
            node = node[step] if isinstance(node, list) and step < len(node) else None
        else:
            line = key_line(node, step, line)
            node = node.get(step) if isinstance(node, dict) else None
    return line
