"""Content is data: whatever an author types comes out as typed, in every output, and reads nothing."""

from __future__ import annotations

import os
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from helpers import TEMPLATES, libreoffice_pdf, make_paper, pdf_text
from paperkit.cli import main
from paperkit.pipeline import load
from paperkit.render.html import render_html
from paperkit.render.printer import ConfinedFetcher

# Everything the issue names: template syntax, XML specials, CDATA end, quotes.
MARKUP = "Costs {{ total }} & {% if x %} {# note #} <b>bold?</b> \"quoted\" 'single' > ]]> {_{ y }_} stay as typed."
UNICODE = "Call ☎ or write ✉; 😀 𝔘 (astral) and עברית / العربية (right to left)."
TITLE = 'A & B <c> {{ d }} {% e %} ]]> "q" ☎'
TOKENS = "PKSLOT000001X PKSLOTBODYX"  # what paperkit's DOCX renderer uses internally, typed by an author


@pytest.fixture(scope="module")
def tricky_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("tricky")
    summary = f"{MARKUP}\n\n{UNICODE}\n\nBell\x07 and escape\x1b characters.\n\n{TOKENS}\n"
    paper = make_paper(project, files={"summary.md": summary})
    yaml = (paper / "paper.yaml").read_text().replace("title: Ofsted Working Group", f"title: '{TITLE}'")
    yaml = yaml.replace("portfolio: Councillor Wilson", "portfolio: PKSLOTBODYX")
    (paper / "paper.yaml").write_text(yaml.replace("service: Children's Services", 'service: "Tab\\there"'))
    cwd = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["build", "test-paper"], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return project / "build" / "test-paper"


def test_docx_holds_the_text_as_typed(tricky_build: Path) -> None:
    document = docx.Document(str(tricky_build / "test-paper.docx"))
    texts = [p.text for p in document.paragraphs]
    # Markdown reads _..._ as emphasis, so {_{ y }_} prints as {{ y }} with the middle in italics.
    assert MARKUP.replace("{_{ y }_}", "{{ y }}") in texts
    assert UNICODE in texts
    assert TITLE in texts
    assert "Bell␇ and escape␛ characters." in texts  # control characters shown as their symbols
    assert "Service: Tab\there" in texts
    assert TOKENS in texts and "Portfolio: PKSLOTBODYX" in texts


def test_pdf_holds_the_text_as_typed(tricky_build: Path) -> None:
    text = " ".join(pdf_text(tricky_build / "test-paper.pdf").split())
    assert MARKUP.replace("{_{ y }_}", "{{ y }}") in text
    assert "Call ☎ or write ✉; 😀 𝔘 (astral)" in text
    assert TITLE in text
    assert "Bell␇ and escape␛ characters." in text


def test_html_escapes_what_it_must_and_keeps_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_paper(tmp_path, files={"summary.md": MARKUP + "\n"})
    html = render_html(load(Path("content/test-paper"), TEMPLATES))
    assert "<b>bold?</b>" not in html
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html and "{{ total }} &amp; {% if x %}" in html


@pytest.mark.slow
def test_libreoffice_opens_the_docx(tricky_build: Path, tmp_path: Path) -> None:
    text = " ".join(pdf_text(libreoffice_pdf(tricky_build / "test-paper.docx", tmp_path)).split())
    assert MARKUP.replace("{_{ y }_}", "{{ y }}") in text


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "http://example.org/x.png", "https://example.org/font.ttf", "ftp://example.org/x",
    "file:///etc/../etc/passwd",
])
def test_the_pdf_fetcher_refuses_anything_outside_its_folders(url: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        ConfinedFetcher(tmp_path).fetch(url)


def test_the_pdf_fetcher_serves_bytes_given_inline(tmp_path: Path) -> None:
    """Pictures reach the PDF renderer inline (read and checked with the paper), never by path."""
    assert ConfinedFetcher(tmp_path).fetch("data:image/png;base64,iVBORw0KGgo=").read(4) == b"\x89PNG"


def test_the_pdf_fetcher_serves_files_inside_its_folders() -> None:
    font = TEMPLATES / "walsall" / "cabinet" / "fonts" / "DejaVuSans.ttf"
    response = ConfinedFetcher(TEMPLATES / "walsall" / "cabinet").fetch(font.as_uri())
    assert response.read(4) == font.read_bytes()[:4]


def test_the_pdf_renderer_never_embeds_a_file_from_outside(tmp_path: Path) -> None:
    from weasyprint import HTML

    secret = tmp_path / "secret.png"
    secret.write_bytes((TEMPLATES.parent / "docs" / "sample-page-1.png").read_bytes())
    folder = tmp_path / "allowed"
    folder.mkdir()
    html = f'<html><body><p>x</p><img src="{secret.as_uri()}" alt="s"></body></html>'
    with_fetcher = HTML(string=html, url_fetcher=ConfinedFetcher(folder)).write_pdf()
    without = HTML(string=html).write_pdf()
    assert len(without) > len(with_fetcher) + 10_000  # the picture is embedded only when fetching is allowed
