"""Readers: what an author writes becomes the model, and mistakes become located diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import ROOT, TEMPLATES, besides_prose_warnings, make_paper
from paperkit.diagnostics import ContentError, Diagnostics
from paperkit.dump import inline_text
from paperkit.model import ItemList, Paragraph, Ref
from paperkit.pipeline import load
from paperkit.readers.markdown import read_blocks
from paperkit.walk import iter_inlines


def read(text: str, numbered: bool = True) -> tuple[list[str], tuple]:  # type: ignore[type-arg]
    diags = Diagnostics()
    blocks = read_blocks(text, "f.md", numbered, diags, Path.cwd())
    return [str(d) for d in diags.sorted()], blocks


def problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> list[str]:
    monkeypatch.chdir(tmp_path)
    make_paper(tmp_path, files=files)
    with pytest.raises(ContentError) as caught:
        load(Path("content/test-paper"), TEMPLATES)
    return [str(d) for d in besides_prose_warnings(caught.value.diagnostics.sorted())]


def test_emphasis_bold_and_references_are_kept_as_inline_nodes() -> None:
    diags, blocks = read("Some *italic*, **bold** and {ref}`x` text.\n", numbered=False)
    assert diags == []
    assert inline_text(blocks[0].inlines) == "Some *italic*, **bold** and [ref x → ] text."


def test_a_reference_knows_its_own_line_inside_a_long_paragraph() -> None:
    _diags, blocks = read("First line\nsecond line\nthird with {ref}`x`.\n", numbered=False)
    refs = [i for i in iter_inlines(blocks[0].inlines) if isinstance(i, Ref)]
    assert [(r.labels, r.loc.line) for r in refs] == [(("x",), 3)]


def test_a_label_after_the_bullet_labels_the_item() -> None:
    _diags, blocks = read("- {#first}\n  Text.\n")
    item = blocks[0].items[0]
    assert item.label == "first"
    assert isinstance(item.blocks[0], Paragraph) and item.blocks[0].label is None


def test_items_carry_their_lines() -> None:
    _diags, blocks = read("- one\n\n- two\n\n  more\n\n- three\n")
    assert isinstance(blocks[0], ItemList)
    assert [item.loc.line for item in blocks[0].items] == [1, 3, 7]


def test_raw_html_and_template_syntax_stay_text() -> None:
    _diags, blocks = read("A <b>tag</b> & {{ x }} and {% if %}.\n", numbered=False)
    assert inline_text(blocks[0].inlines) == "A <b>tag</b> & {{ x }} and {% if %}."


def test_typed_numbers_are_a_warning_and_become_paperkit_numbers() -> None:
    diags, blocks = read("1. First.\n2. Second.\n")
    assert diags == ["f.md:1: warning [typed-number] paperkit numbers paragraphs itself; "
                     "start each one with '- ' instead of a number"]
    assert isinstance(blocks[0], ItemList) and len(blocks[0].items) == 2


def test_indented_code_is_explained() -> None:
    diags, _blocks = read("Text.\n\n        indented too far\n", numbered=False)
    assert len(diags) == 1 and diags[0].startswith("f.md:3: error [markdown-unsupported] text indented by four")


def test_a_label_at_the_end_of_text_is_flagged() -> None:
    diags, _blocks = read("- Some text. {#late}\n")
    assert diags[0].startswith("f.md:1: warning [label-misplaced] '{#late}' is printed as text")


def test_unknown_role_is_an_error() -> None:
    diags, _blocks = read("See {reff}`x`.\n", numbered=False)
    assert diags == ["f.md:1: error [role-unknown] unknown role {reff}; did you mean {ref}?"]


def test_paper_yaml_mistakes_are_reported_at_their_lines(tmp_path, monkeypatch) -> None:
    yaml = ("template: walsall/cabinet\nmeeting: Cabinet\ndate: 2018-02-30\ntitle: T\n"
            "key_decision: maybe\nportfollio: Cllr X\n")
    assert problems(tmp_path, monkeypatch, {"paper.yaml": yaml}) == [
        "content/test-paper/paper.yaml:3: error [field-date] 'date' must be a real date from 1980 to 2099, "
        "written like 2018-06-21, not '2018-02-30'",
        "content/test-paper/paper.yaml:5: error [field-yes-no] 'key_decision' must be yes or no, not 'maybe'",
        "content/test-paper/paper.yaml:6: error [field-unknown] paper.yaml has no field 'portfollio'; "
        "did you mean 'portfolio'?",
    ]


def test_yaml_syntax_error_has_its_line(tmp_path, monkeypatch) -> None:
    yaml = "template: walsall/cabinet\nmeeting: Cabinet\ntitle: [unclosed\ndate: 2018-06-21\n"
    found = problems(tmp_path, monkeypatch, {"paper.yaml": yaml})
    assert len(found) == 1 and found[0].startswith("content/test-paper/paper.yaml:")
    assert "error [yaml-syntax]" in found[0]


def test_unknown_template_lists_the_installed_ones(tmp_path, monkeypatch) -> None:
    yaml = "template: walsall/cabnet\nmeeting: Cabinet\ndate: 2018-06-21\ntitle: T\n"
    assert problems(tmp_path, monkeypatch, {"paper.yaml": yaml}) == [
        "content/test-paper/paper.yaml:1: error [template-unknown] no template 'walsall/cabnet' "
        "(installed: example-borough/committee, walsall/cabinet, walsall/scrutiny)",
    ]


def test_a_missing_section_file_is_an_error_naming_the_file(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    paper = make_paper(tmp_path)
    (paper / "consultation.md").unlink()
    with pytest.raises(ContentError) as caught:
        load(Path("content/test-paper"), TEMPLATES)
    assert [str(d) for d in besides_prose_warnings(caught.value.diagnostics.sorted())] == [
        "content/test-paper/consultation.md:1: error [section-missing] the 'Consultation' section's file "
        "consultation.md is missing (create it; leave it empty if the section has no text)",
    ]


def test_an_empty_paper_yaml_lists_the_required_fields(tmp_path, monkeypatch) -> None:
    assert problems(tmp_path, monkeypatch, {"paper.yaml": ""}) == [
        f"content/test-paper/paper.yaml:1: error [field-missing] '{key}' is required"
        for key in ("date", "meeting", "template", "title")
    ]


def test_guidance_comments_are_for_the_author_only() -> None:
    diags, blocks = read("<!-- Say what the report is for.\n  Two lines. -->\n\nThe text {ref}`x`.\n", numbered=False)
    assert diags == [] and len(blocks) == 1
    refs = [i for i in iter_inlines(blocks[0].inlines) if isinstance(i, Ref)]
    assert inline_text(blocks[0].inlines).startswith("The text") and refs[0].loc.line == 4


@pytest.mark.parametrize("encode", [
    lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),  # a byte-order mark, as Notepad writes
    lambda text: text.replace("\n", "\r\n").encode("utf-8"),  # Windows line endings
    lambda text: text.replace("\n", "\r").encode("utf-8"),  # old Mac line endings
    lambda text: text.encode("utf-16"),  # Word's "Unicode text": UTF-16 with a byte-order mark
], ids=["bom", "crlf", "cr", "utf16"])
def test_a_file_saved_another_way_numbers_exactly_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              encode) -> None:  # type: ignore[no-untyped-def]
    from paperkit.dump import dump

    monkeypatch.chdir(tmp_path)
    paper = make_paper(tmp_path)
    expected = dump(load(Path("content/test-paper"), TEMPLATES).paper)
    for name in ("recommendations.md", "report-detail.md", "paper.yaml"):
        path = paper / name
        path.write_bytes(encode(path.read_text(encoding="utf-8")))
    resolved = load(Path("content/test-paper"), TEMPLATES)
    assert besides_prose_warnings(resolved.diagnostics.items) == []
    assert dump(resolved.paper) == expected


def test_yaml_reads_alike_with_and_without_the_c_parser() -> None:
    """PyYAML is installed with libyaml almost everywhere; where it is not, its own parser reads the
    same values and lines (slower)."""
    import yaml

    from paperkit.yamlparse import parse_yaml

    files = [*ROOT.glob("templates/*/*/*.yaml"), *ROOT.glob("content/**/*.yaml"), *ROOT.glob("paperkit/schemas/*.yaml")]
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast, plain = parse_yaml(text, 20), parse_yaml(text, 20, yaml.SafeLoader)
        assert fast == plain and fast.lines == plain.lines, path


def test_yaml_plain_values_follow_yaml_1_2() -> None:
    from paperkit.yamlparse import parse_yaml

    text = "a: no\nb: on\nc: 010\nd: 2018-06-21\ne: ~\nf: TRUE\ng: 0x1F\nh: 1.5e3\ni: '12'\nj: !!str 7\n"
    data = parse_yaml(text, 20)
    assert data == {"a": "no", "b": "on", "c": 10, "d": "2018-06-21", "e": None, "f": True, "g": 31, "h": 1500.0,
                    "i": "12", "j": "7"}
    assert data.lines == {key: line for line, key in enumerate("abcdefghij", start=1)}
