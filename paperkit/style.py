"""House styles: what differs between councils and committees, read from templates/.

A house style is a folder templates/<house>/<template>/ holding style.yaml (sections,
numbering, heading fields, wording, house rules) and the Word and HTML/CSS templates it
names. style.yaml is checked against paperkit/schemas/style.yaml before it is used.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Diagnostics, Loc, display_path
from .ooxml import TemplateUnreadable, read_word_template
from .resources import image_kind
from .validate import validate
from .yamlio import item_line, key_line, load_yaml

TEMPLATE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*$")
COUNTERS = {"n", "a", "A", "i", "I"}
# Which placeholders each pattern may use; anything else would fail when a paper is built.
PLACEHOLDERS = {
    "meeting_line": {"meeting", "date"},
    "agenda_item_line": {"agenda_item"},
    "date_format": {"day", "month", "year"},
    "section": COUNTERS,
    "section_heading": COUNTERS,
    "table": COUNTERS,
    "appendix": COUNTERS,
    "appendix_choices": COUNTERS,
    "exempt_notice": {"paragraph", "description"},
    "exemption_statement": {"appendix", "title", "paragraph", "description"},
    "exemption_public_interest": {"public_interest"},
    "appendix_line": {"appendix", "title"},
    "appendix_note": {"note"},
    "appendix_file": {"file"},
    "appendix_attached": {"appendix", "file", "pages"},
    "pages_many": {"count"},
    "changes_title": {"title"},
    "urgency_paragraph": {"reason"},
    "format": COUNTERS | {"section"},
    "reference": {"own", "parent"},
    "named_reference": {"number", "name"},
    "numbered": {"level"},
    "numbered_continued": {"level"},
    "page_stamp": {"page", "pages"},
    "private_marking": set(),
}
POINTS_PER = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4}


@dataclass(frozen=True)
class SectionSpec:
    id: str
    title: str
    file: str
    numbered: bool
    loc: Loc
    levels: tuple[LevelSpec, ...] = ()  # this section's own numbering, where it differs from the style's
    guidance: str = ""  # what `paperkit new` tells the author to write here


@dataclass(frozen=True)
class LevelSpec:
    format: str  # this level's own marker, e.g. "{section}.{n}" or "({i})"
    reference: str  # how a cross-reference writes it, e.g. "{parent} {own}"


@dataclass(frozen=True)
class GroupSpec:
    """How recommendation groups are numbered: restarting at each lead-in or continuing, with
    their own levels; `named_reference` frames a reference to a named group's item
    ("{number} to {name}": "2 (ii) to Council")."""

    restart: bool
    levels: tuple[LevelSpec, ...]
    named_reference: str


@dataclass(frozen=True)
class ReferenceWords:
    """How a reference to several targets joins them: "B, C and D", "3.4 to 3.6"; `plural`
    turns a number's leading word into its plural ("Appendix" → "Appendices")."""

    separator: str
    last: str
    range: str
    plural: dict[str, str]


@dataclass(frozen=True)
class FieldSpec:
    """A heading-block fact of paper.yaml, as the house style declares it."""

    field: str  # its key in paper.yaml
    label: str  # the words before it in the heading block ("" for a field that is not printed)
    kind: str = "text"  # text | list (one or several lines of text) | yes-no | date | person
    required: bool = False
    shown: bool = True  # printed as a heading line, or only read (by house rules, for instance)
    example: str = ""  # what `paperkit new` writes for it
    separator: str = ""  # a list's, where it is not words.list_separator


@dataclass(frozen=True)
class RuleSpec:
    """One house rule as style.yaml declares it; paperkit/rules.py knows what each does."""

    rule: str
    loc: Loc
    severity: str = "error"
    sections: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    words: int = 0
    message: str = ""


@dataclass(frozen=True)
class ClearanceSpec:
    """The sign-off record's words and roles, all from style.yaml's clearance section."""

    roles: dict[str, str]  # role id → its name in the clearance table
    required: tuple[str, ...]  # roles that must have cleared before publication
    title: str
    draft_marking: str
    not_recorded: str
    none_recorded: str


@dataclass(frozen=True)
class AvoidWord:
    """A word or phrase to avoid (in any of its `forms`), the plainer way to say it, and the
    phrases in which it is right all the same ("key decision" is a term of law)."""

    forms: tuple[str, ...]
    instead: str
    not_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class WritingSpec:
    """Which writing checks a house style runs, and their limits (GOV.UK's where it says none)."""

    sentence_words: int = 25  # 0: sentences are not measured
    typed_references: bool = True
    link_text: bool = True
    numeric_dates: bool = True
    avoid: tuple[AvoidWord, ...] = ()  # from the files writing.words_to_avoid names
    acronyms: bool = True  # acronyms spelled out on first use, unless in the glossary
    glossary: dict[str, str] = field(default_factory=dict)  # acronyms readers know, and what they stand for
    capitals: bool = True  # words run together in capitals


@dataclass(frozen=True)
class PageMark:
    """Text drawn over every page of a pack (its page number, its private marking): lengths in
    points from the page's edges; no left or right means centred, top None means from the bottom."""

    text: str
    font: Path
    size: float
    colour: tuple[float, float, float]  # red, green, blue from 0 to 1
    left: float | None
    right: float | None
    top: float | None
    bottom: float
    loc: Loc  # where style.yaml gives it, for the pack's diagnostics about its font


@dataclass(frozen=True)
class HouseStyle:
    name: str
    description: str
    directory: Path
    loc: Loc
    meeting_line: str
    agenda_item_line: str
    date_format: str
    months: tuple[str, ...]  # January to December, as dates print them
    urgency_field: str  # the heading fact whose text prints the urgency paragraph ("" for none)
    schedule_12a: tuple[str, ...]  # what each paragraph of Part 1 of Schedule 12A exempts, in words
    portfolio_field: str  # the heading fact a pack's agenda prints under each item's title ("" for none)
    word_keywords: tuple[str, ...]  # heading facts put in the Word document's keywords, after the meeting
    code_font: str  # the Word font of `code` text
    fields: tuple[FieldSpec, ...]
    words: dict[str, str]
    sections: tuple[SectionSpec, ...]
    section_number: str
    section_heading_number: str
    table_number: str
    appendix_number: str
    appendix_choices: dict[str, str]  # other patterns a paper may choose, by name
    exempt_notice: str
    levels: tuple[LevelSpec, ...]
    references: ReferenceWords
    closing: dict[str, str]
    docx_template: Path
    html_template: Path
    stylesheet: Path
    web_stylesheet: Path
    logo: Path | None
    logo_alt: str
    word_styles: dict[str, str]
    agenda_template: Path
    index_template: Path
    page_stamp: PageMark
    private_marking: PageMark
    pack_words: dict[str, str]
    clearance: ClearanceSpec
    writing: WritingSpec
    search_path: tuple[Path, ...] = ()  # this template's folder, then those of the templates it extends
    rules: tuple[RuleSpec, ...] = field(default=())
    groups: GroupSpec | None = None  # None: the style has no recommendation groups

    def levels_for(self, section_id: str) -> tuple[LevelSpec, ...]:
        """The numbering levels of a section: its own, or the house style's."""
        spec = next((s for s in self.sections if s.id == section_id), None)
        return spec.levels if spec and spec.levels else self.levels


def builtin_templates() -> Path:
    """The house styles that ship with paperkit: package data of paperkit.templates."""
    root = resources.files("paperkit.templates")
    if not isinstance(root, Path):  # a zipped install: Jinja, WeasyPrint and docxtpl need real files
        raise RuntimeError(f"paperkit's templates must be installed as files, not inside {root}")
    return root


def list_templates(root: Path) -> list[str]:
    return sorted(p.parent.relative_to(root).as_posix() for p in root.glob("*/*/style.yaml"))


def template_roots(root: Path) -> list[Path]:
    """Where house styles are looked for: the council's own folder first, then paperkit's."""
    builtin = builtin_templates()
    roots = [root] if root.is_dir() and root.resolve() != builtin.resolve() else []
    return [*roots, builtin]


@dataclass(frozen=True)
class TemplateInfo:
    """An installed house style as `paperkit templates` lists it."""

    name: str
    description: str
    folder: Path
    builtin: bool
    overrides_builtin: bool = False


def installed_templates(root: Path) -> list[TemplateInfo]:
    """Every house style that a paper can name, the one it would get for each name."""
    builtin = builtin_templates()
    builtin_names = set(list_templates(builtin))
    found: dict[str, TemplateInfo] = {}
    for folder in template_roots(root):
        is_builtin = folder == builtin
        for name in list_templates(folder):
            if name not in found:
                data = load_yaml(folder / name / "style.yaml", Diagnostics())
                about = str(data.get("description") or data.get("name", "")) if isinstance(data, dict) else ""
                found[name] = TemplateInfo(name, about, folder / name, is_builtin,
                                           overrides_builtin=not is_builtin and name in builtin_names)
    return sorted(found.values(), key=lambda info: info.name)


def find_template(root: Path, name: str) -> Path | None:
    return next((r / name for r in template_roots(root) if (r / name / "style.yaml").is_file()), None)


def load_style(root: Path, name: str, where: Loc, diags: Diagnostics) -> HouseStyle | None:
    """The house style called `name` ("walsall/cabinet"), or None after reporting why not.

    A style.yaml may say `extends: house/template`: it then holds only what differs, and
    files it does not have are taken from the template it extends (and so on up).
    """
    if not TEMPLATE_NAME.match(name):
        diags.error(where, "template-name", f"'{name}' is not a template name like 'walsall/cabinet'")
        return None
    directory = find_template(root, name)
    if directory is None:
        known = ", ".join(sorted({t for r in template_roots(root) for t in list_templates(r)})) or "none"
        diags.error(where, "template-unknown", f"no template '{name}' (installed: {known})")
        return None
    shown_roots = tuple(display_path(folder) for folder in template_roots(root))
    style, problems = _read_style(root, directory, shown_roots, files_stamp(root))
    diags.items.extend(problems)
    return style


def files_stamp(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Every template file's path, size and modification time: any change makes a new stamp."""
    return tuple((str(path), stat.st_mtime_ns, stat.st_size)
                 for folder in template_roots(root) for path in sorted(folder.rglob("*"))
                 for stat in [path.stat()] if path.is_file())


@lru_cache(maxsize=32)
def _read_style(root: Path, directory: Path, shown_roots: tuple[str, ...],
                stamp: tuple[tuple[str, int, int], ...]) -> tuple[HouseStyle | None, tuple[Diagnostic, ...]]:
    """The style in `directory` read and checked, and what was wrong with it. Remembered while
    no template file changes (`stamp`) and the template folders are shown by the same paths
    (`shown_roots`: paths in messages are relative to where paperkit runs), so the papers of
    a pack read their style.yaml once."""
    diags = Diagnostics()
    shown = display_path(directory / "style.yaml")
    merged = _merged_data(root, directory, diags, seen=[])
    if merged is None:
        return None, tuple(diags.items)
    data, search_path = merged
    _report_retired_keys(data, shown, diags)
    if not validate(data, "style", shown, diags, "style.yaml"):
        return None, tuple(diags.items)
    _check_patterns(data, shown, diags)
    style = _style(data, tuple(search_path), shown)
    _check_files(style, data, shown, diags)
    style = replace(style, writing=replace(style.writing, avoid=_words_to_avoid(style, data, shown, diags)))
    _check_rule_sections(style, diags)
    _check_clearance_roles(style, diags)
    return (None if diags.items else style), tuple(diags.items)


def _report_retired_keys(data: Any, shown: str, diags: Diagnostics) -> None:
    """A key an earlier paperkit read, said as such (and taken out, so the schema does not
    report it again as a mistyped name)."""
    pack = data.get("pack") if isinstance(data, dict) else None
    if isinstance(pack, dict) and "stamp_template" in pack:
        diags.error(Loc(shown, key_line(pack, "stamp_template")), "style-field",
                    "'pack.stamp_template' is no longer used: a pack draws its page numbers and private marking "
                    "as 'pack.page_stamp' and 'pack.private_marking' say (docs/agenda-packs.md); remove it")
        del pack["stamp_template"]


def _merged_data(root: Path, directory: Path, diags: Diagnostics, seen: list[str]) -> tuple[Any, list[Path]] | None:
    """style.yaml with everything it extends merged under it, and the folders to find files in."""
    data = load_yaml(directory / "style.yaml", diags)
    if data is None:
        return None
    parent_name = data.get("extends") if isinstance(data, dict) else None
    if parent_name is None:
        return data, [directory]
    shown = display_path(directory / "style.yaml")
    loc = Loc(shown, key_line(data, "extends"))
    parent_dir = find_template(root, str(parent_name)) if TEMPLATE_NAME.match(str(parent_name)) else None
    if parent_dir is None or str(parent_name) in seen:
        why = "extends itself" if str(parent_name) in seen else "extends no installed template"
        diags.error(loc, "style-extends", f"'{parent_name}': this style {why}")
        return None
    parent = _merged_data(root, parent_dir, diags, [*seen, str(parent_name)])
    if parent is None:
        return None
    parent_data, parent_path = parent
    # Each top-level entry the child gives replaces the parent's whole (a child that changes
    # one heading field restates `heading`): simple to predict, nothing half-inherited.
    del data["extends"]
    for key, value in parent_data.items():
        if key not in data:
            data[key] = value
    return data, [directory, *parent_path]


def _find(search_path: tuple[Path, ...], name: str) -> Path:
    """The first folder's copy of a template file; the child's folder if none has it (check reports it)."""
    return next((folder / name for folder in search_path if (folder / name).is_file()), search_path[0] / name)


def _style(data: dict[str, Any], search_path: tuple[Path, ...], shown: str) -> HouseStyle:
    directory = search_path[0]
    heading = data["heading"]
    numbering = data["numbering"]
    sections = data["sections"]
    rules = data.get("rules", [])
    pack = data["pack"]
    return HouseStyle(
        name=data["name"],
        description=data.get("description", ""),
        directory=directory,
        loc=Loc(shown, 1),
        meeting_line=heading["meeting_line"],
        agenda_item_line=heading["agenda_item_line"],
        date_format=heading["date_format"],
        months=tuple(data["months"]),
        urgency_field=str(heading.get("urgency_field", "")),
        schedule_12a=tuple(data["schedule_12a"]),
        portfolio_field=str(pack.get("portfolio_field", "")),
        word_keywords=tuple(data.get("word_keywords", ())),
        code_font=data["code_font"],
        fields=(*(_field(f, shown=True) for f in heading.get("fields", [])),
                *(_field(f, shown=False) for f in heading.get("other_fields", []))),
        words=dict(data["words"]),
        sections=tuple(_section(s, Loc(shown, item_line(sections, i))) for i, s in enumerate(sections)),
        section_number=numbering.get("section", "{n}"),
        section_heading_number=numbering.get("section_heading", numbering.get("section", "{n}")),
        table_number=numbering.get("table", "{n}"),
        appendix_number=numbering.get("appendix", "Appendix {A}"),
        appendix_choices=dict(numbering.get("appendix_choices", {})),
        exempt_notice=data["words"]["exempt_notice"],
        levels=_levels(numbering["levels"]),
        references=_references(numbering["references"]),
        groups=_groups(numbering["groups"]) if "groups" in numbering else None,
        closing=dict(data.get("closing", {})),
        docx_template=_find(search_path, data["docx_template"]),
        html_template=_find(search_path, data["html_template"]),
        stylesheet=_find(search_path, data["stylesheet"]),
        web_stylesheet=_find(search_path, data["web_stylesheet"]),
        logo=_find(search_path, data["logo"]) if data.get("logo") else None,
        logo_alt=str(data.get("logo_alt", data["name"])),
        word_styles=dict(data["word_styles"]),
        agenda_template=_find(search_path, pack["agenda_template"]),
        index_template=_find(search_path, pack["index_template"]),
        page_stamp=_page_mark(pack["page_stamp"], search_path, Loc(shown, key_line(pack, "page_stamp"))),
        private_marking=_page_mark(pack["private_marking"], search_path,
                                   Loc(shown, key_line(pack, "private_marking"))),
        search_path=search_path,
        pack_words={"agenda_bookmark": pack["agenda_bookmark"], "title": pack["title"]},
        rules=tuple(_rule(rule, Loc(shown, item_line(rules, i)), sections) for i, rule in enumerate(rules)),
        clearance=_clearance(data["clearance"]),
        writing=_writing(data.get("writing", {})),
    )


def _page_mark(data: dict[str, Any], search_path: tuple[Path, ...], loc: Loc) -> PageMark:
    colour = data.get("colour", "#000000")
    return PageMark(text=data["text"], font=_find(search_path, data["font"]), size=float(data["size"]),
                    colour=tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)),  # type: ignore[arg-type]
                    left=_points(data.get("left")), right=_points(data.get("right")), top=_points(data.get("top")),
                    bottom=_points(data.get("bottom")) or 0.0, loc=loc)


def _points(length: str | None) -> float | None:
    """A length of style.yaml (checked by the schema: 1.2cm, 12mm, 0.5in, 9pt) in points."""
    return None if length is None else float(length[:-2]) * POINTS_PER[length[-2:]]


def _field(data: dict[str, Any], shown: bool) -> FieldSpec:
    return FieldSpec(data["field"], str(data.get("label", "")), data.get("kind", "text"),
                     bool(data.get("required", False)), shown, str(data.get("example", "")),
                     str(data.get("separator", "")))


def _clearance(data: dict[str, Any]) -> ClearanceSpec:
    return ClearanceSpec(
        roles=dict(data["roles"]),
        required=tuple(data.get("required_for_publication", ())),
        title=data["title"],
        draft_marking=data["draft_marking"],
        not_recorded=data["not_recorded"],
        none_recorded=data["none_recorded"],
    )


def _section(data: dict[str, Any], loc: Loc) -> SectionSpec:
    return SectionSpec(data["id"], data["title"], data["file"], bool(data.get("numbered", False)), loc,
                       _levels(data.get("levels", ())), str(data.get("guidance", "")))


def _references(data: dict[str, Any]) -> ReferenceWords:
    return ReferenceWords(data["separator"], data["last"], data["range"], dict(data.get("plural", {})))


def _groups(data: dict[str, Any]) -> GroupSpec:
    return GroupSpec(bool(data["restart"]), _levels(data["levels"]), data["named_reference"])


def _levels(data: Any) -> tuple[LevelSpec, ...]:
    return tuple(LevelSpec(level["format"], level.get("reference", "{own}")) for level in data)


def _rule(data: dict[str, Any], loc: Loc, sections: list[dict[str, Any]]) -> RuleSpec:
    named = data.get("sections", ())
    ids = tuple(s["id"] for s in sections) if named == "all" else tuple(named)
    return RuleSpec(
        rule=data["rule"],
        loc=loc,
        severity=data.get("severity", "error"),
        sections=ids,
        fields=tuple(data.get("fields", ())),
        words=int(data.get("words", 0)),
        message=data.get("message", ""),
    )


def _check_patterns(data: Any, shown: str, diags: Diagnostics) -> None:
    """Every {placeholder} in a pattern must be one paperkit fills in for that pattern."""

    def walk(node: Any, line: int) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                here = key_line(node, key, line)
                if isinstance(value, str) and key in PLACEHOLDERS:
                    _check_pattern(key, value, PLACEHOLDERS[key], Loc(shown, here), diags)
                elif isinstance(value, dict) and key in PLACEHOLDERS:  # named patterns: appendix_choices
                    for name, pattern in value.items():
                        if isinstance(pattern, str):
                            _check_pattern(f"{key}.{name}", pattern, PLACEHOLDERS[key],
                                           Loc(shown, key_line(value, name, here)), diags)
                else:
                    walk(value, here)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, item_line(node, index, line))

    walk(data, 1)


def _check_pattern(key: str, pattern: str, allowed: set[str], loc: Loc, diags: Diagnostics) -> None:
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None}
    except ValueError as err:
        diags.error(loc, "style-pattern", f"'{key}': {err} (write {{{{ and }}}} for a literal brace)")
        return
    unknown = sorted(names - allowed)
    if unknown:
        diags.error(loc, "style-pattern", f"'{key}' uses {{{unknown[0]}}}; it may use {', '.join(sorted(allowed))}")


def _check_files(style: HouseStyle, data: Any, shown: str, diags: Diagnostics) -> None:
    for key in ("docx_template", "html_template", "stylesheet", "web_stylesheet"):
        path: Path = getattr(style, key)
        if not path.is_file():
            message = f"'{key}': no file {data[key]} in {', '.join(str(d) for d in style.search_path)}"
            diags.error(Loc(shown, key_line(data, key)), "style-file", message)
    if style.docx_template.is_file():
        _check_word_styles(style, Loc(shown, key_line(data, "word_styles")), diags)
    if style.logo is not None:
        _check_logo(style.logo, Loc(shown, key_line(data, "logo")), diags)
    pack = data["pack"]
    for key in ("page_stamp", "private_marking"):
        _check_page_mark(getattr(style, key), pack[key], f"pack.{key}", diags)


def _writing(data: dict[str, Any]) -> WritingSpec:
    """The writing checks' settings (words_to_avoid's files are read by _words_to_avoid, with diagnostics)."""
    settings = {key: value for key, value in data.items() if key != "words_to_avoid"}
    if "glossary" in settings:
        settings["glossary"] = {str(key): str(value) for key, value in settings["glossary"].items()}
    return WritingSpec(**settings)


def _words_to_avoid(style: HouseStyle, data: Any, shown: str, diags: Diagnostics) -> tuple[AvoidWord, ...]:
    """The entries of every file writing.words_to_avoid names, in order (a council's own file
    after the built-in one adds to it); a file's mistakes are reported at their lines."""
    writing = data.get("writing") or {}
    found: list[AvoidWord] = []
    files = writing.get("words_to_avoid", [])
    for index, name in enumerate(files):
        path = _find(style.search_path, name)
        if not path.is_file():
            diags.error(Loc(shown, item_line(files, index, key_line(writing, "words_to_avoid"))), "style-file",
                        f"'writing.words_to_avoid': no file {name} in the template's folders")
            continue
        entries = load_yaml(path, diags)
        where = display_path(path)
        if not isinstance(entries, dict):
            diags.error(Loc(where, 1), "style-field", "a words-to-avoid file maps each word or phrase to a plainer one")
            continue
        for phrase, value in entries.items():
            entry = _avoid_word(str(phrase), value)
            if entry is None:
                diags.error(Loc(where, key_line(entries, phrase)), "style-field", f"'{phrase}': give the plainer "
                            "words as text, or as {instead: text, forms: [..], not_in: [..]}")
            else:
                found.append(entry)
    return tuple(found)


def _avoid_word(phrase: str, value: Any) -> AvoidWord | None:
    if isinstance(value, str):
        return AvoidWord((phrase,), value)
    if not isinstance(value, dict) or not isinstance(value.get("instead"), str) or set(value) - {"instead", "forms",
                                                                                                    "not_in"}:
        return None
    lists = [value.get(key, []) for key in ("forms", "not_in")]
    if not all(isinstance(items, list) and all(isinstance(item, str) for item in items) for items in lists):
        return None
    return AvoidWord((phrase, *lists[0]), value["instead"], tuple(lists[1]))


def _check_page_mark(mark: PageMark, data: dict[str, Any], key: str, diags: Diagnostics) -> None:
    """A page mark is placed from one side and one end of the page, not both. (Whether its font
    can draw its text is checked by the pack, which reads the font: a build has no need to.)"""
    if not mark.font.is_file():
        diags.error(mark.loc, "style-file", f"'{key}.font': no file {data['font']} in the template's folders")
    for one, other in (("left", "right"), ("top", "bottom")):
        if one in data and other in data:
            diags.error(mark.loc, "style-page-mark", f"'{key}' gives both {one} and {other}; give one")


def _check_logo(logo: Path, loc: Loc, diags: Diagnostics) -> None:
    """The logo is a PNG, JPEG or GIF (by its bytes) or an SVG (XML text)."""
    try:
        head = logo.read_bytes()[:512]
    except OSError as err:
        diags.error(loc, "style-file", f"'logo': cannot read {logo.name}: {err.strerror or err}")
        return
    if image_kind(head) is None and not head.lstrip().startswith(b"<"):
        diags.error(loc, "style-file", f"'logo': {logo.name} is not a PNG, JPEG, GIF or SVG picture")


def _check_word_styles(style: HouseStyle, loc: Loc, diags: Diagnostics) -> None:
    """The Word template must define every paragraph style the house style names."""
    try:
        template = read_word_template(style.docx_template)
    except TemplateUnreadable as err:
        diags.error(loc, "style-file", f"cannot read the Word template {style.docx_template.name}: {err}")
        return
    for tag in ("{{ body }}", "{{ appendices }}"):
        if tag not in template.body_text:
            diags.error(loc, "style-word", f"the Word template {style.docx_template.name} has no paragraph '{tag}'")
    names = template.style_names
    group_depth = len(style.groups.levels) if style.groups else 0
    depth = max([len(style.levels), group_depth, *(len(s.levels) for s in style.sections)])
    wanted = [name.format(level=level) for name in style.word_styles.values() for level in range(1, depth + 1)]
    for name in dict.fromkeys(wanted):
        if name.lower() not in names:
            diags.error(loc, "style-word", f"the Word template {style.docx_template.name} has no style '{name}'")


def _check_clearance_roles(style: HouseStyle, diags: Diagnostics) -> None:
    for role in style.clearance.required:
        if role not in style.clearance.roles:
            message = f"clearance.required_for_publication names no clearance role: '{role}'"
            diags.error(style.loc, "style-field", message)


def _check_rule_sections(style: HouseStyle, diags: Diagnostics) -> None:
    ids = {s.id for s in style.sections}
    for rule in style.rules:
        for section in rule.sections:
            if section not in ids:
                message = f"rule '{rule.rule}' names no section of this template: '{section}'"
                diags.error(rule.loc, "style-field", message)
