"""The DOCX view: the house style's Word template, filled.

docx_template.py renders the template's own logic through docxtpl with stand-ins for content;
docx_body.py writes the sections where the template says {{ body }}, with its named styles;
docx_package.py sets the properties and makes the bytes reproducible; wordml.py builds the
raw XML (runs, fields, bookmarks, hyperlinks) for all of them.
"""

from __future__ import annotations

import io

from docxtpl import DocxTemplate

from ..resolved import Resolved
from .docx_body import BodyWriter
from .docx_package import add_source_record, reproducible_zip, set_properties
from .docx_template import APPENDICES_TOKEN, BODY_TOKEN, InsertBefore, Slots, context, find_placeholder


def render_docx(resolved: Resolved, purpose: str = "signoff") -> bytes:
    """The Word document; for sign-off it carries the draft marking and the clearance table."""
    template = DocxTemplate(str(resolved.style.docx_template))
    slot = Slots()
    values = context(resolved, slot, signoff=purpose == "signoff")
    template.render(values, autoescape=True)
    document = template.docx
    # Order matters: find the body's place while all content is still tokens, and fill the
    # slots before the body is written, so no content can be taken for a token.
    placeholder = find_placeholder(document, BODY_TOKEN)
    appendix_place = find_placeholder(document, APPENDICES_TOKEN)
    # The list of appendices, if the template has one: each line is rewritten below, so an
    # appendix without pages of its own has its bookmark there.
    listed = [(find_placeholder(document, token, required=False), appendix)
              for token, appendix in zip(values["appendix_list"], resolved.paper.appendices, strict=True)]
    slot.fill(document.element)
    for rel in document.part.rels.values():
        # docxtpl swaps in new header and footer parts; reach them through the relationships.
        if rel.reltype.endswith(("/header", "/footer")):
            slot.fill(rel.target_part._element)
    page = document.sections[0]
    text_width = int(page.page_width - page.left_margin - page.right_margin)
    writer = BodyWriter(InsertBefore(document, placeholder), resolved.style.word_styles, resolved.style.code_font,
                        text_width)
    heading = resolved.paper.heading
    for statement in heading.exemptions if heading else ():
        writer.note(statement)
    for section in resolved.paper.sections:
        writer.section(section)
    placeholder._p.getparent().remove(placeholder._p)
    for line, appendix in listed:
        if line is not None:
            writer.appendix_list_line(line, appendix)
    writer.doc = InsertBefore(document, appendix_place)
    for appendix in resolved.paper.appendices:
        if appendix.has_page:  # the others are lines of the list only
            writer.appendix(appendix)
    appendix_place._p.getparent().remove(appendix_place._p)
    set_properties(template, resolved)
    add_source_record(document, writer.record, resolved)
    out = io.BytesIO()
    template.save(out)
    return reproducible_zip(out.getvalue(), resolved.timestamp)


