"""Property: generated hostile and unlucky changes to a paper never break a promise.

Each example takes the sample paper, with a public and an exempt appendix and a secret file
beside the paper, applies up to four generated changes (links out of the folder, an exempt
file reused as a section, other encodings, damaged pictures, hostile YAML and Markdown), and
builds it for publication over a previous good build. Whatever happens:
- the build exits 0 with valid outputs, or 1 with diagnostics; never a traceback;
- on failure the previous outputs are there, byte for byte;
- no exempt or secret marker reaches any output, in its bytes or its text;
- no file outside the paper, and no exempt file, is opened (an audit hook on `open`).

PAPERKIT_FUZZ_EXAMPLES sets the number of examples (default 40).
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from helpers import SAMPLE
from paperkit.cli import main

pytestmark = pytest.mark.slow  # a property test of many builds: not in the inner loop (pytest -m "not slow")

EXAMPLES = int(os.environ.get("PAPERKIT_FUZZ_EXAMPLES", "40"))
EXEMPT_MARKER = "EXEMPT-GENERATED-7Q3X"
SECRET_MARKER = "SECRET-BESIDE-THE-PAPER-5R8M"
SECTIONS = ["summary.md", "recommendations.md", "report-detail.md", "legal-implications.md"]
APPENDICES = ("appendices:\n  - title: Public data\n    file: appendix-public.md\n"
              "  - title: Costs\n    file: appendix-secret.md\n    exempt: {paragraph: 3}\n")
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
                    "0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082")
PICTURES = {"ok": PNG, "truncated": PNG[:40], "garbage": PNG[:16] + b"garbage" * 9,
            "gif-garbage": b"GIF89a" + b"x" * 40, "huge": PNG[:16] + (20000).to_bytes(4, "big") * 2 + PNG[24:]}
YAML_VALUES = ['"\\udc80"', "&a [x, *a]", "[" * 40 + "]" * 40, "9" * 5000, "{{ x }}", "<b>&amp;</b>", "2200-01-01",
               "x" * 12_000, '"\\u0007"', "*a", "!!python/object:os.system ls"]
MARKDOWN = ["*" * 60 + "x" + "*" * 60, "> " * 25 + "q", " ".join(["`c`"] * 2_500), "|" + "a|" * 40 + "\n|" + "-|" * 40,
            "\ufeff- BOM in the middle", "- {#dup}\n  one\n- {#dup}\n  two", "{ref}`nowhere`", "<script>x</script>",
            "[x](file:///etc/passwd)", "![x](/proc/self/environ)", "\x00\x07\x1b", "{{ '%s' }}"]

opened: list[str] | None = None  # while a build runs: every path opened in this process


def _record(event_name: str, args: tuple) -> None:  # type: ignore[type-arg]
    if opened is not None and event_name == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        opened.append(os.path.realpath(os.fsdecode(args[0])))


sys.addaudithook(_record)  # cannot be removed; records only while `opened` is a list


change = st.one_of(
    st.tuples(st.just("symlink"), st.sampled_from(SECTIONS), st.sampled_from(["secret", "exempt", "proc", "dangling"])),
    st.tuples(st.just("exempt-reuses"), st.sampled_from([*SECTIONS, "appendix-public.md", "paper.yaml"]), st.just("")),
    st.tuples(st.just("encoding"), st.sampled_from([*SECTIONS, "paper.yaml"]),
              st.sampled_from(["bom", "crlf", "cr", "utf16", "latin1"])),
    st.tuples(st.just("picture"), st.sampled_from(sorted(PICTURES)), st.sampled_from(["file", "symlink-out"])),
    st.tuples(st.just("link"), st.sampled_from(["appendix-public.md", "appendix-secret.md", "../secret.txt",
                                                "linked-out.txt", "missing.pdf", "plan.pdf"]), st.just("")),
    st.tuples(st.just("yaml"), st.sampled_from(["title", "portfolio", "date", "wards"]), st.sampled_from(YAML_VALUES)),
    st.tuples(st.just("markdown"), st.sampled_from(SECTIONS), st.sampled_from(MARKDOWN)),
)


def apply(project: Path, paper: Path, kind: str, target: str, value: str) -> None:
    if kind == "symlink":
        links = {"secret": project / "content" / "secret.txt", "exempt": paper / "appendix-secret.md",
                 "proc": Path("/proc/self/environ"), "dangling": project / "nowhere"}
        (paper / target).unlink()
        (paper / target).symlink_to(links[value])
    elif kind == "exempt-reuses":  # a second exempt appendix whose file is also something else's
        _edit_yaml(paper, lambda text: text + f"  - title: Again\n    file: {target}\n    exempt: {{paragraph: 1}}\n")
    elif kind == "encoding":
        if (paper / target).is_symlink():
            return
        text = (paper / target).read_bytes().decode("utf-8", "surrogateescape")
        encoded = {"bom": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8", "surrogateescape"),
                   "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8", "surrogateescape"),
                   "cr": lambda t: t.replace("\n", "\r").encode("utf-8", "surrogateescape"),
                   "utf16": lambda t: t.encode("utf-16", "surrogatepass"),
                   "latin1": lambda t: (t + "\ncafé\n").encode("latin-1", "replace")}[value](text)
        (paper / target).write_bytes(encoded)
    elif kind == "picture":
        if value == "file":
            (paper / "chart.png").write_bytes(PICTURES[target])
        elif not (paper / "chart.png").exists():
            (paper / "chart.png").symlink_to(project / "content" / "secret.txt")
        _append(paper / "summary.md", "\n![A chart](chart.png)\n")
    elif kind == "link":
        if target == "linked-out.txt" and not (paper / target).exists():
            (paper / target).symlink_to(project / "content" / "secret.txt")
        if target == "plan.pdf":
            (paper / target).write_bytes(b"%PDF-1.4 plan")
        _append(paper / "report-detail.md", f"\n- See [the file]({target}).\n")
    elif kind == "yaml":
        _edit_yaml(paper, lambda text: "\n".join(f"{target}: {value}" if line.startswith(f"{target}:") else line
                                                 for line in text.splitlines()) + "\n")
    else:
        _append(paper / target, "\n" + value + "\n")


def _edit_yaml(paper: Path, edit: Callable[[str], str]) -> None:
    """Change paper.yaml's text, unless an earlier change made it a link or not UTF-8."""
    yaml = paper / "paper.yaml"
    data = yaml.read_bytes()
    if yaml.is_symlink() or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return
    yaml.write_bytes(edit(data.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape"))


def _append(path: Path, text: str) -> None:
    if path.is_file() and not path.is_symlink():
        path.write_bytes(path.read_bytes() + text.encode("utf-8"))


def make_project(root: Path) -> tuple[Path, Path]:
    project = root / "project"
    paper = project / "content" / "p"
    shutil.copytree(SAMPLE, paper)
    (project / "content" / "secret.txt").write_text(f"{SECRET_MARKER}\n")
    (paper / "appendix-public.md").write_text("Public figures.\n")
    (paper / "appendix-secret.md").write_text(f"{EXEMPT_MARKER} the bidders' prices.\n")
    (paper / "paper.yaml").write_text((paper / "paper.yaml").read_text() + APPENDICES)
    return project, paper


ARGS = ["build", "p", "--format", "html,docx", "--for", "publication"]


@cache
def previous() -> dict[str, bytes]:
    """A good build of the unchanged paper: what a failed build must leave in place."""
    project, _paper = make_project(Path(tempfile.mkdtemp(prefix="paperkit-previous-")))
    cwd = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ARGS, catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    files = {p.name: p.read_bytes() for p in (project / "build" / "p").iterdir()}
    shutil.rmtree(project.parent)
    return files


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(change, min_size=1, max_size=4))
def test_hostile_changes_never_break_a_promise(changes: list[tuple[str, str, str]]) -> None:
    global opened
    with tempfile.TemporaryDirectory() as tmp:
        project, paper = make_project(Path(tmp))
        for kind, target, value in changes:
            apply(project, paper, kind, target, value)
        out = project / "build" / "p"
        out.mkdir(parents=True)
        for name, data in previous().items():
            (out / name).write_bytes(data)
        cwd = os.getcwd()
        os.chdir(project)
        opened = []
        try:
            result = CliRunner().invoke(main, ARGS)
        finally:
            record, opened = opened, None
            os.chdir(cwd)
        event(f"exit {result.exit_code}")
        assert result.exit_code in (0, 1), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output
        files = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
        if result.exit_code == 1:
            assert "error [" in result.output or "paperkit: cannot write" in result.output, result.output
            assert files == previous()
        else:
            assert "</html>" in files["p.html"].decode("utf-8")
            document = docx.Document(io.BytesIO(files["p.docx"]))
            docx_words = "\n".join(p.text for p in document.paragraphs)
            assert EXEMPT_MARKER not in docx_words and SECRET_MARKER not in docx_words
        for path in out.rglob("*"):
            if path.is_file():
                raw = path.read_bytes()
                assert EXEMPT_MARKER.encode() not in raw and SECRET_MARKER.encode() not in raw, path
                if path.suffix == ".docx":
                    with zipfile.ZipFile(path) as package:
                        for member in package.namelist():
                            assert EXEMPT_MARKER.encode() not in package.read(member), member
        forbidden = {str((project / "content" / "secret.txt").resolve()), str((paper / "appendix-secret.md").resolve()),
                     "/proc/self/environ", os.path.realpath("/proc/self/environ")}
        assert not forbidden & set(record), sorted(forbidden & set(record))
