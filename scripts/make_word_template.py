"""Make the Word templates: Walsall Cabinet (templates/walsall/cabinet/cabinet.docx) and
Example Borough Council (templates/example-borough/committee/committee.docx).

Run once; after that the .docx is the source, and a council restyles it in Word (change
a named style, save) without touching this script. Kept so the starting point can be
remade and reviewed: python scripts/make_word_template.py

The template holds:
- named paragraph styles paperkit uses (see STYLES below), all based on Normal, so a
  change of font in Normal changes the whole paper;
- the heading block as docxtpl (Jinja) tags, filled from paper.yaml;
- a paragraph holding `{{ body }}`, where paperkit puts the sections, and one holding
  `{{ appendices }}`, where it puts the appendices (each starting a new page);
- background papers, the list of appendices and the author block as tags;
- A4 pages with "Page X of Y" (PAGE and NUMPAGES fields) in the footer.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
BLACK = RGBColor(0, 0, 0)


@dataclass(frozen=True)
class House:
    """What differs between the Word templates this script makes."""

    out: Path
    title: str
    font: str = "Arial"  # LibreOffice shows Arial with the metric-compatible Liberation Sans
    heading_colour: RGBColor = BLACK
    fields_as_table: bool = False  # the heading fields as labelled lines, or a two-column table


HOUSES = {
    "walsall": House(TEMPLATES / "walsall" / "cabinet" / "cabinet.docx", "Walsall Council Cabinet report template"),
    "example": House(TEMPLATES / "example-borough" / "committee" / "committee.docx",
                     "Example Borough Council committee report template", font="Verdana",
                     heading_colour=RGBColor(0x00, 0x5A, 0x70), fields_as_table=True),
}

# name: (left indent cm, first-line indent cm, space after pt, bold, size pt)
STYLES = {
    "Report Agenda Item": (0, 0, 12, True, 12),
    "Report Meeting": (0, 0, 6, True, 14),
    "Report Title": (0, 0, 12, True, 16),
    "Report Field": (0, 0, 3, False, 12),
    "Body Text": (1.27, 0, 8, False, 12),
    "Numbered Para 1": (1.27, -1.27, 8, False, 12),
    "Numbered Para 1 Continued": (1.27, 0, 8, False, 12),
    "Numbered Para 2": (2.27, -1.0, 8, False, 12),
    "Numbered Para 2 Continued": (2.27, 0, 8, False, 12),
    "Numbered Para 3": (3.27, -1.0, 8, False, 12),
    "Numbered Para 3 Continued": (3.27, 0, 8, False, 12),
    "Closing Line": (1.27, 0, 0, False, 12),
    "Draft Marking": (0, 0, 4, True, 11),
    "Running Header": (0, 0, 0, False, 9),
}


def define_styles(doc: Document, house: House) -> None:  # type: ignore[valid-type]
    normal = doc.styles["Normal"]
    normal.font.name = house.font
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), house.font)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.08

    for name in ("Heading 1", "Heading 2"):
        heading = doc.styles[name]
        heading.font.name = house.font
        heading.font.size = Pt(12)
        heading.font.bold = True
        heading.font.italic = False
        heading.font.color.rgb = house.heading_colour
        # The default heading styles take their font from the theme, which outranks
        # font.name; drop the theme attributes so the named font is what Word shows.
        fonts = heading.element.rPr.rFonts
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        heading.paragraph_format.space_before = Pt(14 if name == "Heading 1" else 10)
        heading.paragraph_format.space_after = Pt(6)
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.left_indent = Cm(0 if name == "Heading 1" else 1.27)
        heading.paragraph_format.tab_stops.add_tab_stop(Cm(1.27))

    for name, (left, first, after, bold, size) in STYLES.items():
        style = doc.styles[name] if name in doc.styles else doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        fmt = style.paragraph_format
        fmt.left_indent = Cm(left)
        fmt.first_line_indent = Cm(first)
        fmt.space_after = Pt(after)
        style.font.bold = bold
        style.font.size = Pt(size)
        if first < 0:  # hanging number: a tab stop where the text starts
            fmt.tab_stops.add_tab_stop(Cm(left), WD_TAB_ALIGNMENT.LEFT)
        if name.startswith("Numbered Para") and not name.endswith("Continued"):
            fmt.keep_together = False
    doc.styles["Report Agenda Item"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.styles["Draft Marking"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.styles["Draft Marking"].font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    doc.styles["Running Header"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.styles["Running Header"].font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    doc.styles["Report Title"].paragraph_format.keep_with_next = True

    for name, left in (("List Bullet", 1.9), ("List Bullet 2", 2.5)):
        fmt = doc.styles[name].paragraph_format
        fmt.left_indent = Cm(left)
        fmt.first_line_indent = Cm(-0.63)
    doc.styles["Quote"].paragraph_format.left_indent = Cm(2.27)

    caption = doc.styles["Caption"]
    caption.base_style = doc.styles["Normal"]
    caption.font.size = Pt(11)
    caption.font.bold = True
    caption.font.italic = False
    caption.font.color.rgb = BLACK
    caption.paragraph_format.left_indent = Cm(1.27)
    caption.paragraph_format.space_after = Pt(3)
    caption.paragraph_format.keep_with_next = True

    table = doc.styles.add_style("Report Table", WD_STYLE_TYPE.TABLE)
    table.base_style = doc.styles["Table Grid"]
    table.font.size = Pt(11)
    indent = OxmlElement("w:tblInd")  # line the table up with the text, not the margin
    indent.set(qn("w:w"), str(int(Cm(1.27).twips)))
    indent.set(qn("w:type"), "dxa")
    properties = OxmlElement("w:tblPr")
    properties.append(indent)
    table.element.append(properties)

    link = doc.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x1F, 0x3D, 0x7A)
    link.font.underline = True


def add_field(paragraph, instruction: str, placeholder: str) -> None:  # type: ignore[no-untyped-def]
    """A simple field (PAGE, NUMPAGES) that Word and LibreOffice update as they lay out pages."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def page_footer(part) -> None:  # type: ignore[no-untyped-def]
    """"Page X of Y", centred, as PAGE and NUMPAGES fields."""
    footer = part.paragraphs[0]
    footer.style = "Footer"
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    add_field(footer, "PAGE", "1")
    footer.add_run(" of ")
    add_field(footer, "NUMPAGES", "1")


def page_header(part, running: bool) -> None:  # type: ignore[no-untyped-def]
    """The draft marking (sign-off copies only) and, from page 2, the meeting and date."""
    first = part.paragraphs[0]
    first.add_run("{%p if draft %}")
    part.add_paragraph(style="Draft Marking").add_run("{{ draft }}")
    part.add_paragraph().add_run("{%p endif %}")
    if running:
        part.add_paragraph(style="Running Header").add_run("{{ heading.meeting_line }}")
    else:
        part.add_paragraph()  # a header part needs a paragraph even when the marking is left out


def page_setup(doc: Document) -> None:  # type: ignore[valid-type]
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.4)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
    doc.styles["Footer"].font.size = Pt(9)
    doc.styles["Footer"].base_style = doc.styles["Normal"]
    section.different_first_page_header_footer = True
    page_footer(section.first_page_footer)
    page_footer(section.footer)
    page_header(section.first_page_header, running=False)
    page_header(section.header, running=True)


def tag(doc: Document, text: str, style: str = "Normal") -> None:  # type: ignore[valid-type]
    """A paragraph holding one docxtpl tag in a single run (docxtpl needs tags unsplit)."""
    doc.add_paragraph(style=style).add_run(text)


def heading_fields(doc: Document, house: House) -> None:  # type: ignore[valid-type]
    """The labelled facts under the title: lines ("Portfolio: ...") or a two-column table."""
    if house.fields_as_table:
        table = doc.add_table(rows=3, cols=2, style="Report Table")
        table.rows[0].cells[0].paragraphs[0].add_run("{%tr for f in heading.fields %}")
        table.rows[1].cells[0].paragraphs[0].add_run("{{ f.label }}").bold = True
        table.rows[1].cells[1].paragraphs[0].add_run("{{ f.value }}")
        table.rows[2].cells[0].paragraphs[0].add_run("{%tr endfor %}")
        doc.add_paragraph()
        return
    tag(doc, "{%p for f in heading.fields %}")
    field = doc.add_paragraph(style="Report Field")
    field.add_run("{{ f.label }}:").bold = True
    field.add_run(" {{ f.value }}")
    tag(doc, "{%p endfor %}")


def body(doc: Document, house: House) -> None:  # type: ignore[valid-type]
    tag(doc, "{%p if heading.agenda_item %}")
    tag(doc, "{{ heading.agenda_item }}", "Report Agenda Item")
    tag(doc, "{%p endif %}")
    tag(doc, "{{ heading.meeting_line }}", "Report Meeting")
    tag(doc, "{{ heading.title }}", "Report Title")
    heading_fields(doc, house)
    tag(doc, "{%p if heading.urgency %}")
    tag(doc, "{{ heading.urgency }}", "Body Text")
    tag(doc, "{%p endif %}")
    tag(doc, "{{ body }}")
    tag(doc, "{{ closing.background_papers_title }}", "Heading 1")
    tag(doc, "{%p for p in background_papers %}")
    tag(doc, "{{ p }}", "Closing Line")
    tag(doc, "{%p else %}")
    tag(doc, "{{ closing.background_papers_none }}", "Closing Line")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if appendix_list %}")
    tag(doc, "{{ appendices_title }}", "Heading 1")
    tag(doc, "{%p for a in appendix_list %}")
    tag(doc, "{{ a }}", "Closing Line")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if author %}")
    tag(doc, "{{ closing.author_title }}", "Heading 1")
    tag(doc, "{{ author.name }}", "Closing Line")
    tag(doc, "{{ author.job_title }}", "Closing Line")
    tag(doc, "{{ closing.telephone_prefix }} {{ author.telephone }}", "Closing Line")
    tag(doc, "{{ closing.email_prefix }} {{ author.email }}", "Closing Line")
    tag(doc, "{%p endif %}")
    tag(doc, "{{ appendices }}")
    clearance_table(doc)


def clearance_table(doc: Document) -> None:  # type: ignore[valid-type]
    """Sign-off copies only: who has cleared the paper. docxtpl repeats the middle row."""
    tag(doc, "{%p if clearance.shown %}")
    tag(doc, "{{ clearance.title }}", "Heading 1")
    tag(doc, "{%p if not clearance.rows %}")
    tag(doc, "{{ clearance.none_recorded }}", "Body Text")
    tag(doc, "{%p else %}")
    table = doc.add_table(rows=4, cols=4, style="Report Table")
    for cell, text in zip(table.rows[0].cells, ("Role", "Name", "Date", "Status"), strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for c in clearance.rows %}")
    for cell, key in zip(table.rows[2].cells, ("role", "name", "date", "status"), strict=True):
        cell.paragraphs[0].add_run("{{ c." + key + " }}")
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")


def make(house: House) -> None:
    doc = Document()
    define_styles(doc, house)
    page_setup(doc)
    body(doc, house)
    props = doc.core_properties
    props.author = props.last_modified_by = ""
    props.title = house.title
    props.comments = ""
    props.revision = 1
    house.out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(house.out))
    print(f"wrote {house.out.relative_to(TEMPLATES.parent)}")


def main() -> int:
    """Usage: make_word_template.py [HOUSE ...] (walsall, example; default: all)."""
    for name in sys.argv[1:] or list(HOUSES):
        make(HOUSES[name])
    return 0


if __name__ == "__main__":
    sys.exit(main())
