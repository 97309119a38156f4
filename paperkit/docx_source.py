"""What a paperkit DOCX records about its source, for `paperkit import` to bring it back.

Word shows none of it. Custom document properties (File › Info › Properties › Advanced ›
Custom, kept by Word and LibreOffice alike) name the paper, its template, the paperkit
version and a fingerprint of the content read; one more, cut into numbered pieces of at most
255 characters (Word's limit for a text property), holds a JSON record:

- `paper_yaml`: paper.yaml as written (its heading facts print in ways that lose their type);
- `labels`: bookmark name → label, for every labelled numbered thing (its number's bookmark);
- `refs`: for each reference, the labels it names, by the number of the hidden bookmark
  (`_pkr_N`) that wraps its words and fields in the text;
- `groups`: for each recommendation group, its name, numbering choice and label, by the number
  of the hidden bookmark (`_pkg_N`) at the start of its lead-in;
- `headings`: each sub-heading's Markdown level, by its hidden bookmark (`_pkh_N`).

Bookmarks starting with "_" are hidden in Word's bookmark list.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import escape  # valid in XML too; xml.sax.saxutils would load urllib (17 ms a build)
from typing import Any

CUSTOM_PROPERTIES_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_PROPERTIES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one fmtid Word uses for custom properties
PIECE = 255
PREFIX = "paperkit."
REF_MARK, GROUP_MARK, HEADING_MARK = "_pkr_", "_pkg_", "_pkh_"


@dataclass
class SourceRecord:
    paper: str = ""
    template: str = ""
    version: str = ""
    fingerprint: str = ""
    paper_yaml: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    refs: dict[str, list[str]] = field(default_factory=dict)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    headings: dict[str, int] = field(default_factory=dict)

    def properties(self) -> dict[str, str]:
        """The custom properties, by name, each at most PIECE characters."""
        record = json.dumps({"paper_yaml": self.paper_yaml, "labels": self.labels, "refs": self.refs,
                             "groups": self.groups, "headings": self.headings},
                            ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        out = {f"{PREFIX}paper": self.paper, f"{PREFIX}template": self.template, f"{PREFIX}version": self.version,
               f"{PREFIX}fingerprint": self.fingerprint}
        for index in range(0, max(len(record), 1), PIECE):
            out[f"{PREFIX}source.{index // PIECE + 1:04d}"] = record[index:index + PIECE]
        return out


def custom_properties_xml(properties: dict[str, str]) -> bytes:
    """docProps/custom.xml holding `properties` as text properties, in order."""
    items = "".join(
        f'<property fmtid="{FMTID}" pid="{pid}" name="{escape(name)}">'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(properties.items(), start=2))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="{CUSTOM_NS}" '
            f'xmlns:vt="{VT_NS}">{items}</Properties>').encode()


def read_record(properties: dict[str, str]) -> SourceRecord | None:
    """The record from a DOCX's custom properties; None when paperkit did not build it."""
    if f"{PREFIX}paper" not in properties:
        return None
    pieces = sorted((name, value) for name, value in properties.items() if re.fullmatch(
        rf"{re.escape(PREFIX)}source\.\d+", name))
    try:
        data = json.loads("".join(value for _name, value in pieces) or "{}")
    except json.JSONDecodeError:
        return None
    return SourceRecord(
        paper=properties.get(f"{PREFIX}paper", ""), template=properties.get(f"{PREFIX}template", ""),
        version=properties.get(f"{PREFIX}version", ""), fingerprint=properties.get(f"{PREFIX}fingerprint", ""),
        paper_yaml=str(data.get("paper_yaml", "")), labels=dict(data.get("labels", {})),
        refs={str(k): list(v) for k, v in data.get("refs", {}).items()},
        groups={str(k): dict(v) for k, v in data.get("groups", {}).items()},
        headings={str(k): int(v) for k, v in data.get("headings", {}).items()})
