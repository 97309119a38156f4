"""Reads paper.yaml: what the paper is, for which meeting, by whom."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics, Loc, display_path
from ..model import Author, Meta
from ..yamlio import key_line, load_yaml

REQUIRED = ("template", "meeting", "date", "title")
TEXT_FIELDS = ("portfolio", "service")
LIST_FIELDS = ("related_portfolios", "wards")  # a single text is accepted too
YES_NO_FIELDS = ("key_decision", "forward_plan")
OTHER_KEYS = ("agenda_item", "author", "background_papers")
KNOWN_KEYS = REQUIRED + TEXT_FIELDS + LIST_FIELDS + YES_NO_FIELDS + OTHER_KEYS
AUTHOR_KEYS = ("name", "job_title", "telephone", "email")


def read_meta(path: Path, diags: Diagnostics) -> Meta | None:
    shown = display_path(path)
    if not path.is_file():
        diags.error(Loc(shown, 1), "paper-yaml-missing", "every paper needs a paper.yaml")
        return None
    data = load_yaml(path, diags)
    if data is None:
        return None
    if not isinstance(data, dict):
        diags.error(Loc(shown, 1), "paper-yaml-type", "paper.yaml must be a list of 'key: value' lines")
        return None
    return _MetaReader(shown, data, diags).read()


class _MetaReader:
    def __init__(self, shown: str, data: dict[str, Any], diags: Diagnostics) -> None:
        self.shown = shown
        self.data = data
        self.diags = diags

    def loc(self, key: str, mapping: Any = None) -> Loc:
        return Loc(self.shown, key_line(self.data if mapping is None else mapping, key))

    def read(self) -> Meta | None:
        self.report_unknown_keys(self.data, KNOWN_KEYS, "paper.yaml")
        for key in REQUIRED:
            if self.data.get(key) in (None, ""):
                self.diags.error(Loc(self.shown, 1), "field-missing", f"'{key}' is required")
        fields: dict[str, str | list[str] | bool] = {}
        for key in TEXT_FIELDS:
            fields[key] = self.text(key)
        for key in LIST_FIELDS:
            fields[key] = self.text_list(key)
        for key in YES_NO_FIELDS:
            if key in self.data:
                fields[key] = self.yes_no(key)
        agenda_item = self.data.get("agenda_item")
        return Meta(
            template=self.text("template"),
            meeting=self.text("meeting"),
            date=self.date("date"),
            title=self.text("title"),
            loc=Loc(self.shown, 1),
            agenda_item=None if agenda_item is None else str(agenda_item),
            fields=fields,
            author=self.author(),
            background_papers=tuple(self.text_list("background_papers")),
        )

    def report_unknown_keys(self, mapping: dict[str, Any], known: tuple[str, ...], where: str) -> None:
        for key in mapping:
            if key in known:
                continue
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            self.diags.error(self.loc(str(key), mapping), "field-unknown", f"{where} has no field '{key}'{hint}")

    def text(self, key: str, mapping: Any = None) -> str:
        source = self.data if mapping is None else mapping
        value = source.get(key)
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            self.diags.error(self.loc(key, mapping), "field-type", f"'{key}' must be a single line of text")
            return ""
        return str(value)

    def text_list(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
            return [str(v) for v in value]
        if isinstance(value, (str, int)):
            return [str(value)]
        self.diags.error(self.loc(key), "field-type", f"'{key}' must be text or a list of text")
        return []

    def yes_no(self, key: str) -> bool:
        value = self.data.get(key)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("yes", "no"):
            return value.strip().lower() == "yes"
        self.diags.error(self.loc(key), "field-yes-no", f"'{key}' must be yes or no, not '{value}'")
        return False

    def date(self, key: str) -> dt.date:
        value = self.data.get(key)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            if value is not None:
                self.diags.error(self.loc(key), "field-date", f"'{key}' must be a date like 2018-06-21, not '{value}'")
            return dt.date(1970, 1, 1)

    def author(self) -> Author | None:
        value = self.data.get("author")
        if value is None:
            return None
        if not isinstance(value, dict):
            message = "'author' must list name, job_title, telephone and email"
            self.diags.error(self.loc("author"), "field-type", message)
            return None
        self.report_unknown_keys(value, AUTHOR_KEYS, "author")
        name, job, phone, email = (self.text(k, value) for k in AUTHOR_KEYS)
        return Author(name=name, job_title=job, telephone=phone, email=email)
