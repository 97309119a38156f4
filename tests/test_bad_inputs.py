"""A corpus of mistakes an author makes, each a small change to the sample paper.

Each case asserts every diagnostic it produces: severity, code, file and line. None may
raise anything but a ContentError (a traceback would be a bug in paperkit).
"""

from __future__ import annotations

import shutil
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import SAMPLE, SAMPLE_PROSE_WARNINGS, TEMPLATES, besides_prose_warnings
from paperkit.diagnostics import ContentError, Diagnostics
from paperkit.pipeline import load

PNG_1x1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)



def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, rows: bytes | None = None) -> bytes:
    """A greyscale PNG; `rows` (filter byte and pixels per row) compressed as its image data."""
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    data = png_chunk(b"IDAT", zlib.compress(rows)) if rows is not None else b""
    return b"\x89PNG\r\n\x1a\n" + header + data + png_chunk(b"IEND", b"")


# Pixel counts are checked from the header, before any decoding: the image data can be short.
HUGE_PNG = png(16000, 16000, b"\0" * 16001)  # 256 million pixels: past Pillow's own bomb limit
LARGE_PNG = png(8000, 6000, b"\0" * 8001)  # 48 million: past paperkit's limit, within Pillow's


@dataclass(frozen=True)
class Case:
    id: str
    changes: tuple[tuple, ...]  # type: ignore[type-arg]
    expected: tuple[tuple[str, str, str, int], ...]  # (severity, code, file, line)


def replace(file: str, old: str, new: str) -> tuple:  # type: ignore[type-arg]
    return ("replace", file, old, new)


def write(file: str, text: str) -> tuple:  # type: ignore[type-arg]
    return ("write", file, text)


def append(file: str, text: str) -> tuple:  # type: ignore[type-arg]
    return ("append", file, text)


EXEMPT_APPENDIX = "appendices:\n  - title: Costs\n    file: {file}\n    exempt: {{paragraph: 3}}\n"
Y = "paper.yaml"
R = "recommendations.md"
D = "report-detail.md"
S = "summary.md"
E, W = "error", "warning"

CASES = [
    # paper.yaml: keys, types, values
    Case("key-typo", (replace(Y, "portfolio:", "portfollio:"),), ((E, "field-unknown", Y, 7),)),
    Case("author-key-typo", (replace(Y, "  telephone:", "  phone:"),), ((E, "field-unknown", Y, 16),)),
    Case("impossible-date", (replace(Y, "2018-06-21", "2018-06-31"),), ((E, "field-date", Y, 5),)),
    Case("date-in-words", (replace(Y, "2018-06-21", "21 June 2018"),), ((E, "field-date", Y, 5),)),
    Case("key-decision-maybe", (replace(Y, "key_decision: no", "key_decision: maybe"),), ((E, "field-yes-no", Y, 11),)),
    Case("forward-plan-number", (replace(Y, "forward_plan: yes", "forward_plan: 1"),), ((E, "field-yes-no", Y, 12),)),
    Case("no-title", (replace(Y, "title: Ofsted Working Group\n", ""),), ((E, "field-missing", Y, 1),)),
    Case("no-meeting", (replace(Y, "meeting: Cabinet\n", ""),), ((E, "field-missing", Y, 1),)),
    Case("title-as-mapping", (replace(Y, "title: Ofsted Working Group", "title:\n  text: Ofsted"),),
         ((E, "field-type", Y, 6),)),
    Case("wards-as-mapping", (replace(Y, "wards: All", "wards:\n  all: true"),), ((E, "field-type", Y, 10),)),
    Case("background-papers-mapping", (replace(Y, "  - Ofsted Inspection Report\n  - Ofsted Action Plan", "  a: b"),),
         ((E, "field-type", Y, 18),)),
    Case("unknown-template", (replace(Y, "walsall/cabinet", "walsall/cabnet"),), ((E, "template-unknown", Y, 3),)),
    Case("template-path-escape", (replace(Y, "walsall/cabinet", "../../etc"),), ((E, "template-name", Y, 3),)),
    Case("yaml-unclosed-bracket", (replace(Y, "related_portfolios: []", "related_portfolios: [a"),),
         ((E, "yaml-syntax", Y, 9),)),
    Case("yaml-tab-indent", (replace(Y, "  name: Debbie Carter", "\tname: Debbie Carter"),), ((E, "yaml-syntax", Y, 14),)),
    Case("yaml-duplicate-key", (append(Y, "title: Again\n"),), ((E, "yaml-syntax", Y, 21),)),
    Case("paper-yaml-list", (write(Y, "- template: walsall/cabinet\n"),), ((E, "paper-yaml-type", Y, 1),)),
    # YAML that would be unsafe or impossible to read
    Case("yaml-billion-laughs", (append(Y, "x: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                                           + "".join(f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i else "*a"] * 9)
                                                     + "]\n" for i in range(9))),),
         ((E, "yaml-alias", Y, 22),)),  # the first alias, where the anchor is used
    Case("yaml-nested-deep", (append(Y, "x: " + "[" * 500 + "]" * 500 + "\n"),), ((E, "yaml-too-deep", Y, 21),)),
    Case("yaml-nested-past-limit", (append(Y, "x: " + "[" * 30 + "]" * 30 + "\n"),), ((E, "yaml-too-deep", Y, 21),)),
    Case("yaml-huge-integer", (append(Y, "x: " + "9" * 5000 + "\n"),), ((E, "yaml-value", Y, 21),)),
    Case("yaml-surrogate-escape", (replace(Y, "title: Ofsted Working Group", 'title: "Ofsted \\udc80 Group"'),),
         ((E, "text-invalid", Y, 6),)),
    Case("yaml-value-too-long", (replace(Y, "title: Ofsted Working Group", "title: " + "x" * 20_000),),
         ((E, "text-too-long", Y, 6),)),
    Case("date-past-2099", (replace(Y, "2018-06-21", "2200-06-21"),), ((E, "field-date", Y, 5),)),
    Case("date-before-1980", (replace(Y, "2018-06-21", "1970-01-01"),), ((E, "field-date", Y, 5),)),
    Case("clearance-unknown-role", (append(Y, "clearances:\n  - role: finanse\n    status: cleared\n"),),
         ((E, "clearance-role", Y, 22),)),
    Case("clearance-bad-status", (append(Y, "clearances:\n  - role: finance\n    status: ok\n"),),
         ((E, "clearance-status", Y, 23),)),
    Case("clearance-bad-date", (append(Y, "clearances:\n  - role: legal\n    status: cleared\n    date: 2018-13-01\n"),),
         ((E, "field-date", Y, 24),)),
    # house rules (Walsall Cabinet)
    Case("key-decision-without-notice",
         (replace(Y, "key_decision: no", "key_decision: yes"), replace(Y, "forward_plan: yes", "forward_plan: no")),
         ((E, "key-decision-notice", Y, 11),)),
    Case("no-author", (replace(Y, "author:\n  name: Debbie Carter\n  job_title: Assistant Director\n"
                                  "  telephone: 01922 652756\n  email: debbie.carter@walsall.gov.uk\n", ""),),
         ((E, "author-missing", Y, 1),)),
    Case("author-without-email", (replace(Y, "  email: debbie.carter@walsall.gov.uk\n", ""),),
         ((E, "author-incomplete", Y, 13),)),
    Case("missing-implication-file", (("delete", "legal-implications.md"),),
         ((E, "section-missing", "legal-implications.md", 1),)),
    Case("empty-implication", (write("financial-implications.md", "\n"),),
         ((E, "implication-unstated", "financial-implications.md", 1),)),
    Case("missing-consultation-file", (("delete", "consultation.md"),), ((E, "section-missing", "consultation.md", 1),)),
    Case("empty-summary", (write(S, ""),), ((E, "section-empty", S, 1),)),
    Case("no-recommendations", (write(R, ""),), ((E, "numbered-missing", R, 1),)),
    Case("recommendations-without-bullets", (write(R, "Cabinet approves the report.\n"),), ((E, "numbered-missing", R, 1),)),
    Case("summary-too-long", (append(S, "\n" + "word " * 200 + "\n"),), ((W, "too-long", S, 1),)),
    Case("unknown-section-file", (write("appendix.md", "Text.\n"),), ((W, "file-unused", "appendix.md", 1),)),
    # labels and references
    Case("dangling-reference", (replace(D, "(paragraph {ref}`staff-absence`)", "(paragraph {ref}`staff-absense`)"),),
         ((E, "xref-missing", D, 53),)),
    Case("duplicate-label", (replace(D, "- {#threshold-training}", "- {#mash}"),), ((E, "label-duplicate", D, 29),)),
    Case("label-on-plain-paragraph", (write(S, "{#intro}\nA summary.\n"),), ((E, "label-unnumbered", S, 2),)),
    Case("label-bad-characters", (replace(R, "- {#approve}", "- {#1st}"),), ((E, "label-syntax", R, 2),)),
    Case("label-at-end-of-text", (replace(R, "review.", "review. {#end}"),), ((W, "label-misplaced", R, 5),)),
    Case("unknown-role", (replace(R, "{ref}`report-detail`", "{reff}`report-detail`"),), ((E, "role-unknown", R, 2),)),
    Case("label-clashes-with-section", (replace(D, "- {#mash}", "- {#summary}"),), ((E, "label-duplicate", D, 8),)),
    Case("numbering-too-deep", (append(R, "\n  - a\n    - b\n      - c\n"),), ((E, "numbering-too-deep", R, 9),)),
    # text an author may not mean literally
    Case("template-braces-in-recommendation", (replace(R, "Cabinet notes", "Cabinet {{ notes }}"),),
         ((W, "template-syntax", R, 5),)),
    Case("template-braces-in-title", (replace(Y, "title: Ofsted Working Group", "title: Ofsted {% group %}"),),
         ((W, "template-syntax", Y, 6),)),
    Case("control-character", (replace(S, "twelve recommendations.", "twelve\x07 recommendations."),),
         ((W, "control-character", S, 1),)),
    Case("typed-numbers", (write(R, "1. Cabinet approves.\n2. Cabinet notes.\n"),), ((W, "typed-number", R, 1),)),
    # Markdown that is not supported
    Case("indented-code", (append(S, "\n        indented too far\n"),), ((E, "markdown-unsupported", S, 15),)),
    Case("fenced-code", (append(S, "\n```\ncode\n```\n"),), ((E, "markdown-unsupported", S, 15),)),
    Case("horizontal-rule", (append(S, "\n---\n"),), ((E, "markdown-unsupported", S, 15),)),
    Case("not-utf8", (("bytes", S, b"Fine.\n\ncaf\xe9\n"),), ((E, "file-encoding", S, 3),)),
    Case("utf16-damaged", (("bytes", S, b"\xff\xfeA\x00\x00\xd8"),), ((E, "file-encoding", S, 1),)),
    Case("section-too-large", (write(S, "word " * 500_000),), ((E, "file-too-large", S, 1),)),
    # every file a paper names is a regular file inside its folder, exempt ones kept apart
    Case("section-symlink-to-proc", (("delete", S), ("symlink", S, "/proc/self/environ")),
         ((E, "path-outside", S, 1),)),
    Case("section-symlink-out", (("delete", S), ("symlink", S, "/etc/hostname")), ((E, "path-outside", S, 1),)),
    Case("paper-yaml-symlink-out", (("delete", Y), ("symlink", Y, "/etc/hostname")), ((E, "path-outside", Y, 1),)),
    Case("appendix-symlink-out", (append(Y, "appendices:\n  - title: Data\n    file: data.md\n"),
                                  ("symlink", "data.md", "/etc/hostname")), ((E, "path-outside", "data.md", 1),)),
    Case("exempt-appendix-is-a-section", (append(Y, EXEMPT_APPENDIX.format(file=S)),),
         ((E, "exempt-conflict", Y, 22),)),
    Case("exempt-appendix-links-to-a-section", (("symlink", "secret.md", S), append(Y, EXEMPT_APPENDIX.format(
        file="secret.md"))), ((E, "exempt-conflict", Y, 22),)),
    Case("exempt-appendix-also-public", (append(Y, "appendices:\n  - title: Costs\n    file: costs.md\n"
                                               "  - title: Costs again\n    file: costs.md\n"
                                               "    exempt: {paragraph: 3}\n"), write("costs.md", "Costs.\n")),
         ((E, "exempt-conflict", Y, 24),)),
    # Markdown past the limits that keep a build under a minute
    Case("markdown-emphasis-nested-deep", (append(S, "\n" + "*" * 3000 + "x" + "*" * 3000 + "\n"),),
         ((E, "markdown-too-deep", S, 15),)),
    Case("markdown-30000-code-spans", (append(S, "\n" + " ".join(["`c`"] * 30_000) + "\n"),),
         ((E, "paragraph-too-complex", S, 15),)),
    Case("table-2000-columns", (append(S, "\n|" + "|".join(f"h{i}" for i in range(2000)) + "|\n|"
                                          + "|".join(["-"] * 2000) + "|\n"),), ((E, "table-too-large", S, 15),)),
    Case("paper-too-large", (append(S, "".join("\n| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 1000 for _ in range(5))),),
         ((E, "paper-too-large", S, 1),)),
    # images and links may not reach outside the paper
    Case("image-parent-path", (append(S, "\n![Password file](../../etc/passwd)\n"),), ((E, "path-outside", S, 15),)),
    Case("image-absolute-path", (append(S, "\n![Password file](/etc/passwd)\n"),), ((E, "path-outside", S, 15),)),
    Case("image-file-url", (append(S, "\n![Password file](file:///etc/passwd)\n"),), ((E, "image-refused", S, 15),)),
    Case("image-from-web", (append(S, "\n![Logo](https://example.org/logo.png)\n"),), ((E, "image-refused", S, 15),)),
    Case("image-data-url", (append(S, "\n![Dot](data:image/png;base64,iVBORw0KGgo=)\n"),), ((E, "image-refused", S, 15),)),
    Case("image-symlink-out", (("symlink", "chart.png", "/etc/passwd"), append(S, "\n![Chart](chart.png)\n")),
         ((E, "path-outside", S, 15),)),
    Case("image-missing", (append(S, "\n![Chart](chart.png)\n"),), ((E, "file-missing", S, 15),)),
    Case("image-without-alt", (("bytes", "chart.png", PNG_1x1), append(S, "\n![](chart.png)\n")),
         ((E, "image-alt", S, 15),)),
    Case("image-not-an-image", (write("chart.png", "not a picture"), append(S, "\n![Chart](chart.png)\n")),
         ((E, "image-format", S, 15),)),
    Case("image-truncated", (("bytes", "chart.png", PNG_1x1[:40]), append(S, "\n![Chart](chart.png)\n")),
         ((E, "image-damaged", S, 15),)),
    Case("image-no-pixels", (("bytes", "chart.png", png(0, 0)), append(S, "\n![Chart](chart.png)\n")),
         ((E, "image-damaged", S, 15),)),
    Case("image-without-data", (("bytes", "chart.png", png(4, 4)), append(S, "\n![Chart](chart.png)\n")),
         ((E, "image-damaged", S, 15),)),
    Case("image-header-then-garbage", (("bytes", "chart.png", PNG_1x1[:33] + b"garbage" * 20),
                                       append(S, "\n![Chart](chart.png)\n")), ((E, "image-damaged", S, 15),)),
    Case("image-gif-garbage", (("bytes", "chart.gif", b"GIF89a" + b"x" * 100), append(S, "\n![Chart](chart.gif)\n")),
         ((E, "image-damaged", S, 15),)),
    Case("image-too-many-pixels", (("bytes", "chart.png", HUGE_PNG), append(S, "\n![Chart](chart.png)\n")),
         ((E, "image-damaged", S, 15),)),
    Case("image-large-photo", (("bytes", "chart.png", LARGE_PNG), append(S, "\n![Chart](chart.png)\n")),
         ((E, "image-damaged", S, 15),)),
    Case("image-a-folder", (("mkdir", "chart.png"), append(S, "\n![Chart](chart.png)\n")),
         ((E, "file-not-regular", S, 15),)),
    Case("link-file-url", (append(S, "\nSee [the file](file:///etc/passwd).\n"),), ((E, "link-refused", S, 15),)),
    Case("link-javascript", (append(S, "\nSee [this](javascript:alert(1)).\n"),), ((E, "link-refused", S, 15),)),
    Case("link-fragment", (append(S, "\nSee [above](#top).\n"),), ((E, "link-internal", S, 15),)),
    Case("link-parent-path", (append(S, "\nSee [secret](../secret.txt).\n"),), ((E, "path-outside", S, 15),)),
    Case("link-symlink-out", (("symlink", "plan.pdf", "/etc/hostname"), append(S, "\nSee [plan](plan.pdf).\n")),
         ((E, "path-outside", S, 15),)),
    Case("link-to-exempt-appendix", (append(Y, EXEMPT_APPENDIX.format(file="costs.md")), write("costs.md", "Costs.\n"),
                                     append(S, "\nSee [costs](costs.md).\n")), ((E, "exempt-conflict", S, 15),)),
    Case("link-missing-file", (append(S, "\nSee [plan](plan.pdf).\n"),), ((E, "file-missing", S, 15),)),
]


def apply(paper: Path, change: tuple) -> None:  # type: ignore[type-arg]
    kind, file, *args = change
    path = paper / file
    if kind == "replace":
        old, new = args
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    elif kind == "write":
        path.write_text(args[0], encoding="utf-8")
    elif kind == "append":
        path.write_text(path.read_text(encoding="utf-8") + args[0], encoding="utf-8")
    elif kind == "delete":
        path.unlink()
    elif kind == "symlink":
        path.symlink_to(args[0])
    elif kind == "bytes":
        path.write_bytes(args[0])
    elif kind == "mkdir":
        path.mkdir()


def diagnostics_for(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Diagnostics:
    monkeypatch.chdir(tmp_path)
    paper = tmp_path / "content" / "p"
    shutil.copytree(SAMPLE, paper)
    for change in case.changes:
        apply(paper, change)
    try:
        found = load(Path("content/p"), TEMPLATES).diagnostics
    except ContentError as err:
        found = err.diagnostics
    return Diagnostics(besides_prose_warnings(found.items))


def test_every_case_is_distinct() -> None:
    assert len({c.id for c in CASES}) == len(CASES)
    assert len({c.changes for c in CASES}) == len(CASES)


def test_the_sample_itself_is_clean_but_for_its_prose(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLE, tmp_path / "content" / "p")
    found = load(Path("content/p"), TEMPLATES).diagnostics.items
    assert besides_prose_warnings(found) == []
    assert len(found) == SAMPLE_PROSE_WARNINGS


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gives_its_diagnostic(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = diagnostics_for(case, tmp_path, monkeypatch).sorted()
    got = [(d.severity, d.code, d.loc.path.removeprefix("content/p/"), d.loc.line) for d in found]
    assert got == sorted(case.expected, key=lambda e: (e[2], e[3], e[1])), [str(d) for d in found]


def test_many_mistakes_are_all_reported_in_one_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Mistakes in paper.yaml do not hide those in the sections: one run shows all ten."""
    chosen = ["key-typo", "impossible-date", "key-decision-maybe", "empty-implication", "missing-consultation-file",
              "dangling-reference", "duplicate-label", "template-braces-in-recommendation", "image-parent-path",
              "label-bad-characters"]
    cases = [c for c in CASES if c.id in chosen]
    combined = Case("combined", tuple(ch for c in cases for ch in c.changes), tuple(e for c in cases for e in c.expected))
    found = diagnostics_for(combined, tmp_path, monkeypatch).sorted()
    got = [(d.severity, d.code, d.loc.path.removeprefix("content/p/"), d.loc.line) for d in found]
    assert len(got) == 10
    assert got == sorted(combined.expected, key=lambda e: (e[2], e[3], e[1]))
