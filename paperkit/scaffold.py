"""`paperkit new`: a paper's folder laid out for a house style, with guidance to write over.

paper.yaml lists every field the style prints, empty; each section file holds only a
<!-- guidance --> comment (never printed). `paperkit check` then reports exactly what is
still to write: the empty fields and the sections the house rules say must have text.
"""

from __future__ import annotations

from pathlib import Path

from .style import HouseStyle

NUMBERED_HINT = ("Start each numbered paragraph with '- '; paperkit numbers them. Indent by two "
                 "spaces the paragraphs that belong to it.")
PLAIN_HINT = "Write plain paragraphs, separated by a blank line."
EMPTY = '""'


def paper_yaml(template: str, style: HouseStyle) -> str:
    fields = [f.field for f in style.fields]
    lines = [
        f"# A paper for the '{style.name}' template. Fill in every line; 'paperkit check' says what is missing.",
        f"template: {template}",
        'meeting: ""                # the committee, e.g. Cabinet',
        'date: ""                   # the meeting date, year-month-day, e.g. 2018-06-21',
        'title: ""',
    ]
    hints = {"key_decision": "no                # yes or no", "forward_plan": "no                # yes or no",
             "related_portfolios": "[]", "wards": "All"}
    lines += [f"{field}: {hints.get(field, EMPTY)}" for field in fields]
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
