"""Make tests/data/foreign/walsall-report.docx: a Cabinet report as an officer types it in Word,
not built by paperkit, for `paperkit import --template walsall/cabinet` to read.

Made like a real one: headings and paragraphs numbered by one live Word multi-level list
(numbering properties, "1." for headings, "3.1" for paragraphs, "a)" and "(i)" below; no number
is typed), a Word cross-reference (a REF field to a hidden _Ref bookmark, as Insert ›
Cross-reference makes), a table, a picture with its description, and a comment.

    .venv/bin/python scripts/make_foreign_fixture.py tests/data/foreign/walsall-report.docx
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import docx
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm

NUMBERING = f"""<w:abstractNum {nsdecls("w")} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>
    <w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/>
    <w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/>
    <w:pPr><w:ind w:left="1134" w:hanging="567"/></w:pPr></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%4)"/>
    <w:pPr><w:ind w:left="1701" w:hanging="567"/></w:pPr></w:lvl>
</w:abstractNum>"""
NUM_ID = "90"


def chart() -> bytes:
    """A small bar chart, drawn with Pillow (a paperkit dependency)."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (240, 120), "white")
    draw = ImageDraw.Draw(picture)
    for index, height in enumerate((100, 85, 72, 66, 58)):
        draw.rectangle((20 + index * 44, 115 - height, 50 + index * 44, 115), fill=(31, 61, 122))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def numbered(paragraph: object, level: int) -> None:
    """Give the paragraph a place in the document's one multi-level list, as Word does."""
    props = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    num = OxmlElement("w:numPr")
    ilvl, num_id = OxmlElement("w:ilvl"), OxmlElement("w:numId")
    ilvl.set(qn("w:val"), str(level))
    num_id.set(qn("w:val"), NUM_ID)
    num.append(ilvl)
    num.append(num_id)
    props.append(num)


def bookmark(paragraph: object, name: str, ident: str) -> None:
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), ident)
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), ident)
    paragraph._p.insert(1, start)  # type: ignore[attr-defined]
    paragraph._p.append(end)  # type: ignore[attr-defined]


def cross_reference(paragraph: object, target: str, shown: str) -> None:
    """A REF field with the number it showed when typed: Insert › Cross-reference › Paragraph number."""
    for kind, text in (("begin", None), (None, f" REF {target} \\r \\h "), ("separate", None), (None, shown),
                       ("end", None)):
        run = paragraph.add_run()  # type: ignore[attr-defined]
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text is not None and text.startswith(" REF"):
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text


def main() -> int:
    target = Path(sys.argv[1])
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(NUMBERING))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{NUM_ID}"><w:abstractNumId w:val="90"/></w:num>'))
    document.add_paragraph("Cabinet – 19 September 2018", style="Subtitle")
    document.add_paragraph("Library opening hours", style="Title")
    for label, value in (("Portfolio", "Councillor Perry"), ("Related portfolios", "N/A"),
                         ("Service", "Libraries"), ("Wards", "All"), ("Key decision", "No"),
                         ("Forward plan", "Yes")):
        fact = document.add_paragraph()
        fact.add_run(f"{label}:").bold = True
        fact.add_run(f" {value}")

    def heading(text: str) -> None:
        numbered(document.add_paragraph(text, style="Heading 1"), 0)

    def para(text: str, level: int = 1) -> object:
        paragraph = document.add_paragraph(text, style="List Paragraph")
        numbered(paragraph, level)
        return paragraph

    heading("Summary")
    document.add_paragraph("This report proposes new opening hours at four libraries from April 2019.")
    heading("Recommendations")
    para("That Cabinet approves the opening hours set out in the table at paragraph ")
    heading("Report detail")
    hours = para("The proposed hours are:")
    bookmark(hours, "_Ref512345678", "1")
    table = document.add_table(rows=3, cols=2)
    for row, cells in zip(table.rows, (("Library", "Hours"), ("Central", "9am to 7pm"), ("Bloxwich", "9am to 5pm")),
                          strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    visits = para("Visits have fallen by a third since 2014, as the chart shows.")
    visits.add_run().add_picture(io.BytesIO(chart()), width=Cm(6))
    for doc_pr in visits._p.iter(qn("wp:docPr")):
        doc_pr.set("descr", "Bar chart of library visits, falling each year since 2014")
    para("The changes would:")
    para("keep every library open on Saturdays;", 2)
    para("close Bloxwich on Wednesdays, when", 2)
    para("visits are lowest, and", 3)
    para("staff are needed at Central.", 3)
    heading("Council Corporate Plan priorities")
    document.add_paragraph("Libraries support the priority for people to live healthy, independent lives.")
    heading("Risk management")
    document.add_paragraph("Demand will be monitored monthly.")
    for title in ("Financial implications", "Legal implications", "Property implications",
                  "Health and wellbeing implications", "Staffing implications", "Reducing inequalities"):
        heading(title)
        para("None.")
    heading("Consultation")
    para("Library users were consulted for six weeks; 812 replied.")
    document.add_paragraph("Background papers", style="Heading 1")
    document.add_paragraph("Library visits survey 2018")
    document.add_paragraph("Author", style="Heading 1")
    for line in ("Kim Lee", "Head of Libraries", "☎ 01922 650500", "✉ kim.lee@example.gov.uk"):
        document.add_paragraph(line)
    # The cross-reference, then a comment on the consultation.
    recommendation = next(p for p in document.paragraphs if p.text.startswith("That Cabinet approves"))
    cross_reference(recommendation, "_Ref512345678", "3.1")
    recommendation.add_run(".")
    consulted = next(p for p in document.paragraphs if p.text.startswith("Library users"))
    document.add_comment(consulted.runs, text="Add the dates of the consultation.", author="Democratic Services",
                         initials="DS")
    target.parent.mkdir(parents=True, exist_ok=True)
    document.core_properties.author = "Kim Lee"
    document.save(str(target))
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
