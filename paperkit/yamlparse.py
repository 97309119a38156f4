"""YAML text to Python values that remember their lines, built from the parser's events.

libyaml (through PyYAML's C parser, where installed) reads the text; this module turns its
stream of events into dicts and lists, one event at a time without recursion, so that:
- every key and list item keeps its line (LineMap.lines, LineList.lines) for diagnostics;
- plain values are read by YAML 1.2's core schema: "no" and "on" stay text (YAML 1.1, and so
  PyYAML's own loader, would make them False and True), "010" is ten;
- dates stay text: the readers turn text into dates with a diagnostic that names the line;
- what no paperkit file needs, and what would make reading unsafe, is refused where it is:
  aliases (a few hundred bytes of "billion laughs" aliases expand to gigabytes), nesting past
  a limit, a key given twice, keys that are not plain values, more than one document, tags
  other than YAML's own.

The parser in C reads a house style a hundred times faster than a pure-Python one: this is most
of what reading a paper costs. (The importer still edits paper.yaml with ruamel.yaml, which keeps
the author's comments.)
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml import YAMLError

Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser, else PyYAML's own

__all__ = ["LineList", "LineMap", "YAMLError", "YamlProblem", "parse_yaml", "syntax_problem"]


class LineMap(dict[Any, Any]):
    """A mapping read from YAML; `lines` holds each key's 1-based line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines: dict[Any, int] = {}


class LineList(list[Any]):
    """A sequence read from YAML; `lines` holds each item's 1-based line."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.lines: list[int] = []


class YamlProblem(Exception):
    """Text that is YAML but not what a paperkit file may hold."""

    def __init__(self, line: int, code: str, message: str) -> None:
        super().__init__(message)
        self.line, self.code, self.message = line, code, message


# YAML 1.2 core schema (yaml.org/spec/1.2.2, 10.3.2): how a plain value is read.
NULL = re.compile(r"~|null|Null|NULL|")
TRUE, FALSE = re.compile(r"true|True|TRUE"), re.compile(r"false|False|FALSE")
INT = re.compile(r"[-+]?[0-9]+")
OCTAL, HEX = re.compile(r"0o[0-7]+"), re.compile(r"0x[0-9a-fA-F]+")
FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
INFINITY, NAN = re.compile(r"[-+]?\.(inf|Inf|INF)"), re.compile(r"\.(nan|NaN|NAN)")
STANDARD_TAG = "tag:yaml.org,2002:"


def plain_value(text: str) -> Any:
    """A plain (unquoted, untagged) value by the core schema; anything else is text."""
    if NULL.fullmatch(text):
        return None
    if TRUE.fullmatch(text) or FALSE.fullmatch(text):
        return text[0] in "tT"
    if INT.fullmatch(text):
        return int(text)
    if OCTAL.fullmatch(text):
        return int(text[2:], 8)
    if HEX.fullmatch(text):
        return int(text[2:], 16)
    if FLOAT.fullmatch(text):
        return float(text)
    if INFINITY.fullmatch(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if NAN.fullmatch(text):
        return float("nan")
    return text


def scalar_value(event: yaml.ScalarEvent, line: int) -> Any:
    tag = event.tag
    if tag in (None, "!"):
        return plain_value(event.value) if event.implicit[0] and tag is None else event.value
    kind = tag.removeprefix(STANDARD_TAG)
    if kind in ("str", "timestamp"):
        return event.value
    value = plain_value(event.value)
    wanted: Any = {"int": int, "float": (float, int), "bool": bool, "null": type(None)}.get(kind)
    if wanted is None or not isinstance(value, wanted) or (kind == "int" and isinstance(value, bool)):
        raise YamlProblem(line, "yaml-syntax", f"'{tag} {event.value}': tags are not used in paperkit files")
    return float(value) if kind == "float" else value


def parse_yaml(text: str, max_depth: int, loader: Any = Loader) -> Any:
    """The single document in `text` (None when there is none), containers at most `max_depth` deep."""
    stack: list[LineMap | LineList] = []
    pending_key: list[Any] = []  # per open mapping: the key read, waiting for its value (or a marker)
    root: Any = None
    documents = 0
    for event in yaml.parse(text, Loader=loader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlProblem(line, "yaml-syntax", "this file holds more than one YAML document (a second "
                                  "'---'); paperkit reads one")
            continue
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(line, "yaml-alias", "anchors and aliases (& and *) are not used in paperkit files: "
                              "write the value out again")
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            done = stack.pop()
            if isinstance(done, LineMap):
                pending_key.pop()
            value: Any = done
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(stack) + 1 > max_depth:
                raise YamlProblem(line, "yaml-too-deep", f"paperkit files nest at most {max_depth} levels")
            if event.tag not in (None, "!", f"{STANDARD_TAG}map", f"{STANDARD_TAG}seq"):
                raise YamlProblem(line, "yaml-syntax", f"'{event.tag}': tags are not used in paperkit files")
            container: LineMap | LineList = LineMap() if isinstance(event, yaml.MappingStartEvent) else LineList()
            _place(stack, pending_key, container, line)
            stack.append(container)
            if isinstance(container, LineMap):
                pending_key.append(_NO_KEY)
            continue
        elif isinstance(event, yaml.ScalarEvent):
            try:
                value = scalar_value(event, line)
            except ValueError as err:  # Python refuses to read integers of over 4,300 digits
                why = "a number has more digits than Python reads (4,300)" if "digits" in str(err) else str(err)
                raise YamlProblem(line, "yaml-value", f"a value cannot be read: {why}") from None
        else:
            continue  # stream and document ends
        if not stack:
            root = value
        elif not isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            _place(stack, pending_key, value, line)
    return root


_NO_KEY = object()


def _place(stack: list[LineMap | LineList], pending_key: list[Any], value: Any, line: int) -> None:
    """Put a value read into the container open around it: an item, a key, or a key's value."""
    if not stack:
        return
    parent = stack[-1]
    if isinstance(parent, LineList):
        parent.append(value)
        parent.lines.append(line)
        return
    key = pending_key[-1]
    if key is _NO_KEY:
        if isinstance(value, (LineMap, LineList)):
            raise YamlProblem(line, "yaml-syntax", "a key must be a plain value, not a list or mapping")
        if value in parent:
            raise YamlProblem(line, "yaml-syntax", f"'{value}' is given twice in this mapping "
                              f"(first on line {parent.lines[value]})")
        pending_key[-1] = value
        parent.lines[value] = line
        return
    parent[key] = value
    pending_key[-1] = _NO_KEY


UNICODE_ESCAPE = "invalid Unicode character escape"
NOT_UNICODE = ("this value holds a character that is not Unicode text (a lone surrogate, such as \\udc80); "
               "delete it")


def syntax_problem(err: YAMLError, text: str) -> tuple[int, str, str]:
    """(line, code, message) for the parser's own error, with a hint where the cause is common."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    problem, context = getattr(err, "problem", None), getattr(err, "context", None)
    message = str(problem or context or str(err).splitlines()[0])
    context_mark = getattr(err, "context_mark", None)
    if context and context_mark is not None and context_mark.line + 1 != line:
        message += f" ({context} on line {context_mark.line + 1})"
    if UNICODE_ESCAPE in message:  # "\\udc80": libyaml refuses it as Python would refuse to write it
        return line, "text-invalid", NOT_UNICODE
    if mark is not None and "\t" in _line_text(text, mark.line)[: mark.column + 1]:
        message += ": indent with spaces, not tabs"
    return line, "yaml-syntax", message


def _line_text(text: str, index: int) -> str:
    lines = text.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""
