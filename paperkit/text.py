"""Text that is safe in every output while staying what the author typed.

XML 1.0 (and so DOCX) cannot hold most control characters, so they are shown as their
Unicode "control pictures" (U+0007 becomes ␇): visible in every output, the same in each,
and never a corrupt file. Tab, line feed and carriage return are kept.
"""

from __future__ import annotations

import re

from .diagnostics import Diagnostics, Loc

TEMPLATE_SYNTAX = re.compile(r"\{\{|\{%|\{#(?![A-Za-z0-9_-]*\})")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code == 0x7F:
        return "\u2421"
    if code > 0xFFFD:
        return "\ufffd"
    return chr(0x2400 + code)


def visible_text(text: str) -> str:
    return CONTROL.sub(_picture, text)


def template_syntax(text: str, loc: Loc, diags: Diagnostics) -> None:
    """Warn that {{ }} or {% %} will be printed as typed: paperkit fills in no template fields."""
    match = TEMPLATE_SYNTAX.search(text)
    if match:
        diags.warning(loc, "template-syntax", f"'{match.group(0)}' is printed exactly as typed; "
                      "paperkit does not fill in template fields in content")


def first_control(text: str) -> str | None:
    """The first control character in `text`, as U+XXXX, or None."""
    match = CONTROL.search(text)
    return f"U+{ord(match.group(0)):04X}" if match else None
