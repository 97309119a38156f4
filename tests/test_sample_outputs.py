"""The built sample paper, read back as a person or another program would read it."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pikepdf
import pytest

from helpers import (
    ROOT,
    SAMPLE,
    SEED,
    TEMPLATES,
    check_golden,
    docx_bookmarks_and_fields,
    docx_paragraphs,
    docx_text,
    fidelity,
    libreoffice_pdf,
    normalise_pdf_text,
    pdf_text,
)
from paperkit.dump import dump
from paperkit.pipeline import load

SEED_TEXT = SEED.read_text(encoding="utf-8")


def test_model_dump_matches_golden() -> None:
    check_golden("cabinet-2018-06.model.txt", dump(load(SAMPLE, TEMPLATES).paper))


SAMPLE_PAPERS = sorted(p.parent.name for p in (ROOT / "content").glob("*/paper.yaml"))


@pytest.mark.parametrize(("paper", "audience"), [(p, "private") for p in SAMPLE_PAPERS] +
                         [("school-places-2018", "public")])
def test_the_whole_resolved_model_of_each_sample_matches_its_golden(
        paper: str, audience: str, run_cli) -> None:  # type: ignore[no-untyped-def]
    """`paperkit dump`: every field of the model (heading, sections, appendices, clearances,
    agenda item ...). A change shows as a diff to review; PAPERKIT_UPDATE_GOLDEN=1 accepts it."""
    result = run_cli("dump", paper, *(["--public"] if audience == "public" else []))
    assert result.exit_code == 0, result.output
    check_golden(f"dump/{paper}.{audience}.txt", result.output)


def test_pdf_text_matches_golden(built_sample: Path) -> None:
    check_golden("cabinet-2018-06.pdf.txt", normalise_pdf_text(pdf_text(built_sample / "cabinet-2018-06.pdf")))


def test_docx_text_and_styles_match_golden(built_sample: Path) -> None:
    lines = [f"[{style}] {text}" for style, text in docx_paragraphs(built_sample / "cabinet-2018-06.docx")]
    check_golden("cabinet-2018-06.docx.txt", "\n".join(lines) + "\n")


@pytest.mark.parametrize("suffix", ["pdf", "docx"])
def test_words_match_the_published_paper(built_sample: Path, suffix: str) -> None:
    path = built_sample / f"cabinet-2018-06.{suffix}"
    text = pdf_text(path) if suffix == "pdf" else docx_text(path)
    assert fidelity(text, SEED_TEXT) >= 0.98


FURNITURE = re.compile(r"^\s*(DRAFT – for sign-off – not for publication|Cabinet – 21 June 2018|Page \d+ of \d+)\s*$")


def without_furniture(text: str) -> str:
    """The text of each page less the header and footer lines at its top and bottom."""
    kept = []
    for page in text.split("\f"):
        lines = [line for line in page.splitlines() if line.strip()]
        edges = set(range(3)) | set(range(len(lines) - 3, len(lines)))
        kept.extend(line for n, line in enumerate(lines) if not (n in edges and FURNITURE.match(line)))
    return "\n".join(kept)


@pytest.mark.slow
def test_libreoffice_converts_the_docx_with_the_same_words(built_sample: Path, tmp_path: Path) -> None:
    text = pdf_text(libreoffice_pdf(built_sample / "cabinet-2018-06.docx", tmp_path))
    # The sign-off copy adds its clearance section; its page furniture (draft marking, running
    # header, page numbers) repeats on every page and is left out of the comparison.
    assert fidelity(without_furniture(text), SEED_TEXT + "\nClearance\nNo clearances recorded yet.\n") >= 0.98
    assert "3.9 a) (i)" in " ".join(text.split())  # the cross-reference's number as Word shows it
    assert "Page 1 of" in text  # footer fields laid out


def test_pdf_is_titled_in_english_with_bookmarks_and_embedded_fonts(built_sample: Path) -> None:
    with pikepdf.open(built_sample / "cabinet-2018-06.pdf") as pdf:
        assert str(pdf.Root.Lang) == "en-GB"
        assert str(pdf.docinfo["/Title"]) == "Ofsted Working Group"
        assert str(pdf.docinfo["/Author"]) == "Debbie Carter"
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
        assert titles[:3] == ["1. Summary", "2. Recommendations", "3. Report detail"]
        assert titles[11] == "12. Consultation"
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
                assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font.BaseFont


def test_pdf_pages_say_page_x_of_y(built_sample: Path) -> None:
    pages = pdf_text(built_sample / "cabinet-2018-06.pdf").split("\f")
    pages = [p for p in pages if p.strip()]
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in page


def test_pdf_cross_references_link_to_their_targets(built_sample: Path) -> None:
    with pikepdf.open(built_sample / "cabinet-2018-06.pdf") as pdf:
        destinations = set(pdf.Root.Names.Dests.Names[::2]) if "/Names" in pdf.Root else set()
        links = [annot for page in pdf.pages for annot in page.get("/Annots", []) if annot.Subtype == "/Link"]
    internal = [str(a.Dest) for a in links if "/Dest" in a]
    assert "para-3-9-1-1" in internal and "section-3" in internal
    assert {"para-3-9-1-1", "section-3"} <= {str(d) for d in destinations}


def test_docx_opens_and_uses_the_template_styles(built_sample: Path) -> None:
    document = docx.Document(str(built_sample / "cabinet-2018-06.docx"))
    by_style: dict[str, list[str]] = {}
    for paragraph in document.paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert by_style["Report Meeting"] == ["Cabinet – 21 June 2018"]
    assert by_style["Report Title"] == ["Ofsted Working Group"]
    assert by_style["Heading 1"][:3] == ["1.\tSummary", "2.\tRecommendations", "3.\tReport detail"]
    assert [t.split("\t")[0] for t in by_style["Numbered Para 1"]] == ["2.1", "2.2"] + [f"3.{n}" for n in range(1, 14)]
    assert [t.split("\t")[0] for t in by_style["Numbered Para 2"]] == ["a)", "b)"]
    assert [t.split("\t")[0] for t in by_style["Numbered Para 3"]] == ["(i)", "(ii)"]
    assert "Or" in by_style["Numbered Para 2 Continued"]
    assert document.core_properties.title == "Ofsted Working Group"
    assert document.core_properties.author == "Debbie Carter"
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_docx_references_are_ref_fields_to_bookmarks_around_the_numbers(built_sample: Path) -> None:
    bookmarks, fields = docx_bookmarks_and_fields(built_sample / "cabinet-2018-06.docx")
    # A bookmark around every numbered target's own number.
    assert bookmarks["section_3"] == "3" and bookmarks["para_3_9"] == "3.9" and bookmarks["para_3_13"] == "3.13"
    assert bookmarks["para_3_9_1"] == "a)" and bookmarks["para_3_9_1_1"] == "(i)" and bookmarks["para_2_1"] == "2.1"
    assert len([b for b in bookmarks if b.startswith("para_")]) == 2 + 13 + 2 + 2
    # Every REF field points at a bookmark with \h, and its cached result is that bookmark's text,
    # so the document is right when opened and stays right when Word updates its fields.
    refs = [(code, result) for code, result in fields if code.startswith("REF ")]
    for code, result in refs:
        _ref, name, switch = code.split()
        assert switch == "\\h" and bookmarks[name] == result
    # One field per level of each reference the paper makes: "section 3" in 2.1, and
    # "paragraph 3.9 a) (i)" in 3.10, three levels, each to its own number.
    assert refs == [("REF section_3 \\h", "3"), ("REF para_3_9 \\h", "3.9"), ("REF para_3_9_1 \\h", "a)"),
                    ("REF para_3_9_1_1 \\h", "(i)")]
