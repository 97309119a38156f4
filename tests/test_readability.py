"""`paperkit check PAPER --report` (issue 18): how readable each section is."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import TEMPLATES, make_paper
from paperkit.pipeline import load
from paperkit.readability import paper_readability

PLAIN = ("- We will open two new classes in September. Parents can apply now. The school will write to every "
         "family on the list. Places are given in the order the forms arrive. We will tell you by May.\n")
HARD = ("- Notwithstanding the aforementioned considerations, the authority's comprehensive organisational "
        "transformation programme necessitates the prioritisation of operational efficiencies, e.g. "
        "rationalisation of accommodation, while Mr. Smith's preliminary evaluation indicates substantial "
        "implementation complexities across multiple directorates.\n")


def rows_of(tmp_path: Path, detail: str, summary: str = "A short summary of the paper for the report.\n"):  # type: ignore[no-untyped-def]
    paper = make_paper(tmp_path, files={"report-detail.md": detail, "summary.md": summary})
    return {row.title: row for row in paper_readability(load(paper, TEMPLATES).paper)}


def test_words_sentences_and_the_longest_are_counted_per_section(tmp_path: Path) -> None:
    rows = rows_of(tmp_path, PLAIN)
    detail = rows["Report detail"]
    assert (detail.words, detail.sentences, detail.longest) == (37, 5, 10)  # 8, 4, 10, 9 and 6
    assert detail.mean == 7.4
    assert rows["Summary"].words == 9 and rows["Summary"].sentences == 1
    whole = rows["Whole paper"]
    assert whole.words == sum(r.words for title, r in rows.items() if title != "Whole paper")


def test_abbreviations_do_not_end_a_sentence_and_hard_text_scores_lower(tmp_path: Path) -> None:
    hard = rows_of(tmp_path / "hard", HARD)["Report detail"]
    assert hard.sentences == 1  # "e.g." and "Mr." go on
    assert hard.longest == hard.words == 32
    plain = rows_of(tmp_path / "plain", PLAIN)["Report detail"]
    assert plain.reading_ease is not None and hard.reading_ease is not None
    assert plain.reading_ease > 70 > 30 > hard.reading_ease


def test_the_report_is_printed_by_check(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    make_paper(tmp_path, files={"report-detail.md": PLAIN + "\n" + HARD})
    result = run_cli("check", "test-paper", "--templates", str(TEMPLATES), "--report", cwd=tmp_path)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split() == ["words", "sentences", "mean", "longest",
                                                                          "reading", "ease"])
    detail = next(line for line in lines[header:] if line.startswith("Report detail"))
    assert detail.split()[2:6] == ["69", "6", "11.5", "32"]
    assert re.search(r"^longest sentence: \d+ words, in the paragraph at content/test-paper/[a-z-]+\.md:\d+$",
                     result.output, re.M)
    assert "reading ease" not in run_cli("check", "test-paper", "--templates", str(TEMPLATES), cwd=tmp_path).output
