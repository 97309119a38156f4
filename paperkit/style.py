"""House styles: what differs between councils and committees, read from templates/.

A house style is a folder templates/<house>/<template>/ holding style.yaml (sections,
numbering, heading fields, wording) and the Word and HTML/CSS templates it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostics, Loc, display_path
from .yamlio import item_line, key_line, load_yaml

# The roles a Word template's paragraph styles play; style.yaml names a style for each.
WORD_STYLE_KEYS = ("section_heading", "subheading", "body", "quote", "numbered", "numbered_continued",
                   "bullet", "nested_bullet")
TEMPLATE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*$")


@dataclass(frozen=True)
class SectionSpec:
    id: str
    title: str
    file: str
    numbered: bool
    loc: Loc


@dataclass(frozen=True)
class LevelSpec:
    format: str  # this level's own marker, e.g. "{section}.{n}" or "({i})"
    reference: str  # how a cross-reference writes it, e.g. "{parent} {own}"


@dataclass(frozen=True)
class FieldSpec:
    field: str
    label: str


@dataclass(frozen=True)
class HouseStyle:
    name: str
    description: str
    directory: Path
    loc: Loc
    meeting_line: str
    agenda_item_line: str
    date_format: str
    fields: tuple[FieldSpec, ...]
    words: dict[str, str]
    sections: tuple[SectionSpec, ...]
    section_number: str
    section_heading_number: str
    levels: tuple[LevelSpec, ...]
    closing: dict[str, str]
    docx_template: Path
    html_template: Path
    stylesheet: Path
    word_styles: dict[str, str]


def default_templates_root() -> Path:
    """templates/ in the working directory, else the one beside the installed package."""
    here = Path.cwd() / "templates"
    return here if here.is_dir() else Path(__file__).resolve().parent.parent / "templates"


def load_style(root: Path, name: str, where: Loc, diags: Diagnostics) -> HouseStyle | None:
    """The house style called `name` ("walsall/cabinet"), or None after reporting why not."""
    if not TEMPLATE_NAME.match(name):
        diags.error(where, "template-name", f"'{name}' is not a template name like 'walsall/cabinet'")
        return None
    directory = root / name
    path = directory / "style.yaml"
    if not path.is_file():
        known = ", ".join(list_templates(root)) or "none"
        diags.error(where, "template-unknown", f"no template '{name}' (installed: {known})")
        return None
    data = load_yaml(path, diags)
    if data is None:
        return None
    return _StyleReader(path, directory, diags).read(data)


def list_templates(root: Path) -> list[str]:
    return sorted(str(p.parent.relative_to(root)) for p in root.glob("*/*/style.yaml"))


class _StyleReader:
    """Turns style.yaml into a HouseStyle, reporting each missing or mistyped entry."""

    def __init__(self, path: Path, directory: Path, diags: Diagnostics) -> None:
        self.shown = display_path(path)
        self.directory = directory
        self.diags = diags

    def loc(self, mapping: Any, key: str) -> Loc:
        return Loc(self.shown, key_line(mapping, key))

    def text(self, mapping: Any, key: str, default: str | None = None) -> str:
        value = mapping.get(key, default) if isinstance(mapping, dict) else default
        if not isinstance(value, str):
            self.diags.error(self.loc(mapping, key), "style-field", f"'{key}' must be text")
            return ""
        return value

    def file(self, mapping: Any, key: str) -> Path:
        path = self.directory / self.text(mapping, key)
        if not path.is_file():
            self.diags.error(self.loc(mapping, key), "style-file", f"'{key}': no file {path.name}")
        return path

    def read(self, data: Any) -> HouseStyle | None:
        if not isinstance(data, dict):
            self.diags.error(Loc(self.shown, 1), "style-field", "style.yaml must be a mapping")
            return None
        heading = data.get("heading", {})
        numbering = data.get("numbering", {})
        return HouseStyle(
            name=self.text(data, "name"),
            description=self.text(data, "description", ""),
            directory=self.directory,
            loc=Loc(self.shown, 1),
            meeting_line=self.text(heading, "meeting_line"),
            agenda_item_line=self.text(heading, "agenda_item_line", "{agenda_item}"),
            date_format=self.text(heading, "date_format", "{day} {month} {year}"),
            fields=tuple(
                FieldSpec(self.text(f, "field"), self.text(f, "label"))
                for f in heading.get("fields", [])
            ),
            words={str(k): str(v) for k, v in data.get("words", {}).items()},
            sections=self.sections(data),
            section_number=self.text(numbering, "section", "{n}"),
            section_heading_number=self.text(numbering, "section_heading", "{n}"),
            levels=tuple(
                LevelSpec(self.text(level, "format"), self.text(level, "reference", "{own}"))
                for level in numbering.get("levels", [])
            ),
            closing={str(k): str(v) for k, v in data.get("closing", {}).items()},
            docx_template=self.file(data, "docx_template"),
            html_template=self.file(data, "html_template"),
            stylesheet=self.file(data, "stylesheet"),
            word_styles=self.word_styles(data),
        )

    def word_styles(self, data: Any) -> dict[str, str]:
        styles = data.get("word_styles")
        missing = [key for key in WORD_STYLE_KEYS if not isinstance(styles, dict) or key not in styles]
        if missing:
            self.diags.error(self.loc(data, "word_styles"), "style-field", f"'word_styles' needs {', '.join(missing)}")
            return {}
        return {key: str(styles[key]) for key in WORD_STYLE_KEYS}

    def sections(self, data: Any) -> tuple[SectionSpec, ...]:
        specs = data.get("sections")
        if not isinstance(specs, list) or not specs:
            self.diags.error(self.loc(data, "sections"), "style-field", "'sections' must list sections")
            return ()
        return tuple(
            SectionSpec(
                id=self.text(spec, "id"),
                title=self.text(spec, "title"),
                file=self.text(spec, "file"),
                numbered=bool(spec.get("numbered", False)),
                loc=Loc(self.shown, item_line(specs, index)),
            )
            for index, spec in enumerate(specs)
        )
