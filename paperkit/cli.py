"""The `paperkit` command.

Exit status: 0 success, 1 content errors (each printed as path:line: error [code] ...),
2 usage errors (unknown paper, bad option).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .diagnostics import ContentError, Diagnostics
from .pipeline import FORMATS, build, load
from .style import default_templates_root


def parse_formats(values: tuple[str, ...]) -> list[str]:
    """`--format docx --format pdf` or `--format docx,pdf`; `all` means every format."""
    wanted: list[str] = []
    for value in values or ("all",):
        for name in (part.strip().lower() for part in value.split(",")):
            if name == "all":
                wanted.extend(FORMATS)
            elif name in FORMATS:
                wanted.append(name)
            else:
                choices = ", ".join((*FORMATS, "all"))
                raise click.BadParameter(f"'{name}' is not one of {choices}", param_hint="--format")
    return list(dict.fromkeys(wanted))


def print_diagnostics(diags: Diagnostics) -> None:
    items = diags.sorted()
    for diag in items:
        click.echo(str(diag), err=True)
    errors = sum(d.severity == "error" for d in items)
    warnings = len(items) - errors
    if items:
        click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="paperkit")
def main() -> None:
    """Build council committee papers from structured content."""


@main.command("build")
@click.argument("paper")
@click.option("--format", "formats", multiple=True, metavar="FORMAT",
              help="docx, pdf or all (repeat the option or give a comma list). Default: all.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Folder for outputs; each paper gets a folder of its own.")
@click.option("--content", "content_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("content"), show_default=True, help="Folder holding one folder per paper.")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of house styles. Default: ./templates, else paperkit's own.")
def build_command(paper: str, formats: tuple[str, ...], out_dir: Path, content_dir: Path,
                  templates_dir: Path | None) -> None:
    """Build PAPER (a folder in the content folder) to DOCX and PDF."""
    wanted = parse_formats(formats)
    paper_dir = content_dir / paper
    if "/" in paper or "\\" in paper or paper in (".", "..") or not (paper_dir / "paper.yaml").is_file():
        known = sorted(p.parent.name for p in content_dir.glob("*/paper.yaml"))
        raise click.UsageError(
            f"no paper '{paper}' in {content_dir}/ (papers there: {', '.join(known) or 'none'})"
        )
    try:
        resolved = load(paper_dir, templates_dir or default_templates_root())
    except ContentError as err:
        print_diagnostics(err.diagnostics)
        click.echo(f"paperkit: {paper} not built: fix the errors above", err=True)
        sys.exit(1)
    print_diagnostics(resolved.diagnostics)
    for path in build(resolved, wanted, out_dir, paper):
        click.echo(f"wrote {path}")
