"""`paperkit import`: a paperkit DOCX, reviewed in Word, back into a paper's content folder.

The steps: open the package safely (package.py); read its source record (docx_source.py) and
its body, part by part, with tracked changes accepted or rejected (body.py); write each part
as canonical Markdown (writers/markdown.py), paper.yaml as it was recorded, pictures from the
package and attached files from the folder published beside the DOCX; check the result as a
paper, in a folder of its own, before anything is written where the author will see it.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import ContentError, Diagnostics, Loc
from ..docx_source import SourceRecord
from ..limits import MAX_ATTACHMENT_BYTES
from ..model import AppendixSpec, Block, Image
from ..outputs import replace_folder, write_atomic
from ..pipeline import load
from ..readers.meta import read_meta
from ..sources import SourceFiles
from ..style import HouseStyle, load_style
from ..walk import inlines_of, iter_blocks, iter_inlines
from ..writers.markdown import write_blocks
from .body import MARK_CLOSE, MARK_OPEN, BodyReader, Change
from .package import NotImportable, WordPackage, open_package

MARK = re.compile(f"{MARK_OPEN}(\\d+){MARK_CLOSE}")
CHANGES = ("accept", "reject", "report")


@dataclass
class Imported:
    paper: str
    folder: Path  # where it was written
    written: list[Path]
    report: list[str] = field(default_factory=list)  # path:line: change|comment ... lines
    warnings: list[str] = field(default_factory=list)


def import_docx(docx: Path, destination: Path, templates_root: Path, changes: str = "report",
                onto: str | None = None, force: bool = False, merge: bool = False, template: str | None = None,
                style_map: Path | None = None, paper: str | None = None) -> Imported:
    """Import `docx` into `destination`/PAPER (PAPER from the DOCX; `onto` must name it).
    NotImportable, or ContentError (the imported paper does not check), and nothing is written.

    Onto a folder whose content has changed since the DOCX was built, the import is refused,
    unless `force` (the review's files win) or `merge`: a file only the review changed takes
    the review's text, one only the author changed keeps the author's, and a file both changed
    is a conflict that stops the import."""
    package = open_package(docx)
    record = package.record
    if record is None:
        if template is None or style_map is None:
            raise NotImportable(f"{docx.name} was not built by paperkit (it has no paperkit properties): to import a "
                                "report written in Word, give its house style and a style map (--template "
                                "walsall/cabinet --map templates/walsall/cabinet/import-map.yaml)")
        return _import_foreign(docx, package, destination, templates_root, changes, force, template, style_map,
                               paper or _paper_name(docx))
    if onto is not None and onto != record.paper:
        raise NotImportable(f"{docx.name} was built from '{record.paper}', not '{onto}'")
    folder = destination / record.paper
    if folder.exists() and not (onto or force):
        raise NotImportable(f"{folder} already exists: import --onto {record.paper} to bring the review into it, "
                            "or --force to replace it")
    moved_on = onto is not None and folder.exists() and not force and _moved_on(folder, record, templates_root)
    if moved_on and not merge:
        raise NotImportable(f"{folder} has changed since the DOCX was built from it: importing the review would "
                            "undo those changes. Use --merge to take the review's changes into the files it alone "
                            "changed, or --force to overwrite")
    style = _style(record.template, templates_root)
    result = Imported(record.paper, folder, [])
    data, report = _content(docx, package, style, record, changes, templates_root, folder, result)
    result.report = report
    if moved_on:
        as_built, _ = _content(docx, package, style, record, "reject", templates_root, folder, Imported("", folder, []))
        data = _merged(folder, as_built, data)
    _check(data, record.paper, templates_root, folder, keep=folder if moved_on else None)
    result.written = _write(folder, data, onto=onto is not None and folder.exists())
    return result


def _paper_name(docx: Path) -> str:
    name = re.sub(r"[^a-z0-9-]+", "-", docx.stem.lower()).strip("-")
    return name if name and name[0].isalpha() else f"paper-{name}"


def _import_foreign(docx: Path, package: WordPackage, destination: Path, templates_root: Path, changes: str,
                    force: bool, template: str, style_map: Path, paper: str) -> Imported:
    """A report written in Word: read by the style map into a new paper folder."""
    from .foreign import ForeignReader, paper_yaml, prepend_unplaced, read_map

    folder = destination / paper
    if folder.exists() and not force:
        raise NotImportable(f"{folder} already exists: choose another --paper name, or --force to replace it")
    style = _style(template, templates_root)
    reader = ForeignReader(package, style, read_map(style_map, style), "accept" if changes == "accept" else "reject")
    read = reader.read()
    prepend_unplaced(read.parts, read.meta.get("before", []), style.sections[0].id)
    texts = {"paper.yaml": paper_yaml(read.meta, template, style, docx.name)}
    blocks_by_file: dict[str, tuple[Block, ...]] = {}
    for spec in style.sections:
        part = next((p for p in read.parts if p.section_id == spec.id), None)
        blocks_by_file[spec.file] = part.final if part else ()
    texts |= {name: write_blocks(blocks) for name, blocks in blocks_by_file.items()}
    result = Imported(paper, folder, [], warnings=list(read.warnings))
    result.report = _report(texts, reader.body.found, {name: f"{folder}/{name}" for name in texts}, changes)
    data = {name: MARK.sub("", text).encode("utf-8") for name, text in texts.items()} | _pictures(blocks_by_file)
    _check(data, paper, templates_root, folder)
    result.written = _write(folder, data, onto=False)
    return result


def _content(docx: Path, package: WordPackage, style: HouseStyle, record: SourceRecord, changes: str,
             templates_root: Path, folder: Path, result: Imported) -> tuple[dict[str, bytes], list[str]]:
    """Every file of the paper as the DOCX holds it (changes applied as `changes` says), and
    the report of its changes and comments."""
    reader = BodyReader(package, style, record, "accept" if changes == "accept" else "reject")
    parts = reader.parts()
    appendices = _appendix_specs(record, style, templates_root)
    blocks_by_file: dict[str, tuple[Block, ...]] = {}
    for spec in style.sections:
        part = next((p for p in parts if p.section_id == spec.id), None)
        blocks_by_file[spec.file] = part.final if part else ()
    for index, appendix in enumerate(appendices, 1):
        part = next((p for p in parts if p.appendix == index), None)
        if appendix.source == "markdown" and (appendix.exempt is None or part is not None):
            blocks_by_file[appendix.file] = _without_notice(part.final if part else (), appendix)
    texts = {"paper.yaml": _paper_yaml(record, reader, style, result)}
    texts |= {name: write_blocks(b) for name, b in blocks_by_file.items()}
    report = _report(texts, reader.found, {name: f"{folder}/{name}" for name in texts}, changes)
    data: dict[str, bytes] = {name: MARK.sub("", text).encode("utf-8") for name, text in texts.items()}
    data |= _pictures(blocks_by_file)
    data |= _attachments(docx, record, appendices, blocks_by_file, result)
    return data, report


def _paper_yaml(record: SourceRecord, reader: BodyReader, style: HouseStyle, result: Imported) -> str:
    """paper.yaml as recorded, with the clearances the reviewers filled into the sign-off table."""
    from .clearances import clearances_from_rows, with_clearances

    if reader.clearance_rows is None:
        return record.paper_yaml
    clearances, warnings = clearances_from_rows(reader.clearance_rows, style)
    result.warnings.extend(warnings)
    return with_clearances(record.paper_yaml, clearances)


def _merged(folder: Path, as_built: dict[str, bytes], reviewed: dict[str, bytes]) -> dict[str, bytes]:
    """The review's files where only the review changed them, the folder's where only the author
    did; NotImportable naming every file both changed."""
    out, conflicts = {}, []
    for name, theirs in reviewed.items():
        path = folder / name
        ours = path.read_bytes() if path.is_file() else None
        base = as_built.get(name)
        if theirs == base or ours == theirs:
            continue  # the review left it alone, or made the author's change too
        if ours == base:
            out[name] = theirs
        else:
            conflicts.append(name)
    if conflicts:
        raise NotImportable(f"both the review and later edits changed {', '.join(conflicts)}: nothing was written. "
                            "Make the review's changes there by hand (paperkit import --changes report lists them), "
                            "or build a new DOCX for review")
    return out


def _style(template: str, templates_root: Path) -> HouseStyle:
    diags = Diagnostics()
    style = load_style(templates_root, template, Loc("paperkit.template", 1), diags)
    if style is None:
        raise ContentError(diags)
    return style


def _appendix_specs(record: SourceRecord, style: HouseStyle, templates_root: Path) -> tuple[AppendixSpec, ...]:
    """The appendices paper.yaml lists, read from the recorded paper.yaml."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "paper.yaml"
        path.write_text(record.paper_yaml, encoding="utf-8")
        meta, _style_read = read_meta(path, Diagnostics(), lambda name, where: style, SourceFiles(Path(scratch)))
    return meta.appendices if meta is not None else ()


def _without_notice(blocks: tuple[Block, ...], spec: AppendixSpec) -> tuple[Block, ...]:
    """An exempt appendix's pages start with the house style's notice, which paperkit prints."""
    return blocks[1:] if spec.exempt is not None and blocks else blocks


def _report(files: dict[str, str], found: list[Change], shown: dict[str, str], changes: str) -> list[str]:
    """Each change and comment at the file and line its marker landed on, in document order."""
    lines: dict[int, str] = {}
    for name, text in files.items():
        for match in MARK.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            lines[int(match.group(1))] = f"{shown[name]}:{line}"
    out = []
    for index, change in enumerate(found):
        where = lines.get(index, shown.get("paper.yaml", "paper.yaml") + ":1")
        text = " ".join(change.text.split())
        if change.kind == "comment":
            out.append(f"{where}: comment [{change.author or 'unknown'}] {text}")
        else:
            applied = " (applied)" if changes == "accept" and change.kind != "formatting" else ""
            out.append(f'{where}: change [{change.kind}] {change.author or "unknown"}: "{text}"{applied}')
    return out


def _pictures(blocks_by_file: dict[str, tuple[Block, ...]]) -> dict[str, bytes]:
    out = {}
    for blocks in blocks_by_file.values():
        for node in iter_blocks(blocks):
            for inline in iter_inlines(inlines_of(node)):
                if isinstance(inline, Image) and inline.src:
                    out[inline.src] = inline.data
    return out


def _attachments(docx: Path, record: SourceRecord, appendices: tuple[AppendixSpec, ...],
                 blocks_by_file: dict[str, tuple[Block, ...]], result: Imported) -> dict[str, bytes]:
    """Files the paper links to or attaches, from the folder published beside the DOCX."""
    from ..model import Link

    wanted = {spec.file for spec in appendices if spec.source in ("pdf", "file")}
    for blocks in blocks_by_file.values():
        for node in iter_blocks(blocks):
            wanted |= {i.file for i in iter_inlines(inlines_of(node)) if isinstance(i, Link) and i.file}
    published = docx.parent / f"{record.paper}-files"
    out = {}
    for name in sorted(wanted):
        path = published / name
        if path.is_file() and path.stat().st_size <= MAX_ATTACHMENT_BYTES:
            out[name] = path.read_bytes()
        else:
            result.warnings.append(f"{name}: not found beside the DOCX (in {published}); copy it into the "
                                   "paper's folder")
    return out


def _check(data: dict[str, bytes], paper: str, templates_root: Path, folder: Path, keep: Path | None = None) -> None:
    """The imported paper must check as a paper before it is written (with the files of `keep`
    it does not replace, when only some are written); diagnostics name the files where they will be."""
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch) / paper
        if keep is not None:
            shutil.copytree(keep, trial)
        for name, content in data.items():
            (trial / name).parent.mkdir(parents=True, exist_ok=True)
            (trial / name).write_bytes(content)
        try:
            load(trial, templates_root)
        except ContentError as err:
            moved = Diagnostics()
            for diag in err.diagnostics.items:
                loc = Loc(diag.loc.path.replace(str(trial), str(folder)), diag.loc.line, diag.loc.column)
                message = diag.message.replace(str(trial), str(folder))
                (moved.error if diag.severity == "error" else moved.warning)(loc, diag.code, message)
            raise ContentError(moved) from err


def _moved_on(folder: Path, record: SourceRecord, templates_root: Path) -> bool:
    """Whether the content has changed since the DOCX was built from it (its fingerprint differs)."""
    try:
        now = load(folder, templates_root).sources.fingerprint()
    except ContentError:
        return True
    return now != record.fingerprint


def _write(folder: Path, data: dict[str, bytes], onto: bool) -> list[Path]:
    """A new folder in one step; --onto: only the files whose content the review changed."""
    if not onto:
        if folder.exists():
            shutil.rmtree(folder)
        return replace_folder(folder, data, owns=lambda name: True)
    written = []
    for name, content in data.items():
        path = folder / name
        if not path.is_file() or path.read_bytes() != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, content)
            written.append(path)
    return written
