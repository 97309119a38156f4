"""A pack's page marks: drawn as text where the house style puts them, however a page is turned."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from helpers import ROOT
from paperkit.diagnostics import Diagnostics, Loc
from paperkit.render.stamp import PageMarker, load_stamp_font, mark_characters
from paperkit.style import load_style

A4 = (595.28, 841.89)


def walsall_style():  # type: ignore[no-untyped-def]
    diags = Diagnostics()
    style = load_style(ROOT / "templates", "walsall/cabinet", Loc("test", 1), diags)
    assert style is not None, diags.items
    return style


def words_with_boxes(pdf: Path) -> list[list[tuple[str, float, float, float, float, float, float]]]:
    """Per page: (word, xMin, yMin, xMax, yMax, page width, page height), as a reader sees the page."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        width, height, body = float(page[0]), float(page[1]), page[2]
        pages.append([(word, float(x0), float(y0), float(x1), float(y1), width, height) for x0, y0, x1, y1, word
                      in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', body)])
    return pages


def test_marks_sit_where_the_style_puts_them_on_pages_turned_every_way(tmp_path: Path) -> None:
    style = walsall_style()
    marks = [style.page_stamp, style.private_marking]
    font = load_stamp_font(style.page_stamp.font, "".join(sorted(set(mark_characters(marks[0]) +
                                                                        mark_characters(marks[1])))))
    pdf = pikepdf.new()
    for rotate in (0, 90, 180, 270):
        pdf.add_blank_page(page_size=A4)
        pdf.pages[-1].obj.Rotate = rotate
    marker = PageMarker(pdf, marks, {style.page_stamp.font: font})
    for number, page in enumerate(pdf.pages, 1):
        marker.mark(page, number, len(pdf.pages))
    pdf.save(tmp_path / "marked.pdf")
    pages = words_with_boxes(tmp_path / "marked.pdf")
    assert len(pages) == 4
    for number, (words, rotate) in enumerate(zip(pages, (0, 90, 180, 270), strict=True), 1):
        text = " ".join(w[0] for w in words)
        assert text == f"NOT FOR PUBLICATION – private pack Pack page {number}"
        width, height = A4 if rotate in (0, 180) else reversed(A4)
        number_box = words[-1]
        # 2.2 cm (62 pt) from the right edge and 1.2 cm (34 pt) from the bottom, as the reader sees it.
        assert number_box[3] == pytest.approx(width - 62.4, abs=2)
        assert height - number_box[4] == pytest.approx(34, abs=4)
        marking = words[:6]
        left, right = marking[0][1], marking[-1][3]
        assert (left + right) / 2 == pytest.approx(width / 2, abs=2)  # centred
        assert marking[0][2] == pytest.approx(22.7, abs=4)  # 0.8 cm from the top


def style_with_pack(templates: Path, old: str, new: str) -> Path:
    """A style acme/board in `templates` extending walsall/cabinet, whose `pack` entry is the
    built-in one with `old` replaced by `new`; returns its style.yaml."""
    style_dir = templates / "acme" / "board"
    style_dir.mkdir(parents=True)
    pack = (ROOT / "templates" / "walsall" / "cabinet" / "style.yaml").read_text().split("\npack:\n")[1]
    pack = pack[:pack.index("\n\n")]
    assert old in pack
    (style_dir / "style.yaml").write_text(f"extends: walsall/cabinet\nname: Acme\npack:\n{pack.replace(old, new)}\n")
    return style_dir / "style.yaml"


def style_problems(templates: Path) -> list[str]:
    diags = Diagnostics()
    assert load_style(templates, "acme/board", Loc("paper.yaml", 2), diags) is None
    return [str(d) for d in diags.items]


def test_a_font_that_cannot_draw_a_mark_stops_the_pack_before_any_paper_renders(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    style_yaml = style_with_pack(tmp_path / "t", '"Pack page {page}"', '"Pack page {page} ☃"')
    shutil.copytree(ROOT / "content" / "cabinet-2018-06", tmp_path / "content" / "p")
    (tmp_path / "content" / "meetings").mkdir()
    (tmp_path / "content" / "meetings" / "m.yaml").write_text(
        "template: acme/board\ncommittee: Cabinet\ndate: 2018-06-21\ntime: 6.00 pm\nvenue: Hall\n"
        "items:\n  - paper: p\n")
    result = run_cli("pack", "m", "--templates", str(tmp_path / "t"), cwd=tmp_path)
    assert result.exit_code == 1
    line = next(n for n, text in enumerate(style_yaml.read_text().splitlines(), 1)
                if text.startswith("  page_stamp:"))
    assert (f"style.yaml:{line}: error [style-page-mark] the pack's page marks are drawn in "
            "LiberationSans-Bold.ttf, which has no '☃'") in result.output
    assert "built (" not in result.output


def test_a_mark_placed_from_both_sides_is_a_style_error(tmp_path: Path) -> None:
    style_yaml = style_with_pack(tmp_path, "    right: 2.2cm\n", "    right: 2.2cm\n    left: 1cm\n")
    assert style_problems(tmp_path) == [
        f"{style_yaml}:6: error [style-page-mark] 'pack.page_stamp' gives both left and right; give one"]


def test_a_style_still_naming_the_retired_stamp_template_is_told_what_replaced_it(tmp_path: Path) -> None:
    style_yaml = style_with_pack(tmp_path, "  page_stamp:", "  stamp_template: pack-stamp.html.j2\n  page_stamp:")
    assert style_problems(tmp_path) == [
        f"{style_yaml}:6: error [style-field] 'pack.stamp_template' is no longer used: a pack draws its page "
        "numbers and private marking as 'pack.page_stamp' and 'pack.private_marking' say (docs/agenda-packs.md); "
        "remove it"]
