"""Writing checks (issue 18): paragraph numbers typed by hand instead of a {ref}."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import ROOT, TEMPLATES

PAPER = "cabinet-2018-06"


@pytest.fixture
def summary(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content" / PAPER, tmp_path / "content" / PAPER)
    return tmp_path / "content" / PAPER / "summary.md"


def check(run_cli, summary: Path, added: str, *args: str):  # type: ignore[no-untyped-def]
    """`paperkit check` of the sample with `added` after its summary; (exit status, the
    diagnostics it printed for lines after the summary's own, line of the first added line)."""
    first = len(summary.read_text().splitlines()) + 2
    summary.write_text(summary.read_text() + "\n" + added)
    result = run_cli("check", PAPER, "--templates", str(TEMPLATES), *args, cwd=summary.parent.parent.parent)
    prefix = f"content/{PAPER}/summary.md:"
    said = [line for line in result.output.splitlines()
            if line.startswith(prefix) and int(line[len(prefix):].split(":")[0]) >= first]
    return result.exit_code, said, first


def test_a_typed_paragraph_number_is_warned_with_the_label_that_numbers_it(run_cli, summary: Path) -> None:  # type: ignore[no-untyped-def]
    status, said, line = check(run_cli, summary, "As paragraph 3.9 says, the service agrees.\n")
    assert status == 0  # a warning: the paper still builds
    assert said == [f"content/{PAPER}/summary.md:{line}:4: warning [typed-reference] 'paragraph 3.9' is typed: "
                    "write {ref}`ofsted-two` instead, which stays right when paragraphs move"]


def test_a_typed_section_or_appendix_the_paper_does_not_have_is_an_error(run_cli, summary: Path) -> None:  # type: ignore[no-untyped-def]
    status, said, line = check(run_cli, summary, "See section 14 and Appendix C.\n")
    assert status == 1
    assert said == [
        f"content/{PAPER}/summary.md:{line}:5: error [typed-reference-wrong] 'section 14' is typed, and this paper "
        "has no section 14: refer to the section meant with {ref}`label`, so the number is paperkit's",
        f"content/{PAPER}/summary.md:{line}:20: error [typed-reference-wrong] 'Appendix C' is typed, and this paper "
        "has no appendix C: refer to the appendix meant with {ref}`label`, so the number is paperkit's"]


def test_a_typed_number_the_paper_does_not_have_is_an_error(run_cli, summary: Path) -> None:  # type: ignore[no-untyped-def]
    status, said, line = check(run_cli, summary, "The service agrees.\nSee paragraph 3.99 for the costs.\n")
    assert status == 1
    assert said == [f"content/{PAPER}/summary.md:{line + 1}:5: error [typed-reference-wrong] 'paragraph 3.99' is "
                    "typed, and this paper has no paragraph 3.99; its numbered paragraphs run to 3.13: refer to the "
                    "paragraph meant with {ref}`label`, so the number is paperkit's"]


def test_an_unlabelled_paragraph_is_named_with_where_to_label_it(run_cli, summary: Path) -> None:  # type: ignore[no-untyped-def]
    _status, said, _line = check(run_cli, summary, "Under para. 3.4 the service agrees.\n")
    assert len(said) == 1 and "'para. 3.4' is typed: give paragraph 3.4 a label" in said[0]
    assert f"content/{PAPER}/report-detail.md:13" in said[0]


@pytest.mark.parametrize("added", [
    "> The inspectors wrote: \"see paragraph 3.99\".\n",  # a quotation
    "The text `paragraph 3.99` is set as code.\n",  # verbatim
    "Under paragraph 3 of Schedule 12A, and paragraph 2.3 of the Ofsted report.\n",  # another document
    "See {ref}`ofsted-two`.\n",  # a reference: paperkit's number
])
def test_typed_numbers_are_left_alone_where_they_are_not_this_papers(run_cli, summary: Path, added: str) -> None:  # type: ignore[no-untyped-def]
    status, said, _line = check(run_cli, summary, added)
    assert status == 0 and said == []


def test_strict_fails_on_the_warning(run_cli, summary: Path) -> None:  # type: ignore[no-untyped-def]
    status, said, _line = check(run_cli, summary, "As paragraph 3.9 says.\n", "--strict")
    assert status == 1 and len(said) == 1


def test_the_same_words_twice_in_a_paragraph_are_each_placed(run_cli, summary: Path) -> None:  # type: ignore[no-untyped-def]
    _status, said, line = check(run_cli, summary, "paragraph 3.9 and again paragraph 3.9.\n")
    assert [entry.split(": ")[0] for entry in said] == [f"content/{PAPER}/summary.md:{line}:1",
                                                        f"content/{PAPER}/summary.md:{line}:25"]


def test_sentences_longer_than_the_styles_limit_are_warned_at_their_first_word(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """With `writing.sentence_words: 25` (GOV.UK's limit), the published sample's long
    sentences are warnings, each where it starts, with its count; the paper still builds."""
    style = tmp_path / "t" / "acme" / "board" / "style.yaml"
    style.parent.mkdir(parents=True)
    style.write_text("extends: walsall/cabinet\nname: Acme\nwriting:\n  sentence_words: 25\n  typed_references: true\n")
    shutil.copytree(ROOT / "content" / PAPER, tmp_path / "content" / PAPER)
    paper_yaml = tmp_path / "content" / PAPER / "paper.yaml"
    paper_yaml.write_text(paper_yaml.read_text().replace("walsall/cabinet", "acme/board"))
    result = run_cli("check", PAPER, "--templates", str(tmp_path / "t"), cwd=tmp_path)
    assert result.exit_code == 0
    long = [line for line in result.output.splitlines() if "[sentence-long]" in line]
    assert len(long) == 19
    assert (f"content/{PAPER}/summary.md:13:1: warning [sentence-long] this sentence has 32 words; the house style "
            "asks for at most 25: split it, or make a list ('The methodology of the deep dive ...')") in long
    # Not the first sentence of its paragraph: placed at its own first word.
    assert any(line.startswith(f"content/{PAPER}/reducing-inequalities.md:1:104: ") for line in long)
    assert run_cli("check", PAPER, "--templates", str(tmp_path / "t"), "--strict", cwd=tmp_path).exit_code == 1
    # Off (0): none.
    style.write_text("extends: walsall/cabinet\nname: Acme\nwriting:\n  sentence_words: 0\n")
    assert "[sentence-long]" not in run_cli("check", PAPER, "--templates", str(tmp_path / "t"), cwd=tmp_path).output


def warned(run_cli, summary: Path, added: str) -> tuple[list[str], int]:  # type: ignore[no-untyped-def]
    """The warnings `check` gives for `added` (the paper still passes), and its first line."""
    status, said, line = check(run_cli, summary, added)
    assert status == 0, said
    return said, line


BARE = "https://example.gov.uk/x"
ONE_OF_EACH = {  # text added to the summary -> (column, warning) of each problem in it
    "link-text": (f"Read [click here](https://example.gov.uk/policy) and [{BARE}]({BARE}), or [the admissions "
                  "policy](https://example.gov.uk/a).", [
                      (7, "warning [link-text] the link text 'click here' does not say where it goes: name the page or "
                          "document it leads to (for example, 'the school admissions policy')"),
                      (55, f"warning [link-text] the link text '{BARE}' is a bare address: name the page or "
                           "document it leads to (for example, 'the school admissions policy')")]),
    # 3.5/10, 1.2.3 and 31/02/18 (no such day) are not dates
    "date-format": ("The board met on 21/06/18 and on 2018-07-02; it scored 3.5/10 for version 1.2.3 on 31/02/18.", [
        (18, "warning [date-format] '21/06/18': write dates as the house style does, '21 June 2018'"),
        (34, "warning [date-format] '2018-07-02': write dates as the house style does, '2 July 2018'")]),
    # spelled out in brackets (CTB), or in the house style's glossary (NHS): not warned
    "acronym-undefined": ("The LSCB met. The Children's Trust Board (CTB) agreed the CTB and NHS will report.", [
        (5, "warning [acronym-undefined] 'LSCB' is used before it is spelled out: the first time, write the words in "
            "full with '(LSCB)' after them, or add it to the house style's glossary")]),
    # an acronym on its own, or two side by side, is not text in capitals
    "capitals": ("PLEASE NOTE THE DEADLINE for the NHS and UK returns.", [
        (1, "warning [capitals] 'PLEASE NOTE THE DEADLINE' is in capitals, which is harder to read: write it as a "
            "sentence, in bold (**...**) if it must stand out")]),
    # a law's section, and another document's appendix, are not this paper's
    "typed-reference": ("As section 3 says (see section 17 Children Act 1989 and Appendix A of the Ofsted report).", [
        (4, "warning [typed-reference] 'section 3' is typed: write {ref}`report-detail` instead, which stays right "
            "when sections move")]),
    # not "key decision": a term of law
    "word-avoid": ("We will facilitate a robust review in order to tackle the key delays. This is a key decision.", [
        (9, "warning [word-avoid] 'facilitate': a plainer way to say it is 'help, make possible' (the house style's "
            "words to avoid)"),
        (22, "warning [word-avoid] 'robust': a plainer way to say it is 'strong, reliable, or leave it out' (the house "
             "style's words to avoid)"),
        (36, "warning [word-avoid] 'in order to': a plainer way to say it is 'to' (the house style's words to avoid)"),
        (48, "warning [word-avoid] 'tackle': a plainer way to say it is 'solve, deal with' (the house style's words "
             "to avoid)"),
        (59, "warning [word-avoid] 'key': a plainer way to say it is 'important, main' (the house style's words to "
             "avoid)")]),
}


@pytest.mark.parametrize("kind", list(ONE_OF_EACH))
def test_each_problem_is_warned_at_its_column(run_cli, summary: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    added, expected = ONE_OF_EACH[kind]
    said, line = warned(run_cli, summary, added + "\n")
    assert said == [f"content/{PAPER}/summary.md:{line}:{column}: {text}" for column, text in expected]


@pytest.mark.parametrize("added", [
    "> They said [click here](https://example.gov.uk) on 21/06/18.\n",  # a quotation
    "The file is `report-21/06/18.pdf`.\n",  # code
])
def test_links_and_dates_are_left_alone_in_quotations_and_code(run_cli, summary: Path, added: str) -> None:  # type: ignore[no-untyped-def]
    status, said, _line = check(run_cli, summary, added)
    assert status == 0 and said == []


def test_a_papers_glossary_names_acronyms_it_need_not_spell_out(run_cli, summary: Path) -> None:  # type: ignore[no-untyped-def]
    paper_yaml = summary.parent / "paper.yaml"
    paper_yaml.write_text(paper_yaml.read_text() + "glossary: {LSCB: Local Safeguarding Children Board}\n")
    status, said, _line = check(run_cli, summary, "The LSCB met.\n")
    assert status == 0 and said == []  # and the sample's own first LSCB, later, is known too:
    output = run_cli("check", PAPER, "--templates", str(TEMPLATES), cwd=summary.parent.parent.parent).output
    assert "'LSCB' is used before" not in output and "'MASH' is used before" in output


def test_a_council_adds_its_own_words_to_avoid(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    style = tmp_path / "t" / "acme" / "board"
    style.mkdir(parents=True)
    (style / "style.yaml").write_text(
        "extends: walsall/cabinet\nname: Acme\nwriting:\n  sentence_words: 0\n"
        "  words_to_avoid: [words-to-avoid.yaml, our-words.yaml]\n")
    (style / "our-words.yaml").write_text("# Acme's own\nsynergy: working together\n")
    shutil.copytree(ROOT / "content" / PAPER, tmp_path / "content" / PAPER)
    (tmp_path / "content" / PAPER / "paper.yaml").write_text(
        (tmp_path / "content" / PAPER / "paper.yaml").read_text().replace("walsall/cabinet", "acme/board"))
    summary = tmp_path / "content" / PAPER / "summary.md"
    summary.write_text(summary.read_text() + "\nThe synergy will facilitate it.\n")
    output = run_cli("check", PAPER, "--templates", str(tmp_path / "t"), cwd=tmp_path).output
    assert "'synergy': a plainer way to say it is 'working together'" in output
    assert "'facilitate': a plainer way to say it is 'help, make possible'" in output  # the built-in list still
    (style / "our-words.yaml").write_text("synergy: [working, together]\n")
    broken = run_cli("check", PAPER, "--templates", str(tmp_path / "t"), cwd=tmp_path).output
    assert "our-words.yaml:1: error [style-field] 'synergy': give the plainer words as text" in broken


def test_a_paragraph_may_set_a_check_aside_with_a_reason_listed_in_the_report(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    shutil.copytree(ROOT / "content" / PAPER, tmp_path / "content" / PAPER)
    summary = tmp_path / "content" / PAPER / "summary.md"
    lines = summary.read_text().splitlines()
    long_at = lines.index(next(line for line in lines if line.startswith("The methodology of the")))
    reason = "the working group's own words, as minuted"
    lines.insert(long_at, f"<!-- paperkit allow sentence-long: {reason} -->")
    lines.insert(0, "<!-- paperkit allow sentense-long: misspelt -->")
    lines.insert(0, "<!-- paperkit allow word-avoid -->")
    summary.write_text("\n".join(lines) + "\n")
    result = run_cli("check", PAPER, "--templates", str(TEMPLATES), "--report", cwd=tmp_path)
    said = [line for line in result.output.splitlines() if "summary.md" in line]
    paragraph = long_at + 4  # 1-based, after the three comments
    assert not any(f"summary.md:{paragraph}:" in line and "[sentence-long]" in line for line in said)
    assert f"content/{PAPER}/summary.md:1: warning [allow-reason] say why word-avoid does not apply here, after " \
           "a colon: <!-- paperkit allow word-avoid: the reason -->" in said
    assert any(line.startswith(f"content/{PAPER}/summary.md:2: warning [allow-unknown] 'sentense-long' is not a "
                               "writing check") for line in said)
    assert f"  content/{PAPER}/summary.md:{paragraph}: sentence-long: {reason}" in result.output.splitlines()
    # The other paragraphs' long sentences are still said.
    assert sum("[sentence-long]" in line for line in said) == 3
