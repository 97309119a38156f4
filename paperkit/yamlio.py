"""Reading YAML with line numbers, so diagnostics can point at the key that is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .diagnostics import Diagnostics, Loc, display_path
from .sources import PLAIN, FileReader, read_problem


def load_yaml(path: Path, diags: Diagnostics, reader: FileReader = PLAIN) -> Any:
    """The parsed document, or None after reporting a syntax error with its line."""
    shown = display_path(path)
    try:
        text = reader.read_text(path)
    except OSError as err:
        code, message, line = read_problem(err)
        diags.error(Loc(shown, line), code, message)
        return None
    try:
        data = _parser().load(text)
        # An empty file is an empty mapping: the reader then says which fields it lacks.
        return CommentedMap() if data is None else data
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else 1
        message = str(err.problem or err.context)
        if err.context and err.context_mark is not None and err.context_mark.line + 1 != line:
            message += f" ({err.context} on line {err.context_mark.line + 1})"
        if "'\\t'" in message:
            message += ": indent with spaces, not tabs"
        diags.error(Loc(shown, line), "yaml-syntax", message)
    except YAMLError as err:
        diags.error(Loc(shown, 1), "yaml-syntax", str(err).splitlines()[0])
    return None


def _parser() -> YAML:
    """Round-trip mode keeps each key's line; YAML 1.2 keeps "no" a string, not False.

    Dates are left as text: ruamel raises a bare ValueError on 2018-02-30, and the
    readers turn text into dates with a diagnostic that names the line instead.
    """
    yaml = YAML(typ="rt", pure=True)
    yaml.constructor.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: str(node.value))
    return yaml


def key_line(mapping: Any, key: str, default: int = 1) -> int:
    """1-based line of `key` in a mapping read by load_yaml (default when unknown)."""
    if isinstance(mapping, CommentedMap) and key in mapping:
        try:
            line, _col = mapping.lc.key(key)
        except KeyError:  # added after reading (a key inherited from another file)
            return default
        return int(line) + 1
    return default


def item_line(seq: Any, index: int, default: int = 1) -> int:
    """1-based line of item `index` of a sequence read by load_yaml."""
    if isinstance(seq, CommentedSeq) and 0 <= index < len(seq):
        line, _col = seq.lc.item(index)
        return int(line) + 1
    return default
