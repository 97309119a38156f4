"""House styles are data: their mistakes are located diagnostics, and their rules are theirs to choose."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpers import ROOT, SAMPLE, TEMPLATES, besides_prose_warnings
from paperkit.diagnostics import ContentError
from paperkit.pipeline import load

STYLE = "walsall/cabinet/style.yaml"


def templates_copy(tmp_path: Path) -> Path:
    root = tmp_path / "templates"
    shutil.copytree(TEMPLATES, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def problems(root: Path, paper: Path = SAMPLE) -> list[tuple[str, str, int]]:
    try:
        found = load(paper, root).diagnostics.sorted()
    except ContentError as err:
        found = err.diagnostics.sorted()
    return [(d.code, Path(d.loc.path).name, d.loc.line) for d in besides_prose_warnings(found)]


@pytest.mark.parametrize(("old", "new", "code", "anchor"), [
    ("  - rule: author-contact", "  - rule: no-jargon", "rule-unknown", "rule: no-jargon"),
    ('meeting_line: "{meeting} – {date}"', 'meeting_line: "{meetng} – {date}"', "style-pattern", "meeting_line"),
    ('format: "({i})"', 'format: "({x})"', "style-pattern", '"({x})"'),
    ('    numbers: "Appendix {n}"', '    numbers: "Appendix {x}"', "style-pattern", 'numbers: "Appendix {x}"'),
    ("docx_template: cabinet.docx", "docx_template: missing.docx", "style-file", "docx_template"),
    ("docx_template: cabinet.docx", "docx_template: ../../etc/passwd", "style-file", "docx_template"),
    ("numbered: Numbered Para {level}", "numbered: Numbered Paragraph {level}", "style-word", "word_styles:"),
    ("sections: [financial, legal,", "sections: [finance, legal,", "style-field", "rule: implication-stated"),
    ("{id: summary, title: Summary, file: summary.md, numbered: false}",
     "{id: summary, title: Summary, file: ../summary.md, numbered: false}", "style-file", "id: summary"),
    ("name: Walsall Council Cabinet report", "nme: Walsall Council Cabinet report", "field-unknown", "nme:"),
    # Every printed word is the style's, none defaulted in code: a missing one is named.
    ("  not_recorded: not yet recorded\n", "", "field-missing", "clearance:"),
    ("  urgency_paragraph: >-", "  urgency: >-", "field-missing", "words:"),
    # A rule names the facts it reads: the style's data, not names in code.
    ("    fields: [key_decision, forward_plan, urgency_reason]", "    fields: [key_decision]", "style-field",
     "rule: key-decision-notice"),
    ("    fields: [name, job_title, telephone, email]", "    fields: [name, phone]", "style-field",
     "rule: author-contact"),
])
def test_style_mistakes_point_at_their_line(tmp_path: Path, old: str, new: str, code: str, anchor: str) -> None:
    root = templates_copy(tmp_path)
    style = root / STYLE
    edit(style, old, new)
    found = problems(root)
    assert (code, "style.yaml", line_of(style, anchor)) in found, found


def test_a_rule_the_template_does_not_declare_does_not_apply(tmp_path: Path) -> None:
    root = templates_copy(tmp_path)
    paper = tmp_path / "content" / "p"
    shutil.copytree(SAMPLE, paper)
    (paper / "financial-implications.md").write_text("")
    assert ("implication-unstated", "financial-implications.md", 1) in problems(root, paper)
    style = root / STYLE
    edit(style, "  - rule: implication-stated", "  - rule: section-present\n  # (implications no longer checked)")
    assert problems(root, paper) == []


def test_every_diagnostic_code_is_documented() -> None:
    documented = set(re.findall(r"^\| `([a-z-]+)`", (ROOT / "docs" / "diagnostics.md").read_text(), re.M))
    source = "\n".join(p.read_text() for p in (ROOT / "paperkit").rglob("*.py"))
    schemas = "\n".join(p.read_text() for p in (ROOT / "paperkit" / "schemas").glob("*.yaml"))
    used = set(re.findall(r'(?:error|warning|_report)\([^"]*?"([a-z]+(?:-[a-z]+)+)"', source, re.S))
    used |= set(re.findall(r"x-code: ([a-z-]+)", schemas))
    used |= set(re.findall(r'"([a-z]+-[a-z]+)",\n', source.split("GENERIC_CODES = {")[1].split("}")[0]))
    assert used, "no codes found: the scan is broken"
    assert used <= documented, sorted(used - documented)


@pytest.mark.parametrize("name", ["paper", "style", "meeting"])
def test_each_schema_paperkit_ships_is_a_valid_json_schema(name: str) -> None:
    from jsonschema import Draft202012Validator

    from paperkit.validate import load_schema

    Draft202012Validator.check_schema(load_schema(name))
