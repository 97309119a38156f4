"""The finished Word package: document properties and reproducible ZIP bytes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docxtpl import DocxTemplate

from .. import __version__
from ..docx_source import CUSTOM_PROPERTIES_REL, CUSTOM_PROPERTIES_TYPE, SourceRecord, custom_properties_xml
from ..resolved import Resolved


def reproducible_zip(package: bytes, timestamp: dt.datetime) -> bytes:
    """The same package with every entry dated `timestamp`, in a fixed order, so that equal
    content always gives equal bytes ([Content_Types].xml first, as Office writes it)."""
    stamp = max(timestamp, dt.datetime(1980, 1, 1, tzinfo=dt.UTC)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        names = sorted(source.namelist(), key=lambda name: (name != "[Content_Types].xml", name))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(name))
    return out.getvalue()


PROPERTY_LIMIT = 255  # characters in a DOCX core property (python-docx and Word refuse more)


def _property(text: str) -> str:
    """`text` as a document property: cut to the limit, with an ellipsis (the page keeps it whole)."""
    return text if len(text) <= PROPERTY_LIMIT else text[: PROPERTY_LIMIT - 1] + "…"


def set_properties(template: DocxTemplate, resolved: Resolved) -> None:
    """Title and author (set after rendering, so docxtpl never reads them as Jinja)."""
    props = template.docx.core_properties
    meta = resolved.paper.meta
    heading = resolved.paper.heading
    props.title = _property(meta.title)
    props.subject = _property(heading.meeting_line if heading else meta.meeting)
    props.author = _property(meta.author.name if meta.author else "")
    facts = (str(meta.fields.get(name) or "") for name in resolved.style.word_keywords)
    props.keywords = _property("; ".join(v for v in (meta.meeting, *facts) if v))
    props.last_modified_by = ""
    props.comments = ""
    props.created = props.modified = resolved.timestamp.replace(tzinfo=None)
    props.revision = 1


def add_source_record(document: Any, record: SourceRecord, resolved: Resolved) -> None:
    """The custom properties `paperkit import` reads (docx_source.py), in place of any the
    Word template had."""
    record.paper = resolved.paper_dir.name
    record.template = resolved.paper.meta.template
    record.version = __version__
    record.fingerprint = resolved.sources.fingerprint()
    record.paper_yaml = resolved.sources.read_text(resolved.paper_dir / "paper.yaml")
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == CUSTOM_PROPERTIES_REL:
            package.rels.pop(rel_id)
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_PROPERTIES_TYPE, custom_properties_xml(record.properties()),
                package)
    package.relate_to(part, CUSTOM_PROPERTIES_REL)
