"""Reads paper.yaml: what the paper is, for which meeting, by whom.

The schema (paperkit/schemas/paper.yaml) checks it first, so conversion here can trust
the shapes and types it finds.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics, Loc, display_path
from ..model import AUTHOR_KEYS, AppendixSpec, Author, Clearance, Exemption, FieldValue, Meta
from ..sources import PLAIN, FileReader
from ..style import TEMPLATE_NAME, HouseStyle
from ..text import template_syntax, visible_text
from ..validate import load_schema, validate
from ..yamlio import item_line, key_line, load_yaml

SCHEMA_OF_KIND = {"text": "#/$defs/text", "list": "#/$defs/text-or-list", "yes-no": "#/$defs/yes-no",
                  "date": "#/$defs/date", "person": "#/$defs/person"}


StyleFor = Callable[[str, Loc], HouseStyle | None]


def read_meta(path: Path, diags: Diagnostics, style_for: StyleFor,
              reader: FileReader = PLAIN) -> tuple[Meta | None, HouseStyle | None]:
    """The paper's Meta and its house style (`style_for` loads the style paper.yaml names,
    whose heading fields paper.yaml is then checked against). When paper.yaml breaks its
    schema but names a template, a partial Meta (complete=False) still lets the sections be
    read and checked, so the author sees every problem in one run; None when not even the
    template can be known."""
    shown = display_path(path)
    if not path.is_file():
        diags.error(Loc(shown, 1), "paper-yaml-missing", "every paper needs a paper.yaml")
        return None, None
    data = load_yaml(path, diags, reader)
    if data is None:
        return None, None
    template = data.get("template") if isinstance(data, dict) else None
    style = None
    if isinstance(template, str) and TEMPLATE_NAME.match(template):
        style = style_for(template, Loc(shown, key_line(data, "template")))
    if not validate(data, paper_schema(style), shown, diags, "paper.yaml"):
        return _partial_meta(data, shown), style
    _warn_about_text(data, shown, diags)
    return _meta(data, shown, style), style


def paper_schema(style: HouseStyle | None) -> dict[str, Any]:
    """paper.yaml's schema: paperkit's own keys, and the heading facts the house style declares,
    each by its kind (any other key is an error). Without a style, other keys are not checked."""
    schema = copy.deepcopy(load_schema("paper"))
    if style is None:
        schema["additionalProperties"] = True
        return schema
    for spec in style.fields:
        rule: dict[str, Any] = {"$ref": SCHEMA_OF_KIND[spec.kind]}
        if spec.kind in ("date", "person") and not spec.required:
            # Optional facts of these kinds may be left empty, as `paperkit new` writes them.
            target = schema["$defs"][SCHEMA_OF_KIND[spec.kind].rsplit("/", 1)[1]]
            rule = {"anyOf": [rule, {"enum": ["", None]}], "x-code": target.get("x-code", "field-type"),
                    "x-message": target["x-message"]}
        schema["properties"][spec.field] = rule
        if spec.required:
            schema["required"].append(spec.field)
    return schema


def _partial_meta(data: Any, shown: str) -> Meta | None:
    template = data.get("template") if isinstance(data, dict) else None
    if not isinstance(template, str) or not TEMPLATE_NAME.match(template):
        return None
    return Meta(template=template, meeting="", date=dt.date.min, title="", loc=Loc(shown, 1),
                lines=_lines(data), complete=False)


def _warn_about_text(data: Any, shown: str, diags: Diagnostics, line: int = 1) -> None:
    """The same warnings as for Markdown text, for every text value, at its key's line."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        here = key_line(data, key, line) if isinstance(key, str) else item_line(data, key, line)
        if isinstance(value, str):
            template_syntax(value, Loc(shown, here), diags)
        else:
            _warn_about_text(value, shown, diags, here)


def _text(value: Any) -> str:
    return "" if value is None else visible_text(str(value))


def _texts(value: Any) -> list[str]:
    if value is None:
        return []
    return [_text(v) for v in value] if isinstance(value, list) else [_text(value)]


def _yes(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "yes")


def _fields(data: dict[str, Any], style: HouseStyle | None) -> dict[str, FieldValue]:
    """The heading facts by the kind the house style gives each (a yes/no only when given)."""
    fields: dict[str, FieldValue] = {}
    for spec in style.fields if style else ():
        value = data.get(spec.field)
        if spec.kind == "yes-no":
            if spec.field in data:
                fields[spec.field] = _yes(value)
        elif spec.kind == "list":
            fields[spec.field] = _texts(value)
        elif spec.kind == "date":
            fields[spec.field] = dt.date.fromisoformat(str(value)) if value else None
        elif spec.kind == "person":
            fields[spec.field] = tuple(t for t in (_text(value.get("name")), _text(value.get("role"))) if t) \
                if isinstance(value, dict) else None
        else:
            fields[spec.field] = _text(value)
    return fields


def _meta(data: dict[str, Any], shown: str, style: HouseStyle | None) -> Meta:
    fields = _fields(data, style)
    author = data.get("author")
    return Meta(
        template=str(data["template"]),
        meeting=_text(data["meeting"]),
        date=dt.date.fromisoformat(str(data["date"])),
        title=_text(data["title"]),
        loc=Loc(shown, 1),
        agenda_item=_text(data["agenda_item"]) if data.get("agenda_item") is not None else None,
        fields=fields,
        author=None if author is None else Author(*(_text(author.get(k)) for k in AUTHOR_KEYS)),
        background_papers=tuple(_texts(data.get("background_papers"))),
        clearances=_clearances(data.get("clearances"), shown),
        appendices=_appendices(data.get("appendices"), shown),
        appendix_style=(data.get("appendix_numbering") or {}).get("style"),
        appendix_start=int((data.get("appendix_numbering") or {}).get("start", 1)),
        glossary={str(key): _text(value) for key, value in (data.get("glossary") or {}).items()},
        lines=_lines(data),
    )


def exemption(data: Any) -> Exemption | None:
    if not data:
        return None
    return Exemption(paragraph=int(data["paragraph"]), public_interest=_text(data.get("public_interest")))


def _appendices(entries: Any, shown: str) -> tuple[AppendixSpec, ...]:
    return tuple(
        AppendixSpec(title=_text(entry["title"]), file=str(entry.get("file", "")),
                     loc=Loc(shown, item_line(entries, index)), label=entry.get("label"),
                     exempt=exemption(entry.get("exempt")), note=_text(entry.get("note")))
        for index, entry in enumerate(entries or ())
    )


def _clearances(entries: Any, shown: str) -> tuple[Clearance, ...]:
    if not entries:
        return ()
    return tuple(
        Clearance(
            role=str(entry["role"]),
            status=str(entry["status"]),
            loc=Loc(shown, item_line(entries, index)),
            name=_text(entry.get("name")),
            date=dt.date.fromisoformat(str(entry["date"])) if entry.get("date") else None,
            comments=_text(entry.get("comments")),
        )
        for index, entry in enumerate(entries)
    )


def _lines(data: Any) -> dict[str, int]:
    """Each top-level key's line, so house rules can point at the field they are about."""
    return {str(key): key_line(data, str(key)) for key in data}
