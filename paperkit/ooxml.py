"""Reading Word (OOXML) packages: what a house style's Word template defines.

The one place outside the DOCX renderer that opens a .docx, so the house-style checks need
no XML of their own.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class TemplateUnreadable(Exception):
    """The file is not a Word document paperkit can read (the message says why)."""


@dataclass(frozen=True)
class WordTemplate:
    style_names: frozenset[str]  # in lower case: Word stores built-in names so ("heading 1")
    body_text: str  # the XML of the main document, to look for {{ slots }}


def read_word_template(path: Path) -> WordTemplate:
    try:
        with zipfile.ZipFile(path) as package:
            styles = ElementTree.fromstring(package.read("word/styles.xml"))
            body = package.read("word/document.xml").decode("utf-8")
    except (OSError, KeyError, UnicodeDecodeError, zipfile.BadZipFile, ElementTree.ParseError) as err:
        raise TemplateUnreadable(str(err)) from err
    names = frozenset(str(node.get(W + "val")).lower() for node in styles.iter(W + "name"))
    return WordTemplate(names, body)
