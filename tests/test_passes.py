"""The numbering and resolving passes, on small papers built from tests/papers."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import PAPERS, TEMPLATES, besides_prose_warnings, make_paper
from paperkit.diagnostics import ContentError
from paperkit.dump import dump
from paperkit.pipeline import load


def load_paper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **kwargs):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    paper_dir = make_paper(tmp_path, **kwargs)
    return load(Path("content") / paper_dir.name, TEMPLATES)


def diagnostics_of(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **kwargs) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(ContentError) as caught:
        load_paper(tmp_path, monkeypatch, **kwargs)
    return [str(d) for d in besides_prose_warnings(caught.value.diagnostics.sorted())]


def section_dump(resolved, number: str) -> str:  # type: ignore[no-untyped-def]
    text = dump(resolved.paper)
    start = text.index(f"section {number} ")
    end = text.find("\nsection ", start + 1)
    return text[start:end if end != -1 else None].strip()


def test_three_levels_with_an_unnumbered_or_between_items(tmp_path, monkeypatch) -> None:
    resolved = load_paper(tmp_path, monkeypatch, from_folder=PAPERS / "deep-numbering")
    assert section_dump(resolved, "2") == """\
section 2 [section-2] Recommendations
  2.1 [2.1]
    p: That Cabinet approves the plan.
  2.2 [2.2]
    p: That Cabinet notes:
    a) [2.2 a)]
      p: the first thing;
    b) [2.2 b)]
      p: the second thing, with
      (i) [2.2 b) (i)]
        p: a first detail;
      p: Or
      (ii) [2.2 b) (ii)]
        p: a second detail;
      (iii) [2.2 b) (iii)]
        p: a third detail.
    c) [2.2 c)]
      p: the third thing.
  p: Unnumbered closing words.
  2.3 [2.3]
    p: That Cabinet thanks the group."""


def test_numbering_restarts_in_each_section_and_keeps_blocks_together(tmp_path, monkeypatch) -> None:
    resolved = load_paper(tmp_path, monkeypatch, from_folder=PAPERS / "deep-numbering")
    assert section_dump(resolved, "3") == """\
section 3 [section-3] Report detail
  p: Opening words with no number.
  3.1 [3.1]
    p: First paragraph of the report.
    p: Its second block, still 3.1.
  3.2 [3.2]
    p: Second paragraph."""


def test_sections_are_numbered_in_template_order(tmp_path, monkeypatch) -> None:
    resolved = load_paper(tmp_path, monkeypatch)
    titles = [(s.number, s.title) for s in resolved.paper.sections]
    assert titles[0] == ("1", "Summary")
    assert titles[2] == ("3", "Report detail")
    assert titles[-1] == ("12", "Consultation")


def test_references_get_full_numbers_of_paragraphs_sub_items_and_sections(tmp_path, monkeypatch) -> None:
    resolved = load_paper(tmp_path, monkeypatch, from_folder=PAPERS / "xrefs")
    text = dump(resolved.paper)
    assert "in paragraph [ref proposal → 3.2], subject to [ref condition → 3.2 a)]." in text
    assert "section [ref report-detail → 3] and recommendation [ref approve → 2.1]." in text
    assert "a part, referred to as [ref part → 3.2 a) (i)]." in text


def test_references_follow_their_targets_when_paragraphs_move(tmp_path, monkeypatch) -> None:
    detail = (PAPERS / "xrefs" / "report-detail.md").read_text()
    moved = "- A new first paragraph.\n\n" + detail
    resolved = load_paper(tmp_path, monkeypatch, from_folder=PAPERS / "xrefs", files={"report-detail.md": moved})
    text = dump(resolved.paper)
    assert "[ref proposal → 3.3]" in text
    assert "[ref condition → 3.3 a)]" in text


def test_missing_label_is_reported_at_its_line_with_a_suggestion(tmp_path, monkeypatch) -> None:
    files = {"recommendations.md": "- Cabinet agrees.\n\n- Cabinet notes\n  paragraph {ref}`propsal`.\n",
             "report-detail.md": "- {#proposal}\n  The proposal.\n"}
    assert diagnostics_of(tmp_path, monkeypatch, files=files) == [
        "content/test-paper/recommendations.md:4: error [xref-missing] no target labelled 'propsal'; "
        "did you mean 'proposal'?",
    ]


def test_duplicate_label_names_both_places(tmp_path, monkeypatch) -> None:
    files = {"recommendations.md": "- {#plan}\n  One.\n",
             "report-detail.md": "- Intro.\n\n- {#plan}\n  Two.\n"}
    assert diagnostics_of(tmp_path, monkeypatch, files=files) == [
        "content/test-paper/report-detail.md:3: error [label-duplicate] label 'plan' is already used at "
        "content/test-paper/recommendations.md:1",
    ]


def test_every_error_is_reported_at_once(tmp_path, monkeypatch) -> None:
    files = {"recommendations.md": "- See {ref}`nowhere`.\n\n- And {ref}`elsewhere`.\n",
             "summary.md": "{#unnumbered}\nA plain paragraph.\n"}
    assert diagnostics_of(tmp_path, monkeypatch, files=files) == [
        "content/test-paper/recommendations.md:1: error [xref-missing] no target labelled 'nowhere'",
        "content/test-paper/recommendations.md:3: error [xref-missing] no target labelled 'elsewhere'",
        "content/test-paper/summary.md:2: error [label-unnumbered] 'unnumbered' labels text that has no number, "
        "so nothing can refer to it",
    ]


def test_a_section_id_is_a_label_and_clashes_are_reported(tmp_path, monkeypatch) -> None:
    files = {"report-detail.md": "- {#summary}\n  Clash.\n"}
    assert diagnostics_of(tmp_path, monkeypatch, files=files) == [
        "content/test-paper/report-detail.md:1: error [label-duplicate] label 'summary' is already used at "
        "content/test-paper/summary.md:1",
    ]


def test_items_deeper_than_the_house_style_numbers_are_an_error(tmp_path, monkeypatch) -> None:
    files = {"recommendations.md": "- one\n  - two\n    - three\n      - four\n"}
    assert diagnostics_of(tmp_path, monkeypatch, files=files) == [
        "content/test-paper/recommendations.md:4: error [numbering-too-deep] the house style numbers 3 levels "
        "of paragraphs; this item is at level 4",
    ]


def test_author_keys_match_the_author_record() -> None:
    """paper.yaml's author keys are the Author record's fields, in its order (one list for both)."""
    from dataclasses import fields

    from paperkit.model import AUTHOR_KEYS, Author

    assert tuple(f.name for f in fields(Author)) == AUTHOR_KEYS
