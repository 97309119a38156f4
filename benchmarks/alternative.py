"""The obvious alternative to paperkit, as the benchmarks time it: pandoc (3, from
pypandoc_binary) turning the paper's Markdown into DOCX, then LibreOffice turning that into PDF."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pipeline_commands(paper: str, work: Path) -> list[list[str]]:
    """The pipeline's two commands for `paper` (its sections as one Markdown file, written into `work`)."""
    import pypandoc

    from paperkit.pipeline import load

    resolved = load(ROOT / "content" / paper, ROOT / "templates", "public")
    markdown = "\n\n".join(f"# {s.title}\n\n" + (ROOT / "content" / paper / spec.file).read_text(encoding="utf-8")
                           for s, spec in zip(resolved.paper.sections, resolved.style.sections, strict=True))
    (work / "paper.md").write_text(markdown, encoding="utf-8")
    soffice = shutil.which("soffice") or "soffice"
    return [[pypandoc.get_pandoc_path(), str(work / "paper.md"), "-o", str(work / "pipe.docx")],
            [soffice, "--headless", f"-env:UserInstallation=file://{work}/lo", "--convert-to", "pdf",
             "--outdir", str(work), str(work / "pipe.docx")]]


def time_commands(commands: list[list[str]], env: dict[str, str] | None = None, cwd: Path = ROOT) -> float:
    """Seconds the commands take, one after another."""
    start = time.perf_counter()
    for command in commands:
        subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start
