"""A meeting: its committee, date, place and agenda, read from content/meetings/<meeting>.yaml."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diagnostics import ContentError, Diagnostics, Loc, display_path
from .model import Exemption
from .readers.meta import exemption
from .validate import validate
from .yamlio import item_line, load_yaml


@dataclass(frozen=True)
class AgendaItem:
    number: str
    loc: Loc
    title: str = ""  # procedural items; an exempt paper's title on the public agenda
    text: str = ""
    portfolio: str = ""  # an exempt paper's portfolio on the public agenda
    paper: str | None = None  # a folder in the content folder
    exempt: Exemption | None = None

    @property
    def public(self) -> bool:
        return self.exempt is None


@dataclass(frozen=True)
class Meeting:
    name: str
    template: str
    committee: str
    date: dt.date
    time: str
    venue: str
    items: tuple[AgendaItem, ...]
    loc: Loc


def read_meeting(path: Path, content_dir: Path) -> Meeting:
    """The meeting, or ContentError with every problem (including papers that do not exist)."""
    diags = Diagnostics()
    shown = display_path(path)
    data = load_yaml(path, diags)
    if data is None or not validate(data, "meeting", shown, diags, "the meeting file"):
        raise ContentError(diags)
    items = tuple(_item(entry, index, data["items"], shown) for index, entry in enumerate(data["items"]))
    for item in items:
        if item.paper and not (content_dir / item.paper / "paper.yaml").is_file():
            diags.error(item.loc, "agenda-paper", f"no paper '{item.paper}' in {content_dir}/")
        if item.paper and item.exempt and any(other.paper == item.paper and other.public for other in items):
            diags.error(item.loc, "agenda-exempt-conflict", f"'{item.paper}' is exempt here and also listed as a "
                        "public item, which would publish it: list it once")
        if item.paper and item.exempt and not item.title:
            diags.error(item.loc, "agenda-exempt-title", f"exempt item '{item.paper}' needs 'title:' here, as the "
                        "public agenda prints it: the public pack never opens an exempt paper's files")
    if diags.has_errors:
        raise ContentError(diags)
    return Meeting(
        name=path.stem,
        template=str(data["template"]),
        committee=str(data["committee"]),
        date=dt.date.fromisoformat(str(data["date"])),
        time=str(data.get("time", "")),
        venue=str(data.get("venue", "")),
        items=items,
        loc=Loc(shown, 1),
    )


def _item(entry: dict[str, Any], index: int, entries: Any, shown: str) -> AgendaItem:
    return AgendaItem(
        number=str(index + 1),
        loc=Loc(shown, item_line(entries, index)),
        title=str(entry.get("title", "")),
        text=str(entry.get("text", "")),
        portfolio=str(entry.get("portfolio", "")),
        paper=entry.get("paper"),
        exempt=exemption(entry.get("exempt")),
    )
