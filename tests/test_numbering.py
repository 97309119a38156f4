"""Number formatting: the strings every output prints."""

from pathlib import Path

import pytest

from paperkit.numbering import format_number, pattern_parts, to_alpha, to_roman


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


def test_a_pattern_prints_in_pieces_with_its_counters_anchored() -> None:
    """So a reference to several can print "Appendices B and C" and Word's bookmark holds "B"."""
    assert pattern_parts("Appendix {A}", 2, "appendix-2") == (("Appendix ", None), ("B", "appendix-2"))
    assert pattern_parts("{n}", 12, "section-12") == (("12", "section-12"),)
    assert pattern_parts("Table {n}-{A}", 1, "table-1") == (("Table ", None), ("1", "table-1"), ("-", None),
                                                            ("A", "table-1"))


def test_a_paper_may_number_its_appendices_as_the_house_style_allows(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Appendix 3, Appendix 4 (numbers, from 3) where the style offers numbers; references print
    them, and anchors and bookmarks stay unique whatever is printed."""
    from helpers import TEMPLATES, besides_prose_warnings, make_paper
    from paperkit.diagnostics import ContentError
    from paperkit.dump import dump
    from paperkit.pipeline import load

    monkeypatch.chdir(tmp_path)
    paper = make_paper(tmp_path, files={
        "appendix-one.md": "First.\n", "appendix-two.md": "Second.\n",
        "summary.md": "See {ref}`one` and {ref}`two`.\n"})
    yaml = paper / "paper.yaml"
    yaml.write_text(yaml.read_text() + "appendix_numbering: {style: numbers, start: 3}\nappendices:\n"
                    "  - {title: One, file: appendix-one.md, label: one}\n"
                    "  - {title: Two, file: appendix-two.md, label: two}\n")
    resolved = load(Path("content/test-paper"), TEMPLATES)
    assert [(a.number, a.anchor) for a in resolved.paper.appendices] == [("Appendix 3", "appendix-1"),
                                                                        ("Appendix 4", "appendix-2")]
    assert "[ref one → Appendix 3] and [ref two → Appendix 4]" in dump(resolved.paper)
    yaml.write_text(yaml.read_text().replace("style: numbers", "style: roman"))
    with pytest.raises(ContentError) as caught:
        load(Path("content/test-paper"), TEMPLATES)
    assert [d.code for d in besides_prose_warnings(caught.value.diagnostics.items)] == ["appendix-numbering"]
    assert "'roman' is not one the house style offers (letters, numbers)" in str(
        besides_prose_warnings(caught.value.diagnostics.items)[0])
