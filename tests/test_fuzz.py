"""Property: whatever an author types, paperkit builds valid outputs or reports diagnostics.

Never a traceback, never a partial output. The default run is short; set
PAPERKIT_FUZZ_EXAMPLES (e.g. 500) for a longer one.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path

import docx
import pikepdf
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from helpers import SAMPLE
from paperkit.cli import main

pytestmark = pytest.mark.slow  # a property test of many builds: not in the inner loop (pytest -m "not slow")

EXAMPLES = int(os.environ.get("PAPERKIT_FUZZ_EXAMPLES", "40"))

TRICKY = ["{{ x }}", "{% if a %}", "{#", "{#label}", "&", "<", ">", '"', "]]>", "<b>", "\x07", "\x00", "\x1b",
          "\t", "☎", "✉", "😀", "𝔘", "עברית", "العربية", "\u202e", "*", "**", "_", "`", "[", "](", "![", "- ",
          "{ref}`", "{ref}`mash`", "{ref}`nowhere`", "#", ":", "'", "\\", "\n", "\n\n", "  ", "    ", "1. ",
          "http://example.org", "file:///etc/passwd", "../", "PKSLOT000001X", "{_{", "%}", "\r"]

fragments = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12))
content = st.lists(fragments, max_size=25).map("".join)
yaml_value = st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=8)), max_size=6).map("".join)
FILES = ["summary.md", "recommendations.md", "report-detail.md", "financial-implications.md", "consultation.md"]
YAML_KEYS = ["title", "meeting", "portfolio", "service", "wards", "date", "key_decision"]


@st.composite
def mutations(draw: st.DrawFn) -> list[tuple[str, str, str]]:
    """Up to three changes: replace or extend a section file, or set a paper.yaml line to raw text."""
    changes = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            changes.append(("md", draw(st.sampled_from(FILES)), draw(content)))
        else:
            changes.append(("yaml", draw(st.sampled_from(YAML_KEYS)), draw(yaml_value)))
    return changes


def apply(paper: Path, changes: list[tuple[str, str, str]]) -> None:
    for kind, target, text in changes:
        if kind == "md":
            path = paper / target
            path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8", newline="")
        else:
            lines = (paper / "paper.yaml").read_text(encoding="utf-8").splitlines()
            lines = [f"{target}: {text}" if line.startswith(f"{target}:") else line for line in lines]
            (paper / "paper.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=mutations())
def test_any_content_builds_valid_outputs_or_reports_diagnostics(changes: list[tuple[str, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        paper = project / "content" / "p"
        shutil.copytree(SAMPLE, paper)
        apply(paper, changes)
        cwd = os.getcwd()
        os.chdir(project)
        try:
            result = CliRunner().invoke(main, ["build", "p"])
        finally:
            os.chdir(cwd)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception  # a traceback: a bug in paperkit
        out = project / "build" / "p"
        assert result.exit_code in (0, 1), result.output
        event(f"exit {result.exit_code}")
        if result.exit_code == 1:
            assert "error [" in result.output
            assert not out.exists() or not any(out.iterdir())
            return
        assert sorted(p.name for p in out.iterdir()) == ["p.docx", "p.html", "p.pdf"]
        assert "</html>" in (out / "p.html").read_text(encoding="utf-8")
        docx.Document(io.BytesIO((out / "p.docx").read_bytes()))
        with pikepdf.open(out / "p.pdf") as pdf:
            assert len(pdf.pages) >= 1
