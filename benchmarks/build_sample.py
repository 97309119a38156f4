"""Time building the sample paper in fresh processes, against two baselines; prints medians and ratios.

Usage: .venv/bin/python benchmarks/build_sample.py [--runs N]

Cases, run alternately (one of each per round, so a noisy spell hits them all alike):
- all:      paperkit build cabinet-2018-06 (DOCX, PDF, HTML)
- docx:     paperkit build cabinet-2018-06 --format docx
- pdf:      paperkit build cabinet-2018-06 --format pdf
- bare:     a Python process that imports WeasyPrint and prints paperkit's own HTML of the
            paper as PDF/UA-1 (what any HTML-to-PDF tool pays; the rest of `all` is paperkit's)
- bare+:    the same, loading WeasyPrint as paperkit does (paperkit.render.weasy: without the
            library search that runs gcc): paperkit's own overhead net of that shortcut
- pipeline: pandoc (3, from pypandoc_binary) turning the paper's Markdown into DOCX, then
            LibreOffice turning that into PDF: the obvious alternative to paperkit

Machines here are shared and noisy: compare medians and ratios, not single runs.

paperkit's modules are compiled to bytecode first, and the cases run with bytecode caching on
(even where PYTHONDONTWRITEBYTECODE is set around the benchmark), as in an installed wheel, whose
modules pip compiles at install: compiling paperkit's sources on every run would add 40 ms that
no council's install pays.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import sys
import tempfile
from pathlib import Path

from alternative import pipeline_commands, time_commands

ROOT = Path(__file__).resolve().parent.parent
PAPER = "cabinet-2018-06"
BARE = """
import sys
from weasyprint import HTML
HTML(filename=sys.argv[1]).write_pdf(sys.argv[2], pdf_variant="pdf/ua-1")
"""
BARE_QUICK = BARE.replace("from weasyprint import HTML", "from paperkit.render.weasy import HTML")


def paperkit(*args: str, out: Path) -> list[list[str]]:
    return [[sys.executable, "-m", "paperkit", "build", PAPER, *args, "--out", str(out)]]


def prepare(work: Path) -> dict[str, list[list[str]]]:
    """The commands of each case, and their inputs written once."""
    from paperkit.pipeline import load
    from paperkit.render.html import render_html

    resolved = load(ROOT / "content" / PAPER, ROOT / "templates", "public")
    (work / "paper.html").write_text(render_html(resolved), encoding="utf-8")
    (work / "bare.py").write_text(BARE, encoding="utf-8")
    (work / "bare_quick.py").write_text(BARE_QUICK, encoding="utf-8")
    return {
        "all": paperkit(out=work / "out"),
        "docx": paperkit("--format", "docx", out=work / "out"),
        "pdf": paperkit("--format", "pdf", out=work / "out"),
        "bare": [[sys.executable, str(work / "bare.py"), str(work / "paper.html"), str(work / "bare.pdf")]],
        "bare+": [[sys.executable, str(work / "bare_quick.py"), str(work / "paper.html"), str(work / "bare.pdf")]],
        "pipeline": pipeline_commands(PAPER, work),
    }


def as_installed() -> dict[str, str]:
    """The environment of the timed commands, with paperkit's bytecode compiled and used."""
    compileall.compile_dir(ROOT / "paperkit", quiet=1)
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        cases = prepare(Path(scratch))
        env = as_installed()
        time_commands(cases["pipeline"], env)  # LibreOffice's first start makes its profile: not part of the race
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(runs):
            for name, commands in cases.items():
                times[name].append(time_commands(commands, env))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        print(f"{name:8} median {medians[name]:.3f} s  (min {min(values):.3f}, max {max(values):.3f}, {runs} runs)")
    print(f"all / bare WeasyPrint      {medians['all'] / medians['bare']:.2f}  (target <= 1.15)")
    print(f"all / bare+ (same library loading) {medians['all'] / medians['bare+']:.2f}")
    print(f"docx / pandoc+LibreOffice  {medians['docx'] / medians['pipeline']:.2f}  (target <= 0.35)")
    print(f"all / pandoc+LibreOffice   {medians['all'] / medians['pipeline']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
