"""Writing checks over the numbered model (issue 18), as the house style's `writing` sets them:
paragraph numbers typed by hand, sentences longer than the style's limit, words the style lists
to avoid, acronyms not spelled out, text in capitals, link text that does not say where it
goes, and dates written in figures.

"See paragraph 3.9" typed as text goes stale the next time paragraphs move; a {ref} stays
right. paperkit knows every number the paper has now, so a typed paragraph number is a warning
that names the label to use (or asks for one), and a typed number the paper does not have is
an error. A number followed by "of" ("paragraph 3 of Schedule 12A", "paragraph 2.3 of the
report to Cabinet") names another document's paragraph and is left alone, as is text in a
quotation or set as code.

The place of each is given down to the column, found in the source line: the model keeps a
block's first line, and a typed number may sit further into it or on a later line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, Diagnostics, Loc
from .frontmatter import format_date
from .model import Appendix, Block, Group, Inline, Item, ItemList, Link, Paper, Quote, Section, Styled, Text
from .prose import sentences, words
from .sources import FileReader, SourceFiles
from .style import AvoidWord, HouseStyle
from .walk import inlines_of, iter_blocks, iter_inlines, plain_text

# "paragraph 3.9", "paragraphs 3.9 a) (i)", "para 3.9", "para. 3.9": this paper's own numbering
# has a dot (its section's number first), which a count ("paragraph 3") does not.
TYPED = re.compile(r"\b(?P<word>[Pp]aragraphs?|[Pp]aras?\.?)\s+(?P<number>\d+(?:\.\d+)+(?:\s+[a-z]\))?"
                   r"(?:\s+\([ivxlc]+\))?)(?P<after>\s+of\b)?")


def check_writing(paper: Paper, style: HouseStyle, reader: FileReader, diags: Diagnostics) -> None:
    writing, lines = style.writing, _SourceLines(reader)
    checks: list[Callable[[_SourceLines, Diagnostics], None]] = []
    if writing.typed_references:
        checks.append(lambda at, said: check_typed_references(paper, at, said))
        checks.append(lambda at, said: check_typed_parts(paper, at, said))
    if writing.sentence_words:
        checks.append(lambda at, said: check_sentence_length(paper, writing.sentence_words, at, said))
    if writing.avoid:
        checks.append(lambda at, said: check_words_to_avoid(paper, writing.avoid, at, said))
    if writing.acronyms:
        checks.append(lambda at, said: check_acronyms(paper, writing.glossary | paper.meta.glossary, at, said))
    if writing.capitals:
        checks.append(lambda at, said: check_capitals(paper, at, said))
    if writing.link_text:
        checks.append(lambda at, said: check_link_text(paper, at, said))
    if writing.numeric_dates:
        checks.append(lambda at, said: check_dates(paper, style, at, said))
    said = Diagnostics()
    for check in checks:
        lines.found.clear()  # each check places its own finds from each block's start
        check(lines, said)
    allowed = allowances(paper, reader, diags)
    # A warning the paper silences on its paragraph, with a reason, is not said (check --report lists it).
    diags.items.extend(d for d in said.items if d.severity == "error" or not any(a.covers(d) for a in allowed))


@dataclass(frozen=True)
class Allowance:
    """`<!-- paperkit allow CODE: reason -->` on the line before a paragraph: that check is not
    applied to that paragraph (its lines `first` to `last`), for the reason given."""

    path: str
    first: int
    last: int
    code: str
    reason: str

    def covers(self, diagnostic: Diagnostic) -> bool:
        loc = diagnostic.loc
        return diagnostic.code == self.code and loc.path == self.path and self.first <= loc.line <= self.last


ALLOW = re.compile(r"<!--\s*paperkit\s+allow\s+(?P<code>[\w-]+)\s*:?(?P<reason>.*?)-->", re.S)
SILENCEABLE = ("sentence-long", "word-avoid", "acronym-undefined", "capitals", "link-text", "date-format",
               "typed-reference")


def allowances(paper: Paper, reader: FileReader, diags: Diagnostics | None = None) -> list[Allowance]:
    """Every allowance in the paper's Markdown files; a mistaken one is a warning in `diags`."""
    found, lines = [], _SourceLines(reader)
    for path in dict.fromkeys(part.loc.path for part in _parts(paper)):
        text = "\n".join(lines.of(path))
        for match in ALLOW.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            code, reason = match["code"], " ".join(match["reason"].split())
            if diags is not None and code not in SILENCEABLE:
                diags.warning(Loc(path, line), "allow-unknown", f"'{code}' is not a writing check a paragraph can "
                              f"set aside ({', '.join(SILENCEABLE)})")
            elif diags is not None and not reason:
                diags.warning(Loc(path, line), "allow-reason", f"say why {code} does not apply here, after a "
                              f"colon: <!-- paperkit allow {code}: the reason -->")
            first = text.count("\n", 0, match.end()) + 2  # the line after the comment's end
            found.append(Allowance(path, first, _paragraph_end(lines.of(path), first), code, reason))
    return found


def _paragraph_end(source: list[str], first: int) -> int:
    """The last line of the paragraph starting at line `first` (before the next blank line)."""
    last = first
    while last < len(source) and source[last].strip():
        last += 1
    return last


VAGUE_LINK_TEXT = {"here", "click here", "click", "this link", "link", "this", "this page", "read more", "more",
                   "more information", "click this link", "see here", "go here", "find out more"}
URL_TEXT = re.compile(r"^(https?://|www\.)\S+$", re.I)
NUMERIC_DATE = re.compile(r"(?<![\w./-])(?:(?P<day>\d{1,2})([/.])(?P<month>\d{1,2})\2(?P<year>\d{4}|\d{2})"
                          r"|(?P<iso_year>\d{4})-(?P<iso_month>\d{2})-(?P<iso_day>\d{2}))(?![\w/-]|\.\d)")


def check_words_to_avoid(paper: Paper, avoid: tuple[AvoidWord, ...], lines: _SourceLines, diags: Diagnostics) -> None:
    """Warn about each word or phrase the house style lists to avoid, naming the plainer one,
    unless it is part of a phrase where it is right ("key decision")."""
    by_form = {form.lower(): entry for entry in avoid for form in entry.forms}
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(form) for form in sorted(by_form, key=len, reverse=True))
                         + r")\b", re.I)
    for loc, text in _texts(paper):
        for match in pattern.finditer(text):
            entry = by_form[" ".join(match.group(0).lower().split())]
            if any(text[match.start():match.start() + len(right)].lower() == right.lower() for right in entry.not_in):
                continue
            where = lines.find(loc, *match.group(0).split())
            diags.warning(where, "word-avoid", f"'{match.group(0)}': a plainer way to say it is '{entry.instead}' "
                          "(the house style's words to avoid)")


ACRONYM = re.compile(r"(?<![\w-])[A-Z][A-Z0-9&]*[A-Z](?:s\b)?(?![\w-])")


def check_acronyms(paper: Paper, glossary: dict[str, str], lines: _SourceLines, diags: Diagnostics) -> None:
    """Warn about an acronym used before it is spelled out: in the paper's order, the first use
    of each must be the words followed by the acronym in brackets, "... Hub (MASH)" (or the
    acronym followed by its words in brackets), unless the glossary has it. Once each."""
    known = set(glossary)
    for loc, text in _texts(paper):
        shouted = [match.span() for match in _capital_runs(text)]  # words in capitals: not acronyms
        for match in ACRONYM.finditer(text):
            if any(start <= match.start() < end for start, end in shouted):
                continue
            acronym = match.group(0).removesuffix("s") if match.group(0).endswith("s") else match.group(0)
            if acronym in known or len(acronym) < 2:
                continue
            known.add(acronym)  # warned once; and "(MASH)" defines it from here on
            in_brackets = text[:match.start()].endswith("(") and text[match.end():].startswith(")")
            if in_brackets or text[match.end():].startswith(" ("):
                continue
            diags.warning(lines.find(loc, acronym), "acronym-undefined", f"'{acronym}' is used before it is spelled "
                          f"out: the first time, write the words in full with '({acronym})' after them, or add it "
                          "to the house style's glossary")


CAPITALS = re.compile(r"(?<![\w-])[A-Z][A-Z'’]+(?:[ ,]+[A-Z][A-Z'’]+)+(?![\w-])")


def check_capitals(paper: Paper, lines: _SourceLines, diags: Diagnostics) -> None:
    """Warn about words run together in capitals ("PLEASE NOTE THE DEADLINE"), which are harder
    to read, beyond an acronym standing on its own; bold is the way to stress something."""
    for loc, text in _texts(paper):
        for match in _capital_runs(text):
            capitals = match.group(0)
            diags.warning(lines.find(loc, *capitals.replace(",", " ").split()[:3]), "capitals",
                          f"'{capitals}' is in capitals, which is harder to read: write it as a sentence, in bold "
                          "(**...**) if it must stand out")


def _capital_runs(text: str) -> Iterator[re.Match[str]]:
    """Runs of words in capitals, one of four letters or more: acronyms side by side ("UK EU")
    are not a run."""
    for match in CAPITALS.finditer(text):
        if max(len(word) for word in re.findall(r"[A-Z'’]+", match.group(0))) >= 4:
            yield match


def check_link_text(paper: Paper, lines: _SourceLines, diags: Diagnostics) -> None:
    """Warn about a link whose words do not say where it goes ("click here", a bare address):
    screen reader users hear links on their own, and everyone scans them (WCAG 2.4.4)."""
    for loc, inlines in _inlines(paper):
        for inline in iter_inlines(inlines):
            if not isinstance(inline, Link):
                continue
            text = " ".join(plain_text(inline.children).split())
            vague = text.lower().strip(".:") in VAGUE_LINK_TEXT
            if not (vague or URL_TEXT.match(text)):
                continue
            where = lines.find(loc, *(words(text)[:3] or [text]))
            why = "does not say where it goes" if vague else "is a bare address"
            diags.warning(where, "link-text", f"the link text '{text}' {why}: name the page or document it leads to "
                          "(for example, 'the school admissions policy')")


def check_dates(paper: Paper, style: HouseStyle, lines: _SourceLines, diags: Diagnostics) -> None:
    """Warn about dates written in figures (21/06/18, 2018-06-21), which readers take in
    different orders: the house style writes them out, as its date_format says."""
    for loc, text in _texts(paper):
        for match in NUMERIC_DATE.finditer(text):
            date = _date_of(match)
            if date is None:
                continue
            where = lines.find(loc, match.group(0))
            diags.warning(where, "date-format", f"'{match.group(0)}': write dates as the house style does, "
                          f"'{format_date(date, style)}'")


def _date_of(match: re.Match[str]) -> dt.date | None:
    """The date a numeric match names (day first, as in the UK), or None if it is not one."""
    day, month, year = ((match["day"], match["month"], match["year"]) if match["day"] else
                        (match["iso_day"], match["iso_month"], match["iso_year"]))
    full_year = int(year) + 2000 if len(year) == 2 else int(year)
    try:
        return dt.date(full_year, int(month), int(day))
    except ValueError:
        return None


def check_sentence_length(paper: Paper, limit: int, lines: _SourceLines, diags: Diagnostics) -> None:
    """Warn about each sentence of more than `limit` words, at its first word, saying how many
    it has (GOV.UK: 25 at most; longer ones lose readers)."""
    for loc, text in _texts(paper):
        for sentence in sentences(text):
            found = words(sentence)
            if len(found) <= limit:
                continue
            where = lines.find(loc, *found[:3])
            diags.warning(where, "sentence-long", f"this sentence has {len(found)} words; the house style asks for "
                          f"at most {limit}: split it, or make a list ('{' '.join(found[:6])} ...')")


def check_typed_references(paper: Paper, lines: _SourceLines, diags: Diagnostics) -> None:
    """Warn about each paragraph number typed as text (naming the label that numbers it), and
    report one the paper does not have as an error."""
    numbered = {item.full_number: item for item in _items(paper) if item.full_number}
    last = next(reversed(numbered), None) if numbered else None
    for loc, text in _texts(paper):
        for match in TYPED.finditer(text):
            if match["after"]:
                continue  # another document's paragraph
            number = " ".join(match["number"].split())
            typed = f"{match['word']} {number}"
            where = lines.find(loc, match.group(0).split()[0], number.split()[0])
            target = numbered.get(number)
            if target is None:
                runs = f"; its numbered paragraphs run to {last}" if last else ""
                diags.error(where, "typed-reference-wrong",
                            f"'{typed}' is typed, and this paper has no paragraph {number}{runs}: refer to the "
                            "paragraph meant with {ref}`label`, so the number is paperkit's")
            elif target.label:
                diags.warning(where, "typed-reference",
                              f"'{typed}' is typed: write {{ref}}`{target.label}` instead, which stays right when "
                              "paragraphs move")
            else:
                diags.warning(where, "typed-reference",
                              f"'{typed}' is typed: give paragraph {number} a label ({{#name}} after its '- ', "
                              f"{target.loc}) and write {{ref}}`name` instead, which stays right when paragraphs "
                              "move")


# "section 3", "Appendix A": this paper's sections and appendices as its house style numbers them.
TYPED_PART = re.compile(r"\b(?P<word>[Ss]ection|[Aa]ppendix)\s+(?P<number>\d+|[A-Z])\b(?P<after>\s+(?:of|to)\b)?")
LAW = re.compile(r"^,?\s+(?:[A-Z][\w'’()]*\s+){1,8}Act\b")  # "section 17 Children Act 1989": a law's section


def check_typed_parts(paper: Paper, lines: _SourceLines, diags: Diagnostics) -> None:
    """As check_typed_references, for a section or appendix named by its number ("section 3",
    "Appendix A"): a {ref} to the section's id or the appendix's label stays right."""
    parts: dict[tuple[str, str], tuple[str, str | None]] = {}  # (kind, number) -> (kind, label)
    for section in paper.sections:
        if section.number:
            parts[("section", section.number)] = ("section", section.id)
    for appendix in paper.appendices:
        if appendix.number:
            parts[("appendix", appendix.number.split()[-1])] = ("appendix", appendix.label)
    for loc, text in _texts(paper):
        for match in TYPED_PART.finditer(text):
            if match["after"] or LAW.match(text[match.end():]):
                continue  # another document's section or appendix, or a law's
            kind, number = match["word"].lower(), match["number"]
            typed = f"{match['word']} {number}"
            where = lines.find(loc, match["word"], number)
            if (kind, number) not in parts:
                diags.error(where, "typed-reference-wrong", f"'{typed}' is typed, and this paper has no {kind} "
                            f"{number}: refer to the {kind} meant with {{ref}}`label`, so the number is paperkit's")
                continue
            label = parts[(kind, number)][1]
            if label:
                diags.warning(where, "typed-reference", f"'{typed}' is typed: write {{ref}}`{label}` instead, which "
                              f"stays right when {kind}s move")
            else:
                diags.warning(where, "typed-reference", f"'{typed}' is typed: give {kind} {number} a label (label: "
                              "in paper.yaml) and write {ref}`name` instead, which stays right when appendices move")


def _parts(paper: Paper) -> list[Section | Appendix]:
    return [*paper.sections, *paper.appendices]


def _items(paper: Paper) -> Iterator[Item]:
    for part in _parts(paper):
        for node in iter_blocks(part.blocks):
            if isinstance(node, Item):
                yield node


def _inlines(paper: Paper) -> Iterator[tuple[Loc, tuple[Inline, ...]]]:
    for part in _parts(paper):
        yield from _block_inlines(part.blocks)


def _texts(paper: Paper) -> Iterator[tuple[Loc, str]]:
    """Each block's own running text, with its place: not inside quotations, nor code."""
    for loc, inlines in _inlines(paper):
        yield loc, _words(inlines)


def _block_inlines(blocks: tuple[Block, ...]) -> Iterator[tuple[Loc, tuple[Inline, ...]]]:
    """Each block's own inline nodes, with its place: not inside quotations."""
    for block in blocks:
        if isinstance(block, Quote):
            continue  # a quotation says what someone else wrote, numbers and all
        own = inlines_of(block)
        if own:
            yield block.loc, own
        if isinstance(block, Group):
            yield from _block_inlines(block.blocks)
        elif isinstance(block, ItemList):
            for item in block.items:
                yield from _block_inlines(item.blocks)


def _words(inlines: tuple[Inline, ...]) -> str:
    """The text of inline nodes as typed, with code spans and references left out (a blank
    keeps words apart)."""
    out = []
    for inline in inlines:
        if isinstance(inline, Text):
            out.append(inline.text)
        elif isinstance(inline, Styled):
            out.append(" " if inline.style == "code" else _words(inline.children))
        else:
            out.append(" ")
    return "".join(out)


class _SourceLines:
    """The lines of the paper's files, read (through the paper's own reader) only when a check
    has something to place."""

    def __init__(self, reader: FileReader) -> None:
        self.reader = reader
        self.files: dict[str, list[str]] = {}
        self.found: dict[Loc, tuple[int, int]] = {}  # per block: where its last find ended (line index, column)

    def of(self, path: str) -> list[str]:
        """The lines of the file at `path` (as diagnostics name it): as the reading read it (a
        preview reads only changed files again), else read now, once."""
        if path not in self.files:
            known = self.reader.texts.get(Path(path).resolve()) if isinstance(self.reader, SourceFiles) else None
            try:
                text = known if known is not None else self.reader.read_text(Path(path))
            except OSError:
                text = ""
            self.files[path] = text.splitlines()
        return self.files[path]

    def find(self, loc: Loc, *typed: str) -> Loc:
        """Where the words `typed` are, one after another, from `loc`'s line on: its line and
        column (the block's own place if they cannot be found, as when markup splits them)."""
        pattern = re.compile(r"\W+".join(re.escape(word) for word in typed))  # markup between words too
        lines = self.of(loc.path)
        first, column = self.found.get(loc, (loc.line - 1, 0))  # the same words twice: the next one
        for index in range(first, min(len(lines), loc.line + 200)):
            found = pattern.search(lines[index], column if index == first else 0)
            if found:
                self.found[loc] = (index, found.end())
                return Loc(loc.path, index + 1, found.start() + 1)
        return loc
