"""Number formatting: the strings every output prints."""

import pytest

from paperkit.numbering import anchor_for, format_number, to_alpha, to_roman


@pytest.mark.parametrize(
    ("n", "expected"), [(1, "a"), (2, "b"), (26, "z"), (27, "aa"), (28, "ab"), (52, "az"), (53, "ba")]
)
def test_letters_run_on_past_z_as_word_does(n: int, expected: str) -> None:
    assert to_alpha(n) == expected


@pytest.mark.parametrize(
    ("n", "expected"), [(1, "i"), (2, "ii"), (4, "iv"), (9, "ix"), (14, "xiv"), (40, "xl"), (1990, "mcmxc")]
)
def test_roman_numerals(n: int, expected: str) -> None:
    assert to_roman(n) == expected


def test_house_style_patterns_fill_every_counter() -> None:
    assert format_number("{section}.{n}", 9, section="3") == "3.9"
    assert format_number("{a})", 1) == "a)"
    assert format_number("({i})", 2) == "(ii)"
    assert format_number("({A})", 3) == "(C)"
    assert format_number("{I}.", 4) == "IV."


def test_anchors_are_safe_ids_derived_from_the_number() -> None:
    assert anchor_for("para", "3.9 a) (i)") == "para-3-9-a-i"
    assert anchor_for("section", "12") == "section-12"
