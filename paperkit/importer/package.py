"""Opening a Word file for import, safely: a ZIP package checked before anything parses it.

Refused, each with a message and nothing written: a file that is not a ZIP (a password-protected
Word file is an encrypted OLE file, not a ZIP), a package too large once unpacked or packed
suspiciously tightly (a "zip bomb"), a package without a main document, a document that points
at files outside itself (an external picture or attached template).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from lxml import etree

from ..docx_source import SourceRecord, read_record

MAX_PACKAGE_BYTES = 200_000_000  # unpacked, all parts together
MAX_PART_RATIO = 200  # unpacked size / packed size of one part: text packs to 5-20×, a bomb to thousands
MAX_PARTS = 10_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted or old (.doc) Word files

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


class NotImportable(Exception):
    """The file cannot be imported; the message says why, in words for the author."""


@dataclass
class WordPackage:
    document: etree._Element
    styles: dict[str, str]  # style id → style name
    links: dict[str, str]  # relationship id → target (hyperlinks, pictures)
    media: dict[str, bytes]  # relationship id → picture bytes
    comments: dict[str, tuple[str, str]]  # comment id → (author, text)
    properties: dict[str, str] = field(default_factory=dict)  # custom document properties
    record: SourceRecord | None = None


def open_package(path: Path) -> WordPackage:
    try:
        head = path.open("rb").read(8)
    except OSError as err:
        raise NotImportable(f"cannot read {path.name}: {err.strerror or err}") from err
    if head == OLE_MAGIC:
        raise NotImportable(f"{path.name} is protected by a password or is an old .doc file: save it from Word as "
                            "a .docx without a password")
    try:
        with zipfile.ZipFile(path) as package:
            _check_sizes(package, path.name)
            return _read(package, path.name)
    except zipfile.BadZipFile as err:
        raise NotImportable(f"{path.name} is not a Word (.docx) file: {err}") from err
    except (etree.XMLSyntaxError, ElementTree.ParseError) as err:
        raise NotImportable(f"{path.name} is damaged: a part of it is not well-formed XML ({err})") from err


def _check_sizes(package: zipfile.ZipFile, name: str) -> None:
    infos = package.infolist()
    if len(infos) > MAX_PARTS:
        raise NotImportable(f"{name} has {len(infos):,} parts; a Word document has tens")
    total = sum(info.file_size for info in infos)
    if total > MAX_PACKAGE_BYTES:
        raise NotImportable(f"{name} unpacks to {total:,} bytes; paperkit imports at most {MAX_PACKAGE_BYTES:,}")
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > MAX_PART_RATIO * max(info.compress_size, 1):
            raise NotImportable(f"{name} is packed suspiciously tightly ({info.filename}: {info.compress_size:,} "
                                f"bytes unpack to {info.file_size:,}); it is not imported")


def _xml(package: zipfile.ZipFile, part: str) -> etree._Element | None:
    try:
        data = package.read(part)
    except KeyError:
        return None
    return etree.fromstring(data, PARSER)


def _read(package: zipfile.ZipFile, name: str) -> WordPackage:
    document = _xml(package, "word/document.xml")
    if document is None:
        raise NotImportable(f"{name} has no main document (word/document.xml): it is not a Word document")
    styles_xml = _xml(package, "word/styles.xml")
    styles = {} if styles_xml is None else {
        str(s.get(W + "styleId")): str(s.find(W + "name").get(W + "val"))
        for s in styles_xml.iter(W + "style") if s.find(W + "name") is not None}
    links: dict[str, str] = {}
    media: dict[str, bytes] = {}
    rels = _xml(package, "word/_rels/document.xml.rels")
    for rel in rels.iter(REL + "Relationship") if rels is not None else ():
        rel_id, target, kind = rel.get("Id", ""), rel.get("Target", ""), rel.get("Type", "")
        external = rel.get("TargetMode") == "External"
        if external and not kind.endswith("/hyperlink"):
            raise NotImportable(f"{name} points at a file outside itself ({target}): embed it in the document "
                                "(or remove it) and save again")
        links[rel_id] = target
        if kind.endswith("/image") and not external:
            part = str(PurePosixPath("word") / target) if not target.startswith("/") else target.lstrip("/")
            media[rel_id] = package.read(part)
    comments: dict[str, tuple[str, str]] = {}
    comments_xml = _xml(package, "word/comments.xml")
    for comment in comments_xml.iter(W + "comment") if comments_xml is not None else ():
        text = " ".join("".join(t.text or "" for t in p.iter(W + "t")) for p in comment.iter(W + "p"))
        comments[str(comment.get(W + "id"))] = (str(comment.get(W + "author", "")), text.strip())
    properties: dict[str, str] = {}
    custom = _xml(package, "docProps/custom.xml")
    for prop in custom.iter(CUSTOM + "property") if custom is not None else ():
        properties[str(prop.get("name"))] = "".join(prop.itertext())
    return WordPackage(document, styles, links, media, comments, properties, read_record(properties))
