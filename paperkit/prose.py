"""Prose as readers meet it: its sentences, words and syllables, for the writing checks and
the readability report.

Sentences are split by sentencex (Wikimedia's rule-based splitter, which knows "e.g." and
"Mr." do not end one) within each paragraph, since a paragraph always ends a sentence;
syllables are counted with pyphen's British English hyphenation patterns (WeasyPrint's
hyphenation library), as textstat does without a pronouncing dictionary.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

WORD = re.compile(r"[^\W_](?:[\w’'.-]*[^\W_])?")  # "e.g", "3.4", "Smith's", "well-kept": one word each


def sentences(text: str) -> list[str]:
    """The sentences of one paragraph's text."""
    from sentencex import segment

    return [s for s in segment("en", text) if s.strip()]


def words(text: str) -> list[str]:
    return WORD.findall(text)


@cache
def _hyphenator() -> Any:
    import pyphen

    return pyphen.Pyphen(lang="en_GB", left=1, right=1)  # 1: a syllable may be one letter ("a-rea")


@cache
def syllables(word: str) -> int:
    if word.isdigit():
        return len(word)  # "2018": a number is read out; one a digit is near enough
    return len(_hyphenator().positions(word.lower())) + 1
