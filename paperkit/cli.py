"""The `paperkit` command.

Exit status: 0 success, 1 content errors (each printed as path:line: error [code] ...),
2 usage errors (unknown paper, bad option).
"""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import __version__
from .diagnostics import ContentError, Diagnostics, display_path
from .names import RULE as NAME_RULE
from .names import is_safe_name
from .outputs import FORMATS, PURPOSES, OutputError

if TYPE_CHECKING:
    from .resolved import Resolved

# The reading and rendering modules are imported inside the commands that use them: `paperkit
# build` starts its PDF process before they load (it loads WeasyPrint meanwhile), and --help
# stays quick.


def local_templates(content_dir: Path, templates_dir: Path | None = None) -> Path:
    """A council's own house styles: --templates, else the templates/ folder beside content/."""
    return templates_dir if templates_dir is not None else content_dir.parent / "templates"


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
    """Every problem, sorted by file and line, then a count."""
    items = diags.sorted()
    for diag in items:
        click.echo(str(diag), err=True)
    if items:
        errors = sum(d.severity == "error" for d in items)
        click.echo(f"{errors} error(s), {len(items) - errors} warning(s)", err=True)


def paper_folder(content_dir: Path, paper: str) -> Path:
    """The paper's folder, or a usage error naming the papers there are."""
    if not is_safe_name(paper):
        raise click.UsageError(f"'{paper[:120]}' is not a paper name: use {NAME_RULE}")
    paper_dir = content_dir / paper
    if not (paper_dir / "paper.yaml").is_file():
        known = sorted(p.parent.name for p in content_dir.glob("*/paper.yaml"))
        raise click.UsageError(f"no paper '{paper}' in {content_dir}/ (papers there: {', '.join(known) or 'none'})")
    return paper_dir


def checked(paper: str, content_dir: Path, templates_dir: Path | None, strict: bool,
            audience: str = "private") -> Resolved:
    """The paper read, checked and resolved; on errors (or warnings, if strict) print them and exit 1.

    A "public" reading never opens an exempt appendix; `check` reads everything."""
    from .pipeline import load

    paper_dir = paper_folder(content_dir, paper)
    try:
        resolved = load(paper_dir, local_templates(content_dir, templates_dir), audience)
    except ContentError as err:
        print_diagnostics(err.diagnostics)
        fail(f"{paper}: fix the errors above")
    print_diagnostics(resolved.diagnostics)
    if strict and resolved.diagnostics.items:
        fail(f"{paper}: warnings count as errors with --strict")
    return resolved


def fail(message: str) -> NoReturn:
    click.echo(f"paperkit: {message}", err=True)
    sys.exit(1)


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    # Turn SIGTERM into SystemExit, so a build being stopped cleans up its temporary files.
    sys.exit(128 + signum)


content_option = click.option(
    "--content", "content_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("content"),
    show_default=True, help="Folder holding one folder per paper.")
templates_option = click.option(
    "--templates", "templates_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
    help="Folder of the council's own house styles (they win over paperkit's built-in ones of the same "
         "name). Default: the templates folder beside the content folder.")
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="paperkit")
def main() -> None:
    """Build council committee papers from structured content."""
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    _show_warnings_of_the_library()


def _show_warnings_of_the_library() -> None:
    """The package logs what the user should know but is not a content diagnostic (a missing
    system library); the command prints it, once, as `paperkit: warning: ...`."""
    log = logging.getLogger("paperkit")
    if not any(isinstance(handler, _EchoHandler) for handler in log.handlers):
        log.addHandler(_EchoHandler())
        log.propagate = False


class _EchoHandler(logging.Handler):
    """Prints through click to whatever standard error is now (not the one at start-up)."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"paperkit: warning: {record.getMessage()}", err=True)


@main.command("check")
@click.argument("paper")
@click.option("--report", is_flag=True, help="Also print how readable each section is: words, sentences, their "
              "mean and longest, and reading ease.")
@content_option
@templates_option
@strict_option
def check_command(paper: str, report: bool, content_dir: Path, templates_dir: Path | None, strict: bool) -> None:
    """Check PAPER (a folder in the content folder) without building it."""
    resolved = checked(paper, content_dir, templates_dir, strict)
    if not resolved.diagnostics.items:
        click.echo(f"{paper}: no problems found")
    if report:
        from .readability import paper_readability, report_lines
        from .writing import allowances

        click.echo("")
        for line in report_lines(paper_readability(resolved.paper)):
            click.echo(line)
        silenced = allowances(resolved.paper, resolved.sources)
        if silenced:
            click.echo("checks the paper sets aside, and why:")
            for allowed in silenced:
                click.echo(f"  {allowed.path}:{allowed.first}: {allowed.code}: {allowed.reason}")


@main.command("templates")
@content_option
@templates_option
def templates_command(content_dir: Path, templates_dir: Path | None) -> None:
    """List the house styles a paper can name: each one's name, description and where it comes from."""
    from .style import installed_templates

    for info in installed_templates(local_templates(content_dir, templates_dir)):
        source = "built-in" if info.builtin else display_path(info.folder)
        if info.overrides_builtin:
            source += ", overrides the built-in one"
        click.echo(f"{info.name:28} {info.description}  ({source})")


@main.command("new")
@click.argument("paper")
@click.option("--template", "template", required=True, metavar="HOUSE/TEMPLATE",
              help="The house style, e.g. walsall/cabinet (see: paperkit templates).")
@content_option
@templates_option
def new_command(paper: str, template: str, content_dir: Path, templates_dir: Path | None) -> None:
    """Create content/PAPER with every file the house style needs, and guidance to write over."""
    from .diagnostics import Loc
    from .scaffold import create_paper
    from .style import load_style

    if not is_safe_name(paper):
        raise click.UsageError(f"'{paper[:120]}' is not a paper name: use {NAME_RULE}")
    folder = content_dir / paper
    if folder.exists() or folder.is_symlink():
        raise click.UsageError(f"'{folder}' already exists: choose another name, or delete it first")
    diags = Diagnostics()
    style = load_style(local_templates(content_dir, templates_dir), template, Loc("--template", 1), diags)
    if style is None:
        print_diagnostics(diags)
        sys.exit(2)
    for path in create_paper(folder, template, style):
        click.echo(f"wrote {path}")
    click.echo(f"Next: write the sections, then run 'paperkit check {paper}'.")


@main.command("pack")
@click.argument("meeting")
@click.option("--private", is_flag=True, help="Also build the private pack with the exempt items, in --private-out.")
@click.option("--private-out", "private_out", type=click.Path(file_okay=False, path_type=Path), default=Path("private"),
              show_default=True, help="Folder for private packs, kept apart from --out (which is for publishing).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Folder for outputs; each meeting gets a folder of its own.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Papers rendered at once. Default: one per core.")
@content_option
@templates_option
def pack_command(meeting: str, private: bool, private_out: Path, out_dir: Path, jobs: int | None, content_dir: Path,
                 templates_dir: Path | None) -> None:
    """Build MEETING's agenda pack (content/meetings/MEETING.yaml): front sheet, papers, index."""
    from .pack import PaperChanged, build_pack

    if not is_safe_name(meeting):
        raise click.UsageError(f"'{meeting[:120]}' is not a meeting name: use {NAME_RULE}")
    meetings = content_dir / "meetings"
    path = meetings / f"{meeting}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in meetings.glob("*.yaml"))
        raise click.UsageError(f"no meeting '{meeting}' in {meetings}/ (meetings there: {', '.join(known) or 'none'})")
    try:
        build_pack(path, content_dir, local_templates(content_dir, templates_dir), out_dir, private_out,
                   private=private, workers=jobs, echo=lambda line: click.echo(line, err=True))
    except ContentError as err:
        print_diagnostics(err.diagnostics)
        fail(f"{meeting}: pack not built")
    except PaperChanged as err:
        fail(f"{meeting}: pack not built: {err}")
    except OutputError as err:
        fail(str(err))


@main.command("dump")
@click.argument("paper")
@click.option("--public", is_flag=True,
              help="The public reading: exempt appendices withheld, as the PDF and HTML have it.")
@content_option
@templates_option
def dump_command(paper: str, public: bool, content_dir: Path, templates_dir: Path | None) -> None:
    """Print PAPER's whole resolved model, every field, indented (for checking and for golden tests)."""
    from .dump import pformat

    resolved = checked(paper, content_dir, templates_dir, strict=False, audience="public" if public else "private")
    click.echo(pformat(resolved.paper), nl=False)


@main.command("verify")
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify_command(pdf: Path) -> None:
    """Check a PDF's accessibility structure, rule by rule (tags, language, title, fonts, ...)."""
    from .verify import verify_pdf  # pikepdf is loaded only for this command

    try:
        results = verify_pdf(pdf)
    except Exception as err:  # pikepdf's errors for files that are not PDFs
        raise click.UsageError(f"{pdf} cannot be read as a PDF: {err}") from err
    for result in results:
        click.echo(str(result))
    failed = sum(not r.passed for r in results)
    click.echo(f"{len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


@main.command("import")
@click.argument("docx", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write the paper's folder into (default: the content folder).")
@click.option("--onto", "onto", metavar="PAPER", default=None,
              help="Bring the review into this existing paper, changing only the files it changed.")
@click.option("--force", is_flag=True, help="Replace the paper's folder, or import onto content that has changed "
              "since the DOCX was built.")
@click.option("--merge", is_flag=True, help="Import onto content that has changed since the DOCX was built: the "
              "review's changes go into the files only it changed; a file both changed stops the import.")
@click.option("--changes", type=click.Choice(["accept", "reject", "report"]), default="report", show_default=True,
              help="Tracked changes: apply them, leave the content as built, or leave it and list each "
                   "change and comment at its file and line.")
@click.option("--template", "template", metavar="HOUSE/TEMPLATE", default=None,
              help="For a report written in Word (not built by paperkit): its house style.")
@click.option("--map", "style_map", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="For a report written in Word: the style map saying what its styles and headings are "
                   "(Walsall's: templates/walsall/cabinet/import-map.yaml).")
@click.option("--paper", "paper", default=None, help="For a report written in Word: the new paper's name "
              "(default: from the file name).")
@content_option
@templates_option
def import_command(docx: Path, out_dir: Path | None, onto: str | None, force: bool, merge: bool, changes: str,
                   template: str | None, style_map: Path | None, paper: str | None, content_dir: Path,
                   templates_dir: Path | None) -> None:
    """Turn a DOCX built by paperkit (and reviewed in Word) back into a paper's content files,
    or a report written in Word into a new paper (--template and --map)."""
    from .importer import import_docx
    from .importer.package import NotImportable

    destination = out_dir if out_dir is not None else content_dir
    try:
        result = import_docx(docx, destination, local_templates(content_dir, templates_dir), changes=changes,
                             onto=onto, force=force, merge=merge, template=template, style_map=style_map,
                             paper=paper)
    except NotImportable as err:
        fail(str(err))
    except ContentError as err:
        print_diagnostics(err.diagnostics)
        fail(f"{docx.name}: the imported paper has errors; nothing was written")
    except OutputError as err:
        fail(str(err))
    for line in result.report:
        click.echo(line)
    for warning in result.warnings:
        click.echo(f"paperkit: warning: {warning}", err=True)
    for path in result.written:
        click.echo(f"wrote {path}")
    if not result.written:
        click.echo(f"{result.folder}: nothing changed")


@main.command("diff")
@click.argument("papers", nargs=-1, required=True, metavar="PAPER | OLD_FOLDER NEW_FOLDER")
@click.option("--from", "old", metavar="REV|SIGNED.docx", default=None,
              help="The old version: a git revision of the content, or the DOCX that was signed off.")
@click.option("--to", "new", metavar="REV", default=None, help="The new version's git revision (default: the "
              "content as it is now).")
@click.option("--author", default=None, help="Who the tracked changes are by (default: git's user.name).")
@click.option("--format", "formats", type=click.Choice(["docx", "html"]), multiple=True,
              help="docx (default): the sign-off DOCX with tracked changes; html: a page of the changes to the "
                   "public text, for publication. Repeat for both.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Folder for the changes DOCX (OUT/PAPER/PAPER-changes.docx).")
@content_option
@templates_option
def diff_command(papers: tuple[str, ...], old: str | None, new: str | None, author: str | None,
                 formats: tuple[str, ...], out_dir: Path, content_dir: Path, templates_dir: Path | None) -> None:
    """Write the new sign-off DOCX with what changed since the old version as Word tracked changes:
    PAPER --from REV [--to REV], PAPER --from SIGNED.docx, or OLD_FOLDER NEW_FOLDER."""
    from contextlib import ExitStack

    from .compare import NotComparable, at_revision, changes_html, compare, default_author, signed_docx, write_changes
    from .pipeline import load
    from .render.docx import render_docx

    templates = local_templates(content_dir, templates_dir)
    old_dir: Path | None
    try:
        with ExitStack() as stack:
            if len(papers) == 2:
                old_dir, new_dir = (Path(p) for p in papers)
                for folder in (old_dir, new_dir):
                    if not (folder / "paper.yaml").is_file():
                        raise NotComparable(f"{folder} is not a paper's folder (it has no paper.yaml)")
                name = new_dir.name
            elif len(papers) == 1 and old is not None:
                name = papers[0]
                paper_dir = paper_folder(content_dir, name)
                new_dir = stack.enter_context(at_revision(paper_dir, new)) if new else paper_dir
                old_dir = None if old.lower().endswith(".docx") else stack.enter_context(at_revision(paper_dir, old))
            else:
                raise click.UsageError("give PAPER --from REV (or --from SIGNED.docx), or OLD_FOLDER NEW_FOLDER")
            who = author or default_author()
            newer = load(new_dir, templates)
            older = render_docx(load(old_dir, templates)) if old_dir is not None else signed_docx(Path(old or ""))
            docx, summary = compare(older, newer, who)
            page = None
            if "html" in formats:
                if old_dir is None:
                    raise NotComparable("--format html compares two versions of the content (--from REV, or two "
                                        "folders): a signed-off DOCX may hold exempt text")
                public_old = render_docx(load(old_dir, templates, "public"), "publication")
                page = changes_html(public_old, load(new_dir, templates, "public"), who)
    except NotComparable as err:
        fail(str(err))
    except ContentError as err:
        print_diagnostics(err.diagnostics)
        fail("a version of the paper has errors; nothing was compared")
    if not formats or "docx" in formats:
        click.echo(f"wrote {write_changes(docx, out_dir, name)}")
    if page is not None:
        click.echo(f"wrote {write_changes(page, out_dir, name, 'html')}")
    if not summary.sections:
        click.echo("no changes: the versions read the same, and the DOCX has no tracked change")
        return
    click.echo(f"{summary.insertions} insertion(s), {summary.deletions} deletion(s)")
    for section, (insertions, deletions) in summary.sections.items():
        click.echo(f"  {section}: {insertions} insertion(s), {deletions} deletion(s)")


@main.command("preview")
@click.argument("paper", metavar="PAPER|MEETING")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (this computer only by "
              "default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free one).")
@click.option("--no-browser", is_flag=True, help="Do not open the browser.")
@content_option
@templates_option
def preview_command(paper: str, host: str, port: int, no_browser: bool, content_dir: Path,
                    templates_dir: Path | None) -> None:
    """Show PAPER (or a MEETING's agenda) in the browser and follow every save of its files
    (Ctrl-C to stop)."""
    from .preview.server import serve
    from .preview.state import MeetingPreviewState, PreviewState

    templates = local_templates(content_dir, templates_dir)
    meeting = content_dir / "meetings" / f"{paper}.yaml"
    state: PreviewState
    if is_safe_name(paper) and meeting.is_file() and not (content_dir / paper / "paper.yaml").is_file():
        state = MeetingPreviewState(meeting, content_dir, templates)
    else:
        state = PreviewState(paper_folder(content_dir, paper), templates)
    try:
        serve(state, paper, host, port, not no_browser, echo=lambda line: click.echo(line))
    except OSError as err:
        fail(f"cannot listen on {host}:{port}: {err.strerror or err}")
    except KeyboardInterrupt:
        pass


@main.command("build")
@click.argument("paper")
@click.option("--format", "formats", multiple=True, metavar="FORMAT",
              help="docx, pdf, html or all (repeat the option or give a comma list). Default: all.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Folder for outputs; each paper gets a folder of its own.")
@click.option("--for", "purpose", type=click.Choice(PURPOSES), default="signoff", show_default=True,
              help="What the DOCX is for: sign-off (draft marking and clearance table) or publication. "
                   "The PDF and HTML are always for publication.")
@content_option
@templates_option
@strict_option
def build_command(paper: str, formats: tuple[str, ...], out_dir: Path, purpose: str, content_dir: Path,
                  templates_dir: Path | None, strict: bool) -> None:
    """Check PAPER, then build it to DOCX, PDF and HTML (nothing is built if the check fails)."""
    from .render.worker import RenderFailed, RenderWorker

    wanted = parse_formats(formats)
    # Started before paperkit's reading modules load and the paper is read, so WeasyPrint (or,
    # with no PDF wanted, the Word libraries) loads in the other process meanwhile.
    away = next((fmt for fmt in ("pdf", "docx") if fmt in wanted), None)
    worker = RenderWorker.start(away) if away is not None else None
    from .pipeline import audience_for, build

    try:
        resolved = checked(paper, content_dir, templates_dir, strict, audience_for(wanted, purpose))
        written = build(resolved, wanted, out_dir, paper, docx_for=purpose, worker=worker)
    except RenderFailed as err:
        fail(f"{paper}: the {away.upper() if away else 'output'} could not be made: {err}")
    except ContentError as err:
        print_diagnostics(err.diagnostics)
        fail(f"{paper}: not built for publication")
    except OutputError as err:
        fail(str(err))
    finally:
        if worker is not None:
            worker.close()
    for path in written:
        click.echo(f"wrote {path}")
