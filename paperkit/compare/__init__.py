"""`paperkit diff`: what changed since sign-off, as a Word document with tracked changes.

The old and the new version are each built to the sign-off DOCX (or the old one is the DOCX
that was signed off), and docx_diff.py marks the differences in the new one. Versions come from
git revisions of the content, from two paper folders, or from a signed-off DOCX.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lxml import etree

from ..docx_source import SourceRecord, read_record
from ..outputs import write_atomic
from ..render.docx import render_docx
from ..render.docx_package import reproducible_zip
from ..resolved import Resolved
from .docx_diff import DocumentDiff, Marker, Summary, W

CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


class NotComparable(Exception):
    """The versions cannot be compared; the message says why."""


def default_author() -> str:
    """Who the changes are by: git's user.name, else the login name."""
    try:
        name = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    return name or os.environ.get("USER", "") or "paperkit"


def compare(old_docx: bytes, new: Resolved, author: str, purpose: str = "signoff") -> tuple[bytes, Summary]:
    """The new version's DOCX (sign-off, or publication) with what differs from `old_docx` as
    tracked changes."""
    docx, _document_xml, summary = compare_documents(old_docx, new, author, purpose)
    return docx, summary


def changes_html(old_public_docx: bytes, new_public: Resolved, author: str) -> bytes:
    """The page of changes between two public readings (nothing exempt in either)."""
    from .html import changes_page

    _docx, document, _summary = compare_documents(old_public_docx, new_public, author, "publication")
    heading = new_public.paper.heading
    meeting_line = heading.meeting_line if heading else new_public.paper.meta.meeting
    return changes_page(document, new_public.style, new_public.paper.meta.title, meeting_line).encode("utf-8")


def compare_documents(old_docx: bytes, new: Resolved, author: str,
                      purpose: str) -> tuple[bytes, etree._Element, Summary]:
    new_docx = render_docx(new, purpose)
    old_xml, old_record = _document(old_docx)
    new_xml, new_record = _document(new_docx)
    if old_record.template and new_record.template and old_record.template != new_record.template:
        raise NotComparable(f"the versions are papers of different templates ({old_record.template}, "
                            f"{new_record.template}): they cannot be compared paragraph by paragraph")
    ids = [int(v) for v in new_xml.xpath("//@w:id", namespaces={"w": W[1:-1]}) if str(v).isdigit()]
    date = new.timestamp.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    diff = DocumentDiff(old_xml, new_xml, old_record, new_record, Marker(author, date, max(ids, default=0) + 1000),
                        clearance_title=new.style.clearance.title)
    diff.body()
    return _with_document(new_docx, new_xml, new.timestamp), new_xml, diff.summary


def _document(docx: bytes) -> tuple[etree._Element, SourceRecord]:
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as package:
            document = etree.fromstring(package.read("word/document.xml"), PARSER)
            custom = package.read("docProps/custom.xml") if "docProps/custom.xml" in package.namelist() else b""
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as err:
        raise NotComparable(f"not a Word document paperkit can read: {err}") from err
    properties = {}
    if custom:
        for prop in etree.fromstring(custom, PARSER).iter(CUSTOM + "property"):
            properties[str(prop.get("name"))] = "".join(prop.itertext())
    record = read_record(properties)
    if record is None:
        raise NotComparable("the DOCX was not built by paperkit, so its paragraphs cannot be told from their "
                            "numbers: bring it in with 'paperkit import' first, then compare")
    return document, record


def _with_document(docx: bytes, document: etree._Element, timestamp: dt.datetime) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                data = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(name, data)
    return reproducible_zip(out.getvalue(), timestamp)


def signed_docx(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise NotComparable(f"cannot read {path}: {err.strerror or err}") from err
    _document(data)  # a paperkit DOCX, or NotComparable saying so
    return data


@contextmanager
def at_revision(paper_dir: Path, revision: str) -> Iterator[Path]:
    """The paper's folder as it was at a git revision, in a temporary folder of its own."""
    folder = paper_dir.resolve()
    top = _git(folder, "rev-parse", "--show-toplevel").strip()
    relative = folder.relative_to(Path(top).resolve()).as_posix()
    commit = _git(folder, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", missing=revision).strip()
    names = [n for n in _git(Path(top), "ls-tree", "-r", "--name-only", commit, "--", relative).splitlines() if n]
    if not any(n == f"{relative}/paper.yaml" for n in names):
        raise NotComparable(f"at {revision}, {relative}/ holds no paper (no paper.yaml)")
    scratch = Path(tempfile.mkdtemp(prefix="paperkit-diff-"))
    try:
        target = scratch / folder.name
        for name in names:
            data = subprocess.run(["git", "-C", top, "show", f"{commit}:{name}"], capture_output=True, check=True,
                                  timeout=60).stdout
            path = target / name[len(relative) + 1:]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        yield target
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _git(folder: Path, *args: str, missing: str = "") -> str:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=60)
    except OSError as err:
        raise NotComparable(f"git is needed to compare revisions: {err.strerror or err}") from err
    if done.returncode != 0:
        if missing:
            raise NotComparable(f"unknown revision '{missing}' (git knows no commit by that name)")
        raise NotComparable(f"{folder} is not in a git repository: {done.stderr.strip()}")
    return done.stdout


def write_changes(data: bytes, out_dir: Path, paper: str, suffix: str = "docx") -> Path:
    path = out_dir / paper / f"{paper}-changes.{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)
    return path

