"""Recommendation groups and references to several targets (issue 14, parts 1 and 4).

The sample capital-programme-2018 paper recommends to Council, to Cabinet and for noting, in
three groups each numbered from 1, and refers to several things at once.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest

from helpers import (
    ROOT,
    TEMPLATES,
    besides_prose_warnings,
    build_sample_paper,
    docx_bookmarks_and_fields,
    make_paper,
    pdf_text,
)
from paperkit.diagnostics import ContentError, Loc
from paperkit.model import Group, Item, ItemList
from paperkit.pipeline import load
from paperkit.style import ReferenceWords
from paperkit.xrefs import Target, write_reference

PAPER = "capital-programme-2018"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_paper(PAPER, tmp_path_factory.mktemp("groups"))


def numbers(items: tuple[Item, ...]) -> list[object]:
    """Each item's number, followed by its sub-items' numbers in a list where it has any."""
    out: list[object] = []
    for item in items:
        out.append(item.number)
        subs = [sub for block in item.blocks if isinstance(block, ItemList) for sub in block.items]
        if subs:
            out.append(numbers(tuple(subs)))
    return out


def groups_of(paper_dir: Path) -> list[Group]:
    resolved = load(paper_dir, TEMPLATES)
    recommendations = next(s for s in resolved.paper.sections if s.id == "recommendations")
    return [b for b in recommendations.blocks if isinstance(b, Group)]


def test_each_group_numbers_its_recommendations_from_one() -> None:
    groups = groups_of(ROOT / "content" / PAPER)
    assert [g.name for g in groups] == ["Council", "Cabinet", "Cabinet"]
    # The third ("That Cabinet notes:") continues the second's numbering, as the paper says.
    assert [numbers(tuple(i for b in g.blocks if isinstance(b, ItemList) for i in b.items)) for g in groups] == [
        ["1", "2", ["(i)", "(ii)"], "3"], ["1", "2"], ["3"]]


def test_references_print_the_councils_words_in_every_output(built: Path) -> None:
    import html as html_module
    import re

    from helpers import docx_text

    expected = ["(3.1 to 3.3)", "Appendices A and B", "recommendations 1 and 2 to Council;",
                "Recommendation 2 (ii) to Council depends", "recommendation 2 to Council costs",
                "paragraphs 3.1 to 3.3, at a total cost", "noted in recommendation 3 to Cabinet,",
                "procured under recommendation 1 to Cabinet in"]
    page = html_module.unescape(re.sub(r"<[^>]+>", "", (built / f"{PAPER}.html").read_text(encoding="utf-8")))
    for text in (" ".join(pdf_text(built / f"{PAPER}.pdf").split()), docx_text(built / f"{PAPER}.docx"), page):
        for phrase in expected:
            assert phrase in text


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "a" and str(found.get("href", "")).startswith("#"):
            self.hrefs.append(str(found["href"])[1:])


def test_every_anchor_and_bookmark_is_unique_and_every_link_reaches_one(built: Path) -> None:
    """Three groups each have a "1": ids, PDF destinations and Word bookmarks still differ."""
    page = _Anchors()
    page.feed((built / f"{PAPER}.html").read_text(encoding="utf-8"))
    assert not [i for i, n in Counter(page.ids).items() if n > 1]
    assert set(page.hrefs) <= set(page.ids)
    assert {"para-2-g1-1", "para-2-g2-1", "para-2-g3-3", "para-2-g1-2-2"} <= set(page.ids)

    with pikepdf.open(built / f"{PAPER}.pdf") as pdf:
        names = [str(n) for n in pdf.Root.Names.Dests.Names[::2]]
        links = [str(a.Dest) for p in pdf.pages for a in p.get("/Annots", []) if a.Subtype == "/Link" and "/Dest" in a]
    assert len(names) == len(set(names)) and set(links) <= set(names)
    # "3.1 to 3.3" is two links, each to its own paragraph; "Appendices A and B" two more.
    assert {"para-3-1", "para-3-3", "appendix-1", "appendix-2", "para-2-g1-2-2", "para-2-g2-1", "para-2-g3-3"} \
        <= set(links)

    bookmarks, fields = docx_bookmarks_and_fields(built / f"{PAPER}.docx")
    names = list(bookmarks)
    assert len(names) == len(set(names))
    refs = [(code.split()[1], result) for code, result in fields if code.startswith("REF ")]
    assert all(name in bookmarks and bookmarks[name] == result for name, result in refs)
    assert ("appendix_1", "A") in refs and ("appendix_2", "B") in refs
    assert ("para_2_g1_2", "2") in refs and ("para_2_g1_2_2", "(ii)") in refs


def _target(anchor: str, *parts: tuple[str, str | None]) -> Target:
    return Target(anchor, anchor, parts, Loc("x.md", 1))


WORDS = ReferenceWords(separator=", ", last=" and ", range=" to ", plural={"Appendix": "Appendices"})


def _text(*targets: Target) -> str:
    return "".join(p if isinstance(p, str) else p.text for p in write_reference(list(targets), WORDS))


@pytest.mark.parametrize(("counts", "expected"), [
    ([4], "3.4"), ([4, 6], "3.4 and 3.6"), ([4, 5], "3.4 and 3.5"), ([4, 5, 6], "3.4 to 3.6"),
    ([4, 6, 9], "3.4, 3.6 and 3.9"), ([1, 2, 3, 7], "3.1 to 3.3 and 3.7"), ([6, 5, 4], "3.6, 3.5 and 3.4"),
])
def test_several_paragraphs_are_listed_or_given_as_a_range(counts: list[int], expected: str) -> None:
    assert _text(*(_target(f"para-3-{n}", (f"3.{n}", f"para-3-{n}")) for n in counts)) == expected


def test_a_shared_word_is_made_plural_and_mixed_targets_keep_their_own() -> None:
    b = _target("appendix-2", ("Appendix ", None), ("B", "appendix-2"))
    c = _target("appendix-3", ("Appendix ", None), ("C", "appendix-3"))
    d = _target("appendix-4", ("Appendix ", None), ("D", "appendix-4"))
    assert _text(b) == "Appendix B"
    assert _text(b, c) == "Appendices B and C"
    assert _text(b, c, d) == "Appendices B to D"
    assert _text(_target("para-3-4", ("3.4", "para-3-4")), c) == "3.4 and Appendix C"


def _recommendations_paper(tmp_path: Path, text: str, summary: str = "Summary.\n") -> Path:
    return make_paper(tmp_path, files={"recommendations.md": text, "summary.md": summary})


def _codes(paper: Path) -> list[tuple[str, int]]:
    with pytest.raises(ContentError) as caught:
        load(paper, TEMPLATES)
    return [(d.code, d.loc.line) for d in besides_prose_warnings(caught.value.diagnostics.items)]


def test_a_reference_to_a_lead_in_or_to_a_missing_label_among_several_is_an_error(tmp_path: Path) -> None:
    paper = _recommendations_paper(
        tmp_path, "{.group #to-council name=Council}\nThat Council approves:\n\n- {#one}\n  One.\n",
        summary="See {ref}`to-council` and {ref}`one, nowhere`.\n")
    assert _codes(paper) == [("label-unnumbered", 2), ("xref-unnumbered", 1), ("xref-missing", 1)]


def test_a_reference_to_another_papers_appendix_is_an_error(tmp_path: Path) -> None:
    """Labels belong to their paper: school-places-2018 has 'site-costs', this paper does not."""
    paper = _recommendations_paper(tmp_path, "- Approve.\n", summary="As {ref}`site-costs` says.\n")
    assert _codes(paper) == [("xref-missing", 1)]


def test_a_reference_to_a_number_printed_twice_is_a_warning(tmp_path: Path) -> None:
    """Two unnamed groups both start at 1: "recommendation 1" could be either."""
    paper = _recommendations_paper(tmp_path, "{.group}\nThat Council approves:\n\n- {#one}\n  One.\n\n"
                                   "{.group}\nThat Cabinet notes:\n\n- Other.\n", summary="As {ref}`one` says.\n")
    resolved = load(paper, TEMPLATES)
    assert [(d.code, d.loc.line) for d in besides_prose_warnings(resolved.diagnostics.items)] == [("xref-ambiguous", 1)]


def test_a_group_may_continue_the_numbering_of_the_one_before(tmp_path: Path) -> None:
    paper = _recommendations_paper(tmp_path, "{.group}\nThat Council approves:\n\n- One.\n- Two.\n\n"
                                   "{.group numbering=continue}\nThat Cabinet notes:\n\n- Three.\n")
    groups = groups_of(paper)
    assert [[i.number for b in g.blocks if isinstance(b, ItemList) for i in b.items] for g in groups] == [
        ["1", "2"], ["3"]]


@pytest.mark.parametrize(("files", "expected"), [
    ({"summary.md": "{.group}\nThat Council approves:\n"}, [("group-misplaced", 2)]),
    ({"recommendations.md": "- One.\n\n  {.group}\n  That Council approves:\n"}, [("group-misplaced", 4)]),
    ({"recommendations.md": "{.group numbering=again}\nThat Council approves:\n\n- One.\n"}, [("group-numbering", 2)]),
    ({"recommendations.md": "- See {ref}`a b`.\n"}, [("xref-syntax", 1)]),
])
def test_group_and_reference_mistakes_are_diagnostics(tmp_path: Path, files: dict[str, str],
                                                      expected: list[tuple[str, int]]) -> None:
    paper = make_paper(tmp_path, files=files)
    assert [c for c in _codes(paper) if c[0] != "section-empty"] == expected


def test_a_house_style_without_groups_refuses_a_lead_in(tmp_path: Path) -> None:
    paper = tmp_path / "content" / "depot"
    import shutil

    shutil.copytree(ROOT / "content" / "options-appraisal-2024", paper)
    (paper / "recommendations.md").write_text("{.group}\nThat the Committee agrees:\n\n- One.\n", encoding="utf-8")
    assert ("group-unsupported", 2) in _codes(paper)
