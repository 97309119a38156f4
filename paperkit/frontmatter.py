"""Pass 3: the heading block's words, made from paper.yaml by the house style's patterns."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from .model import Appendix, FieldValue, HeaderField, HeadingBlock, Meta, Paper
from .style import FieldSpec, HouseStyle


def format_date(date: dt.date, style: HouseStyle) -> str:
    """'21 June 2018' from the style's date_format ("{day} {month} {year}") and month names,
    whatever the machine's locale."""
    return style.date_format.format(day=date.day, month=style.months[date.month - 1], year=date.year)


def date_pattern(style: HouseStyle) -> str:
    """A regular expression for a date as the style writes it, with groups day, month, year:
    the inverse of format_date, for reading a Word document's dates back."""
    return re.escape(style.date_format).replace(r"\{day\}", r"(?P<day>\d{1,2})").replace(
        r"\{month\}", "(?P<month>" + "|".join(map(re.escape, style.months)) + ")").replace(
        r"\{year\}", r"(?P<year>\d{4})")


def date_from(match: re.Match[str], style: HouseStyle) -> dt.date | None:
    """The date a match of date_pattern names; None for one that is no real date (30 February)."""
    try:
        return dt.date(int(match.group("year")), style.months.index(match.group("month")) + 1,
                       int(match.group("day")))
    except ValueError:
        return None


def parse_date(text: str, style: HouseStyle) -> dt.date | None:
    match = re.fullmatch(date_pattern(style), text)
    return date_from(match, style) if match else None


def field_text(value: FieldValue, spec: FieldSpec, style: HouseStyle) -> str:
    """A heading fact as the heading block prints it, by its kind, in the style's words."""
    words = style.words
    if isinstance(value, bool):
        return words["yes" if value else "no"]
    if isinstance(value, dt.date):
        return format_date(value, style)
    if isinstance(value, list):
        value = (spec.separator or words["list_separator"]).join(v for v in value if v)
    elif isinstance(value, tuple):
        value = ", ".join(value)
    return value or words["empty"]


def meeting_line(style: HouseStyle, meeting: str, date: dt.date) -> str:
    """"Cabinet – 21 June 2018": the line naming the meeting, in the house style's words."""
    return style.meeting_line.format(meeting=meeting, date=format_date(date, style))


def exempt_notice(style: HouseStyle, paragraph: int) -> str:
    """Why something is not for publication: the Schedule 12A paragraph, and what it covers in
    the law's words ({description}), in the style's words."""
    return style.exempt_notice.format(paragraph=paragraph, description=style.schedule_12a[paragraph - 1])


def public_interest_statement(style: HouseStyle, public_interest: str) -> str:
    """The public interest test, in the style's words; "" when none is given."""
    return style.words["exemption_public_interest"].format(public_interest=public_interest) if public_interest else ""


def heading_block(meta: Meta, style: HouseStyle) -> HeadingBlock:
    date_text = format_date(meta.date, style)
    agenda = style.agenda_item_line.format(agenda_item=meta.agenda_item) if meta.agenda_item else None
    return HeadingBlock(
        meeting_line=meeting_line(style, meta.meeting, meta.date),
        title=meta.title,
        fields=tuple(HeaderField(f.label, field_text(meta.fields.get(f.field), f, style))
                     for f in style.fields if f.shown),
        agenda_item=agenda,
        date_text=date_text,
        urgency=_urgency(meta, style),
    )


def _urgency(meta: Meta, style: HouseStyle) -> str | None:
    """The style's urgency paragraph, when the fact it names (heading.urgency_field) is given."""
    reason = meta.fields.get(style.urgency_field) if style.urgency_field else None
    pattern = style.words["urgency_paragraph"]
    return pattern.format(reason=reason) if isinstance(reason, str) and reason else None


def exemption_statement(style: HouseStyle, appendix: Appendix) -> str:
    """Why an appendix is not published: its Schedule 12A paragraph, in the law's words, and
    the public interest test from paper.yaml, in the house style's wording."""
    assert appendix.exempt is not None
    paragraph = appendix.exempt.paragraph
    statement = style.words["exemption_statement"].format(
        appendix=appendix.number or "", title=appendix.title, paragraph=paragraph,
        description=style.schedule_12a[paragraph - 1])
    interest = public_interest_statement(style, appendix.exempt.public_interest)
    return f"{statement} {interest}" if interest else statement


def around(pattern: str, field: str, **values: object) -> tuple[str, str]:
    """A pattern's words before and after one of its fields, the others filled in: the field is
    printed between them as a link ("(", ")" around "{file}")."""
    marker = "\x00"
    before, _marker, after = pattern.format(**{field: marker}, **values).partition(marker)
    return before, after


def appendix_words(appendix: Appendix, style: HouseStyle) -> Appendix:
    """Its line in the list of appendices and, for an attached PDF, the words under its heading."""
    words = style.words
    before, after = around(words["appendix_line"], "appendix", title=appendix.title)
    if appendix.note:
        after += " " + words["appendix_note"].format(note=appendix.note)
    file_words = around(words["appendix_file"], "file") if appendix.source in ("pdf", "file") else ("", "")
    pages = words["pages_one"] if appendix.pages == 1 else words["pages_many"].format(count=appendix.pages)
    attached = around(words["appendix_attached"], "file", appendix=appendix.number or "", pages=pages) \
        if appendix.source == "pdf" else ("", "")
    notice = exempt_notice(style, appendix.exempt.paragraph) if appendix.exempt else ""
    return replace(appendix, list_words=(before, after), file_words=file_words, attached_words=attached,
                   notice=notice)


def add_heading(paper: Paper, style: HouseStyle) -> Paper:
    """The heading block's words (with a statement for each exempt appendix), the notice each
    exempt appendix carries in its place, and each appendix's words in the closing list."""
    appendices = tuple(appendix_words(a, style) for a in paper.appendices)
    exemptions = tuple(exemption_statement(style, a) for a in appendices if a.exempt)
    return replace(paper, heading=replace(heading_block(paper.meta, style), exemptions=exemptions),
                   appendices=appendices)
