"""Reading YAML with line numbers, so diagnostics can point at the key that is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .diagnostics import Diagnostics, Loc, display_path
from .limits import MAX_YAML_DEPTH, MAX_YAML_TEXT
from .sources import PLAIN, FileReader, text_or_report
from .yamlparse import NOT_UNICODE, LineList, LineMap, YAMLError, YamlProblem, parse_yaml, syntax_problem


def load_yaml(path: Path, diags: Diagnostics, reader: FileReader = PLAIN) -> Any:
    """The parsed document, or None after reporting a syntax error with its line."""
    shown = display_path(path)
    text = text_or_report(reader, path, shown, diags)
    if text is None:
        return None
    try:
        data = parse_yaml(text, MAX_DEPTH)
    except YamlProblem as problem:
        diags.error(Loc(shown, problem.line), problem.code, problem.message)
        return None
    except YAMLError as err:
        line, code, message = syntax_problem(err, text)
        diags.error(Loc(shown, line), code, message)
        return None
    if not _check_tree(data, shown, diags):
        return None
    # An empty file is an empty mapping: the reader then says which fields it lacks.
    return LineMap() if data is None else data


MAX_DEPTH = MAX_YAML_DEPTH
MAX_TEXT = MAX_YAML_TEXT


def _check_tree(data: Any, shown: str, diags: Diagnostics) -> bool:
    """Refuse text that is not Unicode (lone surrogates, from "\\udc80" escapes) and values
    longer than MAX_TEXT. (Aliases and deep nesting are refused while parsing.)"""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, line = stack.pop()
        if isinstance(node, (dict, list)):
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for key, value in items:
                here = key_line(node, key, line) if isinstance(node, dict) else item_line(node, key, line)
                stack.extend([(key, here), (value, here)])
        elif isinstance(node, str) and not _text_ok(node, shown, line, diags):
            return False
    return True


def _text_ok(text: str, shown: str, line: int, diags: Diagnostics) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        diags.error(Loc(shown, line), "text-invalid", NOT_UNICODE)
        return False
    if len(text) > MAX_TEXT:
        diags.error(Loc(shown, line), "text-too-long", f"this value is {len(text):,} characters; "
                    f"at most {MAX_TEXT:,} fit in a heading field")
        return False
    return True


def key_line(mapping: Any, key: Any, default: int = 1) -> int:
    """1-based line of `key` in a mapping read by load_yaml (default when unknown)."""
    if isinstance(mapping, LineMap):
        return mapping.lines.get(key, default)  # a key added after reading (inherited) has none
    return default


def item_line(seq: Any, index: int, default: int = 1) -> int:
    """1-based line of item `index` of a sequence read by load_yaml."""
    if isinstance(seq, LineList) and 0 <= index < len(seq.lines):
        return seq.lines[index]
    return default
