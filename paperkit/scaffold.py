"""`paperkit new`: a paper's folder laid out for a house style, with guidance to write over.

paper.yaml lists every field the style prints, empty; each section file holds only a
<!-- guidance --> comment (never printed). `paperkit check` then reports exactly what is
still to write: the empty fields and the sections the house rules say must have text.
"""

from __future__ import annotations

from pathlib import Path

from .style import FieldSpec, HouseStyle

NUMBERED_HINT = ("Start each numbered paragraph with '- '; paperkit numbers them. Indent by two "
                 "spaces the paragraphs that belong to it.")
PLAIN_HINT = "Write plain paragraphs, separated by a blank line."
EMPTY = '""'


def _example(field: FieldSpec) -> str:
    """What a new paper.yaml says for a heading fact: the style's example, else an empty value."""
    value = field.example or ("[]" if field.kind == "list" else EMPTY)
    return f"{value:<17} # yes or no" if field.kind == "yes-no" else value


def paper_yaml(template: str, style: HouseStyle) -> str:
    fields = [f for f in style.fields if f.shown]
    lines = [
        f"# A paper for the '{style.name}' template. Fill in every line; 'paperkit check' says what is missing.",
        f"template: {template}",
        'meeting: ""                # the committee, e.g. Cabinet',
        'date: ""                   # the meeting date, year-month-day, e.g. 2018-06-21',
        'title: ""',
    ]
    lines += [f"{field.field}: {_example(field)}" for field in fields]
    lines += [
        "author:",
        '  name: ""',
        '  job_title: ""',
        '  telephone: ""',
        '  email: ""',
        "background_papers: []       # a list of titles, or [] for none",
    ]
    return "\n".join(lines) + "\n"


def section_text(title: str, guidance: str, numbered: bool) -> str:
    hint = NUMBERED_HINT if numbered else PLAIN_HINT
    about = f" {guidance}" if guidance else ""
    return f"<!-- {title}:{about}\n     {hint}\n     Delete this note when you write the section. -->\n"


def create_paper(folder: Path, template: str, style: HouseStyle) -> list[Path]:
    """Write the new paper's files; the folder must not exist yet."""
    folder.mkdir(parents=True)
    written = [folder / "paper.yaml"]
    written[0].write_text(paper_yaml(template, style), encoding="utf-8")
    for spec in style.sections:
        path = folder / spec.file
        path.write_text(section_text(spec.title, spec.guidance, spec.numbered), encoding="utf-8")
        written.append(path)
    return written
