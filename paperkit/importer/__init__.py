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
from .package import NotImportable, open_package

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
                onto: str | None = None, force: bool = False) -> Imported:
    """Import `docx` into `destination`/PAPER (PAPER from the DOCX; `onto` must name it).
    NotImportable, or ContentError (the imported paper does not check), and nothing is written."""
    package = open_package(docx)
    record = package.record
    if record is None:
        raise NotImportable(f"{docx.name} was not built by paperkit (it has no paperkit properties); importing a "
                            "report written in Word needs --template and --map, which are not available yet")
    if onto is not None and onto != record.paper:
        raise NotImportable(f"{docx.name} was built from '{record.paper}', not '{onto}'")
    folder = destination / record.paper
    if folder.exists() and not (onto or force):
        raise NotImportable(f"{folder} already exists: import --onto {record.paper} to bring the review into it, "
                            "or --force to replace it")
    if onto and folder.exists() and not force:
        _check_not_moved_on(folder, record, templates_root)
    style = _style(record, templates_root)
    reader = BodyReader(package, style, record, "accept" if changes == "accept" else "reject")
    parts = reader.parts()
    appendices = _appendix_specs(record, style, templates_root)
    texts: dict[str, str] = {"paper.yaml": record.paper_yaml}
    blocks_by_file: dict[str, tuple[Block, ...]] = {}
    for spec in style.sections:
        part = next((p for p in parts if p.section_id == spec.id), None)
        blocks_by_file[spec.file] = part.final if part else ()
    for index, appendix in enumerate(appendices, 1):
        part = next((p for p in parts if p.appendix == index), None)
        if appendix.source == "markdown" and (appendix.exempt is None or part is not None):
            blocks_by_file[appendix.file] = _without_notice(part.final if part else (), appendix)
    for name, blocks in blocks_by_file.items():
        texts[name] = write_blocks(blocks)
    result = Imported(record.paper, folder, [])
    files = {name: text for name, text in texts.items()}
    shown = {name: f"{folder}/{name}" for name in files}
    result.report = _report(files, reader.found, shown, changes)
    data: dict[str, bytes] = {name: MARK.sub("", text).encode("utf-8") for name, text in files.items()}
    data |= _pictures(blocks_by_file)
    data |= _attachments(docx, record, appendices, blocks_by_file, result)
    _check(data, record.paper, templates_root, folder)
    result.written = _write(folder, data, onto=onto is not None and folder.exists())
    return result


def _style(record: SourceRecord, templates_root: Path) -> HouseStyle:
    diags = Diagnostics()
    style = load_style(templates_root, record.template, Loc("paperkit.template", 1), diags)
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


def _check(data: dict[str, bytes], paper: str, templates_root: Path, folder: Path) -> None:
    """The imported paper must check as a paper before it is written; diagnostics name the
    files where they will be."""
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch) / paper
        for name, content in data.items():
            (trial / name).parent.mkdir(parents=True, exist_ok=True)
            (trial / name).write_bytes(content)
        try:
            load(trial, templates_root)
        except ContentError as err:
            moved = Diagnostics()
            for diag in err.diagnostics.items:
                loc = Loc(diag.loc.path.replace(str(trial), str(folder)), diag.loc.line)
                message = diag.message.replace(str(trial), str(folder))
                (moved.error if diag.severity == "error" else moved.warning)(loc, diag.code, message)
            raise ContentError(moved) from err


def _check_not_moved_on(folder: Path, record: SourceRecord, templates_root: Path) -> None:
    """--onto: the content must be what the DOCX was built from, or the review would undo later edits."""
    try:
        now = load(folder, templates_root).sources.fingerprint()
    except ContentError:
        now = ""
    if now != record.fingerprint:
        raise NotImportable(f"{folder} has changed since the DOCX was built from it: importing the review would "
                            "undo those changes. Build a new DOCX for review, or import with --out into another "
                            "folder and compare, or --force to overwrite")


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
