"""The built sample paper, read back as a person or another program would read it."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import docx
import pikepdf
import pytest

from helpers import (
    SAMPLE,
    SEED,
    TEMPLATES,
    W,
    check_golden,
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


def test_libreoffice_converts_the_docx_with_the_same_words(built_sample: Path, tmp_path: Path) -> None:
    text = pdf_text(libreoffice_pdf(built_sample / "cabinet-2018-06.docx", tmp_path))
    assert fidelity(text, SEED_TEXT) >= 0.98
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
    assert "para-3-9-a-i" in internal and "section-3" in internal
    assert {"para-3-9-a-i", "section-3"} <= {str(d) for d in destinations}


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


def test_docx_references_are_links_to_bookmarks_around_the_numbers(built_sample: Path) -> None:
    with zipfile.ZipFile(built_sample / "cabinet-2018-06.docx") as package:
        root = ElementTree.fromstring(package.read("word/document.xml"))
    bookmarks = {}
    for para in root.iter(W + "p"):
        children = list(para)
        for i, node in enumerate(children):
            if node.tag == W + "bookmarkStart":
                text = "".join(t.text or "" for t in children[i + 1].iter(W + "t"))
                bookmarks[node.get(W + "name")] = text
    links = [(link.get(W + "anchor"), "".join(t.text or "" for t in link.iter(W + "t")))
             for link in root.iter(W + "hyperlink") if link.get(W + "anchor")]
    assert ("para_3_9_a_i", "3.9 a) (i)") in links and ("section_3", "3") in links
    assert bookmarks["para_3_9_a_i"] == "(i)" and bookmarks["section_3"] == "3."
    assert bookmarks["para_3_10"] == "3.10"
