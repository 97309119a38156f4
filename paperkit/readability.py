"""How readable each section is: words, sentences, their mean and longest, and reading ease.

For `paperkit check PAPER --report` (issue 18); sentences, words and syllables as prose.py
counts them. The score is Flesch reading ease: 206.835 - 1.015 x words per sentence
- 84.6 x syllables per word; 60 to 70 reads as plain English, below 30 as very difficult.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .diagnostics import Loc
from .model import Appendix, Block, Group, ItemList, Paper, Quote, Section
from .prose import sentences, words
from .prose import syllables as count_syllables
from .walk import inlines_of, plain_text

MIN_SCORED_WORDS = 30


@dataclass(frozen=True)
class Readability:
    """The numbers for one part of a paper (a section, an appendix, or the whole)."""

    title: str
    words: int
    sentences: int
    syllables: int
    longest: int  # words in its longest sentence
    longest_at: Loc | None  # where that sentence's paragraph starts

    @property
    def mean(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def reading_ease(self) -> float | None:
        """None below MIN_SCORED_WORDS: a score of "None." or two sentences says nothing."""
        if self.words < MIN_SCORED_WORDS:
            return None
        return 206.835 - 1.015 * self.mean - 84.6 * self.syllables / self.words


def paper_readability(paper: Paper) -> list[Readability]:
    """Each section and appendix with text, then the whole paper."""
    parts: list[Section | Appendix] = [*paper.sections, *paper.appendices]
    rows = [_measure(part.title, _paragraphs(part.blocks)) for part in parts]
    rows = [row for row in rows if row.words]
    whole = Readability("Whole paper", sum(r.words for r in rows), sum(r.sentences for r in rows),
                        sum(r.syllables for r in rows), max((r.longest for r in rows), default=0),
                        max(rows, key=lambda r: r.longest).longest_at if rows else None)
    return [*rows, whole]


def _paragraphs(blocks: tuple[Block, ...]) -> Iterator[tuple[Loc, str]]:
    for block in blocks:
        own = inlines_of(block)
        if own:
            yield block.loc, plain_text(own)
        if isinstance(block, (Group, Quote)):
            yield from _paragraphs(block.blocks)
        elif isinstance(block, ItemList):
            for item in block.items:
                yield from _paragraphs(item.blocks)


def _measure(title: str, paragraphs: Iterator[tuple[Loc, str]]) -> Readability:
    total_words = total_sentences = total_syllables = longest = 0
    longest_at = None
    for loc, text in paragraphs:
        for sentence in sentences(text):
            found = words(sentence)
            if not found:
                continue
            total_sentences += 1
            total_words += len(found)
            total_syllables += sum(count_syllables(word) for word in found)
            if len(found) > longest:
                longest, longest_at = len(found), loc
    return Readability(title, total_words, total_sentences, total_syllables, longest, longest_at)


def report_lines(rows: list[Readability]) -> list[str]:
    """The report as `paperkit check --report` prints it: a table, then where the longest
    sentence is."""
    width = max(len(r.title) for r in rows)
    lines = [f"{'':{width}}  {'words':>6}  {'sentences':>9}  {'mean':>5}  {'longest':>7}  {'reading ease':>12}"]
    for row in rows:
        ease = f"{row.reading_ease:.0f}" if row.reading_ease is not None else "-"
        lines.append(f"{row.title:{width}}  {row.words:6}  {row.sentences:9}  {row.mean:5.1f}  {row.longest:7}  "
                     f"{ease:>12}")
    whole = rows[-1]
    if whole.longest_at is not None:
        lines.append(f"longest sentence: {whole.longest} words, in the paragraph at {whole.longest_at}")
    lines.append(f"reading ease (Flesch): 60 to 70 is plain English; below 30, very difficult; "
                 f"'-': under {MIN_SCORED_WORDS} words")
    return lines
