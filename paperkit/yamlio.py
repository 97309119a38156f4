"""Reading YAML with line numbers, so diagnostics can point at the key that is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .diagnostics import Diagnostics, Loc, display_path
from .limits import MAX_YAML_DEPTH, MAX_YAML_TEXT
from .sources import PLAIN, FileReader, text_or_report


def load_yaml(path: Path, diags: Diagnostics, reader: FileReader = PLAIN) -> Any:
    """The parsed document, or None after reporting a syntax error with its line."""
    shown = display_path(path)
    text = text_or_report(reader, path, shown, diags)
    if text is None:
        return None
    try:
        data = _parser().load(text)
    except RecursionError:
        diags.error(Loc(shown, 1), "yaml-too-deep", f"this file nests more than Python can read; "
                    f"paperkit files nest at most {MAX_DEPTH} levels")
        return None
    except ValueError as err:  # Python refuses to read integers of over 4,300 digits
        why = "a number has more digits than Python reads (4,300)" if "digits" in str(err) else str(err)
        diags.error(Loc(shown, 1), "yaml-value", f"a value cannot be read: {why}")
        return None
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else 1
        message = str(err.problem or err.context)
        if err.context and err.context_mark is not None and err.context_mark.line + 1 != line:
            message += f" ({err.context} on line {err.context_mark.line + 1})"
        if "'\\t'" in message:
            message += ": indent with spaces, not tabs"
        diags.error(Loc(shown, line), "yaml-syntax", message)
        return None
    except YAMLError as err:
        diags.error(Loc(shown, 1), "yaml-syntax", str(err).splitlines()[0])
        return None
    if not _check_tree(data, shown, diags):
        return None
    # An empty file is an empty mapping: the reader then says which fields it lacks.
    return CommentedMap() if data is None else data


MAX_DEPTH = MAX_YAML_DEPTH
MAX_TEXT = MAX_YAML_TEXT


def _check_tree(data: Any, shown: str, diags: Diagnostics) -> bool:
    """Refuse what no paperkit file needs and what would make reading it unsafe: anchors and
    aliases (a few hundred bytes of "billion laughs" aliases expand to gigabytes when walked),
    nesting beyond MAX_DEPTH, text that is not Unicode (lone surrogates, from "\\udc80"
    escapes) and values longer than MAX_TEXT. Each container is visited once, by identity."""
    seen: set[int] = set()
    stack: list[tuple[Any, int, int]] = [(data, 1, 1)]
    while stack:
        node, depth, line = stack.pop()
        if isinstance(node, (dict, list)):
            if id(node) in seen:
                diags.error(Loc(shown, line), "yaml-alias", "anchors and aliases (& and *) are not used in "
                            "paperkit files: write the value out again")
                return False
            seen.add(id(node))
            if depth > MAX_DEPTH:
                diags.error(Loc(shown, line), "yaml-too-deep", f"paperkit files nest at most {MAX_DEPTH} levels")
                return False
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for key, value in items:
                here = key_line(node, key, line) if isinstance(key, str) else item_line(node, key, line)
                stack.extend([(key, depth + 1, here), (value, depth + 1, here)])
        elif isinstance(node, str) and not _text_ok(node, shown, line, diags):
            return False
    return True


def _text_ok(text: str, shown: str, line: int, diags: Diagnostics) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        diags.error(Loc(shown, line), "text-invalid", "this value holds a character that is not Unicode text "
                    "(a lone surrogate, such as \\udc80); delete it")
        return False
    if len(text) > MAX_TEXT:
        diags.error(Loc(shown, line), "text-too-long", f"this value is {len(text):,} characters; "
                    f"at most {MAX_TEXT:,} fit in a heading field")
        return False
    return True


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
